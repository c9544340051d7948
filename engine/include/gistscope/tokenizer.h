// gistscope/tokenizer.h: text <-> token ids, for Hugging Face byte-level BPE (`tokenizer.json`,
// as Qwen2.5 and Llama 3 ship it) and sentencepiece (`tokenizer.model`). Ids are the ones the
// Hugging Face `tokenizers` library gives for the same files.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gistscope {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // `path` is a tokenizer.json, a sentencepiece .model, or a model directory holding one.
    static std::unique_ptr<Tokenizer> load(const std::filesystem::path& path);

    // add_special = true applies the post-processor (Llama 3 puts <|begin_of_text|> in front),
    // as `tokenizer(text)` does in transformers.
    virtual std::vector<int32_t> encode(std::string_view text, bool add_special = true) const = 0;
    virtual std::string decode(std::span<const int32_t> ids) const = 0;
    // The text of one token as it would appear in decoded output.
    virtual std::string token_text(int32_t id) const = 0;
    // The id of an exact token string (vocabulary piece or added token), if there is one.
    virtual std::optional<int32_t> token_id(std::string_view token) const = 0;
    // Number of ids, added tokens included (len(tokenizer) in transformers).
    virtual int32_t size() const = 0;

    // Adds tokens the vocabulary does not have yet, in order, as special added tokens matched
    // before the model's own segmentation (transformers' add_tokens(..., special_tokens=True)).
    // Returns how many were new.
    int add_special_tokens(const std::vector<std::string>& tokens);
    bool is_added(int32_t id) const;

protected:
    struct AddedToken {
        std::string content;
        int32_t id;
        bool special;
    };
    // Splits `text` into runs of plain text and added tokens (leftmost-longest match).
    // Plain runs get id -1.
    std::vector<std::pair<std::string_view, int32_t>> split_added(std::string_view text) const;
    void register_added(std::string content, int32_t id, bool special);
    std::optional<int32_t> added_id(std::string_view content) const;
    const std::string* added_content(int32_t id) const;
    virtual std::optional<int32_t> base_token_id(std::string_view token) const = 0;
    virtual int32_t base_size() const = 0;

    std::vector<AddedToken> added_;
    int32_t added_max_id_ = -1;
};

}  // namespace gistscope
