// gistscope-cli selftest: checks the CUDA backend against the CPU reference on this machine, in
// the spirit of llama.cpp's test-backend-ops. Without a usable GPU it says why and that the CPU
// backend is in use (exit 0). With one: the plugin's kernel checks (random inputs vs the CPU twins
// of kernel_math.h), then whole forwards of the demo models on both backends through a LightThinker
// step sequence (prefill, decode, a compression block with its mask, a range eviction, a slot
// eviction, attention probes), eager and as a CUDA graph. Exit 1 when any check fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "gistscope/backend.h"
#include "gistscope/backend_compare.h"
#include "gistscope/backend_select.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "resources.h"

namespace gistscope::cli {
namespace {

namespace fs = std::filesystem;

using Check = BackendCheck;

// The plugin reports "name   max_err=X tol=Y PASS" lines.
std::vector<Check> parse_report(const std::string& report) {
    std::vector<Check> out;
    std::istringstream in(report);
    std::string line;
    while (std::getline(in, line)) {
        const auto e = line.find(" max_err="), t = line.find(" tol=");
        if (e == std::string::npos || t == std::string::npos) {
            if (!line.empty()) out.push_back({line, INFINITY, 0.0, false});  // "error: ..."
            continue;
        }
        std::string name = line.substr(0, e);
        name.erase(name.find_last_not_of(' ') + 1);
        out.push_back({name, std::stod(line.substr(e + 9)), std::stod(line.substr(t + 5)),
                       line.find("PASS") != std::string::npos});
    }
    return out;
}

std::vector<fs::path> default_models() {
    std::vector<fs::path> out;
    std::error_code ec;
    try {
        for (const auto& e : fs::directory_iterator(resources_dir() / "models", ec))
            if (e.path().filename().string().rfind("demo-", 0) == 0 && fs::exists(e.path() / "config.json")) out.push_back(e.path());
    } catch (const Error&) {
    }
    if (out.empty()) {
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        const fs::path fixtures = exe.parent_path() / ".." / ".." / "tests" / "fixtures" / "models";
        for (const auto& e : fs::directory_iterator(fixtures, ec))
            if (fs::exists(e.path() / "config.json")) out.push_back(fs::weakly_canonical(e.path()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// CPU reference vs CUDA as a graph, with CUDA eager as the twin (spec 5.2's step sequence).
std::vector<Check> check_model(const fs::path& dir, int device) {
    const auto model = Model::load(dir);
    auto cpu = make_cpu_backend(*model, 0);
    auto graph = make_cuda_backend(*model, device, 1024, true);
    auto eager = make_cuda_backend(*model, device, 1024, false);
    return backend_compare(*model, *cpu, *graph, eager.get(), dir.filename().string());
}

void print_checks(const std::vector<Check>& checks) {
    for (const auto& c : checks)
        std::printf("  %-58s max_err=%-10.3g tol=%-8.3g %s\n", c.name.c_str(), c.max_err, c.tol, c.pass ? "PASS" : "FAIL");
}

nlohmann::json checks_json(const std::vector<Check>& checks) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& c : checks)
        a.push_back({{"name", c.name}, {"max_err", std::isfinite(c.max_err) ? nlohmann::json(c.max_err) : nlohmann::json()},
                     {"tol", c.tol}, {"pass", c.pass}});
    return a;
}

}  // namespace

int cmd_selftest(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"selftest", "[--model DIR] [--device N] [--json]",
                          "Checks the CUDA backend against the CPU one on this machine's GPU.",
                          {{"model", "DIR", "checkpoint folder to compare on, repeatable (default: the bundled demo models)"},
                           {"device", "N", "CUDA device index"},
                           {"json", "", "print as JSON"}}});
    const bool json = args.flag("json");
    const GpuProbe probe = probe_gpu();
    nlohmann::json j;
    j["plugin"] = probe.plugin_path.empty() ? nlohmann::json() : nlohmann::json(probe.plugin_path);

    if (!probe.usable) {
        if (json) {
            j["gpu"] = false;
            j["reason"] = probe.reason;
            j["backend"] = "cpu";
            j["passed"] = true;
            std::printf("%s\n", j.dump(2).c_str());
        } else {
            std::printf("no GPU found: %s\n", probe.reason.c_str());
            std::printf("CUDA plugin: %s\n", probe.plugin_path.empty() ? "not found" : probe.plugin_path.c_str());
            std::printf("the CPU backend is in use; nothing to compare it with, selftest skipped\n");
        }
        return 0;
    }

    const int device = int(args.get_int("device", 0, 0, int(probe.devices.size()) - 1));
    const GpuDevice& dev = probe.devices[size_t(device)];
    std::vector<fs::path> models;
    for (const auto& m : args.all("model")) models.emplace_back(m);
    if (models.empty()) models = default_models();

    bool passed = true;
    if (!json) {
        std::printf("GPU %d: %s (sm_%d%d, %.1f GiB, %.1f GiB free), driver %d\n", device, dev.name.c_str(), dev.major,
                    dev.minor, double(dev.total_bytes) / double(1ull << 30), double(dev.free_bytes) / double(1ull << 30),
                    dev.driver_version);
        std::printf("CUDA plugin: %s\nkernels (random inputs vs the CPU arithmetic):\n", probe.plugin_path.c_str());
    }
    const GpuSelftest kernels = gpu_selftest(device);
    const auto kernel_checks = parse_report(kernels.report);
    passed = passed && kernels.ran && kernels.passed;
    if (!json) print_checks(kernel_checks);
    j["gpu"] = true;
    j["device"] = {{"index", device}, {"name", dev.name}, {"compute_capability", std::to_string(dev.major) + "." + std::to_string(dev.minor)},
                   {"total_bytes", dev.total_bytes}, {"free_bytes", dev.free_bytes}, {"driver", dev.driver_version}};
    j["kernels"] = checks_json(kernel_checks);
    j["models"] = nlohmann::json::array();
    for (const auto& dir : models) {
        if (!json) std::printf("model %s (logits: CUDA graph vs CPU; twin: CUDA eager vs graph):\n", dir.string().c_str());
        std::vector<Check> checks;
        try {
            checks = check_model(dir, device);
        } catch (const std::exception& e) {
            checks.push_back({std::string("error: ") + e.what(), INFINITY, 0.0, false});
        }
        for (const auto& c : checks) passed = passed && c.pass;
        if (!json) print_checks(checks);
        j["models"].push_back({{"dir", dir.string()}, {"checks", checks_json(checks)}});
    }
    j["passed"] = passed;
    if (json) std::printf("%s\n", j.dump(2).c_str());
    else std::printf("selftest %s\n", passed ? "PASSED" : "FAILED");
    return passed ? 0 : 1;
}

}  // namespace gistscope::cli
