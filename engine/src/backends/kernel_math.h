// kernel_math.h: the scalar arithmetic of every kernel, shared by the CPU reference and the CUDA
// plugin (__host__ __device__ when compiled by nvcc), so the CPU tests cover the GPU's formulas.
// Conventions follow Hugging Face transformers' Qwen2 / Llama modelling code.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define GS_HD __host__ __device__ inline
#else
#define GS_HD inline
#endif

namespace gistscope::kmath {

GS_HD float bits_to_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float f;
    std::memcpy(&f, &u, 4);
    return f;
#endif
}

GS_HD uint32_t float_to_bits(float f) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(f);
#else
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
#endif
}

// bfloat16 is the top half of a float32.
GS_HD float bf16_to_float(uint16_t b) { return bits_to_float(uint32_t(b) << 16); }

// Round to nearest even, NaN kept quiet (what torch's .to(bfloat16) does).
GS_HD uint16_t float_to_bf16(float f) {
    uint32_t u = float_to_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40);
    u += 0x7fffu + ((u >> 16) & 1u);
    return uint16_t(u >> 16);
}

// IEEE half -> float, subnormals included.
GS_HD float f16_to_float(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;
    if (exp == 0) {
        if (man == 0) return bits_to_float(sign);
        // subnormal: normalise
        int e = -1;
        do { ++e; man <<= 1; } while ((man & 0x400u) == 0);
        man &= 0x3ffu;
        return bits_to_float(sign | (uint32_t(127 - 15 - e) << 23) | (man << 13));
    }
    if (exp == 31) return bits_to_float(sign | 0x7f800000u | (man << 13));
    return bits_to_float(sign | ((exp + 127 - 15) << 23) | (man << 13));
}

GS_HD float silu(float x) { return x / (1.0f + expf(-x)); }

// 1 / sqrt(mean(x^2) + eps), as Qwen2RMSNorm / LlamaRMSNorm compute it in float32.
GS_HD float rms_inverse(float sum_of_squares, int n, float eps) {
    return 1.0f / sqrtf(sum_of_squares / float(n) + eps);
}

struct RopeParams {
    float theta = 10000.0f;
    int head_dim = 0;
    // llama3 scaling (factor <= 0: none)
    float factor = 0.0f;
    float low_freq_factor = 1.0f;
    float high_freq_factor = 4.0f;
    float original_max_position = 8192.0f;
};

// inv_freq[i] for i in [0, head_dim / 2), computed in float32 the way transformers does
// (1 / theta ** (2i / d)), then llama3's wavelength-dependent scaling.
GS_HD float rope_inv_freq(const RopeParams& p, int i) {
    const float exponent = float(2 * i) / float(p.head_dim);
    float inv = 1.0f / powf(p.theta, exponent);
    if (p.factor > 0.0f) {
        const float pi = 3.14159265358979323846f;
        const float low_freq_wavelen = p.original_max_position / p.low_freq_factor;
        const float high_freq_wavelen = p.original_max_position / p.high_freq_factor;
        const float wavelen = 2.0f * pi / inv;
        if (wavelen > low_freq_wavelen) {
            inv = inv / p.factor;
        } else if (wavelen >= high_freq_wavelen) {
            const float smooth = (p.original_max_position / wavelen - p.low_freq_factor) /
                                 (p.high_freq_factor - p.low_freq_factor);
            inv = (1.0f - smooth) * inv / p.factor + smooth * inv;
        }
    }
    return inv;
}

// The rotation angle of frequency `inv_freq` at `position`: a float32 product, as transformers'
// inv_freq @ position_ids (not a double, not cos(pos * theta^...) folded differently).
GS_HD float rope_angle(float inv_freq, int position) { return inv_freq * float(position); }

// rotate_half convention: element i pairs with i + head_dim / 2.
GS_HD void rope_rotate(float& a, float& b, float cos_v, float sin_v) {
    const float a2 = a * cos_v - b * sin_v;
    const float b2 = b * cos_v + a * sin_v;
    a = a2;
    b = b2;
}

// weight * (x * inv), the order Qwen2RMSNorm / LlamaRMSNorm multiply in.
GS_HD float rms_apply(float x, float inv, float weight) { return weight * (x * inv); }

