#!/usr/bin/env bash
# tests/gpu/prepare.sh: run HERE (a Debian 12 machine with network) before tests/gpu/check.sh is
# sent to a GPU machine that cannot fetch anything. Downloads the Debian packages the engine and
# gistscope-cli build against that such an image may lack (nlohmann-json, PCRE2, utf8proc,
# sentencepiece, nettle, pkg-config) and unpacks them into .gpu-deps/root (not into /). About 8 MiB; carry
# `.gpu-deps` with the run. The GPU image's own CMake, ninja, nvcc and Python (torch) are used.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
deps="$top/.gpu-deps"
grep -qx '/.gpu-deps/' "$top/.git/info/exclude" 2>/dev/null || echo '/.gpu-deps/' >> "$top/.git/info/exclude"
rm -rf "$deps"
mkdir -p "$deps/debs" "$deps/root"
packages=(nlohmann-json3-dev libpcre2-dev libpcre2-8-0 libpcre2-16-0 libpcre2-32-0 libpcre2-posix3
          libutf8proc-dev libutf8proc2 libsentencepiece-dev libsentencepiece0 libprotobuf-lite32
          nettle-dev libnettle8
          pkgconf pkgconf-bin libpkgconf3)
(cd "$deps/debs" && apt-get download "${packages[@]}")
for f in "$deps"/debs/*.deb; do dpkg -x "$f" "$deps/root"; done
rm -rf "$deps/debs"
du -sh "$deps"
