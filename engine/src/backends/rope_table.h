// rope_table.h: RoPE inverse frequencies of a model, computed once on the host by every backend
// (the CPU uses them directly, the CUDA plugin uploads them), so both rotate with the same floats.
#pragma once
#include <vector>

#include "gistscope/model.h"
#include "kernel_math.h"

namespace gistscope {

// (head_dim / 2) inv_freq values, llama3 scaling applied when the config asks for it.
inline std::vector<float> rope_inv_freq_table(const ModelConfig& c) {
    kmath::RopeParams rope;
    rope.theta = float(c.rope_theta);
    rope.head_dim = c.head_dim;
    if (c.rope_scaling.type == RopeScalingType::llama3) {
        rope.factor = float(c.rope_scaling.factor);
        rope.low_freq_factor = float(c.rope_scaling.low_freq_factor);
        rope.high_freq_factor = float(c.rope_scaling.high_freq_factor);
        rope.original_max_position = float(c.rope_scaling.original_max_position_embeddings);
    }
    std::vector<float> inv(static_cast<size_t>(c.head_dim / 2));
    for (int i = 0; i < c.head_dim / 2; ++i) inv[size_t(i)] = kmath::rope_inv_freq(rope, i);
    if (c.rope_scaling.freq_factors.size() == inv.size())  // GGUF's llama3 form, as llama.cpp applies it
        for (size_t i = 0; i < inv.size(); ++i) inv[i] /= c.rope_scaling.freq_factors[i];
    return inv;
}

}  // namespace gistscope
