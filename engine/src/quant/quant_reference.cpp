// The scalar reference kernels: ggml's activation quantization and the integer dot products of
// every block format, which the fast kernels are checked against.
#include <algorithm>
#include <cmath>

#include "blocks.h"
#include "gistscope/error.h"

namespace gistscope::quant {
namespace {

// ---- activation quantization ----------------------------------------------------------------

// 32-element blocks as ggml's AVX2 quantize_row_q8_0 / q8_1: d = amax / 127 kept as f16, values
// round(x * 127 / amax) to nearest even, Q8_1's s = f16(d * sum).
void quantize_row_q8_32(const float* x, int64_t n, int8_t* qs, float* d, float* s, int16_t* sums) {
    for (int64_t b = 0; b < n / 32; ++b) {
        const float* xb = x + 32 * b;
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(xb[j]));
        const float scale = amax / 127.0f;
        const float inv = amax != 0.0f ? 127.0f / amax : 0.0f;
        int sum = 0;
        for (int j = 0; j < 32; ++j) {
            const int q = int(std::nearbyint(xb[j] * inv));
            qs[32 * b + j] = int8_t(q);
            sum += q;
        }
        d[b] = round_to_f16(scale);
        s[b] = round_to_f16(scale * float(sum));
        sums[b] = int16_t(sum);
    }
}

// 256-element blocks as ggml's quantize_row_q8_K_ref: the scale follows the signed value of
// largest magnitude (the first one), values in [-127, 127], float scale, sums of 16.
void quantize_row_q8_k(const float* x, int64_t n, int8_t* qs, float* d, int16_t* sums) {
    for (int64_t b = 0; b < n / 256; ++b) {
        const float* xb = x + 256 * b;
        int8_t* q = qs + 256 * b;
        float mx = 0.0f, amax = 0.0f;
        for (int j = 0; j < 256; ++j) {
            const float a = std::fabs(xb[j]);
            if (a > amax) {
                amax = a;
                mx = xb[j];
            }
        }
        if (amax == 0.0f) {
            std::fill(q, q + 256, int8_t(0));
            std::fill(sums + 16 * b, sums + 16 * b + 16, int16_t(0));
            d[b] = 0.0f;
            continue;
        }
        const float iscale = -127.0f / mx;
        for (int j = 0; j < 256; ++j) q[j] = int8_t(std::min(127, int(std::nearbyint(iscale * xb[j]))));
        for (int g = 0; g < 16; ++g) {
            int sum = 0;
            for (int j = 0; j < 16; ++j) sum += q[16 * g + j];
            sums[16 * b + g] = int16_t(sum);
        }
        d[b] = 1.0f / iscale;
    }
}

void quantize_row(DType weight, const float* x, int64_t n, int8_t* qs, float* d, float* s, int16_t* sums) {
    if (activation_block(weight) == kBlockK) quantize_row_q8_k(x, n, qs, d, sums);
    else quantize_row_q8_32(x, n, qs, d, s, sums);
}

// ---- dot products ---------------------------------------------------------------------------

// Integer weights of one 32-block in element order, and whether the type has a min (_1 types).
template <typename Block>
void block32_values(const Block& b, int* v);

template <> void block32_values(const BlockQ8_0& b, int* v) { for (int j = 0; j < 32; ++j) v[j] = b.qs[j]; }
template <> void block32_values(const BlockQ4_0& b, int* v) {
    for (int j = 0; j < 16; ++j) { v[j] = (b.qs[j] & 0x0F) - 8; v[j + 16] = (b.qs[j] >> 4) - 8; }
}
template <> void block32_values(const BlockQ4_1& b, int* v) {
    for (int j = 0; j < 16; ++j) { v[j] = b.qs[j] & 0x0F; v[j + 16] = b.qs[j] >> 4; }
}
template <typename B5>
void block5_values(const B5& b, int* v, int offset) {
    const uint32_t qh = load_u32(b.qh);
    for (int j = 0; j < 16; ++j) {
        v[j] = ((b.qs[j] & 0x0F) | int(((qh >> j) & 1) << 4)) - offset;
        v[j + 16] = ((b.qs[j] >> 4) | int(((qh >> (j + 16)) & 1) << 4)) - offset;
    }
}
template <> void block32_values(const BlockQ5_0& b, int* v) { block5_values(b, v, 16); }
template <> void block32_values(const BlockQ5_1& b, int* v) { block5_values(b, v, 0); }

// sum over blocks of d_w d_x sum(w_q x_q) (+ m_w s_x for the _1 types), as ggml's vec_dot.
template <typename Block, bool kMin>
float dot_block32(const void* w_row, const ActRow& a, int64_t n) {
    const auto* w = static_cast<const Block*>(w_row);
    float sum = 0.0f;
    int v[32];
    for (int64_t b = 0; b < n / 32; ++b) {
        block32_values(w[b], v);
        int isum = 0;
        for (int j = 0; j < 32; ++j) isum += v[j] * a.qs[32 * b + j];
        sum += f16(w[b].d) * a.d[b] * float(isum);
        if constexpr (kMin) sum += f16(w[b].m) * a.s[b];
    }
    return sum;
}

template <typename Block, bool kFifthBit>
float dot_q45_k(const void* w_row, const ActRow& a, int64_t n) {
    const auto* w = static_cast<const Block*>(w_row);
    float sum = 0.0f;
    for (int64_t b = 0; b < n / 256; ++b) {
        const int8_t* x = a.qs + 256 * b;
        int main_sum = 0, min_sum = 0;
        for (int j = 0; j < 8; ++j) {
            int sc, mn;
            k_scale_min(w[b].scales, j, sc, mn);
            const uint8_t* q = w[b].qs + 32 * (j / 2);
            int isum = 0;
            for (int l = 0; l < 32; ++l) {
                int v = (q[l] >> (4 * (j % 2))) & 0x0F;
                if constexpr (kFifthBit) v |= ((w[b].qh[l] >> j) & 1) << 4;
                isum += v * x[32 * j + l];
            }
            main_sum += sc * isum;
            min_sum += mn * (a.sums[16 * b + 2 * j] + a.sums[16 * b + 2 * j + 1]);
        }
        sum += a.d[b] * (f16(w[b].d) * float(main_sum) - f16(w[b].dmin) * float(min_sum));
    }
    return sum;
}

float dot_q6_k(const void* w_row, const ActRow& a, int64_t n) {
    const auto* w = static_cast<const BlockQ6_K*>(w_row);
    float sum = 0.0f;
    for (int64_t b = 0; b < n / 256; ++b) {
        const int8_t* x = a.qs + 256 * b;
        int isum = 0;
        for (int g = 0; g < 16; ++g) {
            int gsum = 0;
            for (int e = 16 * g; e < 16 * g + 16; ++e) gsum += q6_k_value(w[b], e) * x[e];
            isum += w[b].scales[g] * gsum;
        }
        sum += a.d[b] * f16(w[b].d) * float(isum);
    }
    return sum;
}

float dot_row_scalar(DType weight, const void* w_row, const ActRow& a, int64_t n) {
    switch (weight) {
        case DType::q8_0: return dot_block32<BlockQ8_0, false>(w_row, a, n);
        case DType::q4_0: return dot_block32<BlockQ4_0, false>(w_row, a, n);
        case DType::q4_1: return dot_block32<BlockQ4_1, true>(w_row, a, n);
        case DType::q5_0: return dot_block32<BlockQ5_0, false>(w_row, a, n);
        case DType::q5_1: return dot_block32<BlockQ5_1, true>(w_row, a, n);
        case DType::q4_k: return dot_q45_k<BlockQ4_K, false>(w_row, a, n);
        case DType::q5_k: return dot_q45_k<BlockQ5_K, true>(w_row, a, n);
        case DType::q6_k: return dot_q6_k(w_row, a, n);
        default: throw Error(std::string("quantized dot product: ") + dtype_name(weight) + " is not a block type");
    }
}

void gemm_scalar(DType weight, float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end,
                 const ActRow* rows, int n_rows, int64_t n) {
    const size_t row_bytes = dtype_row_bytes(weight, n);
    for (int64_t o = o_begin; o < o_end; ++o)
        for (int r = 0; r < n_rows; ++r)
            out[r * out_stride + o] = dot_row_scalar(weight, static_cast<const uint8_t*>(w) + size_t(o) * row_bytes,
                                                     rows[r], n);
}

}  // namespace

const KernelTable& scalar_kernels() {
    static const KernelTable table{quantize_row, dot_row_scalar, gemm_scalar};
    return table;
}

}  // namespace gistscope::quant
