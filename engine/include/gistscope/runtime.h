// gistscope/runtime.h: what the CLI and the window do before a run: load a checkpoint directory
// with its tokenizer and method config, build the prompt, and find the method's token ids.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/backend.h"
#include "gistscope/model.h"
#include "gistscope/policy.h"
#include "gistscope/tokenizer.h"

namespace gistscope {

struct LoadedModel {
    std::unique_ptr<Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
    std::optional<CompConfig> comp;  // the model's, or the override, or the one detected

    std::string name() const;  // directory name
    // Model-chosen token ids that end a run: the comp-config's EOS and config.json's eos ids.
    std::vector<int32_t> eos_ids() const;
    MethodTokens method_tokens() const;
    // bos + template with the question (and the comp-config's question prefix); without a
    // comp-config the question is used as is.
    std::vector<int32_t> chat_prompt_ids(const std::string& question) const;
};

// Loads DIR. `comp_override` (a comp-config) wins over DIR/gistscope.json. Without either, a
// released LightThinker checkpoint is recognised by its vocabulary size (base tokenizer + 17 Qwen /
// 15 Llama tokens) and gets the built-in comp-config. The comp-config's tokens are added to the
// tokenizer in spec order; the tokenizer must then fit the model's embedding rows.
LoadedModel load_model(const std::filesystem::path& dir, const std::optional<CompConfig>& comp_override = std::nullopt);

}  // namespace gistscope
