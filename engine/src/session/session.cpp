// run_session: the decode loop of spec 5.2 for every policy. Metrics follow spec 7 with the
// reference evaluator's bugs fixed: every generated token (the final EOS included) counts as in
// context when it is generated, so a vanilla run has peak = P + L and dependency = P*L + L(L+1)/2.
#include "gistscope/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "gistscope/error.h"
#include "session/decode_common.h"

namespace gistscope {

namespace {

using Clock = std::chrono::steady_clock;

int32_t argmax(const float* logits, int n) {
    return int32_t(std::max_element(logits, logits + n) - logits);  // first maximum, like torch.argmax
}

int32_t sample(const float* logits, int n, float temperature, float top_p, std::mt19937_64& rng) {
    std::vector<std::pair<float, int32_t>> p(static_cast<size_t>(n));
    const float mx = *std::max_element(logits, logits + n);
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        p[size_t(i)] = {std::exp((logits[i] - mx) / temperature), i};
        sum += p[size_t(i)].first;
    }
    std::sort(p.begin(), p.end(), [](auto& a, auto& b) { return a.first > b.first; });
    double mass = 0;
    size_t keep = 0;
    while (keep < p.size() && (keep == 0 || mass < top_p * sum)) mass += p[keep++].first;
    std::uniform_real_distribution<double> u(0.0, mass);
    double r = u(rng);
    for (size_t i = 0; i < keep; ++i) {
        r -= p[i].first;
        if (r <= 0) return p[i].second;
    }
    return p[keep - 1].second;
}

}  // namespace

int check_session_input(const RunSetup& setup, const SessionParams& params) {
    if (!setup.backend || !setup.tokenizer) throw Error("a run: a backend and a tokenizer are required");
    const auto& config = setup.backend->config();
    const int P = int(setup.prompt_ids.size());
    if (P == 0) throw Error("the prompt is empty, expected at least one token");
    if (params.max_context > config.max_position_embeddings)
        throw Error("--max-context " + std::to_string(params.max_context) + " is beyond the model's " +
                    std::to_string(config.max_position_embeddings) +
                    " positions (max_position_embeddings), expected at most that");
    if (params.attention == AttentionProbeRequest::Mode::layer &&
        (params.attention_layer < 0 || params.attention_layer >= config.num_layers))
        throw Error("--attention " + std::to_string(params.attention_layer) + ": the model has " +
                    std::to_string(config.num_layers) + " layers, expected a layer in 0.." +
                    std::to_string(config.num_layers - 1) + " or avg");
    const int max_context = params.max_context > 0 ? params.max_context : config.max_position_embeddings;
    if (P >= max_context)
        throw Error("the prompt has " + std::to_string(P) + " tokens but the context holds " +
                    std::to_string(max_context) + " positions");
    if (params.max_new_tokens < 1) throw Error("--max-new-tokens must be at least 1");
    if (params.temperature < 0 || !(params.top_p > 0 && params.top_p <= 1))
        throw Error("temperature must be >= 0 and top-p in (0, 1]");
    return max_context;
}

bool is_eos(const RunSetup& setup, int32_t token) {
    return std::find(setup.eos_ids.begin(), setup.eos_ids.end(), token) != setup.eos_ids.end();
}

const char* stop_before(const RunSetup& setup, const SessionParams& params, const std::atomic<bool>* stop,
                        int32_t token, size_t generated) {
    if (stop && stop->load()) return "cancelled";
    if (!is_eos(setup, token) && generated >= size_t(params.max_new_tokens)) return "max_tokens";
    if (token < 0) return "script_end";
    return nullptr;
}

void emit_prompt_tokens(const RunSetup& setup, const EventSink& sink, const std::optional<HeadOccupancy>& heads) {
    if (!sink) return;
    const int P = int(setup.prompt_ids.size());
    for (int i = 0; i < P; ++i) {
        TokenEvent e;
        e.step = 0;
        e.id = setup.prompt_ids[size_t(i)];
        e.text = setup.tokenizer->token_text(e.id);
        e.role = SlotRole::prompt;
        e.position = i;
        e.cache_tokens = P;
        e.heads = heads;
        sink(e);
    }
}

