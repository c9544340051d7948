#!/usr/bin/env bash
# Builds the whole project with clang's AddressSanitizer + UndefinedBehaviorSanitizer into
# build-fuzz/ (the tree the fuzz targets live in, preset "fuzz") and runs the whole Qt Test suite
# there: the engine, the CLI the suites start, the window and its views. Any sanitizer report
# (a leak included) aborts its process and fails its suite; lsan.supp lists the system libraries'
# own leaks. tst_smollm2 runs its first three cases of each check there (the whole set takes over
# 5 minutes under ASan).
#   tests/fuzz/run_sanitized.sh [ctest arguments]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
build="$top/build-fuzz"
if ! command -v clang++ >/dev/null; then
  echo "run_sanitized: clang++ not found, skipping the sanitized suite" >&2
  exit 0
fi
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGISTSCOPE_FUZZ=ON -DGISTSCOPE_WARNINGS_AS_ERRORS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$top/tests/fuzz/lsan.supp:${LSAN_OPTIONS:-}"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
