// check_util.h: the small toolkit of the kernel checks: a report of max errors against tolerances,
// host <-> device copies and random inputs. Shared by the plugin's selftest and the CPU emulation test.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "../../src/backends/kernel_math.h"
#include "cuda_memory.h"

namespace gistscope::cuda {

using Ranges = std::vector<std::pair<int, int>>;  // [begin, end) slot ranges of one row

struct Checks {
    std::string& report;
    bool ok = true;
    void add(const std::string& name, double err, double tol) {
        const bool pass = std::isfinite(err) && err <= tol;
        ok = ok && pass;
        char line[160];
        std::snprintf(line, sizeof line, "%-40s max_err=%-10.3g tol=%-8.3g %s\n", name.c_str(), err, tol,
                      pass ? "PASS" : "FAIL");
        report += line;
    }
};

template <class T>
inline DeviceBuffer<T> to_device(const std::vector<T>& v) {
    DeviceBuffer<T> d(std::max<size_t>(v.size(), 1));
    if (!v.empty()) GS_CUDA(cudaMemcpy(d.get(), v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
    return d;
}

template <class T>
inline std::vector<T> to_host(const T* d, size_t n) {
    std::vector<T> v(n);
    GS_CUDA(cudaMemcpy(v.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost));
    return v;
}

inline std::vector<float> random_f32(std::mt19937& rng, size_t n, float scale) {
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
}

inline std::vector<uint16_t> random_bf16(std::mt19937& rng, size_t n, float scale) {
    std::vector<uint16_t> v(n);
    const auto f = random_f32(rng, n, scale);
    for (size_t i = 0; i < n; ++i) v[i] = kmath::float_to_bf16(f[i]);
    return v;
}

inline std::vector<float> decode_bf16(const std::vector<uint16_t>& v) {
    std::vector<float> f(v.size());
    for (size_t i = 0; i < v.size(); ++i) f[i] = kmath::bf16_to_float(v[i]);
    return f;
}

// max |got - ref| / max(max |ref|, 1e-6): error relative to the output's scale.
inline double scaled_error(const std::vector<float>& got, const std::vector<float>& ref) {
    double worst = 0.0, scale = 1e-6;
    for (size_t i = 0; i < ref.size(); ++i) {
        worst = std::max(worst, double(std::fabs(got[i] - ref[i])));
        scale = std::max(scale, double(std::fabs(ref[i])));
        if (!std::isfinite(got[i])) return INFINITY;
    }
    return worst / scale;
}

inline double abs_error(const std::vector<float>& got, const std::vector<float>& ref) {
    double worst = 0.0;
    for (size_t i = 0; i < ref.size(); ++i) {
        if (!std::isfinite(got[i])) return INFINITY;
        worst = std::max(worst, double(std::fabs(got[i] - ref[i])));
    }
    return worst;
}

// A block description on the device, packed as the backend packs it.
// Every kernel except the cuBLAS GEMM and the KV storage class, on random inputs, against the CPU
// arithmetic (kernel_checks.cpp).
void run_kernel_checks(Checks& checks, std::mt19937& rng);

}  // namespace gistscope::cuda
