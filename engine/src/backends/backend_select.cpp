// backend_select: finds and opens the CUDA plugin (dlopen, once per process, never closed: its
// backends and caches hold code from it), probes the driver and devices, runs the GPU selftest
// the first time a device is used, and falls back to the CPU backend saying why.
#include "gistscope/backend_select.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "../../backends/cuda/plugin_abi.h"
#include "gistscope/error.h"

namespace gistscope {
namespace {

namespace fs = std::filesystem;

struct Plugin {
    std::string path;
    std::string error;  // why it cannot be used; empty when loaded
    gistscope_cuda_probe_fn probe = nullptr;
    gistscope_cuda_create_backend_fn create = nullptr;
    gistscope_cuda_selftest_fn selftest = nullptr;
};

std::string executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

bool driver_present() {
    void* h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (!h) return false;
    dlclose(h);
    return true;
}

Plugin load_plugin() {
    Plugin p;
    // An explicit path, then next to the binaries (<exe dir>/../lib), then the dlopen search path.
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("GISTSCOPE_CUDA_PLUGIN"); env && *env) candidates.push_back(env);
    if (const std::string dir = executable_dir(); !dir.empty())
        candidates.push_back((fs::path(dir) / ".." / "lib" / "libgistscope_cuda.so").lexically_normal().string());
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::exists(c, ec)) {
            p.path = c;
            break;
        }
    }
    if (!p.path.empty() && !driver_present()) {
        p.error = "libcuda.so.1 not found (no NVIDIA driver)";
        return p;
    }
    void* h = dlopen(p.path.empty() ? "libgistscope_cuda.so" : p.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const std::string why = dlerror();
        if (p.path.empty()) p.error = "no CUDA plugin built (libgistscope_cuda.so not found)";
        else p.error = "CUDA plugin " + p.path + " failed to load: " + why;
        return p;
    }
    if (p.path.empty()) p.path = "libgistscope_cuda.so";
    if (!driver_present()) {
        p.error = "libcuda.so.1 not found (no NVIDIA driver)";
        return p;
    }
    auto version = reinterpret_cast<gistscope_cuda_abi_version_fn>(dlsym(h, "gistscope_cuda_abi_version"));
    p.probe = reinterpret_cast<gistscope_cuda_probe_fn>(dlsym(h, "gistscope_cuda_probe"));
    p.create = reinterpret_cast<gistscope_cuda_create_backend_fn>(dlsym(h, "gistscope_cuda_create_backend"));
    p.selftest = reinterpret_cast<gistscope_cuda_selftest_fn>(dlsym(h, "gistscope_cuda_selftest"));
    if (!version || !p.probe || !p.create || !p.selftest) {
        p.error = "CUDA plugin " + p.path + " lacks its entry points";
    } else if (version() != GISTSCOPE_CUDA_ABI_VERSION) {
        p.error = "CUDA plugin " + p.path + " has ABI version " + std::to_string(version()) + ", this program expects " +
                  std::to_string(GISTSCOPE_CUDA_ABI_VERSION);
    }
    return p;  // the handle stays open for the life of the process
}

const Plugin& plugin() {
    static const Plugin p = load_plugin();
    return p;
}

// Forwards to the plugin's backend; turns whatever it throws into gistscope::Error, so callers
// never depend on exception types crossing the shared-object boundary.
class PluginBackend final : public Backend {
public:
    PluginBackend(std::unique_ptr<Backend> inner, std::string note) : inner_(std::move(inner)), note_(std::move(note)) {}
    BackendInfo info() const override {
        BackendInfo i = guard([&] { return inner_->info(); });
        i.note = note_;
        return i;
    }
    std::unique_ptr<KvCache> make_cache(int capacity_hint) const override {
        return guard([&] { return inner_->make_cache(capacity_hint); });
    }
    void forward(const ForwardInput& input, KvCache& cache, ForwardOutput& output) override {
        guard([&] {
            inner_->forward(input, cache, output);
            return 0;
        });
    }
    const ModelConfig& config() const override { return inner_->config(); }

private:
    template <class F>
    static auto guard(F&& f) -> decltype(f()) {
        try {
            return f();
        } catch (const std::exception& e) {
            throw Error(e.what());
        }
    }
    std::unique_ptr<Backend> inner_;
    std::string note_;
};

