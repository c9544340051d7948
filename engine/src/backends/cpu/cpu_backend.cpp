// The CPU reference backend. One forward over a block of rows, llama2.c style: embed, then per
// layer RMSNorm -> q/k/v -> RoPE at the rows' own positions -> append k/v to the cache ->
// attention over each row's visible slots -> o_proj -> residual -> RMSNorm -> SwiGLU -> residual;
// final norm and the LM head. Float32 activations, weights read in their stored dtype.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>

#include "../kernel_math.h"
#include "../rope_table.h"
#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/quant.h"
#include "matmul.h"
#include "util/memory_info.h"

namespace gistscope {
namespace {

// K and V of every layer, float32: k[layer] is (capacity, kv_dim), row = slot.
class CpuKvStorage final : public KvStorage {
public:
    CpuKvStorage(int layers, int kv_dim) : kv_dim_(kv_dim), k_(size_t(layers)), v_(size_t(layers)) {}

    void reserve(int slots) override {
        if (slots <= capacity_) return;
        const int grown = int(std::min<int64_t>(INT32_MAX, std::max<int64_t>(slots, int64_t(capacity_) + capacity_ / 2 + 64)));
        // Refused before allocating: a context that cannot fit is an Error with the numbers, not
        // an out-of-memory kill halfway through a run.
        const uint64_t need = uint64_t(grown) * bytes_per_slot(), have = uint64_t(capacity_) * bytes_per_slot();
        const uint64_t available = memory::available_bytes();
        if (available > 0 && need - have > available)
            throw Error("the KV cache for " + std::to_string(slots) + " tokens needs " + memory::human(need) + " (" +
                        std::to_string(bytes_per_slot()) + " bytes per token) but only " + memory::human(available) +
                        " of memory is available; lower --max-new-tokens / --max-context or use a smaller model");
        for (auto* vec : {&k_, &v_})
            for (auto& layer : *vec) layer.resize(size_t(grown) * size_t(kv_dim_));
        capacity_ = grown;
    }
    void erase_range(int begin, int end, int size_before) override {
        const size_t row = size_t(kv_dim_) * sizeof(float);
        for (auto* vec : {&k_, &v_})
            for (auto& layer : *vec)
                std::memmove(layer.data() + size_t(begin) * kv_dim_, layer.data() + size_t(end) * kv_dim_,
                             size_t(size_before - end) * row);
    }
    void erase_slots(std::span<const int> sorted, int size_before) override {
        for (auto* vec : {&k_, &v_})
            for (auto& layer : *vec) {
                size_t w = 0, k = 0;
                for (int r = 0; r < size_before; ++r) {
                    if (k < sorted.size() && sorted[k] == r) { ++k; continue; }
                    if (w != size_t(r))
                        std::memcpy(layer.data() + w * kv_dim_, layer.data() + size_t(r) * kv_dim_, size_t(kv_dim_) * sizeof(float));
                    ++w;
                }
            }
    }
    size_t bytes_per_slot() const override { return 2 * k_.size() * size_t(kv_dim_) * sizeof(float); }

