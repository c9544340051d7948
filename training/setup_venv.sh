#!/bin/sh
# Create the training venv (PyPI only) at ${GISTSCOPE_VENV:-training/.venv}.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${GISTSCOPE_VENV:-$here/.venv}
python3 -m venv "$venv"
"$venv/bin/pip" install --upgrade pip
# CPU wheels are enough; the default PyPI torch also works (it just downloads CUDA libraries).
"$venv/bin/pip" install -r "$here/requirements.txt"
echo "venv ready: $venv"