EndEvent finish_run(RunMetrics m, const std::vector<int32_t>& chosen, const Tokenizer& tok,
                    std::optional<std::string> answer, const EventSink& sink) {
    m.generated_tokens = int(chosen.size());
    m.peak_kv_bytes = int64_t(m.peak_tokens) * m.kv_bytes_per_token;
    m.tokens_per_second = m.decode_seconds > 0 ? m.generated_tokens / m.decode_seconds : 0;
    EndEvent end;
    end.metrics = m;
    end.text = tok.decode(chosen);
    end.answer = answer ? std::move(answer) : extract_boxed_answer(end.text);
    if (sink) sink(end);
    return end;
}

int32_t TokenPicker::pick(const ForwardOutput& out, int step) {
    const float* last = out.logits.data() + (out.logits.size() - size_t(vocab_));
    // One pass over a row the sampler reads anyway: NaN or Inf weights make every later
    // choice meaningless, and argmax over NaN would quietly pick token 0.
    for (int i = 0; i < vocab_; ++i)
        if (!std::isfinite(last[i]))
            throw Error("the model produced a non-finite logit (" + std::to_string(last[i]) + " for token " +
                        std::to_string(i) + ") at step " + std::to_string(step) +
                        ": its weights hold NaN or Inf values, or overflow");
    if (params_.on_logits) params_.on_logits(step, std::span<const float>(last, size_t(vocab_)));
    if (!params_.script.empty()) return script_at_ < params_.script.size() ? params_.script[script_at_++] : -1;
    return params_.temperature > 0 ? sample(last, vocab_, params_.temperature, params_.top_p, rng_) : argmax(last, vocab_);
}

std::optional<std::string> extract_boxed_answer(const std::string& text) {
    static const std::string key = "\\boxed{";
    std::optional<std::string> last;
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
        int depth = 1;
        size_t i = at + key.size();
        for (; i < text.size() && depth > 0; ++i) {
            if (text[i] == '{') ++depth;
            else if (text[i] == '}') --depth;
        }
        if (depth != 0) continue;  // unbalanced: not an answer
        std::string inner = text.substr(at + key.size(), i - 1 - (at + key.size()));
        const auto b = inner.find_first_not_of(" \t\r\n");
        const auto e = inner.find_last_not_of(" \t\r\n");
        last = b == std::string::npos ? std::string() : inner.substr(b, e - b + 1);
    }
    return last;
}

