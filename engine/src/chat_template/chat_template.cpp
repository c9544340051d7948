// The public face of the template engine: parse once, render with apply_chat_template's variables,
// and find a model folder's own template and special-token strings.
#include "gistscope/chat_template.h"

#include <fstream>
#include <sstream>

#include "chat_template/parser.h"
#include "chat_template/render.h"
#include "gistscope/error.h"

namespace gistscope {

struct ChatTemplate::Impl {
    jinja::Program program;
    std::string origin;
};

namespace {

Error template_error(const std::string& origin, const jinja::TemplateError& e) {
    std::string where = "chat template " + origin;
    if (e.line > 0) where += ", line " + std::to_string(e.line);
    return Error(where + ": " + e.message);
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

nlohmann::json read_json(const std::filesystem::path& p, const std::string& text) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(p.string() + ": not valid JSON (" + e.what() + ")");
    }
}

// A special token as tokenizer_config.json writes it: "<s>", {"content": "<s>", ...} or null.
std::optional<std::string> token_string(const nlohmann::json& cfg, const char* field) {
    if (!cfg.is_object() || !cfg.contains(field)) return std::nullopt;
    const auto& v = cfg[field];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string()) return v["content"].get<std::string>();
    return std::nullopt;
}

}  // namespace

ChatTemplate::ChatTemplate(const std::string& source, std::string origin) : impl_(std::make_unique<Impl>()) {
    impl_->origin = std::move(origin);
    try {
        impl_->program = jinja::parse(source);
    } catch (const jinja::TemplateError& e) {
        throw template_error(impl_->origin, e);
    } catch (const std::exception& e) {
        throw Error("chat template " + impl_->origin + ": cannot parse: " + e.what());
    }
}

ChatTemplate::~ChatTemplate() = default;
ChatTemplate::ChatTemplate(ChatTemplate&&) noexcept = default;
ChatTemplate& ChatTemplate::operator=(ChatTemplate&&) noexcept = default;

const std::string& ChatTemplate::origin() const { return impl_->origin; }

std::string ChatTemplate::render(const nlohmann::ordered_json& context, std::optional<std::time_t> now) const {
    if (!context.is_object()) throw Error("chat template " + impl_->origin + ": the variables must be a JSON object");
    try {
        return jinja::render(impl_->program, jinja::Value::from_json(context), now);
    } catch (const jinja::TemplateError& e) {
        throw template_error(impl_->origin, e);
    } catch (const std::bad_alloc&) {
        throw Error("chat template " + impl_->origin + ": out of memory while rendering");
    } catch (const std::exception& e) {  // a number too long for the C++ parsers, and the like
        throw Error("chat template " + impl_->origin + ": cannot render: " + e.what());
    }
}

std::string chat_template_apply(const ChatTemplate& tmpl, const ChatTemplateInput& input, std::optional<std::time_t> now) {
    // What transformers' render_jinja_template passes: messages, tools, documents,
    // add_generation_prompt, then the special tokens and the caller's own variables.
    nlohmann::ordered_json ctx = nlohmann::ordered_json::object();
    ctx["messages"] = input.messages;
    ctx["tools"] = input.tools;
    ctx["documents"] = nullptr;
    ctx["add_generation_prompt"] = input.add_generation_prompt;
    if (input.bos_token) ctx["bos_token"] = *input.bos_token;
    if (input.eos_token) ctx["eos_token"] = *input.eos_token;
    if (input.extra.is_object())
        for (auto it = input.extra.begin(); it != input.extra.end(); ++it) ctx[it.key()] = it.value();
    return tmpl.render(ctx, now);
}

std::string chat_template_find(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return "";
    if (auto text = read_file(dir / "chat_template.jinja")) return *text;
    const auto cfg_path = dir / "tokenizer_config.json";
    const auto text = read_file(cfg_path);
    if (!text) return "";
    const nlohmann::json cfg = read_json(cfg_path, *text);
    if (!cfg.is_object() || !cfg.contains("chat_template") || cfg["chat_template"].is_null()) return "";
    const auto& t = cfg["chat_template"];
    if (t.is_string()) return t.get<std::string>();
    if (t.is_array()) {
        for (const auto& entry : t) {
            if (!entry.is_object() || !entry.contains("name") || !entry.contains("template") || !entry["template"].is_string())
                throw Error(cfg_path.string() + ": chat_template: expected a list of {\"name\", \"template\"} objects");
            if (entry["name"] == "default") return entry["template"].get<std::string>();
        }
        throw Error(cfg_path.string() + ": chat_template: the list of templates has none named \"default\"");
    }
    throw Error(cfg_path.string() + ": chat_template: expected a string or a list of {\"name\", \"template\"}");
}

ChatSpecialTokens chat_special_tokens_find(const std::filesystem::path& dir) {
    ChatSpecialTokens t;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return t;
    // tokenizer_config.json first, special_tokens_map.json for what it leaves out (as transformers merges them).
    for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
        const auto p = dir / name;
        const auto text = read_file(p);
        if (!text) continue;
        const nlohmann::json cfg = read_json(p, *text);
        if (!t.bos_token && !(cfg.is_object() && cfg.contains("bos_token") && cfg["bos_token"].is_null()))
            t.bos_token = token_string(cfg, "bos_token");
        if (!t.eos_token) t.eos_token = token_string(cfg, "eos_token");
    }
    return t;
}

}  // namespace gistscope
