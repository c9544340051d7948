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

// rotate_half convention: element i pairs with i + head_dim / 2.
GS_HD void rope_rotate(float& a, float& b, float cos_v, float sin_v) {
    const float a2 = a * cos_v - b * sin_v;
    const float b2 = b * cos_v + a * sin_v;
    a = a2;
    b = b2;
}

}  // namespace gistscope::kmath
