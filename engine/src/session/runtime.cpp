// load_model: checkpoint + tokenizer + comp-config, checked against each other so that a tokenizer
// that does not fit the embedding matrix is an error at load, not garbage at decode time.
#include "gistscope/runtime.h"

#include <algorithm>

#include "gistscope/chat.h"
#include "gistscope/error.h"

namespace gistscope {

std::string LoadedModel::name() const {
    // An adapter is the model the user chose (smollm2-lightthinker), not the base it runs on.
    auto d = model->adapter ? model->adapter->dir : model->dir;
    if (d.filename().empty()) d = d.parent_path();
    return d.filename().string();
}

std::vector<int32_t> LoadedModel::eos_ids() const {
    std::vector<int32_t> ids;
    if (comp)
        if (auto id = tokenizer->token_id(comp->eos_token)) ids.push_back(*id);
    for (int e : model->config.eos_token_ids)
        if (std::find(ids.begin(), ids.end(), e) == ids.end()) ids.push_back(e);
    return ids;
}

MethodTokens LoadedModel::method_tokens() const {
    MethodTokens t;
    auto id = [&](const std::string& s) { return tokenizer->token_id(s).value_or(-1); };
    t.splitter = id("<|splitter|>");
    t.continue_ = id("<|continue|>");
    if (comp)
        for (int i = 0; i < comp->n_token; ++i) {
            const int32_t c = id(comp->cache_token(i));
            if (c < 0) throw Error("cache token " + comp->cache_token(i) + " is not in the tokenizer");
            t.cache.push_back(c);
        }
    // SepLLM's separators: punctuation and whitespace tokens (its Llama-3 list is . , ? ! ; : newline
    // space and their spaced forms); found by text so that any vocabulary gets its own ids.
    static const std::vector<std::string> seps = {".", ",", "?", "!", ";", ":", "\n", " ", "\t"};
    const int32_t n = std::min<int32_t>(tokenizer->size(), model->config.vocab_size);
    for (int32_t i = 0; i < n; ++i) {
        if (tokenizer->is_added(i)) continue;
        std::string s;
        try {
            s = tokenizer->token_text(i);
        } catch (const Error&) {
            continue;
        }
        std::string trimmed = s;
        while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(trimmed.begin());
        if (trimmed.empty() && !s.empty()) trimmed = " ";
        if (std::find(seps.begin(), seps.end(), trimmed) != seps.end() || s == "\n" || s == " ") t.separators.push_back(i);
    }
    return t;
}

namespace {
// Where Model::chat_template came from, for the messages of a broken template.
std::string chat_template_origin(const Model& m) {
    if (m.from_gguf) return m.dir.string() + " (tokenizer.chat_template)";
    if (std::filesystem::exists(m.dir / "chat_template.jinja")) return (m.dir / "chat_template.jinja").string();
    return (m.dir / "tokenizer_config.json").string() + " (chat_template)";
}
}  // namespace

std::vector<int32_t> LoadedModel::chat_prompt_ids(const std::string& question) const {
    // As LightThinker's code tokenises it: tokenizer(bos + template) with the post-processor on, so
    // Llama 3 starts with two <|begin_of_text|> exactly as the Hugging Face stack gives (spec 1.1, 12.7).
    if (comp) return tokenizer->encode(chat_prompt(*comp, question), true);
    if (model->chat_template.empty()) return tokenizer->encode(question, true);
    // As apply_chat_template(tokenize=True): add_special_tokens=False, the template has the BOS.
    const ChatTemplate tmpl(model->chat_template, chat_template_origin(*model));
    return tokenizer->encode(template_chat_prompt(tmpl, chat_tokens, "", question), false);
}

LoadedModel load_model(const std::filesystem::path& dir, const std::optional<CompConfig>& comp_override,
                       const std::optional<std::filesystem::path>& adapter) {
    LoadedModel lm;
    lm.model = Model::load(dir);
    if (adapter) lm.model->attach_adapter(*adapter);
    // The model's own path: for a LoRA adapter folder that is its base, which has the tokenizer.
    lm.tokenizer = Tokenizer::load(lm.model->dir);
    lm.comp = comp_override ? comp_override : lm.model->comp;
    const int vocab = lm.model->config.vocab_size;
    if (!lm.comp) {
        const std::string family = lm.model->config.architecture == "LlamaForCausalLM" ? "llama" : "qwen";
        CompConfig builtin = comp_config_builtin(family);
        int missing = 0;
        for (const auto& t : builtin.special_tokens()) missing += lm.tokenizer->token_id(t) ? 0 : 1;
        if (lm.tokenizer->size() + missing == vocab && missing > 0) lm.comp = builtin;  // a released LightThinker checkpoint
    }
    if (lm.comp) lm.tokenizer->add_special_tokens(lm.comp->special_tokens());
    lm.chat_tokens = chat_special_tokens_find(lm.model->dir);
    if (lm.model->from_gguf) {  // no tokenizer_config.json: the tokens of the GGUF's ids
        auto text_of = [&](int id) -> std::optional<std::string> {
            if (id < 0 || id >= lm.tokenizer->size()) return std::nullopt;
            try {
                return lm.tokenizer->token_text(id);
            } catch (const Error&) {
                return std::nullopt;
            }
        };
        if (!lm.chat_tokens.bos_token && lm.model->config.bos_token_id) lm.chat_tokens.bos_token = text_of(*lm.model->config.bos_token_id);
        if (!lm.chat_tokens.eos_token && !lm.model->config.eos_token_ids.empty())
            lm.chat_tokens.eos_token = text_of(lm.model->config.eos_token_ids.front());
    }
    if (lm.tokenizer->size() > vocab)
        throw Error(dir.string() + ": the tokenizer has " + std::to_string(lm.tokenizer->size()) +
                    " ids but the model's embedding has " + std::to_string(vocab) +
                    " rows (wrong tokenizer or wrong comp-config?)");
    return lm;
}

}  // namespace gistscope
