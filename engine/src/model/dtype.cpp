// Names and block geometry of the weight element types (model.h). The block sizes are ggml's:
// they are fixed by the GGUF format, not chosen here.
#include "gistscope/model.h"

namespace gistscope {
namespace {

struct DTypeInfo {
    const char* name;
    int block_elems;
    size_t block_bytes;
};

// Indexed by the enum value. Block bytes: scales (f16) + packed quants, as ggml lays them out.
constexpr DTypeInfo kInfo[] = {
    {"F32", 1, 4},
    {"F16", 1, 2},
    {"BF16", 1, 2},
    {"Q8_0", 32, 2 + 32},            // d, 32 x int8
    {"Q4_0", 32, 2 + 16},            // d, 32 x 4 bit
    {"Q4_1", 32, 2 + 2 + 16},        // d, m, 32 x 4 bit
    {"Q5_0", 32, 2 + 4 + 16},        // d, high bits, 32 x 4 bit
    {"Q5_1", 32, 2 + 2 + 4 + 16},    // d, m, high bits, 32 x 4 bit
    {"Q4_K", 256, 2 + 2 + 12 + 128},                // d, dmin, 8 x 6-bit scale/min, 256 x 4 bit
    {"Q5_K", 256, 2 + 2 + 12 + 32 + 128},           // + 256 high bits
    {"Q6_K", 256, 128 + 64 + 16 + 2},               // 4-bit low, 2-bit high, 16 x int8 scales, d
};

const DTypeInfo& info(DType dtype) {
    const auto i = static_cast<size_t>(dtype);
    return i < std::size(kInfo) ? kInfo[i] : kInfo[0];
}

}  // namespace

const char* dtype_name(DType dtype) {
    return static_cast<size_t>(dtype) < std::size(kInfo) ? kInfo[static_cast<size_t>(dtype)].name : "?";
}
bool dtype_is_quantized(DType dtype) { return info(dtype).block_elems > 1; }
int dtype_block_elems(DType dtype) { return info(dtype).block_elems; }
size_t dtype_block_bytes(DType dtype) { return info(dtype).block_bytes; }
size_t dtype_row_bytes(DType dtype, int64_t n) {
    const auto& i = info(dtype);
    return static_cast<size_t>(n / i.block_elems) * i.block_bytes;
}

}  // namespace gistscope
