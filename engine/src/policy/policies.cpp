// The compression methods as policies over slot metadata:
//   vanilla             keep everything
//   lightthinker        on <|splitter|>: feed [SPL, c_0..c_{n-1}, o] with o blind to the thought,
//                       then evict the thought and the splitter (spec 5.2, 5.3, 5.5)
//   lightthinker-token  every S generated tokens: [tok, c_0..c_{n-1}, o], same eviction (spec 5.7)
//   anllm               on the generated anchor: feed it seeing only the current thought, evict the
//                       thought, keep the anchor (spec 8)
//   h2o                 heavy hitters by accumulated attention + a recent window, within a budget
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
    void on_prefill(const KvCache& cache) override { local_start_ = cache.size(); }

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
    void on_prefill(const KvCache& cache) override { local_start_ = cache.size(); }
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

class H2oPolicy final : public Policy {
public:
    H2oPolicy(int budget, int recent) : budget_(budget), recent_(recent) {}
    std::string name() const override { return "h2o"; }
    bool needs_attention_sums() const override { return true; }
    void on_prefill(const KvCache& cache) override { score_.assign(size_t(cache.size()), 0.0f); }
    PlannedBlock plan(int32_t token, const KvCache&) override { return single_token(token, SlotRole::thought); }
    Eviction after_forward(const KvCache& cache, const PlannedBlock&, const ForwardOutput& out) override {
        const int n = cache.size();
        score_.resize(size_t(n), 0.0f);
        for (size_t s = 0; s < out.attention_column_sums.size() && s < score_.size(); ++s)
            score_[s] += out.attention_column_sums[s];
        Eviction e;
        if (n <= budget_) return e;
        // Candidates are everything outside the recent window; keep the heaviest.
        const int candidates = n - recent_;
        const int keep = budget_ - recent_;
        std::vector<int> order(static_cast<size_t>(candidates));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return score_[size_t(a)] > score_[size_t(b)]; });
        e.slot_list.assign(order.begin() + keep, order.end());
        std::sort(e.slot_list.begin(), e.slot_list.end());
        size_t w = 0, k = 0;
        for (size_t r = 0; r < score_.size(); ++r) {
            if (k < e.slot_list.size() && e.slot_list[k] == int(r)) { ++k; continue; }
            score_[w++] = score_[r];
        }
        score_.resize(w);
        return e;
    }

private:
    int budget_, recent_;
    std::vector<float> score_;  // (cache slots) accumulated attention, follows the slots
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
    static const std::vector<std::string> names = {"vanilla", "lightthinker", "lightthinker-token", "anllm", "h2o", "sepllm"};
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
    if (p.method == "h2o") {
        const PolicyParams r = with_budget_defaults(p);
        return std::make_unique<H2oPolicy>(r.cache_size, r.h2o_recent);
    }
    if (p.method == "sepllm") return std::make_unique<SepLlmPolicy>(with_budget_defaults(p), t.separators);
    throw Error("unknown method '" + p.method +
                "', expected vanilla, lightthinker, lightthinker-token, anllm, h2o or sepllm");
}

}  // namespace gistscope
