// gistscope/runtime.h: what the CLI and the window do before a run: load a checkpoint directory
// with its tokenizer and method config, build the prompt, and find the method's token ids.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/backend.h"
#include "gistscope/chat_template.h"
#include "gistscope/model.h"
#include "gistscope/policy.h"
#include "gistscope/tokenizer.h"

namespace gistscope {

struct LoadedModel {
    std::unique_ptr<Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
    std::optional<CompConfig> comp;  // the model's, or the override, or the one detected
    // bos_token / eos_token strings the model's own chat template is rendered with
    // (tokenizer_config.json; for a GGUF file, the tokens of its BOS / EOS ids).
    ChatSpecialTokens chat_tokens;

    std::string name() const;  // directory (or file) name: the adapter's when one is attached
    // Model-chosen token ids that end a run: the comp-config's EOS and config.json's eos ids.
    std::vector<int32_t> eos_ids() const;
    MethodTokens method_tokens() const;
    // bos + template with the question (and the comp-config's question prefix); without a
    // comp-config, the model's own chat template (Model::chat_template) with the question as the
    // user turn, tokenized without special tokens; with neither, the question as is.
    std::vector<int32_t> chat_prompt_ids(const std::string& question) const;
    // The model's LightThinker++ grammar, or GistScope's built-in one.
    MemoryGrammar memory_grammar() const { return model->memory_grammar.value_or(MemoryGrammar::builtin()); }
    bool has_chat_template() const { return comp.has_value() || !model->chat_template.empty(); }
};

// Loads DIR. `comp_override` (a comp-config) wins over DIR/gistscope.json. Without either, a
// released LightThinker checkpoint is recognised by its vocabulary size (base tokenizer + 17 Qwen /
// 15 Llama tokens) and gets the built-in comp-config. The comp-config's tokens are added to the
// tokenizer in spec order; the tokenizer must then fit the model's embedding rows. `adapter` (a
// PEFT LoRA folder) is attached to DIR first; its gistscope.json, if any, wins over DIR's (as for
// an adapter folder loaded through its base.json) and its added tokens count as embedding rows.
LoadedModel load_model(const std::filesystem::path& dir, const std::optional<CompConfig>& comp_override = std::nullopt,
                       const std::optional<std::filesystem::path>& adapter = std::nullopt);

}  // namespace gistscope
