// decode_common.h (internal): what every decode loop shares: the checks of a run's input and
// the choice of the next token (greedy, sampled, or scripted).
#pragma once
#include <cstdint>
#include <random>

#include "gistscope/session.h"

namespace gistscope {

// Throws Error for input no run can start with; returns the context length the run may use.
int check_session_input(const RunSetup& setup, const SessionParams& params);

bool is_eos(const RunSetup& setup, int32_t token);

// Why a run stops before handling `token`: "cancelled", "max_tokens" (the budget is spent and
// `token` is not EOS) or "script_end"; nullptr when it goes on.
const char* stop_before(const RunSetup& setup, const SessionParams& params, const std::atomic<bool>* stop,
                        int32_t token, size_t generated);

// The prompt's token events: step 0, positions 0..P-1, the cache holding the whole prompt.
void emit_prompt_tokens(const RunSetup& setup, const EventSink& sink,
                        const std::optional<HeadOccupancy>& heads = std::nullopt);

// Completes `m` (generated tokens, peak bytes, tokens per second), emits and returns the end
// event: the chosen tokens' text and `answer`, else the text's last \boxed{}.
EndEvent finish_run(RunMetrics m, const std::vector<int32_t>& chosen, const Tokenizer& tok,
                    std::optional<std::string> answer, const EventSink& sink);

// Picks the next token from the last row of a forward's logits.
class TokenPicker {
public:
    TokenPicker(const SessionParams& params, int vocab_size) : params_(params), vocab_(vocab_size), rng_(params.seed) {}
    // -1 when a script ran out. `step` names the forward in the non-finite-logit message.
    int32_t pick(const ForwardOutput& out, int step);

private:
    const SessionParams& params_;
    int vocab_;
    std::mt19937_64 rng_;
    size_t script_at_ = 0;
};

// The memory-managed decode loop of LightThinker++ (engine/src/memory/memory_session.cpp).
EndEvent run_memory_session(const RunSetup& setup, const SessionParams& params, const EventSink& sink,
                            const std::atomic<bool>* stop);

}  // namespace gistscope