    float* k(int layer, int slot) { return k_[size_t(layer)].data() + size_t(slot) * kv_dim_; }
    float* v(int layer, int slot) { return v_[size_t(layer)].data() + size_t(slot) * kv_dim_; }

private:
    int kv_dim_;
    int capacity_ = 0;
    std::vector<std::vector<float>> k_, v_;  // (layer) -> (capacity, kv_dim)
};

// Softmax attention of one query head over its row's visible slots, output into o (hd). With
// Masked, the slots its KV head no longer attends to (valid (S, stride) is 0 at column col) are
// skipped; a template so that the unmasked path (every method but per-head H2O) has no test in its
// loops. scores (S) ends with the probabilities, 0 at skipped slots. False: the row saw nothing.
template <bool Masked>
bool attend_head(float* o, std::vector<float>& scores, const float* qv, const std::vector<SlotRange>& ranges,
                 CpuKvStorage& storage, int l, int g, int hd, float scale, const uint8_t* valid, size_t stride,
                 size_t col) {
    float mx = -INFINITY;
    for (const auto& r : ranges)
        for (int s = r.begin; s < r.end; ++s) {
            if (Masked && !valid[size_t(s) * stride + col]) {
                scores[size_t(s)] = -INFINITY;
                continue;
            }
            const float* kv = storage.k(l, s) + size_t(g) * hd;
            scores[size_t(s)] = cpu::dot(qv, kv, hd) * scale;
            mx = std::max(mx, scores[size_t(s)]);
        }
    std::fill(o, o + hd, 0.0f);
    if (mx == -INFINITY) return false;  // a row that sees nothing outputs zeros
    float sum = 0.0f;
    for (const auto& r : ranges)
        for (int s = r.begin; s < r.end; ++s) {
            scores[size_t(s)] = std::exp(scores[size_t(s)] - mx);  // exp(-inf) = 0 at skipped slots
            sum += scores[size_t(s)];
        }
    const float inv = 1.0f / sum;
    for (const auto& r : ranges)
        for (int s = r.begin; s < r.end; ++s) {
            scores[size_t(s)] *= inv;
            if (Masked && !valid[size_t(s) * stride + col]) continue;
            const float p = scores[size_t(s)];
            const float* vv = storage.v(l, s) + size_t(g) * hd;
            cpu::axpy(o, p, vv, hd);
        }
    return true;
}

std::vector<float> to_float(const TensorView& t) {
    std::vector<float> out(size_t(t.numel()));
    TensorView row = t;
    row.shape = {1, t.numel()};
    cpu::row_to_float(out.data(), row, 0);
    return out;
}

// A LoRA pair as two float32 matrices the matmul kernels take: a (rank, in), b (out, rank).
struct LoraViews {
    TensorView a, b;
    bool on = false;
};

LoraViews lora_views(const LoraPair& p) {
    LoraViews v;
    if (p.rank == 0) return v;
    v.a = {DType::f32, {p.rank, p.in}, p.a.data(), p.a.size() * sizeof(float)};
    v.b = {DType::f32, {p.out, p.rank}, p.b.data(), p.b.size() * sizeof(float)};
    v.on = true;
    return v;
}

struct LayerWeights {
    const TensorView *q, *k, *v, *o, *gate, *up, *down;
    std::array<LoraViews, kLoraModuleCount> lora;  // by LoraModule; .on false where not adapted
    const LoraViews& lora_of(LoraModule m) const { return lora[size_t(m)]; }
    std::vector<float> q_bias, k_bias, v_bias;  // empty without attention bias
    std::vector<float> input_norm, post_norm;
};

class CpuBackend final : public Backend {
public:
    CpuBackend(const Model& model, int threads) : config_(model.config), adapter_(model.adapter) {
        // Default: all cores, except for models so small (the bundled demos) that a decode step is
        // shorter than waking a second thread is worth.
        const bool tiny = model.weights.total_bytes() < (size_t(64) << 20);
        threads_ = threads > 0 ? threads : tiny ? 1 : int(std::max(1u, std::thread::hardware_concurrency()));
        // Every decode step streams all the weights, so a
        // model larger than the machine's memory would page from disk for every token.
        const uint64_t total = memory::total_bytes();
        if (total > 0 && model.weights.total_bytes() > total)
            throw Error(model.dir.string() + ": the weights are " + memory::human(model.weights.total_bytes()) +
                        " but this machine has " + memory::human(total) + " of memory; use a smaller or quantized model");
        // Decode reads every weight once per token: from anonymous huge pages that is 25% faster
        // than from the file mapping (942 MiB BF16 GGUF, 1 thread, median of 5 interleaved runs:
        // 22.95 against 18.26 tokens/s), for a copy at load (0.3 s per GiB here).
        model.weights.make_resident_if_it_fits();
        pool_ = std::make_unique<cpu::ThreadPool>(threads_);
        const auto& c = config_;
        const int64_t H = c.hidden_size, I = c.intermediate_size;
        const int64_t V = adapter_ ? adapter_->base_vocab : c.vocab_size;  // the rows in the weights
        const int64_t q_dim = int64_t(c.num_heads) * c.head_dim, kv_dim = int64_t(c.num_kv_heads) * c.head_dim;
        const auto& w = model.weights;
        embed_ = &w.get("model.embed_tokens.weight", {V, H});
        lm_head_ = c.tie_word_embeddings ? embed_ : &w.get("lm_head.weight", {V, H});
        final_norm_ = to_float(w.get("model.norm.weight", {H}));
        for (int l = 0; l < c.num_layers; ++l) {
            LayerWeights L;
            L.q = &w.get(layer_tensor_name(l, "self_attn.q_proj.weight"), {q_dim, H});
            L.k = &w.get(layer_tensor_name(l, "self_attn.k_proj.weight"), {kv_dim, H});
            L.v = &w.get(layer_tensor_name(l, "self_attn.v_proj.weight"), {kv_dim, H});
            L.o = &w.get(layer_tensor_name(l, "self_attn.o_proj.weight"), {H, q_dim});
            L.gate = &w.get(layer_tensor_name(l, "mlp.gate_proj.weight"), {I, H});
            L.up = &w.get(layer_tensor_name(l, "mlp.up_proj.weight"), {I, H});
            L.down = &w.get(layer_tensor_name(l, "mlp.down_proj.weight"), {H, I});
            if (c.attention_bias) {
                L.q_bias = to_float(w.get(layer_tensor_name(l, "self_attn.q_proj.bias"), {q_dim}));
                L.k_bias = to_float(w.get(layer_tensor_name(l, "self_attn.k_proj.bias"), {kv_dim}));
                L.v_bias = to_float(w.get(layer_tensor_name(l, "self_attn.v_proj.bias"), {kv_dim}));
            }
            L.input_norm = to_float(w.get(layer_tensor_name(l, "input_layernorm.weight"), {H}));
            L.post_norm = to_float(w.get(layer_tensor_name(l, "post_attention_layernorm.weight"), {H}));
            if (adapter_)
                for (int i = 0; i < kLoraModuleCount; ++i) L.lora[size_t(i)] = lora_views(adapter_->pair(l, LoraModule(i)));
            layers_.push_back(std::move(L));
        }
        inv_freq_ = rope_inv_freq_table(c);
    }

