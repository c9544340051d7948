// backend_compare: feeds the same blocks to a reference backend and a candidate (and its twin), each
// with its own cache, and compares logits, greedy tokens and attention probes at every step.
#include "gistscope/backend_compare.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>

namespace gistscope {
namespace {

// max |a - b| / max(max |b|, 1): error relative to the reference's scale.
double scaled_error(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0.0, scale = 1.0;
    for (size_t i = 0; i < b.size(); ++i) {
        if (!std::isfinite(a[i])) return INFINITY;
        worst = std::max(worst, double(std::fabs(a[i] - b[i])));
        scale = std::max(scale, double(std::fabs(b[i])));
    }
    return worst / scale;
}

double abs_error(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0.0;
    for (size_t i = 0; i < b.size(); ++i) {
        if (!std::isfinite(a[i])) return INFINITY;
        worst = std::max(worst, double(std::fabs(a[i] - b[i])));
    }
    return worst;
}

int32_t argmax_last(const std::vector<float>& logits, int vocab) {
    const float* last = logits.data() + logits.size() - size_t(vocab);
    return int32_t(std::max_element(last, last + vocab) - last);
}

class Runs {
public:
    Runs(const Model& model, std::vector<Backend*> backends, const std::string& label,
         const BackendCompareTolerances& tol, std::vector<BackendCheck>& checks)
        : vocab_(model.config.vocab_size), backends_(std::move(backends)), label_(label), tol_(tol), checks_(checks) {
        for (Backend* b : backends_) caches_.push_back(b->make_cache(256));
    }
    int size() const { return caches_[0]->size(); }

