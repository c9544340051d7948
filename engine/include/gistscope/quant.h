// gistscope/quant.h: GGUF's block-quantized weights (model.h DType q8_0 ... q6_k, ggml's byte
// layouts) for the CPU: reference dequantization (the tests' truth, equal to gguf-py's), the
// quantization of activations that the integer dot products need (as ggml does it), and the dot
// products / matrix products themselves, scalar and for each instruction set the CPU has.
#pragma once
#include <cstdint>
#include <vector>

#include "gistscope/model.h"

namespace gistscope::quant {

// Instruction sets with kernels of their own. avx2 (with FMA and F16C) is the build baseline;
// avx512 needs F, BW, VL, DQ and VNNI and is only ever run where cpuid and the OS report them.
enum class Isa : uint8_t { scalar = 0, avx2 = 1, avx512 = 2 };
const char* isa_name(Isa isa);
bool isa_available(Isa isa);
// The fastest available one; GISTSCOPE_ISA=scalar|avx2|avx512 lowers it (benchmarks, bug hunts).
Isa best_isa();

// Reference dequantization of n elements (a multiple of dtype_block_elems) of any DType, plain
// types included, in the arithmetic order gguf-py's `gguf.quants.dequantize` uses, so the result
// is bit for bit the same.
void dequantize_row(DType dtype, const void* src, float* dst, int64_t n);

// Activations quantized for one weight type, as ggml does: 32-element blocks with an f16-rounded
// scale (Q8_0), their integer sums and Q8_1's f16(d * sum) for the 32-block weight types;
// 256-element blocks with a float scale and sums of 16 (Q8_K) for the K types.
struct QuantizedActivations {
    DType weight = DType::q8_0;  // the weight type these are quantized for
    int rows = 0;
    int64_t n = 0;
    std::vector<int8_t> qs;      // (rows, n)
    std::vector<float> d;        // (rows, n / block): scale of each block (block 32 or 256)
    std::vector<float> s;        // (rows, n / 32): Q8_1's f16(d * sum); 32-block types only
    std::vector<int16_t> sums;   // (rows, n / 32) block sums; K types: (rows, n / 16) sums of 16

    int block() const;           // 32 or 256
};

// The activation block a weight type's dot product works on (32 or 256).
int activation_block(DType weight);
// Quantizes x: (rows, n) for weights of type `weight`; n must be a multiple of its block.
void quantize_activations(QuantizedActivations& out, DType weight, const float* x, int rows, int64_t n,
                          Isa isa = best_isa());

// One weight row (dtype_row_bytes(weight, n) bytes) against activation row `row`.
float dot_row(const void* w_row, const QuantizedActivations& a, int row, Isa isa = best_isa());

// out[r * out_stride + o] = dot(W row o, activation row r) for o in [o_begin, o_end) and every
// activation row: W is (n_out, a.n) row-major blocks. Rows > 1 run as a blocked matrix product
// (tiles of weight rows x activation rows from cache); one row as a matvec.
void gemm(float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end,
          const QuantizedActivations& a, Isa isa = best_isa());
// A multiple of every kernel's tile of weight rows (4 or 2): a share of the output rows that
// starts and ends on it runs no partial tile (ThreadPool::parallel_for's grain).
constexpr int kGemmWeightRowGrain = 4;

}  // namespace gistscope::quant
