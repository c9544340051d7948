#!/usr/bin/env bash
# Builds llama.cpp (the reference and the peer of GistScope's engine) from the llama-cpp-python sdist on PyPI.
# A benchmark / fixture dependency only: no test needs it.
#
#   tests/bench/build_llamacpp.sh            # idempotent: downloads, unpacks and configures only once
#
# Result (paths overridable by the environment variables below):
#   $LLAMACPP_DIR/build/bin/llama-{bench,tokenize,quantize,simple,completion}   the tools
#   $LLAMACPP_DIR/build/bin/lib{llama,ggml,ggml-base,ggml-cpu}.so               the shared libraries
#   $LLAMACPP_DIR/src                                                           the unpacked sdist
#   $LLAMACPP_DIR/env.sh   source it to use the Python bindings (llama_cpp) against that same libllama.so
#
# CPU flags: GGML_NATIVE=OFF with AVX2/FMA/F16C/AVX-512 (F, VNNI, BF16) on and AMX off. The native build
# dies with SIGILL on this machine: the CPU reports AMX, but a process must first ask the kernel for the AMX
# tile state (arch_prctl(ARCH_REQ_XCOMP_PERM)), which ggml does not do.
set -euo pipefail

VERSION="${LLAMACPP_PY_VERSION:-0.3.36}"
PIP_CACHE="${GISTSCOPE_PIP_CACHE:-/work/cache/pip}"
LLAMACPP_DIR="${LLAMACPP_DIR:-/work/cache/llama.cpp}"
JOBS="${JOBS:-2}"
PIP="${PIP:-python3 -m pip}"

SDIST="$PIP_CACHE/llama_cpp_python-$VERSION.tar.gz"
SRC="$LLAMACPP_DIR/src"
BUILD="$LLAMACPP_DIR/build"

mkdir -p "$PIP_CACHE" "$LLAMACPP_DIR"
if [[ ! -f "$SDIST" ]]; then
    $PIP download "llama-cpp-python==$VERSION" --no-binary :all: --no-deps -d "$PIP_CACHE"
fi
if [[ ! -f "$SRC/.unpacked-$VERSION" ]]; then
    rm -rf "$SRC" "$SRC.tmp"
    mkdir -p "$SRC.tmp"
    tar -xzf "$SDIST" -C "$SRC.tmp" --strip-components=1
    touch "$SRC.tmp/.unpacked-$VERSION"
    mv "$SRC.tmp" "$SRC"
fi

LAUNCHER=()
if command -v ccache >/dev/null; then
    LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    cmake -S "$SRC/vendor/llama.cpp" -B "$BUILD" -G Ninja "${LAUNCHER[@]}" \
        -DCMAKE_BUILD_TYPE=Release \
        -DBUILD_SHARED_LIBS=ON \
        -DGGML_NATIVE=OFF \
        -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
        -DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX512_VBMI=OFF \
        -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF \
        -DGGML_OPENMP=ON \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
        -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_EXAMPLES=ON -DLLAMA_OPENSSL=OFF
fi

nice -n 10 cmake --build "$BUILD" -j "$JOBS" --target \
    llama-bench llama-tokenize llama-quantize llama-simple llama-completion

# The Python bindings of the same sdist, loaded from the source tree against the libllama.so built above
# (the package's pure-Python ctypes layer; no second compile).
cat > "$LLAMACPP_DIR/env.sh.tmp" <<EOF
# source this file: llama_cpp (llama-cpp-python $VERSION) against $BUILD/bin/libllama.so
export PYTHONPATH="$SRC\${PYTHONPATH:+:\$PYTHONPATH}"
export LLAMA_CPP_LIB_PATH="$BUILD/bin"
export LD_LIBRARY_PATH="$BUILD/bin\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export LLAMACPP_BIN="$BUILD/bin"
export LLAMACPP_SRC="$SRC/vendor/llama.cpp"
EOF
mv "$LLAMACPP_DIR/env.sh.tmp" "$LLAMACPP_DIR/env.sh"
echo "llama.cpp built in $BUILD/bin; source $LLAMACPP_DIR/env.sh for the Python bindings"
