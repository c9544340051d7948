// SHA-256 through nettle (Debian's nettle-dev; LGPL-3 / GPL-2 or later, as GnuTLS uses it).
#include "util/sha256.h"

#include <nettle/sha2.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "gistscope/error.h"

namespace gistscope {
namespace {

std::string hex_digest(sha256_ctx& ctx) {
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * SHA256_DIGEST_SIZE);
    for (uint8_t b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

}  // namespace

std::string sha256_hex(const std::string& bytes) {
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
    return hex_digest(ctx);
}

std::string sha256_file_hex(const std::filesystem::path& file) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
    if (!f) throw Error(file.string() + ": cannot open to check its sha256: " + std::strerror(errno));
    sha256_ctx ctx;
    sha256_init(&ctx);
    std::vector<uint8_t> buf(size_t(1) << 20);  // (1 MiB) read in pieces: bases are gigabytes
    size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) sha256_update(&ctx, n, buf.data());
    if (std::ferror(f.get())) throw Error(file.string() + ": read error while checking its sha256");
    return hex_digest(ctx);
}

}  // namespace gistscope
