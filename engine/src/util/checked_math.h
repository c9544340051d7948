// checked_math.h (internal): sizes computed from file contents (shapes, counts, offsets) with
// overflow reported instead of wrapping.
#pragma once
#include <cstdint>
#include <optional>

namespace gistscope::checked {

inline std::optional<uint64_t> mul(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}
inline std::optional<uint64_t> add(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

}  // namespace gistscope::checked
