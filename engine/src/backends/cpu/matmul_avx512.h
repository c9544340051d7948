// matmul_avx512.h: the F32 / F16 / BF16 matmul compiled for AVX-512 (matmul_avx512.cpp) and the
// BF16 dot-product matmul (matmul_bf16dot.cpp), which matmul.cpp calls only where the CPU and
// the OS support them.
#pragma once
#include "gistscope/model.h"
#include "thread_pool.h"

namespace gistscope::cpu {

// As matmul() for w.dtype f32 / f16 / bf16.
void matmul_float_avx512(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool);

// The BF16 matmul on AVX-512 BF16 (matmul_bf16dot.cpp): as matmul() for w.dtype bf16, with the
// activations rounded to BF16 (nearest even) before the products. Only where
// bf16_dot_available(); matmul() takes it for BF16 weights (prefill and decode) unless
// GISTSCOPE_BF16_MATMUL=float32 asks for the float32 product.
void matmul_bf16_dot(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool);
// x (rows, n) rounded to BF16, nearest even, each row padded with zeros to `stride` elements.
void round_rows_to_bf16(uint16_t* out, int64_t stride, const float* x, int rows, int64_t n);
// AVX-512 F/BW/VL plus AVX512_BF16 (cpuid leaf 7 sub-leaf 1), with the OS saving the state.
bool bf16_dot_available();
// What matmul() does with BF16 weights: bf16_dot_available() and the
// environment does not say GISTSCOPE_BF16_MATMUL=float32.
bool bf16_matmul_rounds_activations();

}  // namespace gistscope::cpu
