// The block-format kernels for AVX2 / FMA / F16C (the build baseline, x86-64-v3).
#include "quant_simd.h"

namespace gistscope::quant {

const KernelTable& avx2_kernels() {
    static const KernelTable table{quantize_row_simd, dot_row_simd, gemm_simd};
    return table;
}

}  // namespace gistscope::quant
