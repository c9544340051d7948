// cuda_memory.h: CUDA runtime errors as gistscope::Error, and RAII owners of device and pinned host
// memory. No cuBLAS here, so the kernel checks can be built against the CPU emulation as well.
#pragma once
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <string>
#include <utility>

#include "gistscope/error.h"
#include "kernels.h"

namespace gistscope::cuda {

inline void check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw Error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}
#define GS_CUDA(call) ::gistscope::cuda::check((call), #call)

// "17.2 GiB"
inline std::string gib(size_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / double(1ull << 30));
    return buf;
}

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

}  // namespace gistscope::cuda
