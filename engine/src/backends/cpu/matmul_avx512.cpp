// The F32 / F16 / BF16 matmul on 512-bit registers (AVX-512 F/BW/VL/DQ; this file alone is
// compiled with those flags, and matmul.cpp calls it only where quant::isa_available says so).
// The arithmetic is matmul.cpp's: weights widened to float32 exactly, float32 FMAs, activations
// never rounded. Twice the elements per instruction, and 32 registers for a 4 x 6 prefill tile.
#include <immintrin.h>

#include "hsum512.h"
#include "matmul_avx512.h"

namespace gistscope::cpu {
namespace {

template <DType D>
inline __m512 load16(const void* base, int64_t i) {
    if constexpr (D == DType::f32) return _mm512_loadu_ps(static_cast<const float*>(base) + i);
    else {
        const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(base) + i));
        if constexpr (D == DType::bf16) return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
        else return _mm512_cvtph_ps(h);
    }
}

// Elements [i, n) of a row, n - i < 16, as a masked load (zeros past the end).
template <DType D>
inline __m512 load_tail(const void* base, int64_t i, int count) {
    const __mmask16 m = __mmask16((1u << count) - 1);
    if constexpr (D == DType::f32) return _mm512_maskz_loadu_ps(m, static_cast<const float*>(base) + i);
    else {
        const __m256i h = _mm256_maskz_loadu_epi16(m, static_cast<const uint16_t*>(base) + i);
        if constexpr (D == DType::bf16) return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
        else return _mm512_cvtph_ps(h);
    }
}

inline __m512 load_x_tail(const float* x, int64_t i, int count) {
    return _mm512_maskz_loadu_ps(__mmask16((1u << count) - 1), x + i);
}

template <DType D>
float dot_row(const void* w, int64_t w_off, const float* x, int64_t n) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        a0 = _mm512_fmadd_ps(load16<D>(w, w_off + i), _mm512_loadu_ps(x + i), a0);
        a1 = _mm512_fmadd_ps(load16<D>(w, w_off + i + 16), _mm512_loadu_ps(x + i + 16), a1);
        a2 = _mm512_fmadd_ps(load16<D>(w, w_off + i + 32), _mm512_loadu_ps(x + i + 32), a2);
        a3 = _mm512_fmadd_ps(load16<D>(w, w_off + i + 48), _mm512_loadu_ps(x + i + 48), a3);
    }
    for (; i + 16 <= n; i += 16) a0 = _mm512_fmadd_ps(load16<D>(w, w_off + i), _mm512_loadu_ps(x + i), a0);
    if (i < n) a1 = _mm512_fmadd_ps(load_tail<D>(w, w_off + i, int(n - i)), load_x_tail(x, i, int(n - i)), a1);
    return hsum512(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

constexpr int kTileW = 4, kTileX = 6;

// TW weight rows x TX input rows; res: (TW, TX).
template <DType D, int TW, int TX>
void dot_tile(const void* w, int64_t w_off, int64_t stride, const float* x, int64_t n, float* res) {
    __m512 acc[TW][TX];
    for (auto& row : acc)
        for (auto& a : row) a = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 xv[TX];
#pragma GCC unroll 8
        for (int j = 0; j < TX; ++j) xv[j] = _mm512_loadu_ps(x + j * n + i);
#pragma GCC unroll 8
        for (int t = 0; t < TW; ++t) {
            const __m512 wv = load16<D>(w, w_off + t * stride + i);
#pragma GCC unroll 8
            for (int j = 0; j < TX; ++j) acc[t][j] = _mm512_fmadd_ps(wv, xv[j], acc[t][j]);
        }
    }
    if (i < n) {
        const int count = int(n - i);
        for (int t = 0; t < TW; ++t) {
            const __m512 wv = load_tail<D>(w, w_off + t * stride + i, count);
            for (int j = 0; j < TX; ++j) acc[t][j] = _mm512_fmadd_ps(wv, load_x_tail(x + j * n, i, count), acc[t][j]);
        }
    }
    hsum_all_512(&acc[0][0], TW * TX, res);
}

template <DType D, int TX = kTileX>
void run_tile(float* out, int64_t n_out, const float* x, int r, int tx, const void* w, int64_t o, int tw, int64_t n_in,
              const float* bias) {
    if constexpr (TX > 1) {
        if (tx < TX) return run_tile<D, TX - 1>(out, n_out, x, r, tx, w, o, tw, n_in, bias);
    }
    float res[kTileW * TX];
    if (tw == kTileW) dot_tile<D, kTileW, TX>(w, o * n_in, n_in, x + int64_t(r) * n_in, n_in, res);
    else
        for (int t = 0; t < tw; ++t) dot_tile<D, 1, TX>(w, (o + t) * n_in, n_in, x + int64_t(r) * n_in, n_in, res + t * TX);
    for (int t = 0; t < tw; ++t)
        for (int j = 0; j < TX; ++j) out[int64_t(r + j) * n_out + o + t] = res[t * TX + j] + (bias ? bias[o + t] : 0.0f);
}

template <DType D>
void matmul_typed(float* out, const float* x, int rows, const void* w, int64_t n_out, int64_t n_in, const float* bias,
                  ThreadPool& pool) {
    if (rows == 1) {
        pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
            for (int64_t o = o0; o < o1; ++o) out[o] = dot_row<D>(w, o * n_in, x, n_in) + (bias ? bias[o] : 0.0f);
        });
        return;
    }
    const int64_t row_bytes = n_in * (D == DType::f32 ? 4 : 2);
    int64_t panel = (int64_t(256) << 10) / row_bytes / kTileW * kTileW;
    if (panel < kTileW) panel = kTileW;
    pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
        for (int64_t p0 = o0; p0 < o1; p0 += panel) {
            const int64_t p1 = p0 + panel < o1 ? p0 + panel : o1;
            for (int r = 0; r < rows; r += kTileX)
                for (int64_t o = p0; o < p1; o += kTileW) {
                    const int tx = rows - r < kTileX ? rows - r : kTileX;
                    const int tw = p1 - o < kTileW ? int(p1 - o) : kTileW;
                    run_tile<D>(out, n_out, x, r, tx, w, o, tw, n_in, bias);
                }
        }
    }, kTileW);
}

}  // namespace

void matmul_float_avx512(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool) {
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    switch (w.dtype) {
        case DType::f32: return matmul_typed<DType::f32>(out, x, rows, w.data, n_out, n_in, bias, pool);
        case DType::bf16: return matmul_typed<DType::bf16>(out, x, rows, w.data, n_out, n_in, bias, pool);
        case DType::f16: return matmul_typed<DType::f16>(out, x, rows, w.data, n_out, n_in, bias, pool);
        default: return;
    }
}

}  // namespace gistscope::cpu
