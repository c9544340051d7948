// gistscope/backend_select.h: which backend a run uses. The CUDA backend is a plugin
// (libgistscope_cuda.so) opened at run time; when it cannot be used the CPU backend runs and
// BackendInfo::note says exactly why ("libcuda.so.1 not found (no NVIDIA driver)", "no CUDA
// device", "model needs 17.2 GiB, ...", "GPU selftest failed: ...").
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gistscope/backend.h"

namespace gistscope {

enum class BackendChoice : uint8_t { auto_ = 0, cpu = 1, cuda = 2 };
const char* backend_choice_name(BackendChoice choice);  // "auto", "cpu", "cuda"
bool backend_choice_parse(std::string_view name, BackendChoice& choice);

struct BackendSelection {
    std::unique_ptr<Backend> backend;
    BackendInfo info;  // backend->info(), with note = why this backend
};

// auto_: CUDA when the plugin loads, a device is there, the model fits in its free memory and the
// GPU selftest has passed on it (run on first use, result cached per device in
// $XDG_CACHE_HOME/gistscope/); otherwise CPU with the reason in info.note.
// cuda: the same checks, but a failure throws Error with the reason instead of falling back.
// cpu: the CPU backend with `cpu_threads` threads (<= 0: all).
BackendSelection select_backend(const Model& model, BackendChoice choice, int cpu_threads);

struct GpuDevice {
    std::string name;
    std::string uuid;
    int major = 0, minor = 0;  // compute capability
    uint64_t total_bytes = 0;
    uint64_t free_bytes = 0;
    int driver_version = 0;
};

// What this machine offers for CUDA, without loading a model.
struct GpuProbe {
    std::string plugin_path;  // where the plugin was found; empty when it was not
    bool usable = false;      // plugin loaded, driver present, at least one device
    std::string reason;       // why not usable
    std::vector<GpuDevice> devices;
};
GpuProbe probe_gpu();

struct GpuSelftest {
    bool ran = false;     // false: the plugin or the device could not be used (see report)
    bool passed = false;
    std::string report;   // one line per check: name, max error, tolerance, PASS / FAIL
};
// The plugin's kernel checks on `device`, run now (never cached).
GpuSelftest gpu_selftest(int device);

// The CUDA backend on `device` without the checks of select_backend (for the selftest, which
// compares graph and eager decoding). Throws Error with the reason when it cannot be made.
std::unique_ptr<Backend> make_cuda_backend(const Model& model, int device, int kv_slots, bool graphs = true);

// KV slots the memory plan reserves for a model: its context length, at most 16384.
int planned_kv_slots(const ModelConfig& config);

}  // namespace gistscope