    BackendInfo info() const override {
        return {"cpu", std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads") + ", " +
                           quant::isa_name(quant::best_isa()), ""};
    }
    const ModelConfig& config() const override { return config_; }

    std::unique_ptr<KvCache> make_cache(int capacity_hint) const override {
        auto storage = std::make_unique<CpuKvStorage>(config_.num_layers, config_.num_kv_heads * config_.head_dim);
        storage->reserve(std::max(capacity_hint, 16));
        return std::make_unique<KvCache>(std::move(storage));
    }

    void forward(const ForwardInput& in, KvCache& cache, ForwardOutput& out) override;

private:
    void rmsnorm(float* out, const float* x, const std::vector<float>& weight) const {
        const int n = config_.hidden_size;
        float ss = 0.0f;
        for (int i = 0; i < n; ++i) ss += x[i] * x[i];
        const float inv = kmath::rms_inverse(ss, n, float(config_.rms_norm_eps));
        for (int i = 0; i < n; ++i) out[i] = weight[size_t(i)] * (x[i] * inv);
    }
    void apply_rope(float* vec, int heads, int position) const {
        const int hd = config_.head_dim, half = hd / 2;
        for (int i = 0; i < half; ++i) {
            // float32 product, as transformers' inv_freq @ position_ids
            const float angle = inv_freq_[size_t(i)] * float(position);
            const float c = std::cos(angle), s = std::sin(angle);
            for (int h = 0; h < heads; ++h) kmath::rope_rotate(vec[h * hd + i], vec[h * hd + i + half], c, s);
        }
    }

    // fn(t) for every row t of a block: on the pool for a prompt or a compression block (with the
    // norms, RoPE, SwiGLU and residual adds on one thread, a 2-thread BF16 prefill of Qwen2-0.5B
    // ran at 240 tokens/s, on the pool at 267: medians of 4 interleaved runs), inline for a decode
    // step's single row. Rows are independent: the results do not change.
    template <typename Fn>
    void for_rows(int T, Fn&& fn) {
        if (T == 1) return fn(0);
        pool_->parallel_for(T, [&](int64_t t0, int64_t t1, int) {
            for (int64_t t = t0; t < t1; ++t) fn(int(t));
        });
    }

