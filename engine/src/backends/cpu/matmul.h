// matmul.h: y = x W^T (+ bias) with W stored as Hugging Face keeps it, (out, in) row-major, in
// any DType: the block types through quant.h's integer kernels, and
// F32, F16 or BF16. Weights are converted to float32 in registers as they stream by: decode is
// bound by memory bandwidth, and BF16 streams half the bytes of a float32 copy.
#pragma once
#include "gistscope/model.h"
#include "thread_pool.h"

namespace gistscope::cpu {

// out: (rows, w.shape[0]); x: (rows, w.shape[1]); bias: (w.shape[0]) or null.
void matmul(float* out, const float* x, int rows, const TensorView& w, const float* bias, ThreadPool& pool);

// sum a[i] * b[i] and y += alpha * x over n floats (attention over the cache).
float dot(const float* a, const float* b, int n);
void axpy(float* y, float alpha, const float* x, int n);

// Row `row` of an embedding-like matrix as float32 into out (w.shape[1] floats).
void row_to_float(float* out, const TensorView& w, int64_t row);

}  // namespace gistscope::cpu
