// blocks.h: ggml's block layouts (fixed by the GGUF format) and the per-instruction-set kernel
// tables the dispatcher in quant.cpp chooses from.
#pragma once
#include <immintrin.h>
#include <cstdint>
#include <cstring>

#include "../backends/kernel_math.h"
#include "gistscope/quant.h"

namespace gistscope::quant {

constexpr int kBlock32 = 32;
constexpr int kBlockK = 256;

// 32-element blocks. d, m: f16 bits. qs: element j in the low nibble of byte j, element j + 16
// in the high nibble. qh: bit j is the fifth bit of element j (little-endian uint32).
struct BlockQ8_0 { uint16_t d; int8_t qs[32]; };
struct BlockQ4_0 { uint16_t d; uint8_t qs[16]; };
struct BlockQ4_1 { uint16_t d, m; uint8_t qs[16]; };
struct BlockQ5_0 { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; };
struct BlockQ5_1 { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; };
// 256-element super-blocks. Q4_K / Q5_K: 8 sub-blocks of 32 with 6-bit scales and mins packed
// in 12 bytes; chunk c of 64 elements is the low nibbles (sub-block 2c) then the high nibbles
// (2c + 1) of qs[32c .. 32c + 31]; Q5_K's fifth bit of sub-block j is bit j of qh[l].
struct BlockQ4_K { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; };
struct BlockQ5_K { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; };
// Q6_K: 16 sub-blocks of 16 with int8 scales; 6-bit values stored as 4 low bits (ql) and 2 high
// bits (qh), offset by 32.
struct BlockQ6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; };

static_assert(sizeof(BlockQ8_0) == 34 && sizeof(BlockQ4_0) == 18 && sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22 && sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ4_K) == 144 && sizeof(BlockQ5_K) == 176 && sizeof(BlockQ6_K) == 210);

// Helpers with internal linkage: quant_avx512.cpp is compiled with AVX-512 flags, and an inline
// function with external linkage compiled there could be the copy the linker keeps for every
// caller (SIGILL on a CPU without AVX-512).
namespace {

inline float f16(uint16_t h) { return kmath::f16_to_float(h); }

// Rounds to the nearest f16 (ties to even) and back, as ggml's GGML_FP32_TO_FP16 stores a scale.
#if defined(__clang__) && __clang_major__ < 15
// clang 14 (Debian 12's, used by the fuzz build) has no _Float16 on x86: F16C does the same
// rounding, and it is part of the x86-64-v3 baseline.
inline float round_to_f16(float x) { return _cvtsh_ss(_cvtss_sh(x, _MM_FROUND_TO_NEAREST_INT)); }
#else
inline float round_to_f16(float x) { return float(static_cast<_Float16>(x)); }
#endif

inline uint32_t load_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// Sub-block j's 6-bit scale and min of a Q4_K / Q5_K super-block.
inline void k_scale_min(const uint8_t* q, int j, int& scale, int& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// Q6_K element e of a super-block: half h = e / 128, then within it group k = (e % 128) / 32 and
// lane l: low nibble of ql[64h + 32(k & 1) + l] (high nibble for k >= 2), two bits of qh[32h + l].
inline int q6_k_value(const BlockQ6_K& b, int e) {
    const int h = e / 128, k = (e % 128) / 32, l = e % 32;
    const int lo = (b.ql[64 * h + 32 * (k & 1) + l] >> (4 * (k >> 1))) & 0x0F;
    const int hi = (b.qh[32 * h + l] >> (2 * k)) & 3;
    return (lo | (hi << 4)) - 32;
}

}  // namespace

// One activation row of a QuantizedActivations, as raw pointers for the kernels.
struct ActRow {
    const int8_t* qs;      // (n)
    const float* d;        // (n / block)
    const float* s;        // (n / 32) or null for the K types
    const int16_t* sums;   // (n / 32) or (n / 16)
};

// What one instruction set provides. quantize writes one row; gemm as quant::gemm.
struct KernelTable {
    void (*quantize_row)(DType weight, const float* x, int64_t n, int8_t* qs, float* d, float* s, int16_t* sums);
    float (*dot_row)(DType weight, const void* w_row, const ActRow& a, int64_t n);
    void (*gemm)(DType weight, float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end,
                 const ActRow* rows, int n_rows, int64_t n);
};

const KernelTable& scalar_kernels();
const KernelTable& avx2_kernels();
const KernelTable& avx512_kernels();

}  // namespace gistscope::quant
