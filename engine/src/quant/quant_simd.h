// quant_simd.h: the vector kernels of the block formats, written once on 256-bit registers and
// compiled twice: quant_avx2.cpp (x86-64-v3: maddubs + madd) and quant_avx512.cpp (-mavx512*:
// VNNI's vpdpbusd / vpdpwssd do the multiply-adds in one instruction, mask registers expand
// Q5's fifth bits, and 32 vector registers allow bigger tiles). Everything is in an anonymous
// namespace so the two compilations never meet at link time.
//
// The integer arithmetic is exact and equal to quant_reference.cpp's; only the order of the float
// sums differs (per-lane scaling, tile sums), which the tests bound.
#pragma once
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "blocks.h"
#include "gistscope/quant.h"

#if defined(__AVX512VNNI__) && defined(__AVX512VL__) && defined(__AVX512BW__)
#define GS_QUANT_AVX512 1
#include "../backends/cpu/hsum512.h"
#endif

namespace gistscope::quant {
namespace {

#ifdef GS_QUANT_AVX512
// Tiles: weight rows x activation rows of a prefill step (32 registers).
constexpr int kTileW32 = 4, kTileX32 = 4;
constexpr int kTileWK = 2, kTileXK = 4;
// Q6_K's values take twice the unpacking of Q4_K's (low and high bits, two scales per group):
// more activation rows share each unpacked group (8 rows: 136-140 GFLOP/s against 73-75 with 4,
// bench_quant --types Q6_K --cpu-time; Q4_K / Q5_K gain nothing measurable from 8).
constexpr int kTileXQ6K = 8;
#else
constexpr int kTileW32 = 2, kTileX32 = 4;
constexpr int kTileWK = 2, kTileXK = 2;
constexpr int kTileXQ6K = 2;
#endif
static_assert(kGemmWeightRowGrain % kTileW32 == 0 && kGemmWeightRowGrain % kTileWK == 0,
              "quant.h's grain must be a whole number of every weight-row tile");
// Decode walks the weight rows one after the other: one long sequential stream is what the
// hardware prefetchers follow best (4 rows side by side measured 1.6-1.8x slower).
constexpr int kMatvecRows = 1;

inline float half(uint16_t h) { return _cvtsh_ss(h); }

inline float hsum(__m256 v) {
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

inline int hsum_i32(__m256i v) {
    __m128i lo = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    lo = _mm_add_epi32(lo, _mm_shuffle_epi32(lo, _MM_SHUFFLE(1, 0, 3, 2)));
    lo = _mm_add_epi32(lo, _mm_shuffle_epi32(lo, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(lo);
}

inline float hmax(__m256 v) {
    __m128 lo = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    lo = _mm_max_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_max_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// 32 unsigned bytes times 32 signed bytes, summed in fours: 8 int32 lanes. The AVX2 form goes
// through saturating int16 pairs, so u * x pairs must stay below 32768 (u <= 128 here).
inline __m256i dot_u8s8(__m256i u, __m256i x) {
#ifdef GS_QUANT_AVX512
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, x);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, x), _mm256_set1_epi16(1));
#endif
}

// acc + pairwise int16 products of p and s.
inline __m256i madd_acc(__m256i acc, __m256i p, __m256i s) {
#ifdef GS_QUANT_AVX512
    return _mm256_dpwssd_epi32(acc, p, s);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, s));
#endif
}

// Byte j = 0x10 where bit j of `bits` is set (Q5's fifth bits).
inline __m256i fifth_bits(uint32_t bits) {
#ifdef GS_QUANT_AVX512
    return _mm256_maskz_mov_epi8(__mmask32(bits), _mm256_set1_epi8(0x10));
#else
    // Broadcast byte j / 8 of `bits` to byte j, then test bit j % 8 of it.
    const __m256i shuffle = _mm256_setr_epi64x(0, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303);
    __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(int(bits)), shuffle);
    v = _mm256_or_si256(v, _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe));
    return _mm256_and_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi64x(-1)), _mm256_set1_epi8(0x10));
#endif
}

// 16 bytes of nibbles: elements 0..15 (low nibbles) then 16..31 (high nibbles).
inline __m256i nibbles(const uint8_t* qs) {
    const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), _mm256_set1_epi8(0x0F));
}

