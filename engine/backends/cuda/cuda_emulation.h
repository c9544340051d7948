// cuda_emulation.h: just enough of CUDA to run kernels.cu on the CPU (tst_cuda_emulated), so the
// kernels' indexing, shared-memory tiles, barriers and warp reductions are executed somewhere other
// than a GPU we do not have. Each thread of a block is a fiber on one OS thread, entered once with
// ucontext (makecontext / swapcontext put it on its own stack) and switched after that with
// _setjmp / _longjmp, which unlike swapcontext make no sigprocmask system call: 13 s for the suite
// instead of 109 s. Under AddressSanitizer every switch stays a swapcontext, which ASan follows
// (its longjmp handling costs two system calls and a stack-sized memset per switch). Fibers
// switch only at __syncthreads and at warp shuffles, which wait for every thread of the block /
// warp, as on the GPU for kernels that (like ours) keep a warp's lanes together. __shared__
// variables become function statics: blocks run one after another, so each block has them to
// itself. Device memory is host memory, filled with 0xff bytes (NaN) when allocated so reads of
// unwritten memory show. Not a model of timing, races or memory ordering.
#pragma once
#include <setjmp.h>
#include <ucontext.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
    dim3() = default;
    dim3(unsigned x_, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

struct gs_emulation_stream;
using cudaStream_t = gs_emulation_stream*;
enum cudaError_t { cudaSuccess = 0, cudaErrorMemoryAllocation = 2 };
enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4
};

inline cudaError_t cudaMalloc(void** p, size_t bytes) {
    *p = std::malloc(bytes ? bytes : 1);
    if (!*p) return cudaErrorMemoryAllocation;
    std::memset(*p, 0xff, bytes);
    return cudaSuccess;
}
inline cudaError_t cudaFree(void* p) {
    std::free(p);
    return cudaSuccess;
}
inline cudaError_t cudaMallocHost(void** p, size_t bytes) { return cudaMalloc(p, bytes); }
inline cudaError_t cudaFreeHost(void* p) { return cudaFree(p); }
inline cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
    std::memmove(dst, src, bytes);
    return cudaSuccess;
}
inline cudaError_t cudaMemset(void* p, int value, size_t bytes) {
    std::memset(p, value, bytes);
    return cudaSuccess;
}
inline cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
inline cudaError_t cudaGetLastError() { return cudaSuccess; }
inline cudaError_t cudaSetDevice(int) { return cudaSuccess; }
inline const char* cudaGetErrorString(cudaError_t e) { return e == cudaSuccess ? "no error" : "out of memory"; }

#define __global__
#define __device__
#define __host__
#define __shared__ static

#if defined(__SANITIZE_ADDRESS__)
#define GS_EMULATION_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GS_EMULATION_ASAN 1
#endif
#endif