std::unique_ptr<Backend> create_cuda(const Plugin& p, const Model& model, int device, int kv_slots, unsigned flags,
                                     std::string& error) {
    const GistscopeCudaLayout layout{sizeof(Model), sizeof(ModelConfig), sizeof(ForwardInput), sizeof(KvCache)};
    char buf[1024] = {};
    void* raw = p.create(&model, &layout, device, kv_slots, flags, buf, sizeof buf);
    if (!raw) {
        error = buf;
        return nullptr;
    }
    return std::unique_ptr<Backend>(static_cast<Backend*>(raw));
}

fs::path cache_dir() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "gistscope";
    if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "gistscope";
    return {};
}

// The selftest's verdict for a device, cached under a key that changes with the plugin file, its
// ABI and the driver: "<key>\n<pass|fail>\n<report>".
GpuSelftest cached_selftest(const Plugin& p, int device, const GpuDevice& dev, bool& from_cache) {
    struct stat st {};
    ::stat(p.path.c_str(), &st);
    std::ostringstream key;
    key << "abi=" << GISTSCOPE_CUDA_ABI_VERSION << " driver=" << dev.driver_version << " plugin=" << p.path
        << " size=" << st.st_size << " mtime=" << st.st_mtime;
    const fs::path dir = cache_dir();
    const fs::path file = dir.empty() ? fs::path() : dir / ("cuda-selftest-" + dev.uuid + ".txt");
    from_cache = false;
    if (!file.empty()) {
        std::ifstream in(file);
        std::string k, verdict;
        if (std::getline(in, k) && k == key.str() && std::getline(in, verdict) && (verdict == "pass" || verdict == "fail")) {
            GpuSelftest r;
            r.ran = true;
            r.passed = verdict == "pass";
            std::stringstream rest;
            rest << in.rdbuf();
            r.report = rest.str();
            from_cache = true;
            return r;
        }
    }
    GpuSelftest r = gpu_selftest(device);
    if (r.ran && !file.empty()) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        const fs::path tmp = file.string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            out << key.str() << "\n" << (r.passed ? "pass" : "fail") << "\n" << r.report;
        }
        fs::rename(tmp, file, ec);
    }
    return r;
}

std::string first_failure(const std::string& report) {
    std::istringstream in(report);
    std::string line;
    while (std::getline(in, line))
        if (line.find("FAIL") != std::string::npos || line.rfind("error", 0) == 0) {
            line.erase(std::unique(line.begin(), line.end(), [](char a, char b) { return a == ' ' && b == ' '; }), line.end());
            return line;
        }
    return "see gistscope-cli selftest";
}

}  // namespace

const char* backend_choice_name(BackendChoice choice) {
    switch (choice) {
        case BackendChoice::auto_: return "auto";
        case BackendChoice::cpu: return "cpu";
        case BackendChoice::cuda: return "cuda";
    }
    return "?";
}

bool backend_choice_parse(std::string_view name, BackendChoice& choice) {
    for (auto c : {BackendChoice::auto_, BackendChoice::cpu, BackendChoice::cuda})
        if (name == backend_choice_name(c)) {
            choice = c;
            return true;
        }
    return false;
}

int planned_kv_slots(const ModelConfig& config) {
    return std::clamp(config.max_position_embeddings, 256, 16384);
}

