// plugin.cpp: the plugin's four exported entry points (plugin_abi.h). Every one catches
// everything: an exception must never cross the C boundary.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "cuda_backend.h"
#include "gistscope/model.h"
#include "plugin_abi.h"

#define GS_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

void write_text(char* buf, size_t n, const std::string& text) {
    if (!buf || n == 0) return;
    const size_t len = std::min(n - 1, text.size());
    std::memcpy(buf, text.data(), len);
    buf[len] = '\0';
}

std::string why_no_cuda(cudaError_t e) {
    switch (e) {
        case cudaErrorInsufficientDriver:
            return "libcuda.so.1 not found or too old for CUDA " + std::to_string(CUDART_VERSION / 1000) +
                   " (no usable NVIDIA driver)";
        case cudaErrorNoDevice: return "no CUDA device";
        default: return std::string("CUDA unavailable: ") + cudaGetErrorString(e);
    }
}

}  // namespace

GS_EXPORT int gistscope_cuda_abi_version(void) { return GISTSCOPE_CUDA_ABI_VERSION; }

GS_EXPORT int gistscope_cuda_probe(GistscopeCudaDevice* devices, int max_devices, char* reason, size_t n) {
    try {
        int count = 0;
        const cudaError_t e = cudaGetDeviceCount(&count);
        if (e != cudaSuccess) {
            (void)cudaGetLastError();
            write_text(reason, n, why_no_cuda(e));
            return e == cudaErrorNoDevice ? 0 : -1;
        }
        if (count == 0) write_text(reason, n, "no CUDA device");
        int driver = 0;
        cudaDriverGetVersion(&driver);
        for (int d = 0; d < count && d < max_devices; ++d) {
            GistscopeCudaDevice& out = devices[d];
            std::memset(&out, 0, sizeof out);
            cudaDeviceProp prop{};
            if (cudaGetDeviceProperties(&prop, d) != cudaSuccess) continue;
            std::snprintf(out.name, sizeof out.name, "%s", prop.name);
            const auto* u = reinterpret_cast<const unsigned char*>(prop.uuid.bytes);
            std::snprintf(out.uuid, sizeof out.uuid, "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
            out.major = prop.major;
            out.minor = prop.minor;
            out.total_bytes = prop.totalGlobalMem;
            out.driver_version = driver;
            size_t free_bytes = 0, total = 0;
            if (cudaSetDevice(d) == cudaSuccess && cudaMemGetInfo(&free_bytes, &total) == cudaSuccess)
                out.free_bytes = free_bytes;
            (void)cudaGetLastError();
        }
        return count;
    } catch (const std::exception& ex) {
        write_text(reason, n, ex.what());
        return -1;
    } catch (...) {
        write_text(reason, n, "CUDA probe failed");
        return -1;
    }
}

GS_EXPORT void* gistscope_cuda_create_backend(const void* model, const GistscopeCudaLayout* layout, int device,
                                              int kv_slots, unsigned flags, char* error, size_t n) {
    try {
        if (!model || !layout || layout->model_size != sizeof(gistscope::Model) ||
            layout->model_config_size != sizeof(gistscope::ModelConfig) ||
            layout->forward_input_size != sizeof(gistscope::ForwardInput) ||
            layout->kv_cache_size != sizeof(gistscope::KvCache)) {
            write_text(error, n, "the CUDA plugin was built from a different GistScope version");
            return nullptr;
        }
        auto backend = gistscope::cuda::make_cuda_backend(*static_cast<const gistscope::Model*>(model), device, kv_slots, flags);
        return backend.release();
    } catch (const std::exception& ex) {
        write_text(error, n, ex.what());
    } catch (...) {
        write_text(error, n, "CUDA backend creation failed");
    }
    return nullptr;
}

GS_EXPORT int gistscope_cuda_selftest(int device, char* report, size_t n) {
    std::string text;
    try {
        const bool ok = gistscope::cuda::run_kernel_selftest(device, text);
        write_text(report, n, text);
        return ok ? 0 : 1;
    } catch (const std::exception& ex) {
        write_text(report, n, text + "error: " + ex.what() + "\n");
    } catch (...) {
        write_text(report, n, text + "error: unknown exception\n");
    }
    return -1;
}