namespace gs_emulation {

struct Fiber {
    ucontext_t context;  // its first entry only
    jmp_buf resume;      // where it goes on after a yield
    char* stack = nullptr;
    dim3 thread;
    bool started = false, done = false;
};

// One block in flight: its fibers and the state of its barriers.
struct Block {
    std::vector<Fiber> fibers;
    ucontext_t scheduler;             // what swapcontext saves (without ASan: at a first entry, never resumed)
    jmp_buf scheduler_resume;         // where the scheduler goes on when a fiber yields or ends
    int current = 0;
    int threads = 0;
    const std::function<void()>* body = nullptr;
    int arrived = 0;                  // __syncthreads
    uint64_t generation = 0;
    std::vector<int> warp_arrived;    // (warps) warp barriers of the shuffles
    std::vector<uint64_t> warp_generation;
    std::vector<float> lanes;         // (threads) values being exchanged
};

inline Block* g_block = nullptr;
inline dim3 g_block_idx, g_block_dim, g_grid_dim;
constexpr size_t kStackBytes = size_t(64) << 10;

inline std::vector<std::vector<char>>& stack_pool() {
    static std::vector<std::vector<char>> pool;
    return pool;
}

inline const dim3& thread_idx() { return g_block->fibers[size_t(g_block->current)].thread; }
inline int linear_thread() {
    const dim3& t = thread_idx();
    return int(t.x + t.y * g_block_dim.x + t.z * g_block_dim.x * g_block_dim.y);
}
inline void yield() {
    Block& b = *g_block;
    Fiber& f = b.fibers[size_t(b.current)];
#ifdef GS_EMULATION_ASAN
    swapcontext(&f.context, &b.scheduler);
#else
    if (_setjmp(f.resume) == 0) _longjmp(b.scheduler_resume, 1);
#endif
}

inline void syncthreads() {
    Block& b = *g_block;
    const uint64_t gen = b.generation;
    if (++b.arrived == b.threads) {
        b.arrived = 0;
        ++b.generation;
        return;
    }
    while (b.generation == gen) yield();
}

inline void warp_barrier(int warp) {
    Block& b = *g_block;
    const int size = std::min(32, b.threads - warp * 32);
    const uint64_t gen = b.warp_generation[size_t(warp)];
    if (++b.warp_arrived[size_t(warp)] == size) {
        b.warp_arrived[size_t(warp)] = 0;
        ++b.warp_generation[size_t(warp)];
        return;
    }
    while (b.warp_generation[size_t(warp)] == gen) yield();
}

inline float shfl_xor(float v, int lane_mask) {
    Block& b = *g_block;
    const int t = linear_thread(), warp = t / 32, lane = t % 32;
    b.lanes[size_t(t)] = v;
    warp_barrier(warp);
    const int src = warp * 32 + (lane ^ lane_mask);
    if (src >= b.threads) throw std::logic_error("shuffle from a lane outside the block");
    const float got = b.lanes[size_t(src)];
    warp_barrier(warp);  // nobody overwrites its lane before every lane has read
    return got;
}

// Stream work: run now, or recorded while a stream capture is open (a CUDA graph replays it with the
// arguments it was captured with, which is what the backend's decode graph must tolerate).
inline std::vector<std::function<void()>>*& capture() {
    static std::vector<std::function<void()>>* list = nullptr;
    return list;
}
inline void enqueue(std::function<void()> work) {
    if (capture()) capture()->push_back(std::move(work));
    else work();
}

inline void fiber_entry() {
    Block& b = *g_block;
    (*b.body)();
    b.fibers[size_t(b.current)].done = true;
#ifndef GS_EMULATION_ASAN
    _longjmp(b.scheduler_resume, 1);  // not back to uc_link: that context is stale by now
#endif
}  // (with ASan) returns to uc_link, the scheduler

// Runs fiber i until it yields or ends. Its own function: the scheduler loop's counters must not
// live in a frame that _setjmp returns to twice (they could be clobbered).
[[gnu::noinline]] inline void run_fiber(Block& b, int i) {
    b.current = i;
    Fiber& f = b.fibers[size_t(i)];
#ifdef GS_EMULATION_ASAN
    swapcontext(&b.scheduler, &f.context);
#else
    if (_setjmp(b.scheduler_resume) == 0) {
        if (!f.started) {
            f.started = true;
            swapcontext(&b.scheduler, &f.context);
        } else {
            _longjmp(f.resume, 1);
        }
    }
#endif
}

inline void run_block(const std::function<void()>& body, dim3 block) {
    Block b;
    b.threads = int(block.x * block.y * block.z);
    b.body = &body;
    b.fibers.resize(size_t(b.threads));
    b.warp_arrived.assign(size_t((b.threads + 31) / 32), 0);
    b.warp_generation.assign(b.warp_arrived.size(), 0);
    b.lanes.assign(size_t(b.threads), 0.0f);
    auto& pool = stack_pool();
    while (pool.size() < b.fibers.size()) pool.emplace_back(kStackBytes);
    for (int i = 0; i < b.threads; ++i) {
        Fiber& f = b.fibers[size_t(i)];
        f.thread = dim3(unsigned(i) % block.x, (unsigned(i) / block.x) % block.y, unsigned(i) / (block.x * block.y));
        f.stack = pool[size_t(i)].data();
        getcontext(&f.context);
        f.context.uc_stack.ss_sp = f.stack;
        f.context.uc_stack.ss_size = kStackBytes;
        f.context.uc_link = &b.scheduler;
        makecontext(&f.context, fiber_entry, 0);
    }
    g_block = &b;
    for (size_t rounds = 0;; ++rounds) {
        bool all_done = true;
        for (int i = 0; i < b.threads; ++i) {
            if (b.fibers[size_t(i)].done) continue;
            all_done = false;
            run_fiber(b, i);
        }
        if (all_done) break;
        if (rounds > 100000000) throw std::logic_error("emulated block never finished (a barrier not every thread reaches?)");
    }
    g_block = nullptr;
}

// kernel<<<grid, block>>>(args...): the arguments are converted and copied once, as a launch does,
// then the blocks run in order.
template <class... P>
struct Launch {
    dim3 grid, block;
    void (*kernel)(P...);
    template <class... A>
    void operator()(A&&... args) const {
        const std::tuple<P...> params(std::forward<A>(args)...);
        const dim3 g = grid, b = block;
        auto* k = kernel;
        enqueue([g, b, k, params] {
            const std::function<void()> body = [&] { std::apply(k, params); };
            g_grid_dim = g;
            g_block_dim = b;
            for (unsigned z = 0; z < g.z; ++z)
                for (unsigned y = 0; y < g.y; ++y)
                    for (unsigned x = 0; x < g.x; ++x) {
                        g_block_idx = dim3(x, y, z);
                        run_block(body, b);
                    }
        });
    }
};

template <class... P>
Launch<P...> launcher(dim3 grid, dim3 block, cudaStream_t /*in order anyway*/, void (*kernel)(P...)) {
    return {grid, block, kernel};
}

}  // namespace gs_emulation

