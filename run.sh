#!/usr/bin/env bash
# ./run.sh: set up, build, and start GistScope with the bundled demo models. Without a display
# (no $DISPLAY / $WAYLAND_DISPLAY) it runs the headless demo and says where the results went.
set -euo pipefail
cd "$(dirname "$0")"
source packaging/deps.sh
gistscope_install_deps
gistscope_build
gistscope_fetch_models
if [ -x build/bin/gistscope ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec build/bin/gistscope "$@"
fi
out="${GISTSCOPE_DEMO_OUT:-$PWD/out/demo}"
exec build/bin/gistscope-cli demo --out "$out" "$@"
