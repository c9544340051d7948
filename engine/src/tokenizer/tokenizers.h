// Internal: the concrete tokenizers behind Tokenizer::load.
#pragma once
#include <filesystem>
#include <memory>

#include "gistscope/tokenizer.h"

namespace gistscope {

std::unique_ptr<Tokenizer> load_bpe_tokenizer(const std::filesystem::path& tokenizer_json);
std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::filesystem::path& model_file);

}  // namespace gistscope
