#!/usr/bin/env bash
# tests/gpu/check.sh: the one script that proves the CUDA backend on a machine with an NVIDIA GPU.
# It builds gistscope-cli with the CUDA plugin, runs `gistscope-cli selftest` (every kernel and the
# whole forward pass against the CPU reference), makes the Qwen2-0.5B-shaped benchmark checkpoint
# and runs the same greedy decode on the CPU and on the GPU, printing PASS / FAIL and the figures.
# Budget: under 8 minutes on one GPU with 16 cores (build ~3 min, selftest <1 min, bench ~2 min).
#
# On a machine that cannot fetch packages, first run tests/gpu/prepare.sh where there is network
# and carry .gpu-deps along; the script uses it when present. Results go to $OUT (or out/gpu-check).
set -uo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$top"
out="${OUT:-$top/out/gpu-check}"
mkdir -p "$out"
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - t0 ))s"; }
verdicts=()
note() { echo "== $* ($(elapsed))"; }

if [ -d "$top/.gpu-deps/root" ]; then
  root="$top/.gpu-deps/root"
  export PKG_CONFIG_SYSROOT_DIR="$root"
  export PKG_CONFIG_PATH="$root/usr/lib/x86_64-linux-gnu/pkgconfig:$root/usr/share/pkgconfig"
  export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export PATH="$root/usr/bin:$PATH"
  export CMAKE_PREFIX_PATH="$root/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}"
  export CPATH="$root/usr/include${CPATH:+:$CPATH}"
  export LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu${LIBRARY_PATH:+:$LIBRARY_PATH}"
  pkg_config_flag="-DPKG_CONFIG_EXECUTABLE=$root/usr/bin/pkgconf"
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | tee "$out/gpu.txt"

note "configure + build (CUDA plugin, no Qt)"
if cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DGISTSCOPE_WITH_CUDA=ON -DGISTSCOPE_WITH_GUI=OFF \
     -DGISTSCOPE_WITH_TESTS=OFF -DGISTSCOPE_WARNINGS_AS_ERRORS=OFF ${pkg_config_flag:-} > "$out/build.log" 2>&1 &&
   cmake --build build-gpu -j "$(nproc)" --target gistscope-cli gistscope_cuda >> "$out/build.log" 2>&1; then
  verdicts+=("PASS build")
else
  tail -30 "$out/build.log"
  echo "FAIL build (log: $out/build.log)"
  exit 1
fi
cli="$top/build-gpu/bin/gistscope-cli"
export GISTSCOPE_RESOURCES="$top/resources"

note "selftest: kernels and forward, CUDA against CPU"
if "$cli" selftest --json > "$out/selftest.json" 2> "$out/selftest.err"; then verdicts+=("PASS selftest")
else verdicts+=("FAIL selftest (rc $?)"); fi
python3 - "$out/selftest.json" <<'PY' || cat "$out/selftest.json" "$out/selftest.err"
import json, sys
j = json.load(open(sys.argv[1]))
print(json.dumps(j, indent=1)[:6000])
PY

note "benchmark checkpoint (Qwen2-0.5B shape, random BF16)"
bench=/tmp/gistscope-bench-qwen2-0.5b
if [ ! -f "$bench/config.json" ]; then
  python3 training/fixtures/make_fixtures.py --bench-model "$bench" > "$out/bench-model.log" 2>&1 ||
    { tail -5 "$out/bench-model.log"; verdicts+=("FAIL bench model"); }
fi
if [ -f "$bench/config.json" ]; then
  prompt="Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May."
  for backend in cuda cpu; do
    note "decode benchmark: 256 greedy tokens, backend $backend"
    if timeout 180 "$cli" generate --model "$bench" --prompt "$prompt" --max-new-tokens 256 --backend "$backend" \
         --json > "$out/decode-$backend.json" 2> "$out/decode-$backend.err"; then
      python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print({k: j[k] for k in j if k in ('generated_tokens','tokens_per_second','prefill_seconds','decode_seconds','backend')})" "$out/decode-$backend.json"
      verdicts+=("PASS decode $backend")
    else
      cat "$out/decode-$backend.err"; verdicts+=("FAIL decode $backend")
    fi
  done
  python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
try:
    g = json.load(open(os.path.join(d, "decode-cuda.json"))); c = json.load(open(os.path.join(d, "decode-cpu.json")))
    same = g.get("text") == c.get("text")
    print("greedy text identical on CPU and GPU:", same)
    print("decode tokens/s: cuda %.1f, cpu %.1f, ratio %.1fx" % (g["tokens_per_second"], c["tokens_per_second"], g["tokens_per_second"] / c["tokens_per_second"]))
except Exception as e:
    print("no comparison:", e)
PY
fi
echo
printf '%s\n' "${verdicts[@]}" | tee "$out/verdicts.txt"
echo "total $(elapsed)"
! grep -q '^FAIL' "$out/verdicts.txt"
