// hsum512.h: the sum of a 512-bit register's 16 float lanes, for the files compiled with
// AVX-512 (matmul_avx512.cpp, matmul_bf16dot.cpp). GCC 12's _mm512_reduce_add_ps trips
// -Wuninitialized, hence this one.
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

}  // namespace gistscope::cpu
