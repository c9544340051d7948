// hsum512.h: the sums of 512-bit registers' 16 float lanes, for the files compiled with AVX-512
// (matmul_avx512.cpp, matmul_bf16dot.cpp, quant_avx512.cpp). GCC 12's _mm512_reduce_add_ps trips
// -Wuninitialized, hence these. A prefill tile ends with one sum per accumulator; over a short row
// (896 elements: 28 steps of the BF16 kernel) summing them one by one cost a quarter of the
// tile's instructions, so they are summed four at a time.
#pragma once
#include <immintrin.h>

namespace gistscope::cpu {

inline float hsum512(__m512 v) {
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v),
                                   _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

// (sum of a, sum of b, sum of c, sum of d).
inline __m128 hsum4_512(__m512 a, __m512 b, __m512 c, __m512 d) {
    // 128-bit quarters q0..q3: ab = (a0 + a2, a1 + a3, b0 + b2, b1 + b3), cd likewise
    const __m512 ab = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                                    _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 cd = _mm512_add_ps(_mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(1, 0, 1, 0)),
                                    _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 2, 3, 2)));
    // quarter k: four partial sums of register k
    const __m512 q = _mm512_add_ps(_mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(3, 1, 3, 1)));
    const __m128 h01 = _mm_hadd_ps(_mm512_castps512_ps128(q), _mm512_extractf32x4_ps(q, 1));
    const __m128 h23 = _mm_hadd_ps(_mm512_extractf32x4_ps(q, 2), _mm512_extractf32x4_ps(q, 3));
    return _mm_hadd_ps(h01, h23);
}

// out[i] = the sum of acc[i]'s lanes, i < count.
inline void hsum_all_512(const __m512* acc, int count, float* out) {
    int i = 0;
    for (; i + 4 <= count; i += 4) _mm_storeu_ps(out + i, hsum4_512(acc[i], acc[i + 1], acc[i + 2], acc[i + 3]));
    for (; i < count; ++i) out[i] = hsum512(acc[i]);
}

}  // namespace gistscope::cpu
