// gistscope/chat_template.h: a model's own Jinja chat template, rendered exactly as transformers'
// tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...) renders it
// (jinja2's sandbox with trim_blocks and lstrip_blocks, transformers' tojson, raise_exception and
// strftime_now). The language is the subset real templates use: text, {{ }}, {% %}, {# #} with
// whitespace control; if / for / set / macro / namespace; filters, tests, Python string and dict
// methods, slicing; jinja2's default Undefined.
#pragma once
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace gistscope {

class ChatTemplate {
public:
    // Parses `source`. `origin` names the template in every message ("models/x/tokenizer_config.json").
    // A syntax error (unclosed block, unknown filter or tag, bad expression) throws Error
    // "chat template <origin>, line N: ...".
    ChatTemplate(const std::string& source, std::string origin);
    ~ChatTemplate();
    ChatTemplate(ChatTemplate&&) noexcept;
    ChatTemplate& operator=(ChatTemplate&&) noexcept;

    // Renders with the variables of `context` (a JSON object; key order is kept, as in Python dicts,
    // so tojson prints tools as given). `now` fixes the clock strftime_now reads (local time);
    // without it the current time is used. A runtime error (raise_exception, an undefined value
    // used as an object, a type error) throws Error naming the origin and the line.
    std::string render(const nlohmann::ordered_json& context, std::optional<std::time_t> now = std::nullopt) const;
    const std::string& origin() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// The inputs of apply_chat_template.
struct ChatTemplateInput {
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();  // [{role, content, ...}]
    nlohmann::ordered_json tools;                                       // null: none (the template sees none)
    bool add_generation_prompt = true;
    std::optional<std::string> bos_token;  // given only when the tokenizer has one (Qwen has none)
    std::optional<std::string> eos_token;
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();   // more variables (date_string, ...)
};
// The text apply_chat_template(..., tokenize=False) returns. Tokenize it without adding special
// tokens: the template already put the BOS in where the model wants one.
std::string chat_template_apply(const ChatTemplate& tmpl, const ChatTemplateInput& input,
                                std::optional<std::time_t> now = std::nullopt);

// A model folder's own template: chat_template.jinja, else tokenizer_config.json's "chat_template"
// (a string, or a list of {name, template} of which "default" is used). Empty when there is none;
// throws Error naming the file and field when the field is malformed.
std::string chat_template_find(const std::filesystem::path& dir);

// bos_token / eos_token of a folder's tokenizer_config.json (a string or {"content": ...}); absent
// when the file or the field is missing or null.
struct ChatSpecialTokens {
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
};
ChatSpecialTokens chat_special_tokens_find(const std::filesystem::path& dir);

}  // namespace gistscope
