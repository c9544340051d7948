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
}

void KvCache::erase_range(int begin, int end) {
    if (begin < 0 || end > size() || begin > end)
        throw Error("KV erase [" + std::to_string(begin) + ", " + std::to_string(end) + ") outside the cache of " +
                    std::to_string(size()) + " slots");
    if (begin == end) return;
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
    storage_->erase_slots(list, size());
    size_t w = 0, k = 0;
    for (size_t r = 0; r < slots_.size(); ++r) {
        if (k < list.size() && list[k] == static_cast<int>(r)) {
            ++k;
            continue;
        }
        slots_[w++] = slots_[r];
    }
    slots_.resize(w);
}

void KvCache::clear() {
    if (!slots_.empty()) storage_->erase_range(0, size(), size());
    slots_.clear();
}

}  // namespace gistscope
