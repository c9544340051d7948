// file_mapping.h (internal): how weight files get into memory. A checkpoint is mapped read-only
// (nothing is read until a page is touched, so opening a file to look at its header is cheap);
// a model loaded to run is then moved into anonymous memory on 2 MiB pages where the kernel gives
// them. Decode streams every weight once per token, and streaming from huge pages is faster:
// measured on this machine (Zen 4, 2 cores, kernel 6.18, THP "madvise"), a 942 MiB BF16 GGUF read
// through with AVX-512 loads, training paused: file mapping 22.4-25.4 GB/s, anonymous 4 KiB pages
// 23.5-23.8, anonymous 2 MiB pages 27.6-30.1.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace gistscope::io {

// Maps `size` bytes of the open file `fd` read-only at a 2 MiB-aligned address (so that a later
// make_resident can put huge pages behind the same addresses). Unmap with munmap(p, size) as
// usual. Returns nullptr with errno set when the mapping fails.
void* map_file_aligned(int fd, size_t size);

// Where weights live while a model runs: "mapped" (the page cache, shared with other processes
// and dropped under memory pressure) or "resident" (a private copy in anonymous memory, on huge
// pages where possible). GISTSCOPE_WEIGHTS=mapped|resident forces one; by default a file is made
// resident when it takes at most half of the memory available.
enum class WeightResidency { mapped, resident };

struct ResidencyChoice {
    WeightResidency where = WeightResidency::mapped;
    std::string why;  // in words, for `info` and `bench`
};

// The choice for `bytes` of weights on this machine (reads GISTSCOPE_WEIGHTS; an unknown value
// is an Error naming the variable and the values it takes).
ResidencyChoice choose_residency(uint64_t bytes);

// Replaces the read-only file mapping [addr, addr + size) (from map_file_aligned) by anonymous
// memory holding the same bytes, at the same addresses, read-only again. Every pointer into the
// mapping stays valid. False (the mapping left as it was) when memory cannot be had.
bool make_resident(const void* addr, size_t size);

}  // namespace gistscope::io
