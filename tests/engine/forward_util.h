// forward_util.h: the two ways the model tests drive a backend: every position's logits of one
// prefill, and greedy decoding one token at a time through the KV cache.
#pragma once
#include <algorithm>
#include <span>
#include <vector>

#include "gistscope/backend.h"

namespace testutil {

// Logits of every position of `ids`, prefilled as one block: (ids.size(), vocab).
inline std::vector<float> run_logits(gistscope::Backend& backend, const std::vector<int32_t>& ids) {
    using namespace gistscope;
    auto cache = backend.make_cache(int(ids.size()));
    const std::vector<SlotInfo> infos = prompt_slot_infos(ids);
    ForwardInput in;
    in.tokens = ids;
    in.infos = infos;
    in.all_logits = true;
    ForwardOutput out;
    backend.forward(in, *cache, out);
    return out.logits;
}

// The prompt as one block, then `n` tokens one per forward (the decode path), each the argmax of
// the last logits (the lowest id on a tie).
inline std::vector<int32_t> greedy(gistscope::Backend& backend, const std::vector<int32_t>& prompt, int n, int vocab) {
    using namespace gistscope;
    auto cache = backend.make_cache(int(prompt.size()) + n);
    const std::vector<SlotInfo> infos = prompt_slot_infos(prompt);
    ForwardInput in;
    ForwardOutput out;
    in.tokens = prompt;
    in.infos = infos;
    backend.forward(in, *cache, out);
    std::vector<int32_t> result;
    result.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        const auto last = out.logits.end() - vocab;
        result.push_back(int32_t(std::max_element(last, out.logits.end()) - last));
        SlotInfo info{result.back(), int32_t(prompt.size()) + i, SlotRole::thought, 0, i + 1};
        in.tokens = std::span<const int32_t>(&result.back(), 1);
        in.infos = std::span<const SlotInfo>(&info, 1);
        backend.forward(in, *cache, out);
    }
    return result;
}

}  // namespace testutil
