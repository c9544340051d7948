// selftest.cpp: the plugin's selftest: every kernel (kernel_checks.cpp), the cuBLAS GEMM as the
// backend calls it, and the KV storage's erases and growth, on the device, against the CPU
// arithmetic. The whole forward against the CPU backend is gistscope-cli selftest's job (it has the
// CPU backend).
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "check_util.h"
#include "cuda_backend.h"

namespace gistscope::cuda {
namespace {

void check_gemm(Checks& c, std::mt19937& rng) {
    const int rows = 5, n_out = 300, n_in = 1000;
    const auto w = random_bf16(rng, size_t(n_out) * n_in, 0.05f);
    const auto x = random_bf16(rng, size_t(rows) * n_in, 1.0f);
    const auto y0 = random_f32(rng, size_t(rows) * n_out, 1.0f);
    auto dw = to_device(w);
    auto dx = to_device(x);
    auto dy = to_device(y0);
    cublasHandle_t h = nullptr;
    GS_CUDA(cublasCreate(&h));
    try {
        gemm_bf16(h, dy.get(), dx.get(), dw.get(), rows, n_out, n_in, 1.0f);  // y = y0 + x W^T
        GS_CUDA(cudaDeviceSynchronize());
    } catch (...) {
        cublasDestroy(h);
        throw;
    }
    cublasDestroy(h);
    const auto got = to_host(dy.get(), dy.size());
    std::vector<float> ref(size_t(rows) * n_out);
    for (int r = 0; r < rows; ++r)
        for (int o = 0; o < n_out; ++o) {
            double s = 0.0;
            for (int i = 0; i < n_in; ++i)
                s += double(kmath::bf16_to_float(w[size_t(o) * n_in + size_t(i)])) *
                     double(kmath::bf16_to_float(x[size_t(r) * n_in + size_t(i)]));
            ref[size_t(r) * n_out + size_t(o)] = float(s + double(y0[size_t(r) * n_out + size_t(o)]));
        }
    c.add("cuBLAS bf16 GEMM, f32 accumulate, beta=1", scaled_error(got, ref), 1e-4);
}

void check_kv_erase(Checks& c, std::mt19937& rng, int device) {
    const int layers = 2, kvd = 24, planes = 2 * layers, size = 40;
    auto ctx = std::make_shared<DeviceContext>(device);
    CudaKvStorage kv(ctx, layers, kvd);
    kv.reserve(size);
    const int cap = kv.capacity();
    std::vector<std::vector<uint16_t>> host(static_cast<size_t>(planes));  // (plane) -> (slot, kvd), the expected content
    for (int p = 0; p < planes; ++p) {
        host[size_t(p)] = random_bf16(rng, size_t(size) * kvd, 1.0f);
        GS_CUDA(cudaMemcpy(kv.data() + size_t(p) * cap * kvd, host[size_t(p)].data(), host[size_t(p)].size() * 2,
                           cudaMemcpyHostToDevice));
    }
    auto erase_host = [&](const std::vector<int>& slots) {
        for (auto& plane : host) {
            std::vector<uint16_t> kept;
            for (int s = 0; s < int(plane.size()) / kvd; ++s)
                if (std::find(slots.begin(), slots.end(), s) == slots.end())
                    kept.insert(kept.end(), plane.begin() + s * kvd, plane.begin() + (s + 1) * kvd);
            plane = std::move(kept);
        }
    };
    kv.erase_range(5, 9, size);  // a thought eviction
    erase_host({5, 6, 7, 8});
    const std::vector<int> slots = {0, 3, 17, 30};  // H2O-style scattered slots
    kv.erase_slots(slots, size - 4);
    erase_host(slots);
    kv.reserve(cap + 100);  // growth keeps the content
    GS_CUDA(cudaStreamSynchronize(ctx->stream));
    double wrong = 0;
    for (int p = 0; p < planes; ++p) {
        const auto got = to_host(kv.data() + size_t(p) * kv.capacity() * kvd, host[size_t(p)].size());
        for (size_t i = 0; i < got.size(); ++i) wrong += got[i] != host[size_t(p)][i];
    }
    c.add("KV erase_range + erase_slots + growth (wrong values)", wrong, 0.0);
}

}  // namespace

bool run_kernel_selftest(int device, std::string& report) {
    GS_CUDA(cudaSetDevice(device));
    Checks c{report};
    std::mt19937 rng(20260521);
    run_kernel_checks(c, rng);
    check_gemm(c, rng);
    check_kv_erase(c, rng, device);
    return c.ok;
}

}  // namespace gistscope::cuda