    // Feeds rows at the next positions; returns the reference's greedy choice for the next token.
    int32_t feed(const std::string& what, const std::vector<int32_t>& tokens, std::vector<std::vector<SlotRange>> visible,
                 const AttentionProbeRequest& probe) {
        std::vector<SlotInfo> infos;
        for (int32_t t : tokens) infos.push_back({t, next_pos_++, SlotRole::thought, 0, step_});
        ++step_;
        ForwardInput in;
        in.tokens = tokens;
        in.infos = infos;
        in.visible = std::move(visible);
        in.all_logits = tokens.size() > 1;
        in.probe = probe;
        std::vector<ForwardOutput> out(backends_.size());
        for (size_t b = 0; b < backends_.size(); ++b) backends_[b]->forward(in, *caches_[b], out[b]);
        const std::string name = label_ + " " + what;
        checks_.push_back(backend_check(name + ": logits", scaled_error(out[1].logits, out[0].logits), tol_.logits));
        if (out.size() > 2)
            checks_.push_back(backend_check(name + ": logits, twin", scaled_error(out[2].logits, out[1].logits), tol_.consistency));
        const int32_t ref = argmax_last(out[0].logits, vocab_);
        const float* last = out[0].logits.data() + out[0].logits.size() - size_t(vocab_);
        std::vector<float> top(last, last + vocab_);
        std::partial_sort(top.begin(), top.begin() + 2, top.end(), std::greater<float>());
        // Only a clear winner must agree; a near tie may flip under bf16 rounding.
        if (top[0] - top[1] > 0.1f * std::max(1.0f, std::fabs(top[0])))
            checks_.push_back(backend_check(name + ": greedy token", argmax_last(out[1].logits, vocab_) == ref ? 0 : 1, 0));
        if (probe.mode == AttentionProbeRequest::Mode::heads)
            checks_.push_back(backend_check(name + ": attention per layer and head",
                                            abs_error(out[1].attention_heads, out[0].attention_heads), tol_.probe));
        else if (probe.mode != AttentionProbeRequest::Mode::off)
            checks_.push_back(backend_check(name + ": attention probe", abs_error(out[1].attention, out[0].attention), tol_.probe));
        if (probe.per_head_sum)
            checks_.push_back(backend_check(name + ": H2O sums per (layer, KV head)",
                                            abs_error(out[1].attention_head_sums, out[0].attention_head_sums),
                                            tol_.column_sums));
        return ref;
    }
    void erase_range(int begin, int end) {
        for (auto& c : caches_) c->erase_range(begin, end);
    }
    void erase_slots(const std::vector<int>& slots) {
        for (auto& c : caches_) c->erase_slots(slots);
    }
    void enable_head_validity(int layers, int kv_heads) {
        for (auto& c : caches_) c->enable_head_validity(layers, kv_heads);
    }
    void evict_for_heads(const std::vector<HeadEviction>& e) {
        for (auto& c : caches_) c->evict_for_heads(e);
    }

private:
    int vocab_;
    std::vector<Backend*> backends_;
    std::string label_;
    BackendCompareTolerances tol_;
    std::vector<BackendCheck>& checks_;
    std::vector<std::unique_ptr<KvCache>> caches_;
    int next_pos_ = 0, step_ = 0;
};

}  // namespace

BackendCheck backend_check(std::string name, double max_err, double tol) {
    return {std::move(name), max_err, tol, std::isfinite(max_err) && max_err <= tol};
}

std::vector<BackendCheck> backend_compare(const Model& model, Backend& reference, Backend& candidate,
                                          Backend* candidate_twin, const std::string& label,
                                          const BackendCompareTolerances& tol) {
    std::vector<BackendCheck> checks;
    std::vector<Backend*> all = {&reference, &candidate};
    if (candidate_twin) all.push_back(candidate_twin);
    Runs runs(model, all, label, tol, checks);
    const int vocab = model.config.vocab_size;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> any(0, vocab - 1);
    std::vector<int32_t> prompt(24);
    for (auto& t : prompt) t = any(rng);
    int32_t tok = runs.feed("prefill 24", prompt, {}, {});
    const int local_start = runs.size();
    for (int i = 0; i < 5; ++i) tok = runs.feed("decode", {tok}, {}, {});
    // The compression block [SPL, c0, c1, c2, o] (spec 5.3): rows causal, [o] blind to the thought and SPL.
    const int L = runs.size(), m = 5;
    std::vector<std::vector<SlotRange>> visible;
    for (int r = 0; r < m - 1; ++r) visible.push_back({SlotRange{0, L + r + 1}});
    visible.push_back({SlotRange{0, local_start}, SlotRange{L + 1, L + m}});
    std::vector<int32_t> block(static_cast<size_t>(m));
    for (auto& t : block) t = any(rng);
    tok = runs.feed("compression block", block, visible, {});
    runs.erase_range(local_start, L + 1);
    for (int i = 0; i < 3; ++i) tok = runs.feed("decode after eviction", {tok}, {}, {});
    runs.erase_slots({1, 5, 9});
    AttentionProbeRequest probe;
    probe.mode = AttentionProbeRequest::Mode::layer;
    probe.layer = std::min(1, model.config.num_layers - 1);
    probe.per_head_sum = true;
    tok = runs.feed("decode, probe layer", {tok}, {}, probe);
    probe.mode = AttentionProbeRequest::Mode::average;
    probe.head = 0;
    tok = runs.feed("decode, probe average head 0", {tok}, {}, probe);
    AttentionProbeRequest heads;
    heads.mode = AttentionProbeRequest::Mode::heads;
    tok = runs.feed("decode, every layer and head", {tok}, {}, heads);
    std::vector<int32_t> three(3);
    for (auto& t : three) t = any(rng);
    tok = runs.feed("block of 3, every layer and head", three, {}, heads);
    tok = runs.feed("decode after the probes", {tok}, {}, {});

    // Per-head eviction (per-head H2O): every (layer, KV head) drops its own slots, slot 2 goes
    // from every head (so it leaves storage), then decode, a compression-sized block and a probe
    // read only what each head still holds.
    const int layers = model.config.num_layers, kv_heads = model.config.num_kv_heads;
    runs.enable_head_validity(layers, kv_heads);
    std::vector<HeadEviction> drops;
    for (int l = 0; l < layers; ++l)
        for (int g = 0; g < kv_heads; ++g) {
            const int c = l * kv_heads + g;
            drops.push_back({l, g, {2, 3 + c % 5, 9 + (c * 3) % 7, runs.size() - 2 - c % 3}});
        }
    runs.evict_for_heads(drops);
    tok = runs.feed("decode, per-head eviction", {tok}, {}, {});
    std::vector<int32_t> rows(3);
    for (auto& t : rows) t = any(rng);
    tok = runs.feed("block of 3, per-head eviction", rows, {}, {});
    AttentionProbeRequest sums;
    sums.per_head_sum = true;
    sums.mode = AttentionProbeRequest::Mode::average;
    tok = runs.feed("decode, per-head eviction, probe", {tok}, {}, sums);
    tok = runs.feed("decode, per-head eviction, every layer and head", {tok}, {}, heads);
    std::vector<HeadEviction> more;
    for (int l = 0; l < layers; ++l)
        for (int g = 0; g < kv_heads; ++g) more.push_back({l, g, {0, runs.size() - 1 - (l + g) % 2}});
    runs.evict_for_heads(more);
    runs.feed("decode after a second per-head eviction", {tok}, {}, {});
    return checks;
}

}  // namespace gistscope