EndEvent run_session(const RunSetup& setup, const SessionParams& params, const EventSink& sink,
                     const std::atomic<bool>* stop) {
    if (params.policy.method == "lightthinker-pp") return run_memory_session(setup, params, sink, stop);
    const int max_context = check_session_input(setup, params);
    Backend& backend = *setup.backend;
    const Tokenizer& tok = *setup.tokenizer;
    const auto& config = backend.config();
    const int P = int(setup.prompt_ids.size());

    auto policy = make_policy(params.policy, setup.method_tokens);
    auto cache = backend.make_cache(P + std::min(params.max_new_tokens, 4096) + 16);
    const bool per_head = policy->evicts_per_head();
    if (per_head) cache->enable_head_validity(config.num_layers, config.num_kv_heads);
    // The context a token is generated in: the cache, or under per-head eviction the largest head's
    // share of it (storage holds the union of the heads' slots, which no head attends to in full).
    auto held = [&] { return per_head ? cache->head_occupancy().max : cache->size(); };
    auto head_stats = [&]() -> std::optional<HeadOccupancy> {
        if (!per_head) return std::nullopt;
        return cache->head_occupancy();
    };
    auto emit = [&](const Event& e) {
        if (sink) sink(e);
    };
    RunMetrics m;
    m.prompt_tokens = P;
    m.kv_bytes_per_token = int64_t(cache->bytes_per_slot());

    // Prefill: positions 0..P-1, causal.
    std::vector<SlotInfo> infos = prompt_slot_infos(setup.prompt_ids);
    ForwardInput in;
    ForwardOutput out;
    in.tokens = setup.prompt_ids;
    in.infos = infos;
    in.probe.per_head_sum = policy->needs_attention_sums();
    in.probe.head_sum_group = policy->attention_sums_over_group();
    const auto t_prefill = Clock::now();
    backend.forward(in, *cache, out);
    m.prefill_seconds = std::chrono::duration<double>(Clock::now() - t_prefill).count();
    Eviction prefill_eviction = policy->on_prefill(*cache, out);
    emit_prompt_tokens(setup, sink, head_stats());
    m.peak_tokens = P;

    // Drops what the policy chose into `e` (the positions that left storage, the occupancy after);
    // returns the occupancy before.
    auto apply_eviction = [&](const Eviction& ev, int at_step, EvictionEvent& e) {
        const int before = held();
        e.step = at_step;
        if (ev.range_end > ev.range_begin) {
            for (int s = ev.range_begin; s < ev.range_end; ++s) e.positions.push_back(cache->slot(s).position);
            cache->erase_range(ev.range_begin, ev.range_end);
        }
        if (!ev.slot_list.empty()) {
            for (int s : ev.slot_list) e.positions.push_back(cache->slot(s).position);
            cache->erase_slots(ev.slot_list);
        }
        if (!ev.heads.empty()) {
            const std::vector<int32_t> gone = cache->evict_for_heads(ev.heads);
            e.positions.insert(e.positions.end(), gone.begin(), gone.end());
        }
        e.cache_after = held();
        e.heads = head_stats();
        return before;
    };
    if (!prefill_eviction.empty()) {
        EvictionEvent e;
        apply_eviction(prefill_eviction, 0, e);
        emit(e);
    }

    int step = 1;
    int forward_step = 0;  // the step whose logits `pick` reads (0: the prefill)
    TokenPicker picker(params, config.vocab_size);
    auto pick = [&](const ForwardOutput& o) { return picker.pick(o, forward_step); };

    std::vector<int32_t> chosen;  // model-chosen tokens (the output text)
    int32_t next_pos = P;
    int32_t token = pick(out);
    int thought_tokens = 0;   // generated tokens in the current thought
    std::vector<int> thought_lengths;
    const auto t_decode = Clock::now();
    while (true) {
        if (const char* why = stop_before(setup, params, stop, token, chosen.size())) {
            m.stop_reason = why;
            break;
        }
        // The token is generated now, in a context of cache->size() tokens plus itself.
        auto count_generated = [&] {
            m.dependency += held() + 1;
            m.peak_tokens = std::max(m.peak_tokens, held() + 1);
            chosen.push_back(token);
        };
        if (is_eos(setup, token)) {
            count_generated();
            TokenEvent e;
            e.step = step;
            e.id = token;
            e.text = tok.token_text(token);
            e.role = SlotRole::thought;
            e.position = next_pos;
            e.thought = policy->thought();
            e.fed = false;
            e.cache_tokens = held();
            e.heads = head_stats();
            emit(e);
            m.stop_reason = "eos";
            break;
        }
        PlannedBlock block = policy->plan(token, *cache);
        const int rows = int(block.tokens.size());
        if (next_pos + rows > max_context) {
            m.stop_reason = "context_full";
            break;
        }
        count_generated();
        infos.assign(size_t(rows), SlotInfo{});
        for (int r = 0; r < rows; ++r)
            infos[size_t(r)] = {block.tokens[size_t(r)], next_pos + r, block.roles[size_t(r)], policy->thought(), step};
        in.tokens = block.tokens;
        in.infos = infos;
        in.visible = block.visible;
        in.probe = {};
        if (params.attention != AttentionProbeRequest::Mode::off) {
            in.probe.mode = params.attention;
            in.probe.layer = params.attention_layer;
        }
        in.probe.per_head_sum = policy->needs_attention_sums();
        in.probe.head_sum_group = policy->attention_sums_over_group();
        backend.forward(in, *cache, out);
        forward_step = step;
        m.peak_tokens = std::max(m.peak_tokens, held());
        const std::optional<HeadOccupancy> block_heads = head_stats();
        if (rows > 1) m.forced_tokens += rows - 1;
        ++thought_tokens;

        for (int r = 0; r < rows; ++r) {
            TokenEvent e;
            e.step = step;
            e.id = block.tokens[size_t(r)];
            e.text = tok.token_text(e.id);
            e.role = block.roles[size_t(r)];
            e.position = next_pos + r;
            e.thought = policy->thought();
            e.forced = r > 0;
            e.cache_tokens = held();
            e.heads = block_heads;
            emit(e);
        }
        if (params.attention != AttentionProbeRequest::Mode::off) {
            const int S = cache->size();
            const int32_t query = next_pos + rows - 1;
            auto emit_row = [&](int layer, int head, const float* row) {
                AttentionEvent a;
                a.step = step;
                a.layer = layer;
                a.head = head;
                a.query_position = query;
                for (int s = 0; s < S; ++s)
                    if (row[s] > 0.0f) {
                        a.positions.push_back(cache->slot(s).position);
                        a.weights.push_back(row[s]);
                    }
                emit(a);
            };
            if (params.attention == AttentionProbeRequest::Mode::heads) {
                // The average, then each layer's mean over its heads, then every head.
                const int L = config.num_layers, NH = config.num_heads;
                std::vector<float> mean(static_cast<size_t>(S)), layer_mean(static_cast<size_t>(S));  // (S)
                for (int l = 0; l < L; ++l)
                    for (int h = 0; h < NH; ++h) {
                        const float* row = out.attention_heads.data() + (size_t(l) * size_t(NH) + size_t(h)) * size_t(S);
                        for (int s = 0; s < S; ++s) mean[size_t(s)] += row[s] / float(L * NH);
                    }
                emit_row(-1, -1, mean.data());
                for (int l = 0; l < L; ++l) {
                    const float* first = out.attention_heads.data() + size_t(l) * size_t(NH) * size_t(S);
                    std::fill(layer_mean.begin(), layer_mean.end(), 0.0f);
                    for (int h = 0; h < NH; ++h)
                        for (int s = 0; s < S; ++s) layer_mean[size_t(s)] += first[size_t(h) * size_t(S) + size_t(s)] / float(NH);
                    emit_row(l, -1, layer_mean.data());
                    for (int h = 0; h < NH; ++h) emit_row(l, h, first + size_t(h) * size_t(S));
                }
            } else {
                emit_row(params.attention == AttentionProbeRequest::Mode::average ? -1 : params.attention_layer, -1,
                         out.attention.data() + size_t(rows - 1) * size_t(S));
            }
        }
        next_pos += rows;

        const int thought_before = policy->thought();
        Eviction ev = policy->after_forward(*cache, block, out);
        if (!ev.empty()) {
            EvictionEvent e;
            const int before = apply_eviction(ev, step, e);
            if (block.compression) {
                CompressionEvent c;
                c.step = step;
                c.thought = thought_before;
                c.thought_positions = e.positions;
                for (int r = 0; r < rows; ++r)
                    if (block.roles[size_t(r)] != SlotRole::splitter && block.roles[size_t(r)] != SlotRole::thought)
                        c.gist_positions.push_back(infos[size_t(r)].position);
                c.cache_before = before;
                c.cache_after = e.cache_after;
                emit(c);
                ++m.compressions;
            }
            emit(e);
        }
        // Thought boundaries: a compression, or (for methods that do not compress) a blank line.
        const bool boundary = block.compression || tok.token_text(token).find("\n\n") != std::string::npos;
        if (boundary) {
            thought_lengths.push_back(thought_tokens);
            thought_tokens = 0;
        }
        if (params.on_step) params.on_step(step, *cache);
        token = pick(out);
        ++step;
    }
    m.decode_seconds = std::chrono::duration<double>(Clock::now() - t_decode).count();
    if (thought_tokens > 0) thought_lengths.push_back(thought_tokens);
    m.thoughts = int(thought_lengths.size());
    if (m.thoughts > 0) {
        double total = 0;
        for (int n : thought_lengths) total += n;
        m.mean_thought_tokens = total / m.thoughts;
    }
    return finish_run(m, chosen, tok, std::nullopt, sink);
}

}  // namespace gistscope
