#!/usr/bin/env bash
# Builds the engine's Qt Test suites that need neither the CLI nor a GPU (tests/fuzz/CMakeLists.txt,
# GISTSCOPE_SANITIZED_TESTS) into build-fuzz/ with clang's AddressSanitizer + UndefinedBehavior-
# Sanitizer (the engine the fuzz targets use) and runs them; any sanitizer report fails its suite.
#   tests/fuzz/run_sanitized.sh [ctest arguments]
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
build="$top/build-fuzz"
if ! command -v clang++ >/dev/null; then
  echo "run_sanitized: clang++ not found, skipping the sanitized suites" >&2
  exit 0
fi
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGISTSCOPE_FUZZ=ON -DGISTSCOPE_WARNINGS_AS_ERRORS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target sanitized_tests
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