#define threadIdx (::gs_emulation::thread_idx())
#define blockIdx (::gs_emulation::g_block_idx)
#define blockDim (::gs_emulation::g_block_dim)
#define gridDim (::gs_emulation::g_grid_dim)
#define __syncthreads() ::gs_emulation::syncthreads()
#define __shfl_xor_sync(mask, value, lane_mask) ::gs_emulation::shfl_xor(value, lane_mask)

inline float atomicAdd(float* p, float v) {
    const float old = *p;
    *p += v;
    return old;
}
using std::max;
using std::min;

// ---- The rest of the runtime, cuBLAS and graphs, as far as cuda_backend.cpp uses them.

inline cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind, cudaStream_t) {
    ::gs_emulation::enqueue([=] { std::memmove(dst, src, bytes); });
    return cudaSuccess;
}
inline cudaError_t cudaMemsetAsync(void* p, int value, size_t bytes, cudaStream_t) {
    ::gs_emulation::enqueue([=] { std::memset(p, value, bytes); });
    return cudaSuccess;
}
inline cudaError_t cudaMemcpy2DAsync(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width,
                                     size_t height, cudaMemcpyKind, cudaStream_t) {
    ::gs_emulation::enqueue([=] {
        for (size_t r = 0; r < height; ++r)
            std::memmove(static_cast<char*>(dst) + r * dpitch, static_cast<const char*>(src) + r * spitch, width);
    });
    return cudaSuccess;
}

constexpr unsigned cudaStreamNonBlocking = 1;
inline cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned) {
    *s = nullptr;
    return cudaSuccess;
}
inline cudaError_t cudaStreamDestroy(cudaStream_t) { return cudaSuccess; }

struct cudaDeviceProp {
    char name[256];
    int major, minor;
    size_t totalGlobalMem;
};
inline cudaError_t cudaGetDeviceProperties(cudaDeviceProp* p, int) {
    std::memset(p, 0, sizeof *p);
    std::strcpy(p->name, "CPU emulation");
    p->totalGlobalMem = size_t(64) << 30;
    return cudaSuccess;
}
namespace gs_emulation {
inline size_t g_free_bytes = size_t(64) << 30;  // what cudaMemGetInfo reports; tests shrink it
}
inline cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total) {
    *free_bytes = ::gs_emulation::g_free_bytes;
    *total = size_t(64) << 30;
    return cudaSuccess;
}

