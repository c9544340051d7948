// gistscope/session.h: one decode run (spec 5.2): prefill, greedy or sampled decode, forced
// compression blocks and eviction by the policy, stop on EOS / budget / cancellation, and an event
// per step for the trace writer and the window.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "gistscope/backend.h"
#include "gistscope/memory.h"
#include "gistscope/policy.h"
#include "gistscope/tokenizer.h"

namespace gistscope {

// A token fed to the model (fed = true) or the final token chosen but never fed (EOS).
struct TokenEvent {
    int step = 0;          // decoding step (0 = prefill)
    int32_t id = 0;
    std::string text;
    SlotRole role = SlotRole::thought;
    int32_t position = 0;  // RoPE position (the token's unique address in a run)
    int thought = -1;
    bool forced = false;   // inserted by the method (gist, continue), not chosen by the model
    bool fed = true;
    int cache_tokens = 0;  // cache occupancy right after this token's block was appended
    // Per-head H2O: the cache as each (layer, KV head) sees it; cache_tokens is then its max.
    std::optional<HeadOccupancy> heads;
};

// A thought folded into gist tokens (LightThinker) or an anchor (AnLLM).
struct CompressionEvent {
    int step = 0;
    int thought = 0;
    std::vector<int32_t> thought_positions;  // evicted: the thought's tokens and its splitter
    std::vector<int32_t> gist_positions;     // kept: c_0..c_{n-1} (and [o]) or the anchor
    int cache_before = 0;                    // occupancy before eviction (the transient peak)
    int cache_after = 0;
};

// Slots dropped from the cache, by position.
struct EvictionEvent {
    int step = 0;
    std::vector<int32_t> positions;  // gone from storage (per-head H2O: no head attends to them any more)
    int cache_after = 0;
    std::optional<HeadOccupancy> heads;  // per-head H2O: the heads after the eviction
};

// Attention probabilities of the last row of a step over the slots then in the cache.
struct AttentionEvent {
    int step = 0;
    int layer = -1;  // -1: average over layers
    int head = -1;   // -1: mean over the layer's query heads (--attention all records each head too)
    int32_t query_position = 0;
    std::vector<int32_t> positions;
    std::vector<float> weights;
};

// LightThinker++: an action the model wrote and what it did to the visible context.
struct MemoryEvent {
    int step = 0;
    MemoryAction action = MemoryAction::invalid;
    int memory_step = -1;        // the step (0-based) committed, expanded or folded; -1: none
    std::string content;         // the summary, the step number or the answer, as written
    std::string error;           // invalid: why it was refused
    std::string raw;             // commit: R_k
    std::vector<int32_t> raw_positions;  // commit: addresses of the tokens R_k was written with
    int context_before = 0;      // visible tokens before and after the re-render
    int context_after = 0;
    int kept = 0;                // KV entries kept (the unchanged prefix)
    int reprefilled = 0;         // tokens fed again to rebuild the context
};

// LightThinker++ counts (spec 10.4's behavioural checks) and the cost of the re-renders.
struct MemoryMetrics {
    int commits = 0, expands = 0, folds = 0, final_answers = 0, invalid = 0;
    int fold_without_expand = 0;  // a fold of a step that was not expanded (refused)
    int repeated_actions = 0;     // the same action with the same content twice in a row
    int64_t reprefilled_tokens = 0;
    bool any() const { return commits + expands + folds + final_answers + invalid > 0; }
    void count(MemoryAction action) {
        switch (action) {
            case MemoryAction::commit: ++commits; break;
            case MemoryAction::expand: ++expands; break;
            case MemoryAction::fold: ++folds; break;
            case MemoryAction::final_answer: ++final_answers; break;
            case MemoryAction::invalid: ++invalid; break;
        }
    }
};

struct RunMetrics {
    int prompt_tokens = 0;
    int generated_tokens = 0;  // model-chosen tokens, the final EOS included (paper's L_O)
    int forced_tokens = 0;
    int compressions = 0;
    int thoughts = 0;          // compressed thoughts plus the trailing one, if any
    double mean_thought_tokens = 0;
    int peak_tokens = 0;       // largest context, every generated token counted as in context
                               // (per-head eviction: the largest head's; storage may hold more)
    int64_t dependency = 0;    // sum over generated tokens of the context they were generated in
    int64_t kv_bytes_per_token = 0;
    int64_t peak_kv_bytes = 0;
    double prefill_seconds = 0;
    double decode_seconds = 0;
    double tokens_per_second = 0;
    std::string stop_reason;   // eos, max_tokens, cancelled, context_full, script_end, final_answer,
                               // repeated_refusal (LightThinker++)
    MemoryMetrics memory;      // LightThinker++ only
};

struct EndEvent {
    RunMetrics metrics;
    std::string text;                    // decoded model-chosen tokens (spec 6.7)
    std::optional<std::string> answer;   // last \boxed{} content
};

using Event = std::variant<TokenEvent, CompressionEvent, EvictionEvent, AttentionEvent, MemoryEvent, EndEvent>;
using EventSink = std::function<void(const Event&)>;

struct SessionParams {
    PolicyParams policy;
    int max_new_tokens = 1024;
    float temperature = 0.0f;   // 0: greedy argmax
    float top_p = 1.0f;
    uint64_t seed = 0;
    // Attention events: one layer, the average, or (heads) every layer and head with the layer
    // means and the average, so the layer and head can be chosen after the run.
    AttentionProbeRequest::Mode attention = AttentionProbeRequest::Mode::off;
    int attention_layer = 0;
    int max_context = 0;        // 0: the model's max_position_embeddings
    // LightThinker++ (method "lightthinker-pp"): how actions are written and steps rendered.
    MemoryGrammar memory_grammar = MemoryGrammar::builtin();
    bool memory_expand = true;  // false: every expand is refused (--memory-no-expand, the ablation)
    // Replaces the model's choices, in order (tests, teaching demos); the run ends when it runs out.
    std::vector<int32_t> script;
    // Called after every step (eviction done) with the cache; for tests and debugging views.
    std::function<void(int step, const KvCache& cache)> on_step;
    // Called with the logits row each next token is chosen from (after on_step); for tests.
    std::function<void(int step, std::span<const float> logits)> on_logits;
};

// Everything a run needs from a loaded model: backend, tokenizer (with the method's tokens
// added), the prompt ids, and the EOS ids.
struct RunSetup {
    Backend* backend = nullptr;
    const Tokenizer* tokenizer = nullptr;
    std::vector<int32_t> prompt_ids;
    std::vector<int32_t> eos_ids;
    MethodTokens method_tokens;
};

// Runs to the end; events go to `sink` as they happen. `stop` is polled between steps.
// Throws Error for bad input (empty prompt, prompt longer than the context, unknown method).
EndEvent run_session(const RunSetup& setup, const SessionParams& params, const EventSink& sink,
                     const std::atomic<bool>* stop = nullptr);

// Content of the last \boxed{...} (nested braces allowed), trimmed; nullopt if there is none.
std::optional<std::string> extract_boxed_answer(const std::string& text);

// Closed forms of a vanilla run (spec 7.2 / 7.3), used by tests and as a cross-check.
inline int vanilla_peak(int prompt, int generated) { return prompt + generated; }
inline int64_t vanilla_dependency(int64_t prompt, int64_t generated) {
    return prompt * generated + generated * (generated + 1) / 2;
}

}  // namespace gistscope