// The MLP's activation: silu(gate) * up.
GS_HD float swiglu(float gate, float up) { return silu(gate) * up; }

// Online softmax (Milakov & Gimelshein, 2018): a running maximum and a running sum of
// exp(score - maximum), so attention can stream over keys once and merge partial results from
// several thread groups. An empty state has max = -inf and sum = 0; it contributes nothing.
struct SoftmaxState {
    float max;
    float sum;
};

GS_HD SoftmaxState softmax_empty() { return SoftmaxState{-INFINITY, 0.0f}; }

// Adds one finite score. Returns the factor by which the caller must scale its running weighted
// sum of values before adding `weight` * value, where `weight` = exp(score - new max).
GS_HD float softmax_push(SoftmaxState& s, float score, float& weight) {
    const float new_max = fmaxf(s.max, score);
    const float scale = s.max == -INFINITY ? 0.0f : expf(s.max - new_max);
    weight = expf(score - new_max);
    s.sum = s.sum * scale + weight;
    s.max = new_max;
    return scale;
}

// Merges `b` into `a`. The caller combines its weighted value sums as acc_a * scale_a + acc_b * scale_b.
GS_HD void softmax_merge(SoftmaxState& a, const SoftmaxState& b, float& scale_a, float& scale_b) {
    const float new_max = fmaxf(a.max, b.max);
    if (new_max == -INFINITY) {  // both empty
        scale_a = 0.0f;
        scale_b = 0.0f;
        return;
    }
    scale_a = a.max == -INFINITY ? 0.0f : expf(a.max - new_max);
    scale_b = b.max == -INFINITY ? 0.0f : expf(b.max - new_max);
    a.sum = a.sum * scale_a + b.sum * scale_b;
    a.max = new_max;
}

// The probability of a key with `score` once the whole row's state is known; 0 for an empty row.
GS_HD float softmax_probability(const SoftmaxState& s, float score) {
    return s.sum > 0.0f ? expf(score - s.max) / s.sum : 0.0f;
}

// Keys [0, count) split into `splits` contiguous chunks: chunk `j` is [begin, end).
GS_HD void split_chunk(int count, int splits, int j, int& begin, int& end) {
    const int per = (count + splits - 1) / splits;
    begin = j * per < count ? j * per : count;
    end = begin + per < count ? begin + per : count;
}

// A row's visible keys are a list of half-open slot ranges (begin, end pairs); the visible keys
// are numbered 0, 1, ... in range order. visible_count: how many; visible_nth: the slot of number
// `index` (index < visible_count); row_sees: whether `slot` is visible.
GS_HD int visible_count(const int* ranges, int n_ranges) {
    int count = 0;
    for (int r = 0; r < n_ranges; ++r) count += ranges[2 * r + 1] - ranges[2 * r];
    return count;
}

GS_HD int visible_nth(const int* ranges, int n_ranges, int index) {
    for (int r = 0; r < n_ranges; ++r) {
        const int len = ranges[2 * r + 1] - ranges[2 * r];
        if (index < len) return ranges[2 * r] + index;
        index -= len;
    }
    return -1;
}

GS_HD bool row_sees(const int* ranges, int n_ranges, int slot) {
    for (int r = 0; r < n_ranges; ++r)
        if (slot >= ranges[2 * r] && slot < ranges[2 * r + 1]) return true;
    return false;
}

// Argmax order: the larger value wins, ties go to the lower index (torch.argmax, std::max_element).
GS_HD bool argmax_better(float value, int index, float best_value, int best_index) {
    return value > best_value || (value == best_value && index < best_index);
}

// A counter-based random number for sampling on the device without state: splitmix64 of
// (seed, index), mapped to a float in (0, 1) with 24 bits.
GS_HD float uniform_open01(uint64_t seed, uint32_t index) {
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * (uint64_t(index) + 1ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return (float(uint32_t(z >> 40)) + 0.5f) * (1.0f / 16777216.0f);
}

// Gumbel-max sampling: argmax over i of logit_i / temperature + gumbel(seed, i) draws i with
// probability softmax(logits / temperature)_i, so sampling is the argmax reduction over keys.
GS_HD float gumbel_noise(uint64_t seed, uint32_t index) { return -logf(-logf(uniform_open01(seed, index))); }

}  // namespace gistscope::kmath
