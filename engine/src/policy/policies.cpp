// The compression methods as policies over slot metadata:
//   vanilla             keep everything
//   lightthinker        on <|splitter|>: feed [SPL, c_0..c_{n-1}, o] with o blind to the thought,
//                       then evict the thought and the splitter (spec 5.2, 5.3, 5.5)
//   lightthinker-token  every S generated tokens: [tok, c_0..c_{n-1}, o], same eviction (spec 5.7)
//   anllm               on the generated anchor: feed it seeing only the current thought, evict the
//                       thought, keep the anchor (spec 8)
//   h2o                 per (layer, KV head): heavy hitters by accumulated attention + a recent
//                       window, within a budget per head (the reference's H2O)
//   h2o-global          the same with one score and one choice shared by all layers and heads
//   sepllm              initial tokens + separators + a recent window, within a budget
#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "gistscope/error.h"
#include "gistscope/policy.h"

namespace gistscope {
namespace {

PlannedBlock single_token(int32_t token, SlotRole role) {
    PlannedBlock b;
    b.tokens = {token};
    b.roles = {role};
    return b;
}

class VanillaPolicy final : public Policy {
public:
    std::string name() const override { return "vanilla"; }
    PlannedBlock plan(int32_t token, const KvCache&) override { return single_token(token, SlotRole::thought); }
    Eviction after_forward(const KvCache&, const PlannedBlock&, const ForwardOutput&) override { return {}; }
};

// Shared by the thought- and token-level variants: the block [first, c_0..c_{n-1}, o] where the
// o row cannot see [local_start, L + 1), and the eviction of that range afterwards.
class GistPolicyBase : public Policy {
public:
    explicit GistPolicyBase(const MethodTokens& t) : tokens_(t) {}
    Eviction on_prefill(const KvCache& cache, const ForwardOutput&) override {
        local_start_ = cache.size();
        return {};
    }

    Eviction after_forward(const KvCache& cache, const PlannedBlock& block, const ForwardOutput&) override {
        if (!block.compression) return {};
        const int L = cache.size() - int(block.tokens.size());  // cache size before the block
        Eviction e;
        e.range_begin = local_start_;
        e.range_end = L + 1;  // the thought and the block's first row (splitter or S-th token)
        local_start_ = cache.size() - (e.range_end - e.range_begin);
        ++thought_;
        return e;
    }

protected:
    PlannedBlock compression_block(int32_t first, SlotRole first_role, int L) const {
        PlannedBlock b;
        b.compression = true;
        b.tokens.push_back(first);
        b.roles.push_back(first_role);
        for (int32_t c : tokens_.cache) {
            b.tokens.push_back(c);
            b.roles.push_back(SlotRole::gist);
        }
        b.tokens.push_back(tokens_.continue_);
        b.roles.push_back(SlotRole::continue_);
        const int m = int(b.tokens.size());
        for (int r = 0; r < m - 1; ++r) b.visible.push_back({SlotRange{0, L + r + 1}});
        // [o]: the prompt and earlier gists, then c_0..c_{n-1} and itself; never the thought.
        b.visible.push_back({SlotRange{0, local_start_}, SlotRange{L + 1, L + m}});
        return b;
    }