// ---- 32-element block types ---------------------------------------------------------------
// values(): the 32 weights as bytes in element order, signed (kSigned: the dot product takes
// |w| times x with w's sign, so unsigned x signed bytes still apply) or unsigned (_1 types).

struct Q8_0T {
    using Block = BlockQ8_0;
    static constexpr bool kSigned = true, kMin = false;
    static __m256i values(const Block& b) { return load256(b.qs); }
};
struct Q4_0T {
    using Block = BlockQ4_0;
    static constexpr bool kSigned = true, kMin = false;
    static __m256i values(const Block& b) { return _mm256_sub_epi8(nibbles(b.qs), _mm256_set1_epi8(8)); }
};
struct Q4_1T {
    using Block = BlockQ4_1;
    static constexpr bool kSigned = false, kMin = true;
    static __m256i values(const Block& b) { return nibbles(b.qs); }
};
struct Q5_0T {
    using Block = BlockQ5_0;
    static constexpr bool kSigned = true, kMin = false;
    static __m256i values(const Block& b) {
        return _mm256_sub_epi8(_mm256_or_si256(nibbles(b.qs), fifth_bits(load_u32(b.qh))), _mm256_set1_epi8(16));
    }
};
struct Q5_1T {
    using Block = BlockQ5_1;
    static constexpr bool kSigned = false, kMin = true;
    static __m256i values(const Block& b) { return _mm256_or_si256(nibbles(b.qs), fifth_bits(load_u32(b.qh))); }
};

// TW weight rows x TX activation rows over nb blocks; res: (TW, TX). Small tiles (the matvec)
// alternate two accumulators so consecutive blocks do not wait on one FMA chain.
template <typename T, int TW, int TX>
void tile32(const uint8_t* const* w, const ActRow* x, int64_t nb, float* res) {
    using Block = typename T::Block;
    constexpr int U = TW * TX <= 2 ? 2 : 1;
    __m256 acc[U][TW][TX];
    for (auto& part : acc)
        for (auto& row : part)
            for (auto& a : row) a = _mm256_setzero_ps();
    float m_acc[U][TW][TX] = {};  // the _1 types' sum of m_w * s_x
    auto step = [&](int64_t b, __m256 (&a)[TW][TX], float (&ma)[TW][TX]) __attribute__((always_inline)) {
        // the activation blocks once per block, kept in registers for every weight row
        __m256i xb[TX];
        __m256 dx[TX];  // broadcast once per block: a pair then costs a multiply and an FMA
#pragma GCC unroll 8
        for (int j = 0; j < TX; ++j) {
            xb[j] = load256(x[j].qs + 32 * b);
            dx[j] = _mm256_set1_ps(x[j].d[b]);
        }
#pragma GCC unroll 8
        for (int i = 0; i < TW; ++i) {
            const Block& blk = reinterpret_cast<const Block*>(w[i])[b];
            __m256i u = T::values(blk);
            const __m256i sign_src = u;
            if constexpr (T::kSigned) u = _mm256_abs_epi8(u);
            const __m256 dw = _mm256_set1_ps(half(blk.d));
            float m = 0.0f;
            if constexpr (T::kMin) m = half(blk.m);
#pragma GCC unroll 8
            for (int j = 0; j < TX; ++j) {
                __m256i xv = xb[j];
                if constexpr (T::kSigned) xv = _mm256_sign_epi8(xv, sign_src);
                const __m256i lanes = dot_u8s8(u, xv);
                a[i][j] = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(lanes), dx[j]), dw, a[i][j]);
                if constexpr (T::kMin) ma[i][j] += m * x[j].s[b];
            }
        }
    };
    int64_t b = 0;
    for (; b + U <= nb; b += U)
#pragma GCC unroll 2
        for (int k = 0; k < U; ++k) step(b + k, acc[k], m_acc[k]);
    for (; b < nb; ++b) step(b, acc[0], m_acc[0]);
    for (int i = 0; i < TW; ++i)
        for (int j = 0; j < TX; ++j) {
            __m256 sum = acc[0][i][j];
            float m_sum = m_acc[0][i][j];
            for (int k = 1; k < U; ++k) {
                sum = _mm256_add_ps(sum, acc[k][i][j]);
                m_sum += m_acc[k][i][j];
            }
            res[i * TX + j] = hsum(sum) + m_sum;
        }
}

