// gistscope/kv_cache.h: the KV cache of one sequence. Metadata per slot lives here, on the host,
// for every backend; the K/V tensors live in backend storage (host memory for cpu, device memory
// for cuda). Slots are addressed by index; ranges are half-open [begin, end).
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace gistscope {

// What a slot holds. Written to traces: values are fixed.
enum class SlotRole : uint8_t {
    prompt = 0,
    thought = 1,    // a generated token of the current (not yet compressed) thought
    splitter = 2,   // <|splitter|>, the compression trigger
    gist = 3,       // a cache token <|o_j|> that carries a compressed thought
    continue_ = 4,  // <|continue|>, [o]
    anchor = 5,     // AnLLM's generated anchor
    answer = 6,     // a generated token after the reasoning (not compressed)
};
const char* slot_role_name(SlotRole role);
bool slot_role_parse(std::string_view name, SlotRole& role);

struct SlotInfo {
    int32_t token = 0;
    int32_t position = 0;   // RoPE position the key was rotated with; never renumbered
    SlotRole role = SlotRole::prompt;
    int32_t thought = -1;   // index of the thought the slot belongs to or compresses; -1 prompt
    int32_t step = 0;       // decoding step that fed it (0 = prefill)
};

// Slot infos of a prompt: positions 0..n-1, role prompt, step 0 (what a prefill appends).
std::vector<SlotInfo> prompt_slot_infos(std::span<const int32_t> ids);

// Backend-side K/V storage: `slots` entries per layer, each num_kv_heads * head_dim wide.
class KvStorage {
public:
    virtual ~KvStorage() = default;
    virtual void reserve(int slot_count) = 0;
    // Removes [begin, end) in every layer by moving the tail down (one memmove per layer).
    virtual void erase_range(int begin, int end, int size_before) = 0;
    // Removes the given slots (sorted, unique) in every layer, keeping the order of the rest.
    virtual void erase_slots(std::span<const int> sorted_slots, int size_before) = 0;
    virtual size_t bytes_per_slot() const = 0;
};

class KvCache {
public:
    explicit KvCache(std::unique_ptr<KvStorage> storage);

    int size() const { return static_cast<int>(slots_.size()); }
    const std::vector<SlotInfo>& slot_infos() const { return slots_; }
    const SlotInfo& slot(int i) const { return slots_[static_cast<size_t>(i)]; }

    // Called by a backend's forward: the block's rows become slots [size, size + n).
    void append(std::span<const SlotInfo> infos);
    // Drops [begin, end): thought eviction. Tail entries keep their order and positions.
    void erase_range(int begin, int end);
    // Drops arbitrary slots (H2O, SepLLM); `slots` need not be sorted.
    void erase_slots(std::vector<int> slot_indices);
    void clear();

    size_t bytes_per_slot() const { return storage_->bytes_per_slot(); }
    size_t bytes() const { return bytes_per_slot() * slots_.size(); }
    KvStorage& storage() { return *storage_; }

private:
    std::unique_ptr<KvStorage> storage_;
    std::vector<SlotInfo> slots_;  // (slots) metadata, index = slot
};

}  // namespace gistscope
