// sha256.h (internal): SHA-256 (nettle) of a file, to check that a LoRA adapter is applied on
// the exact base it was trained on (base.json's "sha256").
#pragma once
#include <filesystem>
#include <string>

namespace gistscope {

// Lowercase hex digest of the file's bytes; Error naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);
// Of a byte string (tests check the standard's vectors through it).
std::string sha256_hex(const std::string& bytes);

}  // namespace gistscope
