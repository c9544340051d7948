// The BF16 matmul on AVX-512 BF16's vdpbf16ps, prefill and decode: the activations are rounded to BF16
// (nearest even) once per call, then every instruction multiplies 32 BF16 pairs exactly and adds
// them, two by two, into 16 float32 lanes. That is twice the multiply-adds of a float32 FMA per
// instruction, and the weights go into the registers as they are stored, with no widening.
// Only the activations' rounding differs from matmul_avx512.cpp's float32 product: that is what
// llama.cpp does for BF16 weights, and what transformers does (and more: it rounds every
// intermediate) when it runs a BF16 checkpoint in BF16. This file alone is compiled with
// -mavx512bf16; matmul.cpp calls it only where cpuid has the instructions.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "hsum512.h"
#include "matmul_avx512.h"

namespace gistscope::cpu {
namespace {

// The last, partial 32 BF16 weights of a row (n - k < 32): zeros past n.
inline __m512bh load_w_tail(const uint16_t* row, int64_t k, int64_t n) {
    return __m512bh(_mm512_maskz_loadu_epi16(__mmask32((uint64_t(1) << (n - k)) - 1), row + k));
}

constexpr int kTileW = 6, kTileX = 4;  // 24 accumulators + 6 weight vectors + 1 activation vector (measured best of 3x8 .. 8x3)

// TW weight rows x TX activation rows (each padded to `stride` elements, a multiple of 32).
template <int TW, int TX>
void dot_tile(const uint16_t* const* w, const uint16_t* x, int64_t stride, int64_t n, float* res) {
    __m512 acc[TW][TX];
    for (auto& row : acc)
        for (auto& a : row) a = _mm512_setzero_ps();
    auto step = [&](int64_t k, const __m512bh (&wv)[TW]) __attribute__((always_inline)) {
#pragma GCC unroll 8
        for (int j = 0; j < TX; ++j) {
            const __m512bh xv = __m512bh(_mm512_loadu_si512(x + j * stride + k));
#pragma GCC unroll 8
            for (int t = 0; t < TW; ++t) acc[t][j] = _mm512_dpbf16_ps(acc[t][j], wv[t], xv);
        }
    };
    int64_t k = 0;
    for (; k + 32 <= n; k += 32) {
        __m512bh wv[TW];
#pragma GCC unroll 8
        for (int t = 0; t < TW; ++t) wv[t] = __m512bh(_mm512_loadu_si512(w[t] + k));
        step(k, wv);
    }
    if (k < n) {
        __m512bh wv[TW];
        for (int t = 0; t < TW; ++t) wv[t] = load_w_tail(w[t], k, n);
        step(k, wv);
    }
    hsum_all_512(&acc[0][0], TW * TX, res);
}

template <int TX = kTileX>
void run_tile(float* out, int64_t n_out, const uint16_t* xb, int64_t stride, int r, int tx, const uint16_t* w,
              int64_t o, int tw, int64_t n_in, const float* bias) {
    if constexpr (TX > 1) {
        if (tx < TX) return run_tile<TX - 1>(out, n_out, xb, stride, r, tx, w, o, tw, n_in, bias);
    }
    float res[kTileW * TX];
    const uint16_t* rows[kTileW];
    for (int t = 0; t < kTileW; ++t) rows[t] = w + (o + std::min(t, tw - 1)) * n_in;
    const uint16_t* x = xb + int64_t(r) * stride;
    if (tw == kTileW) dot_tile<kTileW, TX>(rows, x, stride, n_in, res);
    else
        for (int t = 0; t < tw; ++t) dot_tile<1, TX>(rows + t, x, stride, n_in, res + t * TX);
    for (int t = 0; t < tw; ++t)
        for (int j = 0; j < TX; ++j) out[int64_t(r + j) * n_out + o + t] = res[t * TX + j] + (bias ? bias[o + t] : 0.0f);
}

}  // namespace

void round_rows_to_bf16(uint16_t* out, int64_t stride, const float* x, int rows, int64_t n) {
    for (int r = 0; r < rows; ++r) {
        const float* src = x + int64_t(r) * n;
        uint16_t* dst = out + int64_t(r) * stride;
        for (int64_t k = 0; k < stride; k += 32) {
            const auto mask = [&](int64_t at) {
                return at >= n ? __mmask16(0) : at + 16 <= n ? __mmask16(0xffff) : __mmask16((1u << (n - at)) - 1);
            };
            const __m512 lo = _mm512_maskz_loadu_ps(mask(k), src + k);
            const __m512 hi = _mm512_maskz_loadu_ps(mask(k + 16), src + k + 16);
            // cvtne2ps_pbh(a, b): b's 16 values in the low half, a's in the high half
            _mm512_storeu_si512(dst + k, __m512i(_mm512_cvtne2ps_pbh(hi, lo)));
        }
    }
}

void matmul_bf16_dot(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool) {
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    const int64_t stride = (n_in + 31) / 32 * 32;
    thread_local std::vector<uint16_t> caller_xb;  // the workers read the caller's buffer
    std::vector<uint16_t>& xb = caller_xb;
    xb.resize(size_t(rows) * size_t(stride));
    round_rows_to_bf16(xb.data(), stride, x, rows, n_in);
    const auto* wd = static_cast<const uint16_t*>(w.data);
    if (rows == 1) {
        // Decode: the weight rows one after the other (one stream for the prefetchers), four
        // accumulators so that consecutive steps do not wait on one another.
        pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
            for (int64_t o = o0; o < o1; ++o) {
                const uint16_t* row = wd + o * n_in;
                __m512 a[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
                int64_t k = 0;
                for (; k + 128 <= n_in; k += 128)
#pragma GCC unroll 4
                    for (int u = 0; u < 4; ++u)
                        a[u] = _mm512_dpbf16_ps(a[u], __m512bh(_mm512_loadu_si512(row + k + 32 * u)),
                                                __m512bh(_mm512_loadu_si512(xb.data() + k + 32 * u)));
                for (; k + 32 <= n_in; k += 32)
                    a[0] = _mm512_dpbf16_ps(a[0], __m512bh(_mm512_loadu_si512(row + k)), __m512bh(_mm512_loadu_si512(xb.data() + k)));
                if (k < n_in) a[1] = _mm512_dpbf16_ps(a[1], load_w_tail(row, k, n_in), __m512bh(_mm512_loadu_si512(xb.data() + k)));
                out[o] = hsum512(_mm512_add_ps(_mm512_add_ps(a[0], a[1]), _mm512_add_ps(a[2], a[3]))) + (bias ? bias[o] : 0.0f);
            }
        });
        return;
    }
    // Weight panels of 256 KiB stay in L2 while every tile of activation rows passes over them.
    const int64_t panel = std::max<int64_t>(kTileW, (int64_t(256) << 10) / (2 * n_in) / kTileW * kTileW);
    pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
        for (int64_t p0 = o0; p0 < o1; p0 += panel) {
            const int64_t p1 = std::min(o1, p0 + panel);
            for (int r = 0; r < rows; r += kTileX)
                for (int64_t o = p0; o < p1; o += kTileW)
                    run_tile(out, n_out, xb.data(), stride, r, std::min(kTileX, rows - r), wd, o,
                             int(std::min<int64_t>(kTileW, p1 - o)), n_in, bias);
        }
    }, kTileW);
}

}  // namespace gistscope::cpu
