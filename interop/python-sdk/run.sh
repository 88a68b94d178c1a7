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

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../emulator.sh"

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

# The emulator logs to stderr, which goes straight to ours: on a failure its
# "refused" lines say why.
start_emulator /dev/stderr \
    --stream "$project_id/$stream_id" \
    --credential "$access_key=$secret_key:$project_id"
export EG_EMULATOR_ADDR=$addr
echo "eg-emulator listening on $EG_EMULATOR_ADDR"

cd "$here"
status=0
"$venv/bin/python" test_official_sdk.py || status=$?
exit "$status"
