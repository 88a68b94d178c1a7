# Sourced by the interop scripts: checks the emulator argument, starts
# eg-emulator on a free loopback port, and stops it when the script exits.
#
#   source interop/emulator.sh "$@"     # sets emulator_bin (absolute) and workdir
#   start_emulator LOG ARGS...          # sets addr; the emulator's stderr goes to LOG

if [[ $# -ne 1 ]]; then
    echo "usage: $0 PATH_TO_EG_EMULATOR_BINARY" >&2
    exit 2
fi
emulator_bin=$1
if [[ ! -x $emulator_bin ]]; then
    echo "$0: '$emulator_bin' is not an executable file" >&2
    exit 2
fi
# Absolute, since the scripts may change directory.
emulator_bin=$(cd "$(dirname "$emulator_bin")" && pwd)/$(basename "$emulator_bin")

workdir=$(mktemp -d)
emulator_pid=
cleanup() {
    if [[ -n $emulator_pid ]]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_emulator() {
    local log=$1
    shift
    # Appended, never truncated: LOG may be /dev/stderr, and reopening that
    # with `2>` would empty a log file the caller's stderr goes to.
    NO_COLOR=1 "$emulator_bin" --listen 127.0.0.1:0 "$@" >"$workdir/stdout" 2>>"$log" &
    emulator_pid=$!
    addr=
    for _ in $(seq 100); do
        # A complete first line (newline included) is the bound address.
        if [[ $(wc -l <"$workdir/stdout") -ge 1 ]]; then
            addr=$(head -n 1 "$workdir/stdout")
            return 0
        fi
        if ! kill -0 "$emulator_pid" 2>/dev/null; then
            echo "$0: eg-emulator exited before printing its address" >&2
            [[ $log == /dev/stderr ]] || cat "$log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$0: eg-emulator printed no address within 10 s" >&2
    exit 1
}
