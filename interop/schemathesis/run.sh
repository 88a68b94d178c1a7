#!/usr/bin/env bash
# Runs schemathesis against eg-emulator with the project's own spec
# (openapi/eg.yaml) and all checks, in two passes:
#   1. authenticated.toml: a valid token and an existing stream;
#   2. unauthenticated.toml: no credentials.
# Fails unless both pass and together generate at least MIN_CASES cases.
#
# Usage: run.sh PATH_TO_EG_EMULATOR_BINARY
# The virtual environment is ${VENV:-target/schemathesis-venv} (relative to
# the current directory); PYTHON picks the interpreter that creates it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../emulator.sh"
root=$(cd "$here/../.." && pwd)
min_cases=${MIN_CASES:-1000}

# Must match authenticated.toml.
project_id=0123456789abcdef0123456789abcdef
stream_id=6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b
token=schemathesis-token

venv=${VENV:-target/schemathesis-venv}
if [[ ! -x $venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$here/requirements.txt"

# The emulator's log goes to a file, shown only when a pass fails.
start_emulator "$workdir/emulator.log" \
    --stream "$project_id/$stream_id" \
    --token "$token=$project_id"
export EG_EMULATOR_URL=http://$addr
echo "eg-emulator listening on $EG_EMULATOR_URL"

total=0
for pass in authenticated unauthenticated; do
    echo "-- schemathesis: $pass"
    status=0
    "$venv/bin/schemathesis" --config-file "$here/$pass.toml" \
        run "$root/openapi/eg.yaml" --checks all --no-color \
        | tee "$workdir/$pass.out" || status=$?
    if [[ $status -ne 0 ]]; then
        echo "$0: the $pass pass failed (exit $status); emulator log:" >&2
        tail -n 50 "$workdir/emulator.log" >&2
        exit 1
    fi
    cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$workdir/$pass.out" | tail -n 1)
    if [[ -z $cases ]]; then
        echo "$0: no case count in the $pass pass's summary" >&2
        exit 1
    fi
    total=$((total + cases))
done

echo "schemathesis: $total generated cases in 2 passes, 0 failures"
if [[ $total -lt $min_cases ]]; then
    echo "$0: only $total cases, fewer than $min_cases" >&2
    exit 1
fi
