#!/usr/bin/env bash
# ./test.sh: set up a fresh Debian 12 machine (packages), configure, build, and run every test.
set -euo pipefail
cd "$(dirname "$0")"
source packaging/deps.sh
gistscope_install_deps
cuda_args=()
if command -v nvcc >/dev/null 2>&1 && cuobjdump="$(gistscope_fetch_cuobjdump)"; then
  cuda_args=(-DGISTSCOPE_CUOBJDUMP="$cuobjdump")
fi
gistscope_build "${cuda_args[@]}"
gistscope_fetch_models
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j 2 "$@"
# The libFuzzer targets (tests/fuzz), briefly, and the whole suite under ASan + UBSan, when clang
# is installed (packaging/deps.sh installs it).
if command -v clang++ >/dev/null && [ "${GISTSCOPE_FUZZ_SECONDS:-5}" != 0 ]; then
  tests/fuzz/run_fuzzers.sh "${GISTSCOPE_FUZZ_SECONDS:-5}"
fi
if command -v clang++ >/dev/null && [ "${GISTSCOPE_SANITIZED:-1}" != 0 ]; then
  tests/fuzz/run_sanitized.sh
fi