#ifdef GS_QUANT_AVX512
// ---- 32-element signed types, two blocks per 512-bit register (AVX-512) ---------------------
// Q8_0, Q4_0 and Q5_0 on 512-bit registers, bytes 0-31 one block and 32-63 the next: each
// instruction does two blocks' work. The weights are taken unsigned, u = w + kOffset, so no
// abs / sign pair is needed per (weight row, activation row); each lane's sum starts from
// -kOffset times the sum of its four activation bytes (one vpdpbusd per activation row, shared
// by every weight row), which makes every int32 lane exactly the 256-bit kernel's lane: the same
// integers, the same float steps, only the final sum's order differs.

// 16 bytes of nibbles of each of two blocks -> (b0 low, b0 high, b1 low, b1 high) nibbles.
inline __m512i nibbles_pair(const uint8_t* qs0, const uint8_t* qs1) {
    const __m512i both = _mm512_inserti64x4(
        _mm512_castsi256_si512(_mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(qs0)))),
        _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(qs1))), 1);
    const long long k4 = 0x0004000400040004;  // the 16-bit lanes of the high-nibble quarters: shift by 4
    const __m512i shift = _mm512_set_epi64(k4, k4, 0, 0, k4, k4, 0, 0);
    return _mm512_and_si512(_mm512_srlv_epi16(both, shift), _mm512_set1_epi8(0x0F));
}

// Two f16 scales -> lanes 0-7 the first, 8-15 the second.
inline __m512 scale_pair(uint16_t d0, uint16_t d1) {
    const __m128 two = _mm_cvtph_ps(_mm_cvtsi32_si128(int(uint32_t(d0) | (uint32_t(d1) << 16))));
    return _mm512_permutexvar_ps(_mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), _mm512_castps128_ps512(two));
}

struct Q8_0P {
    using Block = BlockQ8_0;
    static constexpr int kOffset = 128;
    static __m512i values(const Block& b0, const Block& b1) {
        const __m512i w = _mm512_inserti64x4(_mm512_castsi256_si512(load256(b0.qs)), load256(b1.qs), 1);
        return _mm512_xor_si512(w, _mm512_set1_epi8(char(0x80)));  // w + 128 as unsigned bytes
    }
};
struct Q4_0P {
    using Block = BlockQ4_0;
    static constexpr int kOffset = 8;
    static __m512i values(const Block& b0, const Block& b1) { return nibbles_pair(b0.qs, b1.qs); }
};
struct Q5_0P {
    using Block = BlockQ5_0;
    static constexpr int kOffset = 16;
    static __m512i values(const Block& b0, const Block& b1) {
        const uint64_t bits = uint64_t(load_u32(b0.qh)) | (uint64_t(load_u32(b1.qh)) << 32);
        return _mm512_or_si512(nibbles_pair(b0.qs, b1.qs), _mm512_maskz_mov_epi8(__mmask64(bits), _mm512_set1_epi8(0x10)));
    }
};

// TW weight rows x TX activation rows over the block pairs of nb blocks (an odd last block goes
// through tile32); res: (TW, TX).
template <typename P, typename T, int TW, int TX>
void tile32_pairs(const uint8_t* const* w, const ActRow* x, int64_t nb, float* res) {
    using Block = typename P::Block;
    __m512 acc[TW][TX];
    for (auto& row : acc)
        for (auto& a : row) a = _mm512_setzero_ps();
    const __m512i offset = _mm512_set1_epi8(char(P::kOffset));
    const __m512i lane_pick = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    int64_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        __m512i u[TW];
        __m512 dw[TW];
#pragma GCC unroll 8
        for (int i = 0; i < TW; ++i) {
            const Block* blk = reinterpret_cast<const Block*>(w[i]) + b;
            u[i] = P::values(blk[0], blk[1]);
            dw[i] = scale_pair(blk[0].d, blk[1].d);
        }
#pragma GCC unroll 8
        for (int j = 0; j < TX; ++j) {
            const __m512i xv = _mm512_loadu_si512(x[j].qs + 32 * b);
            const __m512 dx = _mm512_permutexvar_ps(
                lane_pick, _mm512_castps128_ps512(_mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double*>(x[j].d + b)))));
            // -kOffset * (the sum of each lane's four activation bytes)
            const __m512i start = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, xv));
