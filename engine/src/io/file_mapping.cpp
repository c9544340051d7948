// Weight files in memory: aligned file mappings and their move into anonymous huge pages
// (file_mapping.h).
#include "file_mapping.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "gistscope/error.h"
#include "util/memory_info.h"

namespace gistscope::io {
namespace {

constexpr size_t kHuge = size_t(2) << 20;

size_t page_size() {
    static const size_t p = size_t(::sysconf(_SC_PAGESIZE));
    return p;
}
size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

// An anonymous, `kHuge`-aligned reservation of `len` bytes (a multiple of the page size) with
// the slack around it given back; nullptr when there is no address space for it.
uint8_t* reserve_aligned(size_t len, int prot) {
    const size_t span = len + kHuge;
    void* raw = ::mmap(nullptr, span, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto* begin = static_cast<uint8_t*>(raw);
    auto* aligned = reinterpret_cast<uint8_t*>(round_up(reinterpret_cast<uintptr_t>(begin), kHuge));
    if (aligned > begin) ::munmap(begin, size_t(aligned - begin));
    uint8_t* end = aligned + len;
    if (begin + span > end) ::munmap(end, size_t(begin + span - end));
    return aligned;
}

}  // namespace

void* map_file_aligned(int fd, size_t size) {
    if (size == 0) {
        errno = EINVAL;
        return nullptr;
    }
    const size_t len = round_up(size, page_size());
    uint8_t* at = reserve_aligned(len, PROT_NONE);
    if (!at) return nullptr;
    // MAP_FIXED over our own reservation: nothing else can be at these addresses.
    void* p = ::mmap(at, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (p == MAP_FAILED) {
        const int e = errno;
        ::munmap(at, len);
        errno = e;
        return nullptr;
    }
    return p;
}

ResidencyChoice choose_residency(uint64_t bytes) {
    if (const char* env = std::getenv("GISTSCOPE_WEIGHTS"); env && *env) {
        if (std::strcmp(env, "mapped") == 0) return {WeightResidency::mapped, "mapped (GISTSCOPE_WEIGHTS=mapped)"};
        if (std::strcmp(env, "resident") == 0) return {WeightResidency::resident, "resident (GISTSCOPE_WEIGHTS=resident)"};
        throw Error(std::string("GISTSCOPE_WEIGHTS is '") + env + "', expected 'mapped' or 'resident'");
    }
    const uint64_t available = memory::available_bytes();
    if (available == 0) return {WeightResidency::mapped, "mapped (the memory available is unknown)"};
    if (bytes > available / 2)
        return {WeightResidency::mapped, "mapped (" + memory::human(bytes) + " of weights is more than half of the " +
                                             memory::human(available) + " available)"};
    return {WeightResidency::resident, "resident (copied into memory, huge pages where the kernel gives them)"};
}

bool make_resident(const void* addr, size_t size) {
    if (!addr || size == 0) return false;
    const size_t len = round_up(size, page_size());
    uint8_t* copy = reserve_aligned(len, PROT_READ | PROT_WRITE);
    if (!copy) return false;
#ifdef MADV_HUGEPAGE
    ::madvise(copy, len, MADV_HUGEPAGE);  // a hint: without THP the copy is on 4 KiB pages
#endif
    // The copy faults its pages in as it goes; where memory runs out the kernel's OOM handling
    // applies as for any allocation, which choose_residency keeps to at most half of what is free.
    // In 64 MiB pieces, each piece of the file mapping let go once copied, so the process does not
    // hold the file's pages and the copy at once (the page cache keeps the file for a reload).
    const size_t piece = size_t(64) << 20;
    auto* src = static_cast<const uint8_t*>(addr);
    for (size_t at = 0; at < size; at += piece) {
        const size_t n = std::min(piece, size - at);
        std::memcpy(copy + at, src + at, n);
        ::madvise(const_cast<uint8_t*>(src) + at, round_up(n, page_size()), MADV_DONTNEED);
    }
    ::mprotect(copy, len, PROT_READ);
    // Moves the copy's pages (huge ones whole: both ends are 2 MiB-aligned) onto the mapping's
    // addresses, unmapping the file there in the same step.
    void* moved = ::mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, const_cast<void*>(addr));
    if (moved == MAP_FAILED) {
        ::munmap(copy, len);
        return false;
    }
    return true;
}

}  // namespace gistscope::io