    MethodTokens tokens_;
    int local_start_ = 0;  // slot of the first token of the current thought
};

class LightThinkerPolicy final : public GistPolicyBase {
public:
    using GistPolicyBase::GistPolicyBase;
    std::string name() const override { return "lightthinker"; }
    PlannedBlock plan(int32_t token, const KvCache& cache) override {
        if (token != tokens_.splitter) return single_token(token, SlotRole::thought);
        return compression_block(token, SlotRole::splitter, cache.size());
    }
};

class LightThinkerTokenPolicy final : public GistPolicyBase {
public:
    LightThinkerTokenPolicy(const MethodTokens& t, int step) : GistPolicyBase(t), step_(step) {}
    std::string name() const override { return "lightthinker-token"; }
    PlannedBlock plan(int32_t token, const KvCache& cache) override {
        if (++count_ < step_) return single_token(token, SlotRole::thought);
        count_ = 0;
        return compression_block(token, SlotRole::thought, cache.size());
    }

private:
    int step_;
    int count_ = 0;  // generated tokens since the last compression
};

class AnllmPolicy final : public Policy {
public:
    explicit AnllmPolicy(int32_t anchor) : anchor_(anchor) {}
    std::string name() const override { return "anllm"; }
    Eviction on_prefill(const KvCache& cache, const ForwardOutput&) override {
        local_start_ = cache.size();
        return {};
    }
    PlannedBlock plan(int32_t token, const KvCache& cache) override {
        if (token != anchor_) return single_token(token, SlotRole::thought);
        PlannedBlock b = single_token(token, SlotRole::anchor);
        b.compression = true;
        // see_current: the anchor sees only the current thought and itself.
        b.visible = {{SlotRange{local_start_, cache.size() + 1}}};
        return b;
    }
    Eviction after_forward(const KvCache& cache, const PlannedBlock& block, const ForwardOutput&) override {
        if (!block.compression) return {};
        Eviction e;
        e.range_begin = local_start_;
        e.range_end = cache.size() - 1;  // the thought; the anchor stays
        local_start_ = cache.size() - (e.range_end - e.range_begin);
        ++thought_;
        return e;
    }

private:
    int32_t anchor_;
    int local_start_ = 0;
};

// H2O (spec 8) as meta-llama's HHCache runs it: after every forward, the prefill included, each
// score accumulates the attention its slot received, summed over the block's rows; once a head
// holds more than `budget` slots it keeps its `recent` newest and the `budget - recent` heaviest of
// the rest. Per head (h2o): one score per (layer, KV head), and each head evicts on its own. The
// KV head's score is its group's first query head, as HHCache takes it (`[:, ::num_kv_groups]`
// after summing over query rows): that is what LightThinker compared against. Summing the group's
// query heads instead (h2o_group_score) lets every query head of the group have a say in what its
// shared K/V keeps; it is an option, measured against the reference choice in docs/evaluation.md. Global (h2o-global): one score per slot summed
// over every layer and KV head, one shared choice, so slots leave storage at once; a cheaper,
// coarser variant kept to show what the per-head choice buys.
class H2oPolicy final : public Policy {
public:
    H2oPolicy(int budget, int recent, bool per_head, bool group_score)
        : budget_(budget), recent_(recent), per_head_(per_head), group_score_(group_score) {}
    std::string name() const override { return per_head_ ? "h2o" : "h2o-global"; }
    bool needs_attention_sums() const override { return true; }
    bool attention_sums_over_group() const override { return group_score_; }
    bool evicts_per_head() const override { return per_head_; }
    Eviction on_prefill(const KvCache& cache, const ForwardOutput& out) override { return step(cache, out); }
    PlannedBlock plan(int32_t token, const KvCache&) override { return single_token(token, SlotRole::thought); }
    Eviction after_forward(const KvCache& cache, const PlannedBlock&, const ForwardOutput& out) override {
        return step(cache, out);
    }

private:
    Eviction step(const KvCache& cache, const ForwardOutput& out) {
        const int S = cache.size();
        const int columns = per_head_ ? cache.head_columns() : 1;
        if (per_head_ && columns == 0) throw Error("h2o: the KV cache has no head validity (enable_head_validity)");
        follow(cache, columns);
        // attention_head_sums (layers, kv_heads, S): column c = layer * kv_heads + kv_head.
        const size_t given = out.attention_head_sums.size() / size_t(std::max(S, 1));
        if (out.attention_head_sums.size() != given * size_t(S) || (per_head_ && given != size_t(columns)))
            throw Error("h2o: the forward returned attention sums for " + std::to_string(out.attention_head_sums.size()) +
                        " entries, expected (layers x KV heads) x " + std::to_string(S) + " slots");
        for (size_t c = 0; c < given; ++c)
            for (int s = 0; s < S; ++s)
                score_[size_t(s) * size_t(columns) + (per_head_ ? c : 0)] += out.attention_head_sums[c * size_t(S) + size_t(s)];
        Eviction e;
        if (!per_head_) {
            if (S > budget_) e.slot_list = choose_evicted(all_slots(S), 0, 1);
            return e;
        }
        const int kv_heads = cache.head_kv_heads();
        for (int c = 0; c < columns; ++c) {
            const int layer = c / kv_heads, head = c % kv_heads;
            if (cache.head_size(layer, head) <= budget_) continue;
            std::vector<int> held;  // (slots this head attends to) in slot order
            held.reserve(size_t(cache.head_size(layer, head)));
            for (int s = 0; s < S; ++s)
                if (cache.head_sees(layer, head, s)) held.push_back(s);
            e.heads.push_back({layer, head, choose_evicted(held, c, columns)});
        }
        return e;
    }

    static std::vector<int> all_slots(int n) {
        std::vector<int> v(static_cast<size_t>(n));
        std::iota(v.begin(), v.end(), 0);
        return v;
    }

    // Of `held` (slot order), the slots outside the recent window that are not among the
    // budget - recent heaviest by score column c. Ties go to the earlier slot, a total order, so
    // the choice does not depend on the selection algorithm (the reference decoder's stable sort
    // makes the same one).
    std::vector<int> choose_evicted(std::vector<int> held, int c, int columns) const {
        const size_t candidates = held.size() - size_t(recent_), keep = size_t(budget_ - recent_);
        auto score = [&](int s) { return score_[size_t(s) * size_t(columns) + size_t(c)]; };
        std::nth_element(held.begin(), held.begin() + long(keep), held.begin() + long(candidates), [&](int a, int b) {
            return score(a) > score(b) || (score(a) == score(b) && a < b);
        });
        std::vector<int> evicted(held.begin() + long(keep), held.begin() + long(candidates));
        std::sort(evicted.begin(), evicted.end());
        return evicted;
    }

