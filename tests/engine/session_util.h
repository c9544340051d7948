// session_util.h: one greedy run of a loaded model through the engine's session loop (the
// controller that compresses and evicts), as the window and `eval` run it; the generated ids are
// the model's own choices (forced gist and continue tokens left out), as the reference decoder
// (training/reference_decoder.py) lists them.
#pragma once
#include <string>
#include <variant>
#include <vector>

#include "gistscope/runtime.h"
#include "gistscope/session.h"

namespace testutil {

inline gistscope::EndEvent run_greedy(const gistscope::LoadedModel& lm, gistscope::Backend& backend, const std::string& method,
                                      const std::string& question, std::vector<int32_t>* generated = nullptr,
                                      int max_new_tokens = 1200) {
    using namespace gistscope;
    RunSetup setup;
    setup.backend = &backend;
    setup.tokenizer = lm.tokenizer.get();
    setup.prompt_ids = lm.chat_prompt_ids(question);
    setup.eos_ids = lm.eos_ids();
    setup.method_tokens = lm.method_tokens();
    SessionParams p;
    p.policy.method = method;
    p.max_new_tokens = max_new_tokens;
    return run_session(setup, p, [&](const Event& e) {
        if (const auto* t = std::get_if<TokenEvent>(&e); generated && t && t->role != SlotRole::prompt && !t->forced)
            generated->push_back(t->id);
    });
}

}  // namespace testutil