#pragma GCC unroll 8
            for (int i = 0; i < TW; ++i) {
                const __m512i lanes = _mm512_dpbusd_epi32(start, u[i], xv);
                acc[i][j] = _mm512_fmadd_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(lanes), dx), dw[i], acc[i][j]);
            }
        }
    }
    float tail[TW * TX] = {};
    if (b < nb) {
        const uint8_t* wt[TW];
        ActRow xt[TX];
        for (int i = 0; i < TW; ++i) wt[i] = w[i] + size_t(b) * sizeof(Block);
        for (int j = 0; j < TX; ++j) xt[j] = ActRow{x[j].qs + 32 * b, x[j].d + b, x[j].s + b, x[j].sums + b};
        tile32<T, TW, TX>(wt, xt, nb - b, tail);
    }
    cpu::hsum_all_512(&acc[0][0], TW * TX, res);
    for (int k = 0; k < TW * TX; ++k) res[k] += tail[k];
}
#endif

// ---- K super-block types ------------------------------------------------------------------
// Per super-block a State (scales, mins) is decoded once per weight row; group(g) gives the 32
// values of elements 32g .. 32g + 31 (unsigned) and their int16 scales (lanes 0-7: elements
// 0-15, lanes 8-15: elements 16-31, as maddubs pairs them).

// Q4_K / Q5_K's 12 packed bytes -> 8 scales then 8 mins (6 bits each).
inline void unpack_k_scales(const uint8_t* packed, uint8_t* out16) {
    uint32_t u[3];
    std::memcpy(u, packed, 12);
    const uint32_t low6 = 0x3f3f3f3f, low4 = 0x0f0f0f0f, low2 = 0x03030303;
    const uint32_t v[4] = {
        u[0] & low6,                                     // scales 0-3
        (u[2] & low4) | (((u[0] >> 6) & low2) << 4),     // scales 4-7
        u[1] & low6,                                     // mins 0-3
        ((u[2] >> 4) & low4) | (((u[1] >> 6) & low2) << 4),  // mins 4-7
    };
    std::memcpy(out16, v, 16);
}

template <typename Block, bool kFifthBit>
struct Q45KT {
    struct State {
        uint8_t sm[16];    // scales 0-7, mins 0-7
        __m256i mins;      // (16 x int16) min j at lanes 2j, 2j + 1: pairs with the sums of 16
        __m256i qh;
        float d, dmin;
    };
    static void load(const Block& b, State& s) {
        unpack_k_scales(b.scales, s.sm);
        const __m128i m = _mm_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.sm + 8)));
        s.mins = _mm256_set_m128i(_mm_unpackhi_epi16(m, m), _mm_unpacklo_epi16(m, m));
        if constexpr (kFifthBit) s.qh = load256(b.qh);
        s.d = half(b.d);
        s.dmin = half(b.dmin);
    }
    static __m256i group(const Block& b, const State& s, int g, __m256i& scale) {
        scale = _mm256_set1_epi16(s.sm[g]);
        __m256i u = _mm256_and_si256(_mm256_srl_epi16(load256(b.qs + 32 * (g / 2)), _mm_cvtsi32_si128(4 * (g % 2))),
                                     _mm256_set1_epi8(0x0F));
        if constexpr (kFifthBit) {
            const __m256i bit = _mm256_and_si256(_mm256_srl_epi16(s.qh, _mm_cvtsi32_si128(g)), _mm256_set1_epi8(1));
            u = _mm256_or_si256(u, _mm256_slli_epi16(bit, 4));
        }
        return u;
    }
    // d_x (d sum - dmin sum_j min_j (sums of its 32 activations))
    static __m256 finish(const State& s, __m256i isum, const ActRow& x, int64_t b, __m256 acc) {
        const __m256i mins = _mm256_madd_epi16(load256(x.sums + 16 * b), s.mins);
        const float dx = x.d[b];
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(s.d * dx), acc);
        return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(mins), _mm256_set1_ps(s.dmin * dx), acc);
    }
};
using Q4_KT = Q45KT<BlockQ4_K, false>;
using Q5_KT = Q45KT<BlockQ5_K, true>;

