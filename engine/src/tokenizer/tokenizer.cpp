// Tokenizer base: added tokens (special tokens of the vocabulary file and LightThinker's own), matched
// before the model's segmentation with leftmost-longest semantics, as Hugging Face's AddedVocabulary
// does; and Tokenizer::load, which picks the implementation from the path.
#include "gistscope/tokenizer.h"

#include <algorithm>

#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "gistscope/file_io.h"
#include "tokenizers.h"

namespace gistscope {

void Tokenizer::register_added(std::string content, int32_t id, bool special) {
    added_.push_back({std::move(content), id, special});
    added_max_id_ = std::max(added_max_id_, id);
}

std::optional<int32_t> Tokenizer::added_id(std::string_view content) const {
    for (const auto& a : added_)
        if (a.content == content) return a.id;
    return std::nullopt;
}

const std::string* Tokenizer::added_content(int32_t id) const {
    for (const auto& a : added_)
        if (a.id == id) return &a.content;
    return nullptr;
}

bool Tokenizer::is_added(int32_t id) const { return added_content(id) != nullptr; }

int Tokenizer::add_special_tokens(const std::vector<std::string>& tokens) {
    int added = 0;
    for (const auto& t : tokens) {
        if (t.empty()) throw Error("cannot add an empty token to the tokenizer");
        if (token_id(t)) continue;  // transformers adds a token only if convert_tokens_to_ids gives None
        register_added(t, size(), true);
        ++added;
    }
    return added;
}

std::vector<std::pair<std::string_view, int32_t>> Tokenizer::split_added(std::string_view text) const {
    std::vector<std::pair<std::string_view, int32_t>> out;
    size_t plain_start = 0, i = 0;
    while (i < text.size()) {
        const AddedToken* best = nullptr;
        for (const auto& a : added_) {
            if (a.content.size() > text.size() - i) continue;
            if (text.compare(i, a.content.size(), a.content) != 0) continue;
            if (!best || a.content.size() > best->content.size()) best = &a;
        }
        if (!best) {
            ++i;
            continue;
        }
        if (i > plain_start) out.emplace_back(text.substr(plain_start, i - plain_start), -1);
        out.emplace_back(text.substr(i, best->content.size()), best->id);
        i += best->content.size();
        plain_start = i;
    }
    if (plain_start < text.size()) out.emplace_back(text.substr(plain_start), -1);
    return out;
}

std::unique_ptr<Tokenizer> Tokenizer::load(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (path_exists(path / "tokenizer.json")) return load_bpe_tokenizer(path / "tokenizer.json");
        if (path_exists(path / "tokenizer.model")) return load_sentencepiece_tokenizer(path / "tokenizer.model");
        throw Error(path.string() + ": no tokenizer.json or tokenizer.model in this directory");
    }
    require_input_file(path, "a tokenizer.json, a .model or a model directory");
    if (fs::is_regular_file(path) && GgufFile::looks_like_gguf(path)) return gguf_tokenizer(*GgufFile::open(path));
    if (path.extension() == ".gguf") return gguf_tokenizer(*GgufFile::open(path));  // says what is wrong with it
    if (path.extension() == ".json") return load_bpe_tokenizer(path);
    if (path.extension() == ".model") return load_sentencepiece_tokenizer(path);
    throw Error(path.string() + ": unknown tokenizer file, expected tokenizer.json, a sentencepiece .model or a .gguf file");
}

}  // namespace gistscope
