// KvCache: slot metadata on the host; the K/V rows in the backend's storage. Every erase keeps
// metadata and storage in step: one memmove per layer for a range, one compaction pass for a set.
#include "gistscope/kv_cache.h"

#include <algorithm>
#include <string_view>

#include "gistscope/error.h"

namespace gistscope {

const char* slot_role_name(SlotRole role) {
    switch (role) {
        case SlotRole::prompt: return "prompt";
        case SlotRole::thought: return "thought";
        case SlotRole::splitter: return "splitter";
        case SlotRole::gist: return "gist";
        case SlotRole::continue_: return "continue";
        case SlotRole::anchor: return "anchor";
        case SlotRole::answer: return "answer";
    }
    return "?";
}

bool slot_role_parse(std::string_view name, SlotRole& role) {
    for (int r = 0; r <= int(SlotRole::answer); ++r) {
        if (name == slot_role_name(SlotRole(r))) {
            role = SlotRole(r);
            return true;
        }
    }
    return false;
}

std::vector<SlotInfo> prompt_slot_infos(std::span<const int32_t> ids) {
    std::vector<SlotInfo> infos(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) infos[i] = {ids[i], int32_t(i), SlotRole::prompt, -1, 0};
    return infos;
}

KvCache::KvCache(std::unique_ptr<KvStorage> storage) : storage_(std::move(storage)) {}

void KvCache::append(std::span<const SlotInfo> infos) {
    storage_->reserve(size() + static_cast<int>(infos.size()));
    slots_.insert(slots_.end(), infos.begin(), infos.end());
    if (heads_ > 0) {  // a new slot is seen by every head
        head_valid_.resize(slots_.size() * size_t(heads_), 1);
        for (int& n : head_counts_) n += int(infos.size());
    }
}

void KvCache::erase_range(int begin, int end) {
    if (begin < 0 || end > size() || begin > end)
        throw Error("KV erase [" + std::to_string(begin) + ", " + std::to_string(end) + ") outside the cache of " +
                    std::to_string(size()) + " slots");
    if (begin == end) return;
    if (heads_ > 0) {  // few callers (a thought eviction under head validity): the general path
        std::vector<int> list(size_t(end - begin));
        for (int s = begin; s < end; ++s) list[size_t(s - begin)] = s;
        erase_sorted(list);
        return;
    }
    storage_->erase_range(begin, end, size());
    slots_.erase(slots_.begin() + begin, slots_.begin() + end);
}

void KvCache::erase_slots(std::vector<int> list) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    if (list.empty()) return;
    if (list.front() < 0 || list.back() >= size())
        throw Error("KV erase of slot " + std::to_string(list.front() < 0 ? list.front() : list.back()) +
                    " outside the cache of " + std::to_string(size()) + " slots");
    erase_sorted(list);
}

void KvCache::erase_sorted(const std::vector<int>& list) {
    storage_->erase_slots(list, size());
    const size_t H = size_t(heads_);
    size_t w = 0, k = 0;
    for (size_t r = 0; r < slots_.size(); ++r) {
        if (k < list.size() && list[k] == static_cast<int>(r)) {
            for (size_t c = 0; c < H; ++c) head_counts_[c] -= head_valid_[r * H + c];
            ++k;
            continue;
        }
        if (H > 0 && w != r) std::copy_n(head_valid_.begin() + long(r * H), H, head_valid_.begin() + long(w * H));
        slots_[w++] = slots_[r];
    }
    slots_.resize(w);
    head_valid_.resize(w * H);
}

void KvCache::clear() {
    if (!slots_.empty()) storage_->erase_range(0, size(), size());
    slots_.clear();
    head_valid_.clear();
    std::fill(head_counts_.begin(), head_counts_.end(), 0);
}

void KvCache::enable_head_validity(int layers, int kv_heads) {
    if (layers < 1 || kv_heads < 1)
        throw Error("KV head validity needs at least one layer and one KV head, got " + std::to_string(layers) +
                    " layers and " + std::to_string(kv_heads) + " KV heads");
    if (heads_ > 0) {
        if (heads_ == layers * kv_heads && kv_heads_ == kv_heads) return;
        throw Error("KV head validity is already on with another layout");
    }
    kv_heads_ = kv_heads;
    heads_ = layers * kv_heads;
    head_valid_.assign(slots_.size() * size_t(heads_), 1);
    head_counts_.assign(size_t(heads_), size());
}

HeadOccupancy KvCache::head_occupancy() const {
    if (heads_ == 0) return {double(size()), size(), size(), size()};
    HeadOccupancy o{0.0, head_counts_[0], head_counts_[0], size()};
    for (int n : head_counts_) {
        o.mean += n;
        o.min = std::min(o.min, n);
        o.max = std::max(o.max, n);
    }
    o.mean /= heads_;
    return o;
}

std::vector<int32_t> KvCache::evict_for_heads(const std::vector<HeadEviction>& evictions) {
    if (evictions.empty()) return {};
    if (heads_ == 0) throw Error("KV head eviction without head validity: call enable_head_validity first");
    const int layers = heads_ / kv_heads_;
    for (const auto& e : evictions) {
        if (e.layer < 0 || e.layer >= layers || e.kv_head < 0 || e.kv_head >= kv_heads_)
            throw Error("KV head eviction for layer " + std::to_string(e.layer) + " KV head " + std::to_string(e.kv_head) +
                        " outside " + std::to_string(layers) + " layers x " + std::to_string(kv_heads_) + " KV heads");
        for (int s : e.dropped)
            if (s < 0 || s >= size())
                throw Error("KV head eviction of slot " + std::to_string(s) + " outside the cache of " +
                            std::to_string(size()) + " slots");
    }
    const size_t H = size_t(heads_);
    for (const auto& e : evictions) {
        const size_t c = size_t(e.layer * kv_heads_ + e.kv_head);
        for (int s : e.dropped) {
            uint8_t& v = head_valid_[size_t(s) * H + c];
            head_counts_[c] -= v;
            v = 0;
        }
    }
    // Storage keeps a slot while any head still attends to it.
    std::vector<int> unseen;
    for (size_t r = 0; r < slots_.size(); ++r)
        if (std::none_of(head_valid_.begin() + long(r * H), head_valid_.begin() + long((r + 1) * H), [](uint8_t v) { return v != 0; }))
            unseen.push_back(int(r));
    std::vector<int32_t> positions;
    positions.reserve(unseen.size());
    for (int s : unseen) positions.push_back(slots_[size_t(s)].position);
    if (!unseen.empty()) erase_sorted(unseen);
    return positions;
}

}  // namespace gistscope