struct Q6_KT {
    struct State {
        __m256i scales;  // (16 x int16)
        float d;
    };
    static void load(const BlockQ6_K& b, State& s) {
        s.scales = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales)));
        s.d = half(b.d);
    }
    static __m256i group(const BlockQ6_K& b, const State&, int g, __m256i& scale) {
        const int h = g / 4, k = g % 4;
        scale = _mm256_set_m128i(_mm_set1_epi16(b.scales[8 * h + 2 * k + 1]), _mm_set1_epi16(b.scales[8 * h + 2 * k]));
        const __m256i lo = _mm256_and_si256(
            _mm256_srl_epi16(load256(b.ql + 64 * h + 32 * (k & 1)), _mm_cvtsi32_si128(4 * (k >> 1))),
            _mm256_set1_epi8(0x0F));
        const __m256i hi = _mm256_and_si256(_mm256_srl_epi16(load256(b.qh + 32 * h), _mm_cvtsi32_si128(2 * k)),
                                            _mm256_set1_epi8(3));
        return _mm256_or_si256(lo, _mm256_slli_epi16(hi, 4));  // value + 32, in [0, 63]
    }
    // the stored values are offset by 32: subtract 32 sum_k scale_k (sum of its 16 activations)
    static __m256 finish(const State& s, __m256i isum, const ActRow& x, int64_t b, __m256 acc) {
        const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(load256(x.sums + 16 * b), s.scales), 5);
        isum = _mm256_sub_epi32(isum, offset);
        return _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_set1_ps(s.d * x.d[b]), acc);
    }
};

template <typename T, typename Block, int TW, int TX>
void tile_k(const uint8_t* const* w, const ActRow* x, int64_t nb, float* res) {
    __m256 acc[TW][TX];
    for (auto& row : acc)
        for (auto& a : row) a = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; ++b) {
        typename T::State st[TW];
        const Block* blk[TW];
#pragma GCC unroll 8
        for (int i = 0; i < TW; ++i) {
            blk[i] = reinterpret_cast<const Block*>(w[i]) + b;
            T::load(*blk[i], st[i]);
        }
        constexpr int U = TW * TX <= 2 ? 2 : 1;  // small tiles: even and odd groups apart
        __m256i isum_parts[U][TW][TX];
        for (auto& part : isum_parts)
            for (auto& row : part)
                for (auto& a : row) a = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int g = 0; g < 8; ++g) {
            auto& isum = isum_parts[g % U];
#pragma GCC unroll 8
            for (int i = 0; i < TW; ++i) {
                __m256i scale;
                const __m256i u = T::group(*blk[i], st[i], g, scale);
#pragma GCC unroll 8
                for (int j = 0; j < TX; ++j) {
                    const __m256i p = _mm256_maddubs_epi16(u, load256(x[j].qs + 256 * b + 32 * g));
                    isum[i][j] = madd_acc(isum[i][j], p, scale);
                }
            }
        }
#pragma GCC unroll 8
        for (int i = 0; i < TW; ++i)
#pragma GCC unroll 8
            for (int j = 0; j < TX; ++j) {
                __m256i isum = isum_parts[0][i][j];
                if constexpr (U == 2) isum = _mm256_add_epi32(isum, isum_parts[1][i][j]);
                acc[i][j] = T::finish(st[i], isum, x[j], b, acc[i][j]);
            }
    }
    for (int i = 0; i < TW; ++i)
        for (int j = 0; j < TX; ++j) res[i * TX + j] = hsum(acc[i][j]);
}

// ---- the drivers --------------------------------------------------------------------------

