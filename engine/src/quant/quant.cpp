// quant.h's entry points: checks, the choice of instruction set (cpuid, once), and the dispatch
// into the kernel table of that set. Kernels of a set are never called unless the CPU and the
// OS support it (an AVX-512 instruction on a CPU without it is SIGILL).
#include <cstdlib>
#include <string>

#include <cpuid.h>

#include "blocks.h"
#include "gistscope/error.h"

namespace gistscope::quant {
namespace {

const KernelTable& table(Isa isa) {
    if (!isa_available(isa))
        throw Error(std::string("quantized kernels: this CPU does not support ") + isa_name(isa));
    switch (isa) {
        case Isa::avx512: return avx512_kernels();
        case Isa::avx2: return avx2_kernels();
        case Isa::scalar: break;
    }
    return scalar_kernels();
}

void check_block_type(DType weight) {
    if (!dtype_is_quantized(weight))
        throw Error(std::string("quantized kernels: ") + dtype_name(weight) + " is not a block type");
}

ActRow act_row(const QuantizedActivations& a, int row) {
    const int64_t blocks32 = a.n / 32;
    const bool k = a.block() == kBlockK;
    return ActRow{a.qs.data() + row * a.n, a.d.data() + row * (a.n / a.block()), k ? nullptr : a.s.data() + row * blocks32,
                  a.sums.data() + row * (k ? a.n / 16 : blocks32)};
}

}  // namespace

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::scalar: return "scalar";
        case Isa::avx2: return "AVX2";
        case Isa::avx512: return "AVX-512 VNNI";
    }
    return "?";
}

// clang 14 does not know "f16c" for __builtin_cpu_supports: CPUID leaf 1, ECX bit 29.
static bool has_f16c() {
#if defined(__clang__) && __clang_major__ < 15
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_F16C);
#else
    return __builtin_cpu_supports("f16c");
#endif
}

bool isa_available(Isa isa) {
    // __builtin_cpu_supports also checks that the OS saves the vector state (XGETBV).
    switch (isa) {
        case Isa::scalar: return true;
        case Isa::avx2:
            return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && has_f16c();
        case Isa::avx512:
            return isa_available(Isa::avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                   __builtin_cpu_supports("avx512vnni");
    }
    return false;
}

Isa best_isa() {
    static const Isa best = [] {
        Isa isa = isa_available(Isa::avx512) ? Isa::avx512 : isa_available(Isa::avx2) ? Isa::avx2 : Isa::scalar;
        if (const char* env = std::getenv("GISTSCOPE_ISA")) {
            const std::string want = env;
            if (want == "scalar") isa = Isa::scalar;
            else if (want == "avx2" && isa == Isa::avx512) isa = Isa::avx2;
        }
        return isa;
    }();
    return best;
}

int activation_block(DType weight) {
    return weight == DType::q4_k || weight == DType::q5_k || weight == DType::q6_k ? kBlockK : kBlock32;
}

int QuantizedActivations::block() const { return activation_block(weight); }

void quantize_activations(QuantizedActivations& out, DType weight, const float* x, int rows, int64_t n, Isa isa) {
    check_block_type(weight);
    const int block = activation_block(weight);
    if (n % block != 0 || n % dtype_block_elems(weight) != 0)
        throw Error("quantized kernels: a row of " + std::to_string(n) + " elements is not a whole number of " +
                    dtype_name(weight) + " blocks");
    const auto& kt = table(isa);
    out.weight = weight;
    out.rows = rows;
    out.n = n;
    out.qs.resize(size_t(rows) * size_t(n));
    out.d.resize(size_t(rows) * size_t(n / block));
    out.s.resize(block == kBlockK ? 0 : size_t(rows) * size_t(n / 32));
    out.sums.resize(size_t(rows) * size_t(block == kBlockK ? n / 16 : n / 32));
    for (int r = 0; r < rows; ++r) {
        const ActRow row = act_row(out, r);
        kt.quantize_row(weight, x + int64_t(r) * n, n, const_cast<int8_t*>(row.qs), const_cast<float*>(row.d),
                        const_cast<float*>(row.s), const_cast<int16_t*>(row.sums));
    }
}

float dot_row(const void* w_row, const QuantizedActivations& a, int row, Isa isa) {
    return table(isa).dot_row(a.weight, w_row, act_row(a, row), a.n);
}

void gemm(float* out, int64_t out_stride, const void* w, int64_t o_begin, int64_t o_end, const QuantizedActivations& a,
          Isa isa) {
    if (o_begin >= o_end || a.rows == 0) return;
    std::vector<ActRow> rows(size_t(a.rows));
    for (int r = 0; r < a.rows; ++r) rows[size_t(r)] = act_row(a, r);
    table(isa).gemm(a.weight, out, out_stride, w, o_begin, o_end, rows.data(), a.rows, a.n);
}

}  // namespace gistscope::quant