    // y = W x (+ bias), then y += B (A x) when the projection has a LoRA pair (scale is in B).
    // Applied at run time, not merged into W: the bases are mostly quantized GGUF weights that
    // stay in the file mapping, and a merge would need a float copy of every adapted projection
    // or a requantization that changes the base's own rounding. Measured on SmolLM2-135M (one
    // thread, r = 8 on all seven projections, `gistscope-cli bench --adapter`): Q4_1 base 108
    // tokens/s decode, with the adapter at run time 80-86 (its float32 A and B are 9.8 MB more to
    // stream per token, on 96 MB), a float32 base (what a float32 merge runs at) 27.
    void project(float* out, const float* x, int T, const TensorView& w, const float* bias, const LoraViews& lora,
                 std::vector<float>& low, std::vector<float>& delta) {
        cpu::matmul(out, x, T, w, bias, *pool_);
        if (!lora.on) return;
        const int64_t rank = lora.a.shape[0], n_out = lora.b.shape[0];
        low.resize(size_t(T) * size_t(rank));      // (T, rank) A x
        delta.resize(size_t(T) * size_t(n_out));   // (T, out) B (A x)
        cpu::matmul(low.data(), x, T, lora.a, nullptr, *pool_);
        cpu::matmul(delta.data(), low.data(), T, lora.b, nullptr, *pool_);
        for (size_t i = 0; i < delta.size(); ++i) out[i] += delta[i];
    }