    // Scores follow the slots through every erase since the last step (slots keep their order
    // and their unique positions, so one merge by position realigns them); new slots start at 0.
    void follow(const KvCache& cache, int columns) {
        const int S = cache.size();
        std::vector<float> next(size_t(S) * size_t(columns), 0.0f);  // (S, columns)
        size_t old = 0;
        for (int s = 0; s < S; ++s) {
            const int32_t pos = cache.slot(s).position;
            while (old < positions_.size() && positions_[old] != pos) ++old;
            if (old == positions_.size()) break;  // this slot and the ones after are new
            std::copy_n(score_.begin() + long(old * size_t(columns)), columns, next.begin() + long(size_t(s) * size_t(columns)));
            ++old;
        }
        score_ = std::move(next);
        positions_.resize(size_t(S));
        for (int s = 0; s < S; ++s) positions_[size_t(s)] = cache.slot(s).position;
    }

    int budget_, recent_;
    bool per_head_, group_score_;
    std::vector<float> score_;       // (slots, columns) accumulated attention, one column per (layer, KV head) or one
    std::vector<int32_t> positions_; // (slots) positions score_'s rows belong to
};

class SepLlmPolicy final : public Policy {
public:
    SepLlmPolicy(const PolicyParams& p, const std::vector<int32_t>& separators)
        : budget_(p.cache_size), init_(p.sepllm_init), seps_(p.sepllm_separators), local_(p.sepllm_local),
          separators_(separators.begin(), separators.end()) {}
    std::string name() const override { return "sepllm"; }
    PlannedBlock plan(int32_t token, const KvCache&) override { return single_token(token, SlotRole::thought); }
    Eviction after_forward(const KvCache& cache, const PlannedBlock&, const ForwardOutput&) override {
        const int n = cache.size();
        Eviction e;
        if (n <= budget_) return e;
        // Keep [0, init) + the newest `seps_` separators in [init, n - local) + [n - local, n).
        std::vector<int> middle_seps;
        for (int s = init_; s < n - local_; ++s)
            if (separators_.count(cache.slot(s).token)) middle_seps.push_back(s);
        const size_t drop_seps = middle_seps.size() > size_t(seps_) ? middle_seps.size() - size_t(seps_) : 0;
        std::unordered_set<int> kept(middle_seps.begin() + long(drop_seps), middle_seps.end());
        for (int s = init_; s < n - local_; ++s)
            if (!kept.count(s)) e.slot_list.push_back(s);
        return e;
    }

private:
    int budget_, init_, seps_, local_;
    std::unordered_set<int32_t> separators_;
};

}  // namespace

const std::vector<std::string>& policy_names() {
    static const std::vector<std::string> names = {"vanilla", "lightthinker", "lightthinker-token", "anllm",
                                                   "h2o", "h2o-global", "sepllm"};
    return names;
}

std::unique_ptr<Policy> make_policy(const PolicyParams& p, const MethodTokens& t) {
    auto need_gists = [&](const char* method) {
        if (t.splitter < 0 && std::string(method) == "lightthinker")
            throw Error(std::string(method) + " needs the <|splitter|> token, which this model's vocabulary lacks");
        if (t.continue_ < 0 || t.cache.empty())
            throw Error(std::string(method) + " needs <|continue|> and the cache tokens <|o_j|>; give the model a comp-config");
    };
    if (p.method == "vanilla") return std::make_unique<VanillaPolicy>();
    if (p.method == "lightthinker") {
        need_gists("lightthinker");
        return std::make_unique<LightThinkerPolicy>(t);
    }
    if (p.method == "lightthinker-token") {
        need_gists("lightthinker-token");
        if (p.token_step < 1) throw Error("--token-step must be at least 1");
        return std::make_unique<LightThinkerTokenPolicy>(t, p.token_step);
    }
    if (p.method == "anllm") {
        if (t.cache.empty()) throw Error("anllm needs the anchor token <|o_0|>; give the model a comp-config");
        return std::make_unique<AnllmPolicy>(t.cache[0]);
    }
    if (p.method == "h2o" || p.method == "h2o-global") {
        const PolicyParams r = with_budget_defaults(p);
        return std::make_unique<H2oPolicy>(r.cache_size, r.h2o_recent, p.method == "h2o", p.h2o_group_score);
    }
    if (p.method == "sepllm") return std::make_unique<SepLlmPolicy>(with_budget_defaults(p), t.separators);
    throw Error("unknown method '" + p.method +
                "', expected vanilla, lightthinker, lightthinker-token, anllm, h2o, h2o-global or sepllm");
}

}  // namespace gistscope