GpuProbe probe_gpu() {
    GpuProbe r;
    const Plugin& p = plugin();
    r.plugin_path = p.path;
    if (!p.error.empty()) {
        r.reason = p.error;
        return r;
    }
    GistscopeCudaDevice devs[16] = {};
    char reason[512] = {};
    const int n = p.probe(devs, 16, reason, sizeof reason);
    if (n <= 0) {
        r.reason = reason[0] ? reason : "no CUDA device";
        return r;
    }
    for (int i = 0; i < std::min(n, 16); ++i)
        r.devices.push_back({devs[i].name, devs[i].uuid, devs[i].major, devs[i].minor, devs[i].total_bytes,
                             devs[i].free_bytes, devs[i].driver_version});
    r.usable = true;
    return r;
}

GpuSelftest gpu_selftest(int device) {
    GpuSelftest r;
    const Plugin& p = plugin();
    if (!p.error.empty()) {
        r.report = p.error;
        return r;
    }
    std::string buf(size_t(1) << 16, '\0');
    const int rc = p.selftest(device, buf.data(), buf.size());
    r.report = buf.c_str();
    r.ran = rc >= 0;
    r.passed = rc == 0;
    return r;
}

// The CUDA plugin does not apply LoRA pairs: a model with an adapter would run as its bare base
// there, with no sign of it but different text.
std::string adapter_refusal(const Model& model) {
    return "the model has the LoRA adapter " + model.adapter->dir.string() + ", which only the CPU backend applies";
}

std::unique_ptr<Backend> make_cuda_backend(const Model& model, int device, int kv_slots, bool graphs) {
    if (model.adapter) throw Error("CUDA backend unavailable: " + adapter_refusal(model) + "; use --backend cpu");
    const Plugin& p = plugin();
    if (!p.error.empty()) throw Error("CUDA backend unavailable: " + p.error);
    std::string error;
    auto inner = create_cuda(p, model, device, kv_slots, graphs ? 0u : GISTSCOPE_CUDA_FLAG_NO_GRAPHS, error);
    if (!inner) throw Error("CUDA backend unavailable: " + error);
    return std::make_unique<PluginBackend>(std::move(inner), graphs ? "CUDA graphs on" : "CUDA graphs off");
}

BackendSelection select_backend(const Model& model, BackendChoice choice, int cpu_threads) {
    static std::mutex mutex;  // the plugin and the selftest cache are process-wide
    std::lock_guard<std::mutex> lock(mutex);
    std::string reason;
    if (choice != BackendChoice::cpu && model.adapter) {
        reason = adapter_refusal(model);
        if (choice == BackendChoice::cuda) throw Error("CUDA backend unavailable: " + reason + "; use --backend cpu");
    } else if (choice != BackendChoice::cpu) {
        const GpuProbe probe = probe_gpu();
        if (!probe.usable) {
            reason = probe.reason;
        } else {
            // The device with the most free memory.
            int best = 0;
            for (int i = 1; i < int(probe.devices.size()); ++i)
                if (probe.devices[size_t(i)].free_bytes > probe.devices[size_t(best)].free_bytes) best = i;
            const GpuDevice& dev = probe.devices[size_t(best)];
            bool from_cache = false;
            const GpuSelftest test = cached_selftest(plugin(), best, dev, from_cache);
            if (!test.ran || !test.passed) {
                reason = "GPU selftest failed: " + first_failure(test.report);
            } else {
                std::string error;
                auto inner = create_cuda(plugin(), model, best, planned_kv_slots(model.config), 0u, error);
                if (!inner) {
                    reason = error;
                } else {
                    const std::string note = std::string("GPU selftest passed") + (from_cache ? " (cached)" : "");
                    BackendSelection s;
                    s.backend = std::make_unique<PluginBackend>(std::move(inner), note);
                    s.info = s.backend->info();
                    return s;
                }
            }
        }
        if (choice == BackendChoice::cuda) throw Error("CUDA backend unavailable: " + reason);
    }
    BackendSelection s;
    s.backend = make_cpu_backend(model, cpu_threads);
    s.info = s.backend->info();
    s.info.note = choice == BackendChoice::cpu ? "CPU backend requested" : reason;
    return s;
}

}  // namespace gistscope