// Graphs: a capture records the stream's work; an instance replays it.
struct gs_emulation_graph {
    std::vector<std::function<void()>> work;
};
using cudaGraph_t = gs_emulation_graph*;
using cudaGraphExec_t = gs_emulation_graph*;
enum cudaStreamCaptureMode { cudaStreamCaptureModeGlobal = 0, cudaStreamCaptureModeThreadLocal = 1 };
inline cudaError_t cudaStreamBeginCapture(cudaStream_t, cudaStreamCaptureMode) {
    ::gs_emulation::capture() = new std::vector<std::function<void()>>();
    return cudaSuccess;
}
inline cudaError_t cudaStreamEndCapture(cudaStream_t, cudaGraph_t* g) {
    *g = new gs_emulation_graph{std::move(*::gs_emulation::capture())};
    delete ::gs_emulation::capture();
    ::gs_emulation::capture() = nullptr;
    return cudaSuccess;
}
inline cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t g, unsigned long long) {
    *exec = new gs_emulation_graph(*g);
    return cudaSuccess;
}
inline cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t) {
    for (auto& w : exec->work) w();
    return cudaSuccess;
}
inline cudaError_t cudaGraphDestroy(cudaGraph_t g) {
    delete g;
    return cudaSuccess;
}
inline cudaError_t cudaGraphExecDestroy(cudaGraphExec_t g) {
    delete g;
    return cudaSuccess;
}

// cuBLAS: cublasGemmEx for column-major op(A) (m x k) . op(B) (k x n), bf16 or f32 inputs, f32 output,
// float accumulation.
struct gs_emulation_cublas {};
using cublasHandle_t = gs_emulation_cublas*;
enum cublasStatus_t { CUBLAS_STATUS_SUCCESS = 0, CUBLAS_STATUS_NOT_SUPPORTED = 15 };
enum cublasOperation_t { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 };
enum cudaDataType { CUDA_R_32F = 0, CUDA_R_16BF = 14 };
enum cublasComputeType_t { CUBLAS_COMPUTE_32F = 68 };
enum cublasGemmAlgo_t { CUBLAS_GEMM_DEFAULT = -1 };
inline cublasStatus_t cublasCreate(cublasHandle_t* h) {
    *h = new gs_emulation_cublas;
    return CUBLAS_STATUS_SUCCESS;
}
inline cublasStatus_t cublasDestroy(cublasHandle_t h) {
    delete h;
    return CUBLAS_STATUS_SUCCESS;
}
inline cublasStatus_t cublasSetStream(cublasHandle_t, cudaStream_t) { return CUBLAS_STATUS_SUCCESS; }
inline cublasStatus_t cublasSetWorkspace(cublasHandle_t, void*, size_t) { return CUBLAS_STATUS_SUCCESS; }
inline const char* cublasGetStatusString(cublasStatus_t s) { return s == CUBLAS_STATUS_SUCCESS ? "success" : "not supported"; }
inline cublasStatus_t cublasGemmEx(cublasHandle_t, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                                   const void* alpha, const void* A, cudaDataType at, int lda, const void* B,
                                   cudaDataType bt, int ldb, const void* beta, void* C, cudaDataType ct, int ldc,
                                   cublasComputeType_t, cublasGemmAlgo_t) {
    if (ct != CUDA_R_32F) return CUBLAS_STATUS_NOT_SUPPORTED;
    const float al = *static_cast<const float*>(alpha), be = *static_cast<const float*>(beta);
    ::gs_emulation::enqueue([=] {
        auto load = [](const void* p, cudaDataType t, size_t i) {
            if (t == CUDA_R_32F) return static_cast<const float*>(p)[i];
            uint32_t u = uint32_t(static_cast<const uint16_t*>(p)[i]) << 16;
            float f;
            std::memcpy(&f, &u, 4);
            return f;
        };
        float* c = static_cast<float*>(C);
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < m; ++i) {
                float s = 0.0f;
                for (int p = 0; p < k; ++p) {
                    const size_t ai = ta == CUBLAS_OP_N ? size_t(i) + size_t(p) * size_t(lda) : size_t(p) + size_t(i) * size_t(lda);
                    const size_t bi = tb == CUBLAS_OP_N ? size_t(p) + size_t(j) * size_t(ldb) : size_t(j) + size_t(p) * size_t(ldb);
                    s += load(A, at, ai) * load(B, bt, bi);
                }
                float& out = c[size_t(i) + size_t(j) * size_t(ldc)];
                out = al * s + (be == 0.0f ? 0.0f : be * out);
            }
    });
    return CUBLAS_STATUS_SUCCESS;
}
