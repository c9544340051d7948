// The block-format kernels for AVX-512 F/BW/VL/DQ + VNNI; this file alone is compiled with those
// -m flags (engine/CMakeLists.txt) and quant.cpp calls it only where cpuid reports them.
#include "quant_simd.h"

#ifndef GS_QUANT_AVX512
#error "quant_avx512.cpp must be compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni"
#endif

namespace gistscope::quant {

const KernelTable& avx512_kernels() {
    static const KernelTable table{quantize_row_simd, dot_row_simd, gemm_simd};
    return table;
}

}  // namespace gistscope::quant