    ModelConfig config_;
    std::shared_ptr<const LoraAdapter> adapter_;  // null without one; holds the pairs' memory
    int threads_ = 1;
    std::unique_ptr<cpu::ThreadPool> pool_;
    const TensorView* embed_ = nullptr;
    const TensorView* lm_head_ = nullptr;
    std::vector<float> final_norm_;
    std::vector<LayerWeights> layers_;
    std::vector<float> inv_freq_;  // (head_dim / 2)
};

void CpuBackend::forward(const ForwardInput& in, KvCache& cache, ForwardOutput& out) {
    const auto& c = config_;
    const int T = static_cast<int>(in.tokens.size());
    if (T == 0) throw Error("forward: empty block");
    if (in.infos.size() != in.tokens.size()) throw Error("forward: tokens and slot infos differ in length");
    if (!in.visible.empty() && in.visible.size() != in.tokens.size())
        throw Error("forward: visible ranges must be given for every row or for none");
    for (int32_t t : in.tokens)
        if (t < 0 || t >= c.vocab_size)
            throw Error("token id " + std::to_string(t) + " is outside the model's vocabulary of " +
                        std::to_string(c.vocab_size));

    const int H = c.hidden_size, I = c.intermediate_size, hd = c.head_dim;
    const int nh = c.num_heads, nkv = c.num_kv_heads, group = nh / nkv;
    const int q_dim = nh * hd, kv_dim = nkv * hd;
    const int base = cache.size();
    const int S = base + T;  // cache size once the block is appended

    // Visible slot ranges per row, validated before the cache is touched.
    std::vector<std::vector<SlotRange>> visible = in.visible;
    if (visible.empty()) visible = causal_visibility(base, T);
    for (int t = 0; t < T; ++t)
        for (const auto& r : visible[size_t(t)])
            if (r.begin < 0 || r.end > S || r.begin > r.end)
                throw Error("forward: visible range [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                            ") outside the cache of " + std::to_string(S) + " slots");
    cache.append(in.infos);
    auto& storage = static_cast<CpuKvStorage&>(cache.storage());

    // Run state, one row per block token.
    std::vector<float> x(size_t(T) * H);          // (T, H) residual stream
    std::vector<float> xn(size_t(T) * H);         // (T, H) normalised
    std::vector<float> q(size_t(T) * q_dim);      // (T, nh * hd)
    std::vector<float> kb(size_t(T) * kv_dim);    // (T, nkv * hd)
    std::vector<float> vb(size_t(T) * kv_dim);    // (T, nkv * hd)
    std::vector<float> att(size_t(T) * q_dim);    // (T, nh * hd) attention output
    std::vector<float> proj(size_t(T) * H);       // (T, H)
    std::vector<float> gate(size_t(T) * I), up(size_t(T) * I);  // (T, I)
    std::vector<float> low, delta;                // LoRA: (T, rank) and (T, out), sized by project()

    const bool all_heads = in.probe.mode == AttentionProbeRequest::Mode::heads;
    const bool probe_on = in.probe.mode != AttentionProbeRequest::Mode::off && !all_heads;
    if (probe_on) out.attention.assign(size_t(T) * S, 0.0f);  // (T, S)
    else out.attention.clear();
    if (all_heads) out.attention_heads.assign(size_t(c.num_layers) * size_t(nh) * size_t(S), 0.0f);  // (L, nh, S)
    else out.attention_heads.clear();
    if (in.probe.per_head_sum) out.attention_head_sums.assign(size_t(c.num_layers) * size_t(nkv) * size_t(S), 0.0f);  // (L, nkv, S)
    else out.attention_head_sums.clear();
    // (S, layers * nkv) which slots each KV head still attends to; null: all (no head-level eviction)
    const uint8_t* head_valid = cache.head_validity();
    const size_t head_stride = size_t(cache.head_columns());

    for (int t = 0; t < T; ++t) {
        const int32_t id = in.tokens[size_t(t)];
        if (const float* row = adapter_ ? adapter_->embed_row(id) : nullptr)
            std::copy(row, row + H, x.data() + size_t(t) * H);  // an adapter's added or retrained token
        else
            cpu::row_to_float(x.data() + size_t(t) * H, *embed_, id);
    }

    const float scale = 1.0f / std::sqrt(float(hd));
    for (int l = 0; l < c.num_layers; ++l) {
        const LayerWeights& L = layers_[size_t(l)];
        for_rows(T, [&](int t) { rmsnorm(xn.data() + size_t(t) * H, x.data() + size_t(t) * H, L.input_norm); });
        project(q.data(), xn.data(), T, *L.q, L.q_bias.empty() ? nullptr : L.q_bias.data(), L.lora_of(LoraModule::q_proj), low, delta);
        project(kb.data(), xn.data(), T, *L.k, L.k_bias.empty() ? nullptr : L.k_bias.data(), L.lora_of(LoraModule::k_proj), low, delta);
        project(vb.data(), xn.data(), T, *L.v, L.v_bias.empty() ? nullptr : L.v_bias.data(), L.lora_of(LoraModule::v_proj), low, delta);
        for_rows(T, [&](int t) {
            const int pos = in.infos[size_t(t)].position;
            apply_rope(q.data() + size_t(t) * q_dim, nh, pos);
            apply_rope(kb.data() + size_t(t) * kv_dim, nkv, pos);
            std::memcpy(storage.k(l, base + t), kb.data() + size_t(t) * kv_dim, size_t(kv_dim) * sizeof(float));
            std::memcpy(storage.v(l, base + t), vb.data() + size_t(t) * kv_dim, size_t(kv_dim) * sizeof(float));
        });

        const bool probe_layer = (in.probe.mode == AttentionProbeRequest::Mode::layer && in.probe.layer == l) ||
                                 in.probe.mode == AttentionProbeRequest::Mode::average;
        // Attention: one (row, head) pair per task. Scores only over the row's visible slots.
        std::vector<std::vector<float>> scratch(size_t(pool_->size()), std::vector<float>(size_t(S)));  // (S) per worker
        std::mutex probe_mutex;
        pool_->parallel_for(int64_t(T) * nh, [&](int64_t task0, int64_t task1, int worker) {
            std::vector<float>& scores = scratch[size_t(worker)];
            for (int64_t task = task0; task < task1; ++task) {
                const int t = int(task / nh), h = int(task % nh), g = h / group;
                const float* qv = q.data() + size_t(t) * q_dim + size_t(h) * hd;
                float* o = att.data() + size_t(t) * q_dim + size_t(h) * hd;
                const auto& ranges = visible[size_t(t)];
                const size_t col = size_t(l) * size_t(nkv) + size_t(g);
                const bool seen = head_valid ? attend_head<true>(o, scores, qv, ranges, storage, l, g, hd, scale,
                                                                 head_valid, head_stride, col)
                                             : attend_head<false>(o, scores, qv, ranges, storage, l, g, hd, scale,
                                                                  nullptr, 0, 0);
                if (!seen) continue;
                const bool probe_head = probe_layer && (in.probe.head < 0 || in.probe.head == h);
                const bool sum_head = in.probe.per_head_sum && (in.probe.head_sum_group || h % group == 0);
                if (all_heads && t == T - 1) {  // each (layer, head) row is this task's alone: no lock
                    float* row = out.attention_heads.data() + (size_t(l) * size_t(nh) + size_t(h)) * size_t(S);
                    for (const auto& r : ranges)
                        for (int s = r.begin; s < r.end; ++s) row[s] = scores[size_t(s)];
                }
                if (!probe_head && !sum_head) continue;
                float weight = in.probe.head < 0 ? 1.0f / float(nh) : 1.0f;
                if (in.probe.mode == AttentionProbeRequest::Mode::average) weight /= float(c.num_layers);
                float* head_sums = sum_head ? out.attention_head_sums.data() + col * size_t(S) : nullptr;
                std::lock_guard<std::mutex> lock(probe_mutex);
                for (const auto& r : visible[size_t(t)])
                    for (int s = r.begin; s < r.end; ++s) {
                        if (probe_head) out.attention[size_t(t) * S + size_t(s)] += scores[size_t(s)] * weight;
                        if (sum_head) head_sums[s] += scores[size_t(s)];
                    }
            }
        });
        project(proj.data(), att.data(), T, *L.o, nullptr, L.lora_of(LoraModule::o_proj), low, delta);
        for_rows(T, [&](int t) {
            float* xr = x.data() + size_t(t) * H;
            const float* pr = proj.data() + size_t(t) * H;
            for (int i = 0; i < H; ++i) xr[i] += pr[i];
            rmsnorm(xn.data() + size_t(t) * H, xr, L.post_norm);
        });
        project(gate.data(), xn.data(), T, *L.gate, nullptr, L.lora_of(LoraModule::gate_proj), low, delta);
        project(up.data(), xn.data(), T, *L.up, nullptr, L.lora_of(LoraModule::up_proj), low, delta);
        for_rows(T, [&](int t) {
            float* g = gate.data() + size_t(t) * I;
            const float* u = up.data() + size_t(t) * I;
            for (int i = 0; i < I; ++i) g[i] = kmath::silu(g[i]) * u[i];
        });
        project(proj.data(), gate.data(), T, *L.down, nullptr, L.lora_of(LoraModule::down_proj), low, delta);
        for_rows(T, [&](int t) {
            float* xr = x.data() + size_t(t) * H;
            const float* pr = proj.data() + size_t(t) * H;
            for (int i = 0; i < H; ++i) xr[i] += pr[i];
        });
    }

    const int first = in.all_logits ? 0 : T - 1;
    const int rows = T - first;
    for (int t = first; t < T; ++t) rmsnorm(xn.data() + size_t(t - first) * H, x.data() + size_t(t) * H, final_norm_);
    out.logits.resize(size_t(rows) * size_t(c.vocab_size));
    cpu::matmul(out.logits.data(), xn.data(), rows, *lm_head_, nullptr, *pool_);
    if (!adapter_ || adapter_->token_ids.empty()) return;
    // The base's LM head gave `rows` rows of base_vocab columns, packed; spread them to the
    // extended width in place (from the last row down, so no row is overwritten before it moves),
    // then the adapter's rows replace or extend their columns.
    const size_t Vb = size_t(adapter_->base_vocab), V = size_t(c.vocab_size);
    for (int r = rows - 1; r >= 0; --r) {
        float* dst = out.logits.data() + size_t(r) * V;
        if (V != Vb) std::memmove(dst, out.logits.data() + size_t(r) * Vb, Vb * sizeof(float));
        for (int32_t id : adapter_->token_ids)
            if (const float* w = adapter_->lm_head_row(id)) dst[id] = cpu::dot(w, xn.data() + size_t(r) * H, H);
    }
}

}  // namespace

std::vector<std::vector<SlotRange>> causal_visibility(int cache_size, int rows) {
    std::vector<std::vector<SlotRange>> v(static_cast<size_t>(rows));
    for (int t = 0; t < rows; ++t) v[size_t(t)] = {SlotRange{0, cache_size + t + 1}};
    return v;
}

std::vector<float> attention_slot_sums(const std::vector<float>& head_sums, int slots) {
    std::vector<float> sums(size_t(std::max(slots, 0)), 0.0f);
    if (slots <= 0) return sums;
    for (size_t i = 0; i < head_sums.size(); ++i) sums[i % size_t(slots)] += head_sums[i];
    return sums;
}

std::unique_ptr<Backend> make_cpu_backend(const Model& model, int threads) {
    return std::make_unique<CpuBackend>(model, threads);
}

}  // namespace gistscope
