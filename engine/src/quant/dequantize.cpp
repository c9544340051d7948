// Reference dequantization of every DType, in gguf-py's arithmetic order: this file is compiled
// with -ffp-contract=off so d * q - m stays two roundings, as in numpy, and the result equals
// gguf.quants.dequantize bit for bit. It needs nothing else of the engine but dtype.cpp, so the
// CUDA plugin compiles it in to dequantize block-type weights at upload.
#include "blocks.h"
#include "gistscope/error.h"

namespace gistscope::quant {
namespace {

// ---- dequantization -------------------------------------------------------------------------

void dequant_q8_0(const BlockQ8_0* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 32) {
        const float d = f16(b[i].d);
        for (int j = 0; j < 32; ++j) y[j] = float(b[i].qs[j]) * d;
    }
}

void dequant_q4_0(const BlockQ4_0* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 32) {
        const float d = f16(b[i].d);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float((b[i].qs[j] & 0x0F) - 8);
            y[j + 16] = d * float((b[i].qs[j] >> 4) - 8);
        }
    }
}

void dequant_q4_1(const BlockQ4_1* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 32) {
        const float d = f16(b[i].d), m = f16(b[i].m);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float(b[i].qs[j] & 0x0F) + m;
            y[j + 16] = d * float(b[i].qs[j] >> 4) + m;
        }
    }
}

void dequant_q5_0(const BlockQ5_0* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 32) {
        const float d = f16(b[i].d);
        const uint32_t qh = load_u32(b[i].qh);
        for (int j = 0; j < 16; ++j) {
            const int lo = (b[i].qs[j] & 0x0F) | int(((qh >> j) & 1) << 4);
            const int hi = (b[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1) << 4);
            y[j] = d * float(lo - 16);
            y[j + 16] = d * float(hi - 16);
        }
    }
}

void dequant_q5_1(const BlockQ5_1* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 32) {
        const float d = f16(b[i].d), m = f16(b[i].m);
        const uint32_t qh = load_u32(b[i].qh);
        for (int j = 0; j < 16; ++j) {
            const int lo = (b[i].qs[j] & 0x0F) | int(((qh >> j) & 1) << 4);
            const int hi = (b[i].qs[j] >> 4) | int(((qh >> (j + 16)) & 1) << 4);
            y[j] = d * float(lo) + m;
            y[j + 16] = d * float(hi) + m;
        }
    }
}

// Q4_K and Q5_K: sub-block j (32 elements) is d * scale_j * q - dmin * min_j.
template <typename Block, bool kFifthBit>
void dequant_q45_k(const Block* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 256) {
        const float d = f16(b[i].d), dmin = f16(b[i].dmin);
        for (int j = 0; j < 8; ++j) {
            int sc, mn;
            k_scale_min(b[i].scales, j, sc, mn);
            const float ds = d * float(sc), dm = dmin * float(mn);
            const uint8_t* q = b[i].qs + 32 * (j / 2);
            const int shift = 4 * (j % 2);
            for (int l = 0; l < 32; ++l) {
                int v = (q[l] >> shift) & 0x0F;
                if constexpr (kFifthBit) v |= ((b[i].qh[l] >> j) & 1) << 4;
                y[32 * j + l] = ds * float(v) - dm;
            }
        }
    }
}

void dequant_q6_k(const BlockQ6_K* b, float* y, int64_t nb) {
    for (int64_t i = 0; i < nb; ++i, y += 256) {
        const float d = f16(b[i].d);
        for (int e = 0; e < 256; ++e) y[e] = (d * float(b[i].scales[e / 16])) * float(q6_k_value(b[i], e));
    }
}

}  // namespace

void dequantize_row(DType dtype, const void* src, float* dst, int64_t n) {
    const int be = dtype_block_elems(dtype);
    if (n % be != 0)
        throw Error(std::string("dequantize: ") + std::to_string(n) + " elements is not a whole number of " +
                    dtype_name(dtype) + " blocks of " + std::to_string(be));
    const int64_t nb = n / be;
    // A safetensors file's data starts right after its JSON header, at any byte: the 16-bit
    // values are read with memcpy, never through a uint16_t pointer that may be misaligned.
    const auto half_at = [src](int64_t i) {
        uint16_t h;
        std::memcpy(&h, static_cast<const unsigned char*>(src) + 2 * i, 2);
        return h;
    };
    switch (dtype) {
        case DType::f32: std::memcpy(dst, src, size_t(n) * 4); break;
        case DType::f16:
            for (int64_t i = 0; i < n; ++i) dst[i] = f16(half_at(i));
            break;
        case DType::bf16:
            for (int64_t i = 0; i < n; ++i) dst[i] = kmath::bf16_to_float(half_at(i));
            break;
        case DType::q8_0: dequant_q8_0(static_cast<const BlockQ8_0*>(src), dst, nb); break;
        case DType::q4_0: dequant_q4_0(static_cast<const BlockQ4_0*>(src), dst, nb); break;
        case DType::q4_1: dequant_q4_1(static_cast<const BlockQ4_1*>(src), dst, nb); break;
        case DType::q5_0: dequant_q5_0(static_cast<const BlockQ5_0*>(src), dst, nb); break;
        case DType::q5_1: dequant_q5_1(static_cast<const BlockQ5_1*>(src), dst, nb); break;
        case DType::q4_k: dequant_q45_k<BlockQ4_K, false>(static_cast<const BlockQ4_K*>(src), dst, nb); break;
        case DType::q5_k: dequant_q45_k<BlockQ5_K, true>(static_cast<const BlockQ5_K*>(src), dst, nb); break;
        case DType::q6_k: dequant_q6_k(static_cast<const BlockQ6_K*>(src), dst, nb); break;
    }
}

}  // namespace gistscope::quant
