// memory_info.h (internal): how much memory this machine can give, for the guards that refuse a
// model, a context or a KV cache that cannot fit before anything is allocated.
#pragma once
#include <cstdint>
#include <string>

namespace gistscope::memory {

// MemAvailable of /proc/meminfo, capped by the address-space limit (ulimit -v); 0 when unknown.
uint64_t available_bytes();
// MemTotal of /proc/meminfo; 0 when unknown.
uint64_t total_bytes();
// "1.5 GiB", "320.0 MiB".
std::string human(uint64_t bytes);

}  // namespace gistscope::memory