template <DType D> struct TypeOf;
template <> struct TypeOf<DType::q8_0> { using T = Q8_0T; };
template <> struct TypeOf<DType::q4_0> { using T = Q4_0T; };
template <> struct TypeOf<DType::q4_1> { using T = Q4_1T; };
template <> struct TypeOf<DType::q5_0> { using T = Q5_0T; };
template <> struct TypeOf<DType::q5_1> { using T = Q5_1T; };
template <> struct TypeOf<DType::q4_k> { using T = Q4_KT; };
template <> struct TypeOf<DType::q5_k> { using T = Q5_KT; };
template <> struct TypeOf<DType::q6_k> { using T = Q6_KT; };

constexpr bool is_k(DType d) { return d == DType::q4_k || d == DType::q5_k || d == DType::q6_k; }

template <DType D, int TW, int TX>
void tile(const uint8_t* const* w, const ActRow* x, int64_t n, float* res) {
    using T = typename TypeOf<D>::T;
    if constexpr (is_k(D)) {
        using Block = std::conditional_t<D == DType::q4_k, BlockQ4_K, std::conditional_t<D == DType::q5_k, BlockQ5_K, BlockQ6_K>>;
        tile_k<T, Block, TW, TX>(w, x, n / 256, res);
    } else {
#ifdef GS_QUANT_AVX512
        if constexpr (D == DType::q8_0) return tile32_pairs<Q8_0P, T, TW, TX>(w, x, n / 32, res);
        if constexpr (D == DType::q4_0) return tile32_pairs<Q4_0P, T, TW, TX>(w, x, n / 32, res);
        if constexpr (D == DType::q5_0) return tile32_pairs<Q5_0P, T, TW, TX>(w, x, n / 32, res);
#endif
        tile32<T, TW, TX>(w, x, n / 32, res);
    }
}

// Runs the tile of `ow` weight rows (TW or fewer) x `rx` activation rows (1..TX).
template <DType D, int TW, int TX>
void tile_any(const uint8_t* w0, size_t row_bytes, int ow, const ActRow* x, int rx, int64_t n, float* out,
              int64_t out_stride) {
    if constexpr (TX > 1) {
        if (rx < TX) return tile_any<D, TW, TX - 1>(w0, row_bytes, ow, x, rx, n, out, out_stride);
    }
    if constexpr (TW > 1) {
        if (ow < TW) {
            for (int i = 0; i < ow; ++i)
                tile_any<D, 1, TX>(w0 + size_t(i) * row_bytes, row_bytes, 1, x, rx, n, out + i, out_stride);
            return;
        }
    }
    const uint8_t* w[TW];
    for (int i = 0; i < TW; ++i) w[i] = w0 + size_t(i) * row_bytes;
    float res[TW * TX];
    tile<D, TW, TX>(w, x, n, res);
    for (int i = 0; i < TW; ++i)
        for (int j = 0; j < TX; ++j) out[j * out_stride + i] = res[i * TX + j];
}

template <DType D>
void gemm_typed(float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end, const ActRow* rows,
                int n_rows, int64_t n) {
    constexpr int TW = is_k(D) ? kTileWK : kTileW32;
    constexpr int TX = D == DType::q6_k ? kTileXQ6K : is_k(D) ? kTileXK : kTileX32;
    const size_t row_bytes = dtype_row_bytes(D, n);
    const auto* base = static_cast<const uint8_t*>(w);
    if (n_rows == 1) {
        // Decode: a matvec bound by memory bandwidth; several rows stream at once.
        for (int64_t o = o_begin; o < o_end; o += kMatvecRows) {
            const int ow = int(std::min<int64_t>(kMatvecRows, o_end - o));
            tile_any<D, kMatvecRows, 1>(base + size_t(o) * row_bytes, row_bytes, ow, rows, 1, n, out + o, out_stride);
        }
        return;
    }
    // Prefill: a panel of weight rows small enough to stay in L2 while every tile of activation
    // rows passes over it; within, TW x TX tiles reuse each decoded weight block TX times.
    const int64_t panel = std::max<int64_t>(TW, int64_t((size_t(192) << 10) / row_bytes) / TW * TW);
    for (int64_t p0 = o_begin; p0 < o_end; p0 += panel) {
        const int64_t p1 = std::min(o_end, p0 + panel);
        for (int r0 = 0; r0 < n_rows; r0 += TX) {
            const int rx = std::min(TX, n_rows - r0);
            for (int64_t o = p0; o < p1; o += TW) {
                const int ow = int(std::min<int64_t>(TW, p1 - o));
                tile_any<D, TW, TX>(base + size_t(o) * row_bytes, row_bytes, ow, rows + r0, rx, n,
                                    out + int64_t(r0) * out_stride + o, out_stride);
            }
        }
    }
}

