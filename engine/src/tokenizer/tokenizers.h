// Internal: the concrete tokenizers behind Tokenizer::load.
#pragma once
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "gistscope/tokenizer.h"

namespace gistscope {

std::unique_ptr<Tokenizer> load_bpe_tokenizer(const std::filesystem::path& tokenizer_json);
std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::filesystem::path& model_file);
// A byte-level BPE tokenizer from an already parsed tokenizer.json document.
std::unique_ptr<Tokenizer> load_bpe_tokenizer_json(const nlohmann::json& tokenizer_json, const std::string& source);
// A sentencepiece tokenizer from a serialized ModelProto (built from GGUF metadata).
std::unique_ptr<Tokenizer> load_sentencepiece_proto(const std::string& serialized_model_proto, const std::string& source);

}  // namespace gistscope
