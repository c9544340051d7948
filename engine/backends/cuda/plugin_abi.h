// plugin_abi.h: the whole surface between the engine and libgistscope_cuda.so, which the engine
// finds and opens at run time (dlopen) so that the program never links CUDA. Plain C functions;
// the only C++ object that crosses is the gistscope::Backend the plugin creates, which is safe
// because both sides are built from this tree by the same compiler: the engine refuses a plugin
// whose ABI version or struct sizes differ.
#pragma once
#include <stddef.h>
#include <stdint.h>

// Bump when anything below, or any engine header the plugin compiles against, changes layout.
#define GISTSCOPE_CUDA_ABI_VERSION 1

extern "C" {

struct GistscopeCudaDevice {
    char name[256];        // "NVIDIA H100 80GB HBM3" (cudaDeviceProp::name is 256 bytes)
    char uuid[48];         // "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (selftest cache key)
    int major, minor;      // compute capability
    uint64_t total_bytes;  // device memory
    uint64_t free_bytes;   // free at probe time (cudaMemGetInfo)
    int driver_version;    // cudaDriverGetVersion, e.g. 13000
};

// Sizes the engine passes so the plugin can refuse a mismatched build instead of crashing.
struct GistscopeCudaLayout {
    size_t model_size;          // sizeof(gistscope::Model)
    size_t model_config_size;   // sizeof(gistscope::ModelConfig)
    size_t forward_input_size;  // sizeof(gistscope::ForwardInput)
    size_t kv_cache_size;       // sizeof(gistscope::KvCache)
};

// GISTSCOPE_CUDA_ABI_VERSION of the plugin.
int gistscope_cuda_abi_version(void);

// Fills up to `max_devices` entries. Returns the number of CUDA devices (0 or more), or -1 when
// CUDA cannot be used at all; `reason` (NUL-terminated, at most n bytes) then says why (no driver,
// driver too old, ...). With 0 devices `reason` says so as well.
int gistscope_cuda_probe(struct GistscopeCudaDevice* devices, int max_devices, char* reason, size_t n);

#define GISTSCOPE_CUDA_FLAG_NO_GRAPHS 1u  // run decode steps eagerly instead of as a CUDA graph

// Loads `model` (a const gistscope::Model*) onto `device` and returns a new gistscope::Backend*
// (owned by the caller; delete through its virtual destructor). `kv_slots` is the KV capacity the
// memory plan must leave room for; `flags` GISTSCOPE_CUDA_FLAG_*. On failure returns null and
// writes the reason (e.g. "model needs 17.2 GiB, device has 11.8 GiB free").
void* gistscope_cuda_create_backend(const void* model, const struct GistscopeCudaLayout* layout, int device,
                                    int kv_slots, unsigned flags, char* error, size_t n);

// Runs every kernel on random inputs on `device` and compares with the CPU twins of the arithmetic
// (kernel_math.h). Writes one line per check ("rmsnorm max_err=1.2e-07 tol=1e-05 PASS") into
// `report`. Returns 0 when all pass, 1 when one fails, -1 when the device cannot be used.
int gistscope_cuda_selftest(int device, char* report, size_t n);

typedef int (*gistscope_cuda_abi_version_fn)(void);
typedef int (*gistscope_cuda_probe_fn)(struct GistscopeCudaDevice*, int, char*, size_t);
typedef void* (*gistscope_cuda_create_backend_fn)(const void*, const struct GistscopeCudaLayout*, int, int, unsigned,
                                                  char*, size_t);
typedef int (*gistscope_cuda_selftest_fn)(int, char*, size_t);

}  // extern "C"
