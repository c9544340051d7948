// bench_quant: the CPU matmul per weight type (a benchmark, not a test). For each DType and each
// instruction set this CPU has: decode (one activation row, weights far larger than the caches:
// GB/s of weights streamed) and prefill (a block of activation rows on Qwen2-0.5B's down
// projection, 896 x 4864: GFLOP/s, 2 flops per multiply-add), at 1 and 2 threads. Also the memory read
// bandwidth of one and two threads (a plain sum over 256 MiB) to set the decode figures against.
//
//   build/bin/bench_quant [--rows 128] [--types Q4_0,BF16] [--isa avx2|avx512] [--threads 1,2] [--cpu-time]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

#include "../../engine/src/backends/cpu/matmul.h"
#include "gistscope/quant.h"

using namespace gistscope;

namespace {

// --cpu-time: process CPU seconds divided by the threads instead of wall seconds, which takes
// out the time the scheduler gave to other processes on a shared machine (not memory contention).
bool g_cpu_time = false;
int g_threads = 1;

double now() {
    if (g_cpu_time) {
        timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9) / g_threads;
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Best of `reps` timings of fn (seconds): the least disturbed run on a shared machine.
template <typename F>
double best_time(int reps, F&& fn) {
    double best = 1e30;
    for (int i = 0; i < reps; ++i) {
        const double t0 = now();
        fn();
        best = std::min(best, now() - t0);
    }
    return best;
}

std::vector<uint8_t> random_weights(DType t, int64_t rows, int64_t n) {
    std::mt19937 rng(42);
    std::vector<uint8_t> w(size_t(rows) * dtype_row_bytes(t, n));
    for (auto& b : w) b = uint8_t(rng());
    // finite, small scales (f16 / bf16 bit patterns of small numbers) wherever a 16-bit word sits
    auto* h = reinterpret_cast<uint16_t*>(w.data());
    if (t == DType::f32) {
        auto* f = reinterpret_cast<float*>(w.data());
        for (size_t i = 0; i < w.size() / 4; ++i) f[i] = float(int(rng() % 2001) - 1000) * 1e-5f;
    } else if (t == DType::bf16) {
        for (size_t i = 0; i < w.size() / 2; ++i) h[i] = uint16_t(0x3c00 | (rng() & 0x80ff));
    } else {
        for (size_t i = 0; i < w.size() / 2; ++i)
            if ((h[i] & 0x7c00) == 0x7c00) h[i] &= 0xbfff;  // no inf / NaN where an f16 could be read
    }
    return w;
}

double read_bandwidth(int threads) {
    const size_t n = (size_t(256) << 20) / sizeof(uint64_t);
    std::vector<uint64_t> data(n, 1);
    std::vector<uint64_t> sums(static_cast<size_t>(threads));
    auto run = [&] {
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                const size_t b = n * size_t(t) / size_t(threads), e = n * size_t(t + 1) / size_t(threads);
                uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (size_t i = b; i + 4 <= e; i += 4) { s0 += data[i]; s1 += data[i + 1]; s2 += data[i + 2]; s3 += data[i + 3]; }
                sums[size_t(t)] = s0 + s1 + s2 + s3;
            });
        for (auto& t : ts) t.join();
    };
    const double t = best_time(5, run);
    return double(n * sizeof(uint64_t)) / t / 1e9;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t p = 0;
    while (p <= s.size()) {
        const size_t q = std::min(s.find(',', p), s.size());
        if (q > p) out.push_back(s.substr(p, q - p));
        p = q + 1;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int prefill_rows = 128;
    std::vector<std::string> types = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K"};
    std::vector<int> thread_counts = {1, 2};
    std::string isa_filter;
    for (int i = 1; i < argc; i += 2) {
        if (std::string(argv[i]) == "--cpu-time") { g_cpu_time = true; --i; continue; }
        if (i + 1 >= argc) { std::fprintf(stderr, "bench_quant: option %s needs a value\n", argv[i]); return 2; }
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--rows") prefill_rows = std::max(1, std::atoi(v.c_str()));
        else if (k == "--types") types = split(v);
        else if (k == "--isa") isa_filter = v;
        else if (k == "--threads") { thread_counts.clear(); for (auto& t : split(v)) thread_counts.push_back(std::max(1, std::atoi(t.c_str()))); }
        else { std::fprintf(stderr, "bench_quant: unknown option %s\n", k.c_str()); return 2; }
    }

    for (int t : thread_counts) {
        g_threads = t;
        std::printf("memory read bandwidth, %d thread(s): %.1f GB/s\n", t, read_bandwidth(t));
    }
    std::printf("%-5s %-13s %3s  %12s %14s  %16s\n", "type", "isa", "thr", "decode GB/s", "decode GFLOP/s",
                "prefill GFLOP/s");

    // Qwen2-0.5B's down projection (4864 inputs: whole K super-blocks, unlike its 896 hidden size)
    const int64_t n_in = 4864, prefill_out = 896;
    const int64_t decode_bytes = int64_t(192) << 20;  // decode: 192 MiB of weights, far past the caches
    for (const auto& name : types) {
        DType t = DType::f32;
        bool found = false;
        for (int i = 0; i <= int(DType::q6_k); ++i)
            if (name == dtype_name(DType(i))) { t = DType(i); found = true; }
        if (!found) { std::fprintf(stderr, "bench_quant: unknown type %s\n", name.c_str()); return 2; }
        const int64_t n_dec = decode_bytes / int64_t(dtype_row_bytes(t, n_in));
        const auto wd = random_weights(t, n_dec, n_in);
        const auto wp = random_weights(t, prefill_out, n_in);
        TensorView vd{t, {n_dec, n_in}, wd.data(), wd.size()};
        TensorView vp{t, {prefill_out, n_in}, wp.data(), wp.size()};
        std::vector<float> x(size_t(prefill_rows) * n_in);
        std::mt19937 rng(3);
        std::normal_distribution<float> nd;
        for (auto& v : x) v = nd(rng);
        std::vector<float> out(size_t(std::max<int64_t>(n_dec, int64_t(prefill_rows) * prefill_out)));

        std::vector<quant::Isa> isas;
        for (auto isa : {quant::Isa::avx2, quant::Isa::avx512})
            if (quant::isa_available(isa) && (isa_filter.empty() || isa_filter == (isa == quant::Isa::avx2 ? "avx2" : "avx512")))
                isas.push_back(isa);
        if (!dtype_is_quantized(t)) isas = {quant::Isa::avx2};  // the float kernels have one path
        for (auto isa : isas) {
            for (int threads : thread_counts) {
                cpu::ThreadPool pool(threads);
                g_threads = threads;
                // The block types through quant::gemm with the instruction set given (what
                // cpu::matmul does with the best one); the float types through cpu::matmul.
                auto decode = [&] {
                    if (dtype_is_quantized(t)) {
                        quant::QuantizedActivations a;
                        quant::quantize_activations(a, t, x.data(), 1, n_in, isa);
                        pool.parallel_for(n_dec, [&](int64_t o0, int64_t o1, int) { quant::gemm(out.data(), n_dec, wd.data(), o0, o1, a, isa); });
                    } else {
                        cpu::matmul(out.data(), x.data(), 1, vd, nullptr, pool);
                    }
                };
                auto prefill = [&] {
                    if (dtype_is_quantized(t)) {
                        quant::QuantizedActivations a;
                        quant::quantize_activations(a, t, x.data(), prefill_rows, n_in, isa);
                        pool.parallel_for(prefill_out, [&](int64_t o0, int64_t o1, int) {
                            quant::gemm(out.data(), prefill_out, wp.data(), o0, o1, a, isa);
                        });
                    } else {
                        cpu::matmul(out.data(), x.data(), prefill_rows, vp, nullptr, pool);
                    }
                };
                decode();
                const double td = best_time(7, decode);
                prefill();
                const double tp = best_time(3, prefill);
                const double flops_dec = 2.0 * double(n_dec) * double(n_in);
                const double flops_pre = 2.0 * double(prefill_rows) * double(prefill_out) * double(n_in);
                std::printf("%-5s %-13s %3d  %12.1f %14.1f  %16.1f\n", name.c_str(),
                            dtype_is_quantized(t)                       ? quant::isa_name(isa)
                            : quant::best_isa() == quant::Isa::avx512 ? "AVX-512 F"
                                                                       : "AVX2/FMA", threads,
                            double(wd.size()) / td / 1e9, flops_dec / td / 1e9, flops_pre / tp / 1e9);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
