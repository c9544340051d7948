#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ and runs each one for
# SECONDS (default 10) from its seed corpus with the boundary-number dictionary. New inputs go to
# build-fuzz/corpus/<target>/ (the committed seeds stay as they are); a crash, a sanitizer report,
# a leak or an exception other than gistscope::Error stops that target, leaves the input in
# build-fuzz/artifacts/ and makes the script exit 1.
#   tests/fuzz/run_fuzzers.sh [SECONDS] [TARGET...]
set -uo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-10}"
shift || true
build="$top/build-fuzz"
if ! command -v clang++ >/dev/null; then
  echo "run_fuzzers: clang++ not found, skipping the fuzz targets" >&2
  exit 0
fi
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGISTSCOPE_FUZZ=ON -DGISTSCOPE_WARNINGS_AS_ERRORS=OFF >/dev/null || exit 1
cmake --build "$build" -j "$(nproc)" --target fuzz_all || exit 1
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_safetensors fuzz_safetensors_index fuzz_config fuzz_comp_config fuzz_tokenizer_json
           fuzz_tokenizer_encode fuzz_sentencepiece fuzz_trace fuzz_eval_dataset fuzz_eval_results fuzz_gguf)
fi
mkdir -p "$build/artifacts"
failed=0
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  mkdir -p "$work"
  echo "== $t: ${seconds}s"
  # -rss_limit_mb: a single input may not need more than this (a length field that makes the
  # loader allocate gigabytes is a finding). -timeout: no input may take longer than 10 s.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
      -dict="$top/tests/fuzz/boundary.dict" -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 \
      "$work" "$top/tests/fuzz/corpus/$t" > "$build/$t.log" 2>&1; then
    echo "FAILED: $t (see $build/$t.log and $build/artifacts/)" >&2
    tail -40 "$build/$t.log" >&2
    failed=1
  else
    grep -E "^stat::number_of_executed_units|Done [0-9]+ runs" "$build/$t.log" | tail -2
  fi
done
exit $failed
