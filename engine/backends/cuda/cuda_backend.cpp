// The CUDA backend: the CPU reference's forward (cpu_backend.cpp) on the device. Weights live in
// bf16, activations in f32 between kernels and bf16 at GEMM inputs, K/V in bf16. Per layer:
//   rmsnorm -> one fused QKV GEMM -> bias + RoPE + K/V append -> attention over each row's visible
//   ranges (split for <= 16 rows, tiled above) -> o_proj GEMM with beta = 1 (the residual add)
//   -> rmsnorm -> one fused gate|up GEMM -> SwiGLU -> down GEMM with beta = 1.
// Nothing synchronises with the host until the logits are copied back at the end of the forward.
// A one-row step without a probe (the decode step) is captured once as a CUDA graph and replayed:
// every kernel reads the step's token, position, cache size and ranges from the device, which one
// H2D copy before the launch refreshes.
#include "cuda_backend.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../../src/backends/kernel_math.h"
#include "../../src/backends/rope_table.h"
#include "gistscope/quant.h"
#include "plugin_abi.h"

namespace gistscope::cuda {

DeviceContext::DeviceContext(int dev) : device(dev) {
    bind();
    GS_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    GS_CUDA(cublasCreate(&cublas));
    GS_CUDA(cublasSetStream(cublas, stream));
    cublas_workspace.allocate(size_t(32) << 20);
    GS_CUDA(cublasSetWorkspace(cublas, cublas_workspace.get(), cublas_workspace.bytes()));
}

DeviceContext::~DeviceContext() {
    cudaSetDevice(device);
    if (stream) cudaStreamSynchronize(stream);
    if (cublas) cublasDestroy(cublas);
    cublas_workspace.reset();
    if (stream) cudaStreamDestroy(stream);
}

// ---------------------------------------------------------------------------------------------
// KV storage

CudaKvStorage::CudaKvStorage(std::shared_ptr<DeviceContext> ctx, int layers, int kvd)
    : ctx_(std::move(ctx)), layers_(layers), kvd_(kvd) {}

void CudaKvStorage::reserve(int slot_count) {
    if (slot_count <= cap_) return;
    ctx_->bind();
    const int grown = std::max(slot_count, cap_ + cap_ / 2 + 64);
    DeviceBuffer<bf16_t> bigger;
    try {
        bigger.allocate(size_t(planes()) * size_t(grown) * size_t(kvd_));
    } catch (const Error&) {
        throw Error("CUDA: out of device memory growing the KV cache to " + std::to_string(grown) + " slots (" +
                    gib(size_t(grown) * bytes_per_slot()) + ")");
    }
    if (cap_ > 0) {
        const size_t old_pitch = size_t(cap_) * size_t(kvd_) * sizeof(bf16_t);
        const size_t new_pitch = size_t(grown) * size_t(kvd_) * sizeof(bf16_t);
        GS_CUDA(cudaMemcpy2DAsync(bigger.get(), new_pitch, kv_.get(), old_pitch, old_pitch, size_t(planes()),
                                  cudaMemcpyDeviceToDevice, ctx_->stream));
        GS_CUDA(cudaStreamSynchronize(ctx_->stream));  // the old planes are freed next
    }
    kv_ = std::move(bigger);
    cap_ = grown;
    // Unique across every storage of the process: a new cache may reuse a freed one's address.
    static std::atomic<uint64_t> planes_allocated{0};
    generation_ = ++planes_allocated;
}

void CudaKvStorage::upload_head_validity(const uint8_t* host, int slot_count, int columns) {
    ctx_->bind();
    if (columns != valid_columns_ || cap_ > valid_cap_) {
        GS_CUDA(cudaStreamSynchronize(ctx_->stream));  // a graph or kernel may still read the old buffer
        valid_.allocate(size_t(cap_) * size_t(columns));
        valid_cap_ = cap_;
        valid_columns_ = columns;
        static std::atomic<uint64_t> masks_allocated{0};
        generation_ = (uint64_t(1) << 63) | ++masks_allocated;  // apart from the planes' generations
    }
    // Pageable source: staged before the call returns, so the host mask may change right after.
    if (slot_count > 0)
        GS_CUDA(cudaMemcpyAsync(valid_.get(), host, size_t(slot_count) * size_t(columns), cudaMemcpyHostToDevice, ctx_->stream));
}

void CudaKvStorage::compact(const int* map, int first_src, int dst0, int n) {
    constexpr size_t kScratchBytes = size_t(32) << 20;
    const int chunk = int(std::clamp<size_t>(kScratchBytes / bytes_per_slot(), 1, size_t(n)));
    const size_t need = size_t(planes()) * size_t(chunk) * size_t(kvd_);
    if (scratch_.size() < need) scratch_.allocate(need);
    kv_compact(ctx_->stream, kv_.get(), scratch_.get(), planes(), cap_, kvd_, map, first_src, dst0, n, chunk);
    GS_CUDA(cudaGetLastError());
}

void CudaKvStorage::erase_range(int begin, int end, int size_before) {
    const int moved = size_before - end;
    if (end <= begin || moved <= 0) return;
    ctx_->bind();
    compact(nullptr, end, begin, moved);
}

void CudaKvStorage::erase_slots(std::span<const int> sorted, int size_before) {
    if (sorted.empty()) return;
    ctx_->bind();
    std::vector<int> kept;  // (moved rows) the surviving slots after the first erased one, in order
    size_t k = 0;
    for (int r = sorted[0]; r < size_before; ++r) {
        if (k < sorted.size() && sorted[k] == r) {
            ++k;
            continue;
        }
        kept.push_back(r);
    }
    if (kept.empty()) return;
    if (map_.size() < kept.size()) map_.allocate(kept.size() + kept.size() / 2);
    // Pageable source: the call returns once the data is staged, so `kept` may die right after.
    GS_CUDA(cudaMemcpyAsync(map_.get(), kept.data(), kept.size() * sizeof(int), cudaMemcpyHostToDevice, ctx_->stream));
    compact(map_.get(), 0, sorted[0], int(kept.size()));
}

// ---------------------------------------------------------------------------------------------
// Memory plan

namespace {

struct Dims {
    int H, I, V, L, nh, nkv, hd, q_dim, kvd, qkv_width;
    explicit Dims(const ModelConfig& c)
        : H(c.hidden_size), I(c.intermediate_size), V(c.vocab_size), L(c.num_layers), nh(c.num_heads),
          nkv(c.num_kv_heads), hd(c.head_dim), q_dim(c.num_heads * c.head_dim), kvd(c.num_kv_heads * c.head_dim),
          qkv_width(q_dim + 2 * kvd) {}
};

// Per-row activation bytes of the workspace (see Workspace below).
size_t workspace_bytes_per_row(const Dims& d) {
    return size_t(d.H) * 4 + size_t(d.H) * 2 + size_t(d.qkv_width) * 4 + size_t(d.q_dim) * 4 + size_t(d.q_dim) * 2 +
           size_t(2 * d.I) * 4 + size_t(d.I) * 2 + size_t(d.nh) * 2 * 4;
}

}  // namespace

MemoryPlan plan_memory(const ModelConfig& c, int kv_slots) {
    const Dims d(c);
    MemoryPlan p;
    const size_t per_layer = size_t(d.qkv_width) * d.H + size_t(d.H) * d.q_dim + size_t(2 * d.I) * d.H + size_t(d.H) * d.I;
    p.weights = size_t(d.L) * (per_layer * 2 + size_t(2 * d.H) * 4 + (c.attention_bias ? size_t(d.qkv_width) * 4 : 0)) +
                size_t(d.V) * d.H * 2 * (c.tie_word_embeddings ? 1 : 2) + size_t(d.H) * 4;
    p.kv = size_t(std::max(kv_slots, 0)) * 2 * size_t(d.L) * size_t(d.kvd) * 2;
    p.workspace = size_t(kPlannedRows) * workspace_bytes_per_row(d) + size_t(kSplitMaxRows) * d.V * 4 +
                  size_t(kSplitMaxRows) * d.nh * kDecodeSplits * (d.hd + 2) * 4 + (size_t(32) << 20) /* cuBLAS */ +
                  (size_t(32) << 20) /* KV erase scratch */;
    p.reserve = size_t(512) << 20;  // CUDA context and allocator slack
    return p;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Weights

const TensorView& tensor(const Model& m, const std::string& name, std::vector<int64_t> shape) {
    const auto& all = m.weights.tensors();
    const auto it = all.find(name);
    if (it == all.end()) throw Error(m.dir.string() + ": tensor " + name + " is missing");
    if (it->second.shape != shape) throw Error(m.dir.string() + ": tensor " + name + " has an unexpected shape");
    return it->second;
}

size_t numel(const TensorView& t) {
    size_t n = 1;
    for (int64_t s : t.shape) n *= size_t(s);
    return n;
}

// Stages host conversions (F32 / F16 / GGUF block types -> BF16, anything -> F32) and uploads them.
// Block-quantized weights (Q8_0 ... Q6_K) are dequantized on the host with the CPU's reference
// (quant.h), then rounded to BF16: the GPU runs one BF16 GEMM path for every weight type.
class Uploader {
public:
    explicit Uploader(cudaStream_t s) : stream_(s) {}
    // dst[offset ...] <- t as bf16 (BF16 is copied as is: the bits are already right).
    void bf16(bf16_t* dst, size_t offset, const TensorView& t) {
        const size_t n = numel(t);
        staging16_.resize(n);
        if (t.dtype == DType::bf16) std::memcpy(staging16_.data(), t.data, n * 2);
        else {
            to_float(t);
            for (size_t i = 0; i < n; ++i) staging16_[i] = kmath::float_to_bf16(staging32_[i]);
        }
        GS_CUDA(cudaMemcpyAsync(dst + offset, staging16_.data(), n * 2, cudaMemcpyHostToDevice, stream_));
        GS_CUDA(cudaStreamSynchronize(stream_));  // staging16_ is reused by the next tensor
    }
    void f32(float* dst, size_t offset, const TensorView& t) {
        const size_t n = numel(t);
        to_float(t);
        GS_CUDA(cudaMemcpyAsync(dst + offset, staging32_.data(), n * 4, cudaMemcpyHostToDevice, stream_));
        GS_CUDA(cudaStreamSynchronize(stream_));
    }
    void f32(float* dst, const std::vector<float>& v) {
        GS_CUDA(cudaMemcpyAsync(dst, v.data(), v.size() * 4, cudaMemcpyHostToDevice, stream_));
        GS_CUDA(cudaStreamSynchronize(stream_));
    }

private:
    // staging32_ <- t as float32 (rows of whole blocks are contiguous, so one call covers t)
    void to_float(const TensorView& t) {
        staging32_.resize(numel(t));
        quant::dequantize_row(t.dtype, t.data, staging32_.data(), int64_t(staging32_.size()));
    }

    cudaStream_t stream_;
    std::vector<uint16_t> staging16_;
    std::vector<float> staging32_;
};

struct LayerWeights {
    DeviceBuffer<bf16_t> qkv;       // (q_dim + 2 kvd, H): q rows, then k rows, then v rows
    DeviceBuffer<float> qkv_bias;   // (q_dim + 2 kvd), empty without attention bias
    DeviceBuffer<bf16_t> o;         // (H, q_dim)
    DeviceBuffer<bf16_t> gate_up;   // (2 I, H): gate rows, then up rows
    DeviceBuffer<bf16_t> down;      // (H, I)
    DeviceBuffer<float> input_norm; // (H)
    DeviceBuffer<float> post_norm;  // (H)
};

// Activations for up to row_cap rows.
struct Workspace {
    int row_cap = 0, range_cap = 0, logit_rows = 0, probe_rows = 0, probe_slots = 0;
    uint64_t generation = 0;            // changes when any buffer moves
    DeviceBuffer<float> x;              // (rows, H) residual stream
    DeviceBuffer<bf16_t> xn;            // (rows, H) normalised, GEMM input
    DeviceBuffer<float> qkv;            // (rows, q_dim + 2 kvd)
    DeviceBuffer<float> q;              // (rows, q_dim) rotated
    DeviceBuffer<bf16_t> att;           // (rows, q_dim) attention output, GEMM input
    DeviceBuffer<float> gate_up;        // (rows, 2 I)
    DeviceBuffer<bf16_t> act;           // (rows, I) SwiGLU output, GEMM input
    DeviceBuffer<float> row_state;      // (rows, nh, 2) softmax max / sum per row and head
    DeviceBuffer<float> partial_acc;    // (min(rows, 16), nh, kDecodeSplits, hd)
    DeviceBuffer<float> partial_state;  // (min(rows, 16), nh, kDecodeSplits, 2)
    DeviceBuffer<float> logits;         // (logit_rows, V)
    DeviceBuffer<int> block;            // BlockLayout{row_cap, range_cap}.ints()
    DeviceBuffer<float> probe;          // (probe_rows, probe_slots) attention probe
    DeviceBuffer<float> probe_heads;    // (layers, nh, probe_slots) last row per head, used as (layers, nh, S)
    DeviceBuffer<float> column_sums;    // (layers, nkv, probe_slots) H2O scores, used as (layers, nkv, S)
    PinnedBuffer<int> h_block;
    PinnedBuffer<float> h_logits;
    PinnedBuffer<float> h_probe, h_sums, h_probe_heads;
};

class CudaBackend final : public Backend {
public:
    CudaBackend(const Model& model, int device, int kv_slots, unsigned flags);
    ~CudaBackend() override;

    BackendInfo info() const override { return info_; }
    const ModelConfig& config() const override { return config_; }
    std::unique_ptr<KvCache> make_cache(int capacity_hint) const override {
        auto storage = std::make_unique<CudaKvStorage>(ctx_, config_.num_layers, d_.kvd);
        storage->reserve(std::max(capacity_hint, 16));
        return std::make_unique<KvCache>(std::move(storage));
    }
    void forward(const ForwardInput& input, KvCache& cache, ForwardOutput& output) override;

private:
    void upload(const Model& model);
    void ensure_workspace(int rows, int ranges, int logit_rows);
    void ensure_probe(int rows, int slot_count);
    BlockView block_view() const;
    // Enqueues the whole forward of `rows` rows on the stream; no host synchronisation. `slots`:
    // the cache size after the block, for the probe's (layers, nkv, slot_count) H2O sums.
    void enqueue(int rows, int logit_rows, const CudaKvStorage& kv, const AttentionProbeRequest* probe, int slot_count);
    // The captured decode step for `kv`'s current planes (captured on first use).
    cudaGraphExec_t decode_graph(const CudaKvStorage& kv);
    void release_graphs();

    ModelConfig config_;
    Dims d_;
    BackendInfo info_;
    std::shared_ptr<DeviceContext> ctx_;
    bool use_graphs_ = true;
    DeviceBuffer<bf16_t> embed_;       // (V, H)
    DeviceBuffer<bf16_t> lm_head_;     // (V, H), empty when tied to embed_
    DeviceBuffer<float> final_norm_;   // (H)
    DeviceBuffer<float> inv_freq_;     // (hd / 2)
    std::vector<LayerWeights> layers_;
    Workspace ws_;
    // Captured decode steps, one per KV plane set (sessions side by side each have a cache), all
    // against the workspace of generation graphs_ws_generation_.
    struct DecodeGraph {
        uint64_t kv_generation;
        cudaGraphExec_t exec;
    };
    static constexpr size_t kMaxGraphs = 4;
    std::vector<DecodeGraph> graphs_;
    uint64_t graphs_ws_generation_ = 0;
};

CudaBackend::CudaBackend(const Model& model, int device, int kv_slots, unsigned flags)
    : config_(model.config), d_(model.config) {
    if (d_.hd > kMaxHeadDim || d_.hd % 2 != 0)
        throw Error("CUDA backend: head_dim " + std::to_string(d_.hd) + " is not supported (even, at most " +
                    std::to_string(kMaxHeadDim) + ")");
    if (d_.nkv <= 0 || d_.nh % d_.nkv != 0) throw Error("CUDA backend: num_heads must be a multiple of num_key_value_heads");
    const char* env = std::getenv("GISTSCOPE_CUDA_GRAPHS");
    use_graphs_ = !(flags & GISTSCOPE_CUDA_FLAG_NO_GRAPHS) && !(env && std::string(env) == "0");

    GS_CUDA(cudaSetDevice(device));
    cudaDeviceProp prop{};
    GS_CUDA(cudaGetDeviceProperties(&prop, device));
    size_t free_bytes = 0, total_bytes = 0;
    GS_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
    const MemoryPlan plan = plan_memory(config_, kv_slots);
    if (plan.total() > free_bytes)
        throw Error("model needs " + gib(plan.total()) + " (weights " + gib(plan.weights) + ", KV for " +
                    std::to_string(kv_slots) + " slots " + gib(plan.kv) + ", workspace " + gib(plan.workspace) +
                    ", reserve " + gib(plan.reserve) + "), device has " + gib(free_bytes) + " free");

    ctx_ = std::make_shared<DeviceContext>(device);
    upload(model);
    ensure_workspace(1, 4, 1);
    info_.name = "cuda";
    info_.device = std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " +
                   gib(total_bytes) + ")";
    info_.note = use_graphs_ ? "decode step as a CUDA graph" : "CUDA graphs off";
}

CudaBackend::~CudaBackend() {
    cudaSetDevice(ctx_->device);
    release_graphs();
}

void CudaBackend::release_graphs() {
    for (auto& g : graphs_) cudaGraphExecDestroy(g.exec);
    graphs_.clear();
}

cudaGraphExec_t CudaBackend::decode_graph(const CudaKvStorage& kv) {
    if (graphs_ws_generation_ != ws_.generation) {  // the workspace moved: every graph is stale
        release_graphs();
        graphs_ws_generation_ = ws_.generation;
    }
    for (const auto& g : graphs_)
        if (g.kv_generation == kv.generation()) return g.exec;
    if (graphs_.size() >= kMaxGraphs) {  // the oldest goes (its cache grew, or is gone)
        cudaGraphExecDestroy(graphs_.front().exec);
        graphs_.erase(graphs_.begin());
    }
    const cudaStream_t s = ctx_->stream;
    cudaGraph_t g = nullptr;
    GS_CUDA(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal));
    try {
        enqueue(1, 1, kv, nullptr, 0);
    } catch (...) {
        cudaStreamEndCapture(s, &g);
        if (g) cudaGraphDestroy(g);
        throw;
    }
    GS_CUDA(cudaStreamEndCapture(s, &g));
    cudaGraphExec_t exec = nullptr;
    const cudaError_t e = cudaGraphInstantiate(&exec, g, 0);
    cudaGraphDestroy(g);
    GS_CUDA(e);
    graphs_.push_back({kv.generation(), exec});
    return exec;
}

void CudaBackend::upload(const Model& m) {
    const int64_t H = d_.H, I = d_.I, V = d_.V, q_dim = d_.q_dim, kvd = d_.kvd;
    Uploader up(ctx_->stream);
    const TensorView& embed = tensor(m, "model.embed_tokens.weight", {V, H});
    embed_.allocate(size_t(V * H));
    up.bf16(embed_.get(), 0, embed);
    if (!config_.tie_word_embeddings) {
        lm_head_.allocate(size_t(V * H));
        up.bf16(lm_head_.get(), 0, tensor(m, "lm_head.weight", {V, H}));
    }
    final_norm_.allocate(size_t(H));
    up.f32(final_norm_.get(), 0, tensor(m, "model.norm.weight", {H}));

    auto name = [](int l, const char* suffix) { return "model.layers." + std::to_string(l) + "." + suffix; };
    for (int l = 0; l < d_.L; ++l) {
        LayerWeights L;
        L.qkv.allocate(size_t(d_.qkv_width * H));
        up.bf16(L.qkv.get(), 0, tensor(m, name(l, "self_attn.q_proj.weight"), {q_dim, H}));
        up.bf16(L.qkv.get(), size_t(q_dim * H), tensor(m, name(l, "self_attn.k_proj.weight"), {kvd, H}));
        up.bf16(L.qkv.get(), size_t((q_dim + kvd) * H), tensor(m, name(l, "self_attn.v_proj.weight"), {kvd, H}));
        if (config_.attention_bias) {
            L.qkv_bias.allocate(size_t(d_.qkv_width));
            up.f32(L.qkv_bias.get(), 0, tensor(m, name(l, "self_attn.q_proj.bias"), {q_dim}));
            up.f32(L.qkv_bias.get(), size_t(q_dim), tensor(m, name(l, "self_attn.k_proj.bias"), {kvd}));
            up.f32(L.qkv_bias.get(), size_t(q_dim + kvd), tensor(m, name(l, "self_attn.v_proj.bias"), {kvd}));
        }
        L.o.allocate(size_t(H * q_dim));
        up.bf16(L.o.get(), 0, tensor(m, name(l, "self_attn.o_proj.weight"), {H, q_dim}));
        L.gate_up.allocate(size_t(2 * I * H));
        up.bf16(L.gate_up.get(), 0, tensor(m, name(l, "mlp.gate_proj.weight"), {I, H}));
        up.bf16(L.gate_up.get(), size_t(I * H), tensor(m, name(l, "mlp.up_proj.weight"), {I, H}));
        L.down.allocate(size_t(H * I));
        up.bf16(L.down.get(), 0, tensor(m, name(l, "mlp.down_proj.weight"), {H, I}));
        L.input_norm.allocate(size_t(H));
        up.f32(L.input_norm.get(), 0, tensor(m, name(l, "input_layernorm.weight"), {H}));
        L.post_norm.allocate(size_t(H));
        up.f32(L.post_norm.get(), 0, tensor(m, name(l, "post_attention_layernorm.weight"), {H}));
        layers_.push_back(std::move(L));
    }

    // inv_freq exactly as the CPU computes it (kernel_math.h), uploaded once.
    const std::vector<float> inv = rope_inv_freq_table(config_);
    inv_freq_.allocate(inv.size());
    up.f32(inv_freq_.get(), inv);
}

void CudaBackend::ensure_workspace(int rows, int ranges, int logit_rows) {
    Workspace& w = ws_;
    bool moved = false;
    if (rows > w.row_cap || ranges > w.range_cap) {
        GS_CUDA(cudaStreamSynchronize(ctx_->stream));
        w.row_cap = std::max(rows, w.row_cap);
        w.range_cap = std::max({ranges, w.range_cap, 2 * w.row_cap});
        const size_t R = size_t(w.row_cap), small = size_t(std::min(w.row_cap, kSplitMaxRows));
        w.x.allocate(R * d_.H);
        w.xn.allocate(R * d_.H);
        w.qkv.allocate(R * d_.qkv_width);
        w.q.allocate(R * d_.q_dim);
        w.att.allocate(R * d_.q_dim);
        w.gate_up.allocate(R * 2 * d_.I);
        w.act.allocate(R * d_.I);
        w.row_state.allocate(R * d_.nh * 2);
        w.partial_acc.allocate(small * d_.nh * kDecodeSplits * d_.hd);
        w.partial_state.allocate(small * d_.nh * kDecodeSplits * 2);
        const BlockLayout layout{w.row_cap, w.range_cap};
        w.block.allocate(size_t(layout.ints()));
        w.h_block.allocate(size_t(layout.ints()));
        moved = true;
    }
    if (logit_rows > w.logit_rows) {
        GS_CUDA(cudaStreamSynchronize(ctx_->stream));
        w.logit_rows = logit_rows;
        w.logits.allocate(size_t(logit_rows) * d_.V);
        w.h_logits.allocate(size_t(logit_rows) * d_.V);
        moved = true;
    }
    if (moved) ++w.generation;
}

void CudaBackend::ensure_probe(int rows, int slot_count) {
    Workspace& w = ws_;
    if (rows <= w.probe_rows && slot_count <= w.probe_slots) return;
    GS_CUDA(cudaStreamSynchronize(ctx_->stream));
    w.probe_rows = std::max(rows, w.probe_rows);
    w.probe_slots = std::max(slot_count, w.probe_slots + w.probe_slots / 2);
    w.probe.allocate(size_t(w.probe_rows) * w.probe_slots);
    w.h_probe.allocate(size_t(w.probe_rows) * w.probe_slots);
    const size_t columns = size_t(d_.L) * size_t(d_.nkv);
    w.column_sums.allocate(columns * size_t(w.probe_slots));
    w.h_sums.allocate(columns * size_t(w.probe_slots));
    const size_t heads = size_t(d_.L) * size_t(d_.nh);
    w.probe_heads.allocate(heads * size_t(w.probe_slots));
    w.h_probe_heads.allocate(heads * size_t(w.probe_slots));
}

BlockView CudaBackend::block_view() const {
    const BlockLayout layout{ws_.row_cap, ws_.range_cap};
    const int* b = ws_.block.get();
    return {b + layout.header(), b + layout.tokens(), b + layout.positions(), b + layout.range_offsets(),
            b + layout.ranges()};
}

void CudaBackend::enqueue(int rows, int logit_rows, const CudaKvStorage& kv, const AttentionProbeRequest* probe,
                          int slot_count) {
    const cudaStream_t s = ctx_->stream;
    const BlockView view = block_view();
    const float eps = float(config_.rms_norm_eps);
    const AttentionShape shape{rows, d_.nh, d_.nkv, d_.hd, kv.capacity(), 1.0f / std::sqrt(float(d_.hd))};
    Workspace& w = ws_;

    launch_embed(s, w.x.get(), embed_.get(), view, rows, d_.H);
    for (int l = 0; l < d_.L; ++l) {
        const LayerWeights& L = layers_[size_t(l)];
        AttentionShape a = shape;
        if (const uint8_t* valid = kv.head_valid()) {  // this layer's columns of the per-head mask
            a.valid = valid + size_t(l) * size_t(d_.nkv);
            a.valid_stride = kv.head_valid_columns();
        }
        launch_rmsnorm(s, w.xn.get(), w.x.get(), L.input_norm.get(), rows, d_.H, eps);
        gemm_bf16(ctx_->cublas, w.qkv.get(), w.xn.get(), L.qkv.get(), rows, d_.qkv_width, d_.H, 0.0f);
        launch_qkv_rope(s, w.q.get(), kv.k_plane(l), kv.v_plane(l), w.qkv.get(), L.qkv_bias.get(), inv_freq_.get(), view, a);
        if (rows <= kSplitMaxRows)
            launch_attention_split(s, w.att.get(), w.row_state.get(), w.partial_acc.get(), w.partial_state.get(),
                                   w.q.get(), kv.k_plane(l), kv.v_plane(l), view, a);
        else
            launch_attention_tiled(s, w.att.get(), w.row_state.get(), w.q.get(), kv.k_plane(l), kv.v_plane(l), view, a);
        if (probe) {
            using Mode = AttentionProbeRequest::Mode;
            if (probe->mode == Mode::heads)  // this layer's (nh, slot_count) rows of the (layers, nh, slot_count) buffer
                launch_attention_heads(s, w.probe_heads.get() + size_t(l) * size_t(d_.nh) * size_t(slot_count),
                                       w.row_state.get(), w.q.get(), kv.k_plane(l), view, a);
            const bool this_layer = (probe->mode == Mode::layer && probe->layer == l) || probe->mode == Mode::average;
            float weight = probe->head < 0 ? 1.0f / float(d_.nh) : 1.0f;
            if (probe->mode == Mode::average) weight /= float(d_.L);
            float* attention = this_layer ? w.probe.get() : nullptr;
            // this layer's (nkv, slot_count) rows of the (layers, nkv, slot_count) sums
            float* sums =
                probe->per_head_sum ? w.column_sums.get() + size_t(l) * size_t(d_.nkv) * size_t(slot_count) : nullptr;
            if (attention || sums)
                launch_attention_probe(s, attention, sums, w.row_state.get(), w.q.get(), kv.k_plane(l), view, a,
                                       probe->head, weight, probe->head_sum_group);
        }
        gemm_bf16(ctx_->cublas, w.x.get(), w.att.get(), L.o.get(), rows, d_.H, d_.q_dim, 1.0f);
        launch_rmsnorm(s, w.xn.get(), w.x.get(), L.post_norm.get(), rows, d_.H, eps);
        gemm_bf16(ctx_->cublas, w.gate_up.get(), w.xn.get(), L.gate_up.get(), rows, 2 * d_.I, d_.H, 0.0f);
        launch_swiglu(s, w.act.get(), w.gate_up.get(), rows, d_.I);
        gemm_bf16(ctx_->cublas, w.x.get(), w.act.get(), L.down.get(), rows, d_.H, d_.I, 1.0f);
    }
    const int first = rows - logit_rows;
    launch_rmsnorm(s, w.xn.get(), w.x.get() + size_t(first) * d_.H, final_norm_.get(), logit_rows, d_.H, eps);
    gemm_bf16(ctx_->cublas, w.logits.get(), w.xn.get(), lm_head_.empty() ? embed_.get() : lm_head_.get(), logit_rows,
              d_.V, d_.H, 0.0f);
    GS_CUDA(cudaGetLastError());
}

void CudaBackend::forward(const ForwardInput& in, KvCache& cache, ForwardOutput& out) {
    const int T = static_cast<int>(in.tokens.size());
    if (T == 0) throw Error("forward: empty block");
    if (in.infos.size() != in.tokens.size()) throw Error("forward: tokens and slot infos differ in length");
    if (!in.visible.empty() && in.visible.size() != in.tokens.size())
        throw Error("forward: visible ranges must be given for every row or for none");
    for (int32_t t : in.tokens)
        if (t < 0 || t >= d_.V)
            throw Error("token id " + std::to_string(t) + " is outside the model's vocabulary of " + std::to_string(d_.V));
    auto* kv = dynamic_cast<CudaKvStorage*>(&cache.storage());
    if (!kv) throw Error("forward: the KV cache was not made by the CUDA backend");
    const int base = cache.size();
    const int S = base + T;

    // Rows' visible ranges in CSR form; causal when none are given.
    std::vector<int> offsets(size_t(T) + 1, 0), ranges;
    for (int t = 0; t < T; ++t) {
        if (in.visible.empty()) {
            ranges.push_back(0);
            ranges.push_back(base + t + 1);
        } else {
            for (const auto& r : in.visible[size_t(t)]) {
                if (r.begin < 0 || r.end > S || r.begin > r.end)
                    throw Error("forward: visible range [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                                ") outside the cache of " + std::to_string(S) + " slots");
                ranges.push_back(r.begin);
                ranges.push_back(r.end);
            }
        }
        offsets[size_t(t) + 1] = int(ranges.size() / 2);
    }
    const int n_ranges = int(ranges.size() / 2);
    const int logit_rows = in.all_logits ? T : 1;
    const bool probe_on = in.probe.mode != AttentionProbeRequest::Mode::off || in.probe.per_head_sum;
    const size_t sums_count = size_t(d_.L) * size_t(d_.nkv) * size_t(S);  // (layers, nkv, S) H2O sums
    const size_t heads_count = size_t(d_.L) * size_t(d_.nh) * size_t(S);  // (layers, nh, S) last row per head
    const bool want_heads = in.probe.mode == AttentionProbeRequest::Mode::heads;
    const bool want_attention = in.probe.mode != AttentionProbeRequest::Mode::off && !want_heads;

    ctx_->bind();
    ensure_workspace(T, n_ranges, logit_rows);
    if (probe_on) ensure_probe(T, S);
    cache.append(in.infos);  // grows the planes if needed (before anything reads them)
    if (const uint8_t* valid = cache.head_validity()) kv->upload_head_validity(valid, S, cache.head_columns());

    const BlockLayout layout{ws_.row_cap, ws_.range_cap};
    int* hb = ws_.h_block.get();
    hb[0] = T;
    hb[1] = base;
    hb[2] = S;
    hb[3] = n_ranges;
    for (int t = 0; t < T; ++t) {
        hb[layout.tokens() + t] = in.tokens[size_t(t)];
        hb[layout.positions() + t] = in.infos[size_t(t)].position;
    }
    std::copy(offsets.begin(), offsets.end(), hb + layout.range_offsets());
    std::copy(ranges.begin(), ranges.end(), hb + layout.ranges());
    const cudaStream_t s = ctx_->stream;
    GS_CUDA(cudaMemcpyAsync(ws_.block.get(), hb, size_t(layout.ints()) * sizeof(int), cudaMemcpyHostToDevice, s));

    if (probe_on) {
        if (want_attention) GS_CUDA(cudaMemsetAsync(ws_.probe.get(), 0, size_t(T) * S * sizeof(float), s));
        if (want_heads) GS_CUDA(cudaMemsetAsync(ws_.probe_heads.get(), 0, heads_count * sizeof(float), s));
        if (in.probe.per_head_sum) GS_CUDA(cudaMemsetAsync(ws_.column_sums.get(), 0, sums_count * sizeof(float), s));
    }
    // The probe writes (T, S) row-major with S = this forward's cache size; ensure_probe made room.
    if (T == 1 && !probe_on && use_graphs_) {
        GS_CUDA(cudaGraphLaunch(decode_graph(*kv), s));
    } else {
        AttentionProbeRequest probe = in.probe;
        enqueue(T, logit_rows, *kv, probe_on ? &probe : nullptr, S);
    }

    const size_t n_logits = size_t(logit_rows) * d_.V;
    GS_CUDA(cudaMemcpyAsync(ws_.h_logits.get(), ws_.logits.get(), n_logits * sizeof(float), cudaMemcpyDeviceToHost, s));
    if (want_attention)
        GS_CUDA(cudaMemcpyAsync(ws_.h_probe.get(), ws_.probe.get(), size_t(T) * S * sizeof(float), cudaMemcpyDeviceToHost, s));
    if (in.probe.per_head_sum)
        GS_CUDA(cudaMemcpyAsync(ws_.h_sums.get(), ws_.column_sums.get(), sums_count * sizeof(float), cudaMemcpyDeviceToHost, s));
    if (want_heads)
        GS_CUDA(cudaMemcpyAsync(ws_.h_probe_heads.get(), ws_.probe_heads.get(), heads_count * sizeof(float),
                                cudaMemcpyDeviceToHost, s));
    GS_CUDA(cudaStreamSynchronize(s));  // the one host synchronisation of a forward

    out.logits.assign(ws_.h_logits.get(), ws_.h_logits.get() + n_logits);
    if (want_attention) out.attention.assign(ws_.h_probe.get(), ws_.h_probe.get() + size_t(T) * S);
    else out.attention.clear();
    if (in.probe.per_head_sum) out.attention_head_sums.assign(ws_.h_sums.get(), ws_.h_sums.get() + sums_count);
    else out.attention_head_sums.clear();
    if (want_heads) out.attention_heads.assign(ws_.h_probe_heads.get(), ws_.h_probe_heads.get() + heads_count);
    else out.attention_heads.clear();
}

}  // namespace

std::unique_ptr<Backend> make_cuda_backend(const Model& model, int device, int kv_slots, unsigned flags) {
    return std::make_unique<CudaBackend>(model, device, kv_slots, flags);
}

}  // namespace gistscope::cuda