void gemm_simd(DType weight, float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end,
               const ActRow* rows, int n_rows, int64_t n) {
    switch (weight) {
        case DType::q8_0: return gemm_typed<DType::q8_0>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q4_0: return gemm_typed<DType::q4_0>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q4_1: return gemm_typed<DType::q4_1>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q5_0: return gemm_typed<DType::q5_0>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q5_1: return gemm_typed<DType::q5_1>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q4_k: return gemm_typed<DType::q4_k>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q5_k: return gemm_typed<DType::q5_k>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        case DType::q6_k: return gemm_typed<DType::q6_k>(out, out_stride, w, o_begin, o_end, rows, n_rows, n);
        default: break;
    }
}

float dot_row_simd(DType weight, const void* w_row, const ActRow& a, int64_t n) {
    float r = 0.0f;
    gemm_simd(weight, &r, 1, w_row, 0, 1, &a, 1, n);
    return r;
}

// ---- activation quantization (bit for bit the reference's) --------------------------------

void quantize_row_simd(DType weight, const float* x, int64_t n, int8_t* qs, float* d, float* s, int16_t* sums) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    if (activation_block(weight) == kBlock32) {
        for (int64_t b = 0; b < n / 32; ++b) {
            const float* xb = x + 32 * b;
            __m256 v[4];
            __m256 amax = _mm256_setzero_ps();
            for (int k = 0; k < 4; ++k) {
                v[k] = _mm256_loadu_ps(xb + 8 * k);
                amax = _mm256_max_ps(amax, _mm256_and_ps(v[k], abs_mask));
            }
            const float mx = hmax(amax);
            const float scale = mx / 127.0f;
            const __m256 inv = _mm256_set1_ps(mx != 0.0f ? 127.0f / mx : 0.0f);
            __m256i q[4];
            for (int k = 0; k < 4; ++k) q[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], inv));  // nearest even
            const int sum = hsum_i32(_mm256_add_epi32(_mm256_add_epi32(q[0], q[1]), _mm256_add_epi32(q[2], q[3])));
            const __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
            // packs works within 128-bit lanes: put the 4-byte groups back in order
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(qs + 32 * b),
                                _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
            d[b] = round_to_f16(scale);
            s[b] = round_to_f16(scale * float(sum));
            sums[b] = int16_t(sum);
        }
        return;
    }
    for (int64_t b = 0; b < n / 256; ++b) {
        const float* xb = x + 256 * b;
        int8_t* q = qs + 256 * b;
        __m256 amax_v = _mm256_setzero_ps();
        for (int k = 0; k < 32; ++k) amax_v = _mm256_max_ps(amax_v, _mm256_and_ps(_mm256_loadu_ps(xb + 8 * k), abs_mask));
        const float amax = hmax(amax_v);
        if (amax == 0.0f) {
            for (int j = 0; j < 256; ++j) q[j] = 0;
            for (int j = 0; j < 16; ++j) sums[16 * b + j] = 0;
            d[b] = 0.0f;
            continue;
        }
        int first = 0;  // the first element of largest magnitude sets the sign, as in the reference
        while (__builtin_fabsf(xb[first]) != amax) ++first;
        const float iscale = -127.0f / xb[first];
        const __m256 mul = _mm256_set1_ps(iscale);
        for (int k = 0; k < 8; ++k) {
            __m256i v[4];
            for (int t = 0; t < 4; ++t) v[t] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(xb + 32 * k + 8 * t), mul));
            sums[16 * b + 2 * k] = int16_t(hsum_i32(_mm256_add_epi32(v[0], v[1])));
            sums[16 * b + 2 * k + 1] = int16_t(hsum_i32(_mm256_add_epi32(v[2], v[3])));
            const __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + 32 * k),
                                _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
        d[b] = 1.0f / iscale;
    }
}

}  // namespace
}  // namespace gistscope::quant
