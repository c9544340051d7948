// run_memory_session: the LightThinker++ decode loop (spec 10.5). The model writes ordinary text
// and actions; after each action the controller re-renders the context and the KV cache is kept
// up to the first changed token, so a commit re-feeds only the new summary and an expand / fold
// of step k re-feeds from step k on. Positions are indices into the rendered context, as in an
// ordinary causal context: that is what the model sees, and what a fresh prefill would give.
//
// Events: a generated token's TokenEvent carries its address in the run (prompt length + its
// index among the generated tokens), unique and increasing as traces require, and the visible
// context size; MemoryEvents say what each action changed.
#include <algorithm>
#include <chrono>

#include "gistscope/error.h"
#include "gistscope/memory.h"
#include "gistscope/session.h"
#include "session/decode_common.h"

namespace gistscope {

EndEvent run_memory_session(const RunSetup& setup, const SessionParams& params, const EventSink& sink,
                            const std::atomic<bool>* stop) {
    using Clock = std::chrono::steady_clock;
    const int max_context = check_session_input(setup, params);
    Backend& backend = *setup.backend;
    const Tokenizer& tok = *setup.tokenizer;
    const auto& config = backend.config();
    const int P = int(setup.prompt_ids.size());
    auto emit = [&](const Event& e) {
        if (sink) sink(e);
    };

    MemoryController memory(params.memory_grammar, tok, setup.prompt_ids);
    memory.set_expand_allowed(params.memory_expand);
    int refused_in_a_row = 0;  // the same refused action, as written, in a row
    auto cache = backend.make_cache(P + std::min(params.max_new_tokens, 4096) + 16);
    RunMetrics m;
    m.prompt_tokens = P;
    m.kv_bytes_per_token = int64_t(cache->bytes_per_slot());

    // Feeds context[from, end) at positions from.. (causal) after dropping cache slots >= from.
    ForwardInput in;
    ForwardOutput out;
    std::vector<SlotInfo> infos;
    std::vector<int32_t> ids;
    int step = 0;
    auto feed_from = [&](int from) {
        const auto& ctx = memory.context();
        if (from < cache->size()) cache->erase_range(from, cache->size());
        ids.assign(ctx.begin() + from, ctx.end());
        infos.resize(ids.size());
        for (size_t r = 0; r < ids.size(); ++r)
            infos[r] = {ids[r], from + int32_t(r), step == 0 ? SlotRole::prompt : SlotRole::thought, -1, step};
        in.tokens = ids;
        in.infos = infos;
        in.visible.clear();
        backend.forward(in, *cache, out);
        m.peak_tokens = std::max(m.peak_tokens, cache->size());
    };

    const auto t_prefill = Clock::now();
    feed_from(0);
    m.prefill_seconds = std::chrono::duration<double>(Clock::now() - t_prefill).count();
    emit_prompt_tokens(setup, sink);

    TokenPicker picker(params, config.vocab_size);
    std::vector<int32_t> chosen;
    int32_t token = picker.pick(out, 0);
    std::optional<std::pair<MemoryAction, std::string>> last_action;
    const auto t_decode = Clock::now();
    for (step = 1;; ++step) {
        if (const char* why = stop_before(setup, params, stop, token, chosen.size())) {
            m.stop_reason = why;
            break;
        }
        const int visible = int(memory.context().size());
        if (visible + 1 > max_context) {
            m.stop_reason = "context_full";
            break;
        }
        // Generated now, in the visible context plus itself.
        m.dependency += visible + 1;
        m.peak_tokens = std::max(m.peak_tokens, visible + 1);
        const int32_t address = P + int32_t(chosen.size());
        chosen.push_back(token);
        TokenEvent te;
        te.step = step;
        te.id = token;
        te.text = tok.token_text(token);
        te.role = SlotRole::thought;
        te.position = address;
        te.thought = int(memory.steps().size());
        te.cache_tokens = visible + 1;
        if (is_eos(setup, token)) {
            te.fed = false;
            te.cache_tokens = visible;
            emit(te);
            m.stop_reason = "eos";
            break;
        }
        emit(te);
        const auto update = memory.on_token(token, address);
        if (!update) {
            feed_from(visible);
        } else {
            const MemoryUpdate& u = *update;
            MemoryEvent me;
            me.step = step;
            me.action = u.action;
            me.memory_step = u.step;
            me.content = u.content;
            me.error = u.error;
            me.context_before = u.context_before;
            me.context_after = u.context_after;
            m.memory.count(u.action);
            m.memory.fold_without_expand += u.fold_without_expand;
            // The same action, as written (refused or not), with the same content twice in a row.
            const bool same_as_last = last_action && last_action->first == u.written && last_action->second == u.content;
            if (same_as_last) ++m.memory.repeated_actions;
            refused_in_a_row = u.action != MemoryAction::invalid ? 0 : same_as_last ? refused_in_a_row + 1 : 1;
            last_action = {u.written, u.content};
            if (u.action == MemoryAction::commit) {
                me.raw = memory.steps()[size_t(u.step)].raw;
                me.raw_positions = memory.steps()[size_t(u.step)].raw_addresses;
            }
            if (memory.finished()) {
                me.kept = cache->size();
                emit(me);
                m.stop_reason = "final_answer";
                break;
            }
            if (u.context_after > max_context) {
                emit(me);
                m.stop_reason = "context_full";
                break;
            }
            if (refused_in_a_row >= memory_refusal_limit) {
                me.kept = cache->size();
                emit(me);
                m.stop_reason = "repeated_refusal";
                break;
            }
            // The cache holds the context before this token; keep what did not change, and
            // feed at least the last token so there are logits to choose the next one from.
            const int kept = std::min({u.first_changed, cache->size(), u.context_after - 1});
            me.kept = kept;
            me.reprefilled = u.context_after - kept;
            m.memory.reprefilled_tokens += me.reprefilled;
            feed_from(kept);
            emit(me);
        }
        if (params.on_step) params.on_step(step, *cache);
        token = picker.pick(out, step);
    }
    m.decode_seconds = std::chrono::duration<double>(Clock::now() - t_decode).count();
    m.thoughts = int(memory.steps().size());
    if (m.thoughts > 0) {
        double total = 0;
        for (const auto& s : memory.steps()) total += double(s.raw_addresses.size());
        m.mean_thought_tokens = total / m.thoughts;
    }
    return finish_run(m, chosen, tok, memory.answer(), sink);
}

}  // namespace gistscope
