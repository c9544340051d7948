// AVX2/FMA matmul over F32 / F16 / BF16 weights (float32 products and sums throughout: the
// activations are never rounded), and the dispatch of the block types to quant.h. Parallel over
// output rows (each thread streams its own slice of W once). Decode is a matvec over four weight
// rows at a time; prefill a blocked product of 4 x 3 register tiles over L2-sized weight panels.
#include "matmul.h"

#include <immintrin.h>

#include <cpuid.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../kernel_math.h"
#include "gistscope/error.h"
#include "gistscope/quant.h"
#include "matmul_avx512.h"

namespace gistscope::cpu {
namespace {

template <DType D>
inline __m256 load8(const void* base, int64_t i);

template <>
inline __m256 load8<DType::f32>(const void* base, int64_t i) {
    return _mm256_loadu_ps(static_cast<const float*>(base) + i);
}
template <>
inline __m256 load8<DType::bf16>(const void* base, int64_t i) {
    const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(base) + i));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}
template <>
inline __m256 load8<DType::f16>(const void* base, int64_t i) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const uint16_t*>(base) + i)));
}

template <DType D>
inline float load1(const void* base, int64_t i) {
    if constexpr (D == DType::f32) return static_cast<const float*>(base)[i];
    else if constexpr (D == DType::bf16) return kmath::bf16_to_float(static_cast<const uint16_t*>(base)[i]);
    else return kmath::f16_to_float(static_cast<const uint16_t*>(base)[i]);
}

inline float hsum(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

// One weight row against one input row: 4 independent accumulators hide the FMA latency.
template <DType D>
inline float dot_row(const void* w, int64_t w_off, const float* x, int64_t n) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a0 = _mm256_fmadd_ps(load8<D>(w, w_off + i), _mm256_loadu_ps(x + i), a0);
        a1 = _mm256_fmadd_ps(load8<D>(w, w_off + i + 8), _mm256_loadu_ps(x + i + 8), a1);
        a2 = _mm256_fmadd_ps(load8<D>(w, w_off + i + 16), _mm256_loadu_ps(x + i + 16), a2);
        a3 = _mm256_fmadd_ps(load8<D>(w, w_off + i + 24), _mm256_loadu_ps(x + i + 24), a3);
    }
    for (; i + 8 <= n; i += 8) a0 = _mm256_fmadd_ps(load8<D>(w, w_off + i), _mm256_loadu_ps(x + i), a0);
    float s = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; i < n; ++i) s += load1<D>(w, w_off + i) * x[i];
    return s;
}

// A TW x TX tile of the prefill product: TW weight rows against TX input rows, each converted
// weight vector used TX times and each input vector TW times from registers (4 x 3: 12
// accumulators, 7 loads per 12 FMAs). res: (TW, TX).
template <DType D, int TW, int TX>
inline void dot_tile(const void* w, int64_t w_off, int64_t stride, const float* x, int64_t n, float* res) {
    __m256 acc[TW][TX];
    for (auto& row : acc)
        for (auto& a : row) a = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 xv[TX];
#pragma GCC unroll 8
        for (int j = 0; j < TX; ++j) xv[j] = _mm256_loadu_ps(x + j * n + i);
#pragma GCC unroll 8
        for (int t = 0; t < TW; ++t) {
            const __m256 wv = load8<D>(w, w_off + t * stride + i);
#pragma GCC unroll 8
            for (int j = 0; j < TX; ++j) acc[t][j] = _mm256_fmadd_ps(wv, xv[j], acc[t][j]);
        }
    }
    for (int t = 0; t < TW; ++t)
        for (int j = 0; j < TX; ++j) {
            float r = hsum(acc[t][j]);
            for (int64_t k = i; k < n; ++k) r += load1<D>(w, w_off + t * stride + k) * x[j * n + k];
            res[t * TX + j] = r;
        }
}

constexpr int kTileW = 4, kTileX = 3;

// The tile of `tw` (<= kTileW) weight rows x `tx` (<= kTileX) input rows at (o, r).
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
void matmul_typed(float* out, const float* x, int rows, const void* w, int64_t n_out, int64_t n_in,
                  const float* bias, ThreadPool& pool) {
    if (rows == 1) {
        // Decode: a matvec that walks the weight rows in memory order, one long sequential stream
        // for the hardware prefetchers (four rows side by side measured slower).
        pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
            for (int64_t o = o0; o < o1; ++o) out[o] = dot_row<D>(w, o * n_in, x, n_in) + (bias ? bias[o] : 0.0f);
        });
        return;
    }
    // Prefill: a blocked product. Each worker takes a share of the output rows in panels small
    // enough to stay in L2 while every tile of input rows passes over them.
    const size_t row_bytes = dtype_row_bytes(D, n_in);
    const int64_t panel = std::max<int64_t>(kTileW, int64_t((size_t(256) << 10) / row_bytes) / kTileW * kTileW);
    pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
        for (int64_t p0 = o0; p0 < o1; p0 += panel) {
            const int64_t p1 = std::min(o1, p0 + panel);
            for (int r = 0; r < rows; r += kTileX)
                for (int64_t o = p0; o < p1; o += kTileW)
                    run_tile<D>(out, n_out, x, r, std::min(kTileX, rows - r), w, o, int(std::min<int64_t>(kTileW, p1 - o)),
                                n_in, bias);
        }
    }, kTileW);
}

