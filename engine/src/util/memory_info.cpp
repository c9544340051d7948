// /proc/meminfo and RLIMIT_AS, read at the moment of the question (memory_info.h).
#include "util/memory_info.h"

#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace gistscope::memory {
namespace {

uint64_t meminfo_field(const char* name) {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib) {
        std::getline(in, unit);
        if (key == name) return kib * 1024;
    }
    return 0;
}

}  // namespace

uint64_t available_bytes() {
    uint64_t avail = meminfo_field("MemAvailable:");
    struct rlimit rl {};
    if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        const uint64_t limit = uint64_t(rl.rlim_cur);
        if (avail == 0 || limit < avail) avail = limit;
    }
    return avail;
}

uint64_t total_bytes() { return meminfo_field("MemTotal:"); }

std::string human(uint64_t bytes) {
    char buf[64];
    if (bytes >= (uint64_t(1) << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / double(uint64_t(1) << 30));
    else std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / double(1 << 20));
    return buf;
}

}  // namespace gistscope::memory
