// gistscope/chat.h: the prompt a model is asked in. A LightThinker model gets the prompt it was
// trained on (spec 2): bos_token + template.complete with {system} and {question} filled in; any
// other model gets its own Jinja chat template (gistscope/chat_template.h).
#pragma once
#include <string>

#include "gistscope/chat_template.h"
#include "gistscope/model.h"

namespace gistscope {

// The Bespoke-Stratos system prompt LightThinker was trained and evaluated with.
const std::string& bespoke_stratos_system_prompt();
// "Return your final response within \\boxed{}. " (dataset_reader.py).
const std::string& boxed_question_prefix();

// Python str.format semantics for the two named fields ({{ and }} are literal braces).
std::string chat_prompt(const CompConfig& comp, const std::string& question);
std::string chat_prompt(const CompConfig& comp, const std::string& system, const std::string& question);

// One user turn (after a system turn when `system` is not empty) through the model's own template
// with add_generation_prompt=True: what apply_chat_template(messages, add_generation_prompt=True,
// tokenize=False) returns. Tokenize it without special tokens, as apply_chat_template(tokenize=True)
// does: the template already put the BOS where the model wants one.
std::string template_chat_prompt(const ChatTemplate& tmpl, const ChatSpecialTokens& tokens, const std::string& system,
                                 const std::string& question);

}  // namespace gistscope
