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

// Cache occupancy as the attention heads see it: how many slots each (layer, KV head) still
// attends to. Without head-level eviction every head sees every slot (mean = min = max = size).
struct HeadOccupancy {
    double mean = 0;
    int min = 0;
    int max = 0;
    int stored = 0;  // slots in storage: those at least one head still attends to
};

// Slots one (layer, KV head) stops attending to (per-head H2O).
struct HeadEviction {
    int layer = 0;
    int kv_head = 0;
    std::vector<int> dropped;  // slot indices, any order
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

    // Head-level validity (per-head H2O): once enabled, every (layer, KV head) has its own set of
    // slots it attends to; a slot stays in storage while any head still holds it. Methods that
    // evict whole slots never enable it, and backends then pay nothing for it (null mask).
    void enable_head_validity(int layers, int kv_heads);
    bool head_validity_enabled() const { return heads_ > 0; }
    // (size, layers * kv_heads) row-major: 1 where (layer, kv_head) = column layer * kv_heads +
    // kv_head attends to the slot; null while head validity is off.
    const uint8_t* head_validity() const { return heads_ > 0 ? head_valid_.data() : nullptr; }
    int head_columns() const { return heads_; }    // layers * kv_heads, 0 while off
    int head_kv_heads() const { return kv_heads_; }  // KV heads per layer, 0 while off
    bool head_sees(int layer, int kv_head, int slot) const {
        return heads_ == 0 || head_valid_[size_t(slot) * size_t(heads_) + size_t(layer * kv_heads_ + kv_head)] != 0;
    }
    // Slots (layer, kv_head) attends to: size() while head validity is off.
    int head_size(int layer, int kv_head) const {
        return heads_ == 0 ? size() : head_counts_[size_t(layer * kv_heads_ + kv_head)];
    }
    HeadOccupancy head_occupancy() const;
    // Marks the slots unseen for those heads, then removes from storage every slot no head sees
    // any more. Returns the positions of the removed slots, in slot order. Throws Error for a
    // head or slot out of range (the cache is left untouched).
    std::vector<int32_t> evict_for_heads(const std::vector<HeadEviction>& evictions);

    size_t bytes_per_slot() const { return storage_->bytes_per_slot(); }
    size_t bytes() const { return bytes_per_slot() * slots_.size(); }
    KvStorage& storage() { return *storage_; }

private:
    std::unique_ptr<KvStorage> storage_;
    // Drops the sorted, unique slots from metadata, head validity and storage.
    void erase_sorted(const std::vector<int>& sorted);

    std::vector<SlotInfo> slots_;  // (slots) metadata, index = slot
    int kv_heads_ = 0;             // KV heads per layer, while head validity is on
    int heads_ = 0;                // layers * kv_heads_; 0: head validity off
    std::vector<uint8_t> head_valid_;  // (slots, heads_) 1 = that head attends to the slot
    std::vector<int> head_counts_;     // (heads_) slots each head attends to
};

}  // namespace gistscope
