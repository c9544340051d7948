// gistscope/chat.h: the prompt a LightThinker model was trained on (spec 2):
// bos_token + template.complete with {system} and {question} filled in.
#pragma once
#include <string>

#include "gistscope/model.h"

namespace gistscope {

// The Bespoke-Stratos system prompt LightThinker was trained and evaluated with.
const std::string& bespoke_stratos_system_prompt();
// "Return your final response within \\boxed{}. " (dataset_reader.py).
const std::string& boxed_question_prefix();

// Python str.format semantics for the two named fields ({{ and }} are literal braces).
std::string chat_prompt(const CompConfig& comp, const std::string& question);
std::string chat_prompt(const CompConfig& comp, const std::string& system, const std::string& question);

}  // namespace gistscope
