#!/usr/bin/env bash
# Installs the Debian 12 packages GistScope builds and tests with, when any is missing.
# Sourced by ./run.sh and ./test.sh; needs root or sudo only when something must be installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fetch_models.sh"

GISTSCOPE_DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6
  libqcustomplot-dev libsentencepiece-dev nlohmann-json3-dev libpcre2-dev libutf8proc-dev nettle-dev
  libgl1-mesa-dev xvfb xauth fonts-noto-cjk
  python3-pip unzip
  slurm-wlm munge  # tst_slurm_eval: a one-node cluster on localhost (packaging/slurm/)
  clang libclang-rt-dev
)

gistscope_install_deps() {
  local missing=()
  for p in "${GISTSCOPE_DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "gistscope: installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "gistscope: need root or sudo to install ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures and builds into build/ (binaries in build/bin/). Extra arguments go to cmake.
gistscope_build() {
  local top
  top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cmake -S "$top" -B "$top/build" -G Ninja "$@"
  cmake --build "$top/build" -j "$(nproc)"
}
