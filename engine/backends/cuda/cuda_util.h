// cuda_util.h: cuBLAS errors as gistscope::Error and the one GEMM every projection uses (device
// memory helpers are in cuda_memory.h).
#pragma once
#if !defined(GS_CUDA_EMULATION)
#include <cublas_v2.h>
#endif

#include "cuda_memory.h"

namespace gistscope::cuda {

inline void check(cublasStatus_t s, const char* what) {
    if (s != CUBLAS_STATUS_SUCCESS) throw Error(std::string("cuBLAS: ") + what + ": " + cublasGetStatusString(s));
}

// y (rows, n_out) f32 = x (rows, n_in) bf16 . W^T + beta * y, W (n_out, n_in) bf16 row-major as
// Hugging Face stores it; FP32 accumulation. beta = 1 fuses the residual add into the GEMM.
// (Column-major view: y^T (n_out x rows) = W_cm^T (n_out x n_in) . x^T (n_in x rows).)
inline void gemm_bf16(cublasHandle_t handle, float* y, const bf16_t* x, const bf16_t* w, int rows, int n_out, int n_in,
                      float beta) {
    const float alpha = 1.0f;
    GS_CUDA(cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, n_out, rows, n_in, &alpha, w, CUDA_R_16BF, n_in, x,
                         CUDA_R_16BF, n_in, &beta, y, CUDA_R_32F, n_out, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

}  // namespace gistscope::cuda