// GISTSCOPE_QUANT_MATMUL=float32: each weight row dequantized and multiplied with the float32
// activations, as transformers does on a dequantized copy. The default quantizes the activations
// to 8 bits as llama.cpp does (on SmolLM2 Q4_1 that moves logits by up to about 2 from the
// dequantized copy's); this slower product is how the engine is checked against PyTorch exactly.
bool quant_matmul_float32() {
    static const bool on = [] {
        const char* env = std::getenv("GISTSCOPE_QUANT_MATMUL");
        return env && std::strcmp(env, "float32") == 0;
    }();
    return on;
}

void matmul_quantized_float(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool) {
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    const size_t row_bytes = dtype_row_bytes(w.dtype, n_in);
    pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
        std::vector<float> row(static_cast<size_t>(n_in));
        for (int64_t o = o0; o < o1; ++o) {
            quant::dequantize_row(w.dtype, static_cast<const uint8_t*>(w.data) + size_t(o) * row_bytes, row.data(), n_in);
            for (int r = 0; r < rows; ++r)
                out[r * n_out + o] = dot(row.data(), x + size_t(r) * size_t(n_in), int(n_in)) + (bias ? bias[o] : 0.0f);
        }
    });
}

// Block-quantized weights: the activations are quantized once (8 bits, as llama.cpp does), then
// each worker runs the integer kernels over its share of the output rows.
void matmul_quantized(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool) {
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    if (quant_matmul_float32()) return matmul_quantized_float(out, x, rows, w, bias, pool);
    thread_local quant::QuantizedActivations caller_act;  // (rows, n_in), reused across calls
    // the workers must see the caller's buffer, not their own thread_local one
    quant::QuantizedActivations& act = caller_act;
    quant::quantize_activations(act, w.dtype, x, rows, n_in);
    pool.parallel_for(n_out, [&](int64_t o0, int64_t o1, int) {
        quant::gemm(out, n_out, w.data, o0, o1, act);
        if (bias)
            for (int r = 0; r < rows; ++r)
                for (int64_t o = o0; o < o1; ++o) out[r * n_out + o] += bias[o];
    }, rows > 1 ? quant::kGemmWeightRowGrain : 1);
}

}  // namespace

bool bf16_dot_available() {
    static const bool has = [] {
        if (quant::best_isa() != quant::Isa::avx512) return false;  // F/BW/VL and the OS's ZMM state
        unsigned a = 0, b = 0, c = 0, d = 0;
        // clang 14's __builtin_cpu_supports does not know avx512bf16: leaf 7, sub-leaf 1, EAX bit 5
        return __get_cpuid_count(7, 1, &a, &b, &c, &d) && (a & (1u << 5));
    }();
    return has;
}

bool bf16_matmul_rounds_activations() {
    static const bool on = [] {
        const char* env = std::getenv("GISTSCOPE_BF16_MATMUL");
        return bf16_dot_available() && !(env && std::strcmp(env, "float32") == 0);
    }();
    return on;
}

void matmul(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool) {
    const int64_t n_out = w.shape[0], n_in = w.shape[1];
    if (dtype_is_quantized(w.dtype)) return matmul_quantized(out, x, rows, w, bias, pool);
    // BF16 weights: twice the multiply-adds per instruction and no widening of the weights, the
    // activations rounded to BF16 (prefill 1.8x the float32 kernel's GFLOP/s; decode, which waits
    // on memory, 15-18% more tokens/s with fewer instructions per byte)
    if (w.dtype == DType::bf16 && bf16_matmul_rounds_activations())
        return matmul_bf16_dot(out, x, rows, w, bias, pool);
    // the same float32 arithmetic on 512-bit registers where the CPU has them
    static const bool avx512 = quant::best_isa() == quant::Isa::avx512;
    if (avx512 && (w.dtype == DType::f32 || w.dtype == DType::f16 || w.dtype == DType::bf16))
        return matmul_float_avx512(out, x, rows, w, bias, pool);
    switch (w.dtype) {
        case DType::f32: matmul_typed<DType::f32>(out, x, rows, w.data, n_out, n_in, bias, pool); break;
        case DType::bf16: matmul_typed<DType::bf16>(out, x, rows, w.data, n_out, n_in, bias, pool); break;
        case DType::f16: matmul_typed<DType::f16>(out, x, rows, w.data, n_out, n_in, bias, pool); break;
        default: throw Error(std::string("CPU matmul: weights of type ") + dtype_name(w.dtype) + " are not supported");
    }
}

float dot(const float* a, const float* b, int n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float s = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; ++i) s += a[i] * b[i];
    return s;
}

void axpy(float* y, float alpha, const float* x, int n) {
    const __m256 va = _mm256_set1_ps(alpha);
    int i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += alpha * x[i];
}

void row_to_float(float* out, const TensorView& w, int64_t row) {
    const int64_t n = w.shape[1];
    quant::dequantize_row(w.dtype, static_cast<const uint8_t*>(w.data) + size_t(row) * dtype_row_bytes(w.dtype, n), out, n);
}

}  // namespace gistscope::cpu
