// gistscope/backend.h: the one primitive every compression method is built on (spec 5.3):
// run a block of tokens with explicit positions, where each row sees only the cache slots it is
// given, append the block to the KV cache, and return logits (and optionally attention weights).
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "gistscope/kv_cache.h"
#include "gistscope/model.h"

namespace gistscope {

// Slots [begin, end) of the cache as it is after the block has been appended.
struct SlotRange {
    int32_t begin = 0;
    int32_t end = 0;
};

// Which attention weights to copy out of a forward, for the heatmaps and for H2O.
struct AttentionProbeRequest {
    // heads: every layer and query head, for the block's last row only (attention_heads); the
    // window's choice of layer and head after a run.
    enum class Mode : uint8_t { off = 0, layer = 1, average = 2, heads = 3 } mode = Mode::off;
    int layer = 0;      // Mode::layer
    int head = -1;      // -1: mean over heads
    bool per_head_sum = false;  // also return per-(layer, KV head) column sums of attention (H2O)
    bool head_sum_group = false;  // those sums add every query head of the KV group, not only the first
};

struct ForwardInput {
    std::span<const int32_t> tokens;     // (rows)
    std::span<const SlotInfo> infos;     // (rows) metadata of the new slots; position used for RoPE
    // (rows) visible ranges per row; empty => causal: all earlier slots and the block up to itself.
    std::vector<std::vector<SlotRange>> visible;
    bool all_logits = false;             // false: logits of the last row only
    AttentionProbeRequest probe;
};

struct ForwardOutput {
    std::vector<float> logits;           // (rows or 1, vocab)
    // (rows, cache size after the block) attention probabilities per row, 0 where invisible
    // (Mode::layer, Mode::average).
    std::vector<float> attention;
    // (layers, query heads, cache size after the block) the last row's probabilities per layer and
    // head, 0 where invisible (Mode::heads).
    std::vector<float> attention_heads;
    // (layers, kv_heads, cache size after the block) attention probabilities summed over the
    // block's rows, per layer and KV head, when per_head_sum. The KV head's score is its group's
    // first query head, as H2O's reference (meta-llama HHCache, `[:, ::num_kv_groups]`) takes it,
    // or with head_sum_group the sum over the group's query heads.
    std::vector<float> attention_head_sums;
};

struct BackendInfo {
    std::string name;        // "cpu", "cuda"
    std::string device;      // "Intel Xeon, 2 threads", "NVIDIA H100 80GB"
    std::string note;        // why this backend (e.g. the reason for a CPU fallback)
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual BackendInfo info() const = 0;
    virtual std::unique_ptr<KvCache> make_cache(int capacity_hint) const = 0;
    virtual void forward(const ForwardInput& input, KvCache& cache, ForwardOutput& output) = 0;
    virtual const ModelConfig& config() const = 0;
};

// The reference backend. `threads` <= 0: all hardware threads (one for models under 64 MiB).
std::unique_ptr<Backend> make_cpu_backend(const Model& model, int threads = 0);

// Sum over layers and KV heads of ForwardOutput::attention_head_sums: (slots).
std::vector<float> attention_slot_sums(const std::vector<float>& head_sums, int slots);

// Builds the rows' visible ranges for a block appended at `cache_size`: causal for every row.
std::vector<std::vector<SlotRange>> causal_visibility(int cache_size, int rows);

}  // namespace gistscope
