#!/usr/bin/env bash
# Drives Huawei's official Python SDK (huaweicloudsdkeg) against eg-emulator.
#
# Usage: run.sh PATH_TO_EG_EMULATOR_BINARY
#
# Creates (or reuses) a virtual environment in ${VENV:-target/python-sdk-venv}
# (relative to the current directory), installs requirements.txt into it,
# starts the emulator on a free loopback port with the seed the tests expect,
# runs test_official_sdk.py, and always stops the emulator. Exits with the
# tests' status; the last line printed is `python-sdk: N passed, M failed`.
# PYTHON picks the interpreter that creates the venv (default python3).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 PATH_TO_EG_EMULATOR_BINARY" >&2
    exit 2
fi
emulator_bin=$1
if [[ ! -x $emulator_bin ]]; then
    echo "$0: '$emulator_bin' is not an executable file" >&2
    exit 2
fi
# Absolute, since the tests run from this script's directory.
emulator_bin=$(cd "$(dirname "$emulator_bin")" && pwd)/$(basename "$emulator_bin")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Must match the constants in test_official_sdk.py.
project_id=0123456789abcdef0123456789abcdef
stream_id=6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b
access_key=HPUAEXAMPLEAK0000001
secret_key=ExampleSecretKey0000000000000000000000000

venv=${VENV:-target/python-sdk-venv}
if [[ ! -x $venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
venv=$(cd "$venv" && pwd)
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$here/requirements.txt"

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

# The emulator logs to stderr, which goes straight to ours: on a failure its
# "refused" lines say why.
NO_COLOR=1 "$emulator_bin" \
    --listen 127.0.0.1:0 \
    --stream "$project_id/$stream_id" \
    --credential "$access_key=$secret_key:$project_id" \
    >"$workdir/stdout" &
emulator_pid=$!

addr=
for _ in $(seq 100); do
    # A complete first line (newline included) is the bound address.
    if [[ $(wc -l <"$workdir/stdout") -ge 1 ]]; then
        addr=$(head -n 1 "$workdir/stdout")
        break
    fi
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        echo "$0: eg-emulator exited before printing its address" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z $addr ]]; then
    echo "$0: eg-emulator printed no address within 10 s" >&2
    exit 1
fi
export EG_EMULATOR_ADDR=$addr
echo "eg-emulator listening on $EG_EMULATOR_ADDR"

cd "$here"
status=0
"$venv/bin/python" test_official_sdk.py || status=$?
exit "$status"
