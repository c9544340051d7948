// cuda_util.h: error checks that turn CUDA / cuBLAS failures into gistscope::Error, RAII owners of
// device and pinned host memory, and the one GEMM every projection uses.
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "gistscope/error.h"
#include "kernels.h"

namespace gistscope::cuda {

inline void check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw Error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}
inline void check(cublasStatus_t s, const char* what) {
    if (s != CUBLAS_STATUS_SUCCESS) throw Error(std::string("cuBLAS: ") + what + ": " + cublasGetStatusString(s));
}
#define GS_CUDA(call) ::gistscope::cuda::check((call), #call)

// "17.2 GiB"
std::string gib(size_t bytes);

// `count` elements of T in device memory; one owner, freed on destruction.
template <class T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(size_t count) { allocate(count); }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        if (this != &o) {
            reset();
            ptr_ = std::exchange(o.ptr_, nullptr);
            count_ = std::exchange(o.count_, 0);
        }
        return *this;
    }
    ~DeviceBuffer() { reset(); }

    // Discards the contents.
    void allocate(size_t count) {
        reset();
        if (count == 0) return;
        void* p = nullptr;
        const cudaError_t e = cudaMalloc(&p, count * sizeof(T));
        if (e != cudaSuccess) {
            (void)cudaGetLastError();  // clear the sticky-free error so later calls are not blamed
            throw Error("CUDA: out of device memory allocating " + gib(count * sizeof(T)) + " (" +
                        cudaGetErrorString(e) + ")");
        }
        ptr_ = static_cast<T*>(p);
        count_ = count;
    }
    void reset() {
        if (ptr_) cudaFree(ptr_);
        ptr_ = nullptr;
        count_ = 0;
    }
    T* get() const { return ptr_; }
    size_t size() const { return count_; }
    size_t bytes() const { return count_ * sizeof(T); }
    bool empty() const { return count_ == 0; }

private:
    T* ptr_ = nullptr;
    size_t count_ = 0;
};

// Page-locked host memory, so that H2D / D2H copies are truly asynchronous.
template <class T>
class PinnedBuffer {
public:
    PinnedBuffer() = default;
    PinnedBuffer(const PinnedBuffer&) = delete;
    PinnedBuffer& operator=(const PinnedBuffer&) = delete;
    ~PinnedBuffer() { reset(); }
    void allocate(size_t count) {
        reset();
        if (count == 0) return;
        void* p = nullptr;
        GS_CUDA(cudaMallocHost(&p, count * sizeof(T)));
        ptr_ = static_cast<T*>(p);
        count_ = count;
    }
    void reset() {
        if (ptr_) cudaFreeHost(ptr_);
        ptr_ = nullptr;
        count_ = 0;
    }
    T* get() const { return ptr_; }
    size_t size() const { return count_; }

private:
    T* ptr_ = nullptr;
    size_t count_ = 0;
};

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
