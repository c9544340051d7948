// matmul_avx512.h: the F32 / F16 / BF16 matmul compiled for AVX-512 (matmul_avx512.cpp), which
// matmul.cpp calls only where the CPU and the OS support it.
#pragma once
#include "gistscope/model.h"
#include "thread_pool.h"

namespace gistscope::cpu {

// As matmul() for w.dtype f32 / f16 / bf16.
void matmul_float_avx512(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool);

}  // namespace gistscope::cpu
