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
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "args.h"
#include "commands.h"
#include "gistscope/backend.h"
#include "gistscope/backend_select.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "resources.h"

namespace gistscope::cli {
namespace {

namespace fs = std::filesystem;

struct Check {
    std::string name;
    double max_err = 0.0;
    double tol = 0.0;
    bool pass = false;
};

Check make_check(std::string name, double err, double tol) {
    return {std::move(name), err, tol, std::isfinite(err) && err <= tol};
}

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

// max |a - b| / max(max |b|, 1): logits error relative to the reference's scale.
double scaled_error(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0.0, scale = 1.0;
    for (size_t i = 0; i < b.size(); ++i) {
        if (!std::isfinite(a[i])) return INFINITY;
        worst = std::max(worst, double(std::fabs(a[i] - b[i])));
        scale = std::max(scale, double(std::fabs(b[i])));
    }
    return worst / scale;
}

double abs_error(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0.0;
    for (size_t i = 0; i < b.size(); ++i) {
        if (!std::isfinite(a[i])) return INFINITY;
        worst = std::max(worst, double(std::fabs(a[i] - b[i])));
    }
    return worst;
}

int32_t argmax_last(const std::vector<float>& logits, int vocab) {
    const float* last = logits.data() + logits.size() - size_t(vocab);
    return int32_t(std::max_element(last, last + vocab) - last);
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

// The same block on the CPU reference, the CUDA backend as a graph and the CUDA backend eagerly.
class Trio {
public:
    Trio(const Model& model, int device) : vocab_(model.config.vocab_size) {
        backends_.push_back(make_cpu_backend(model, 0));
        backends_.push_back(make_cuda_backend(model, device, 1024, true));
        backends_.push_back(make_cuda_backend(model, device, 1024, false));
        for (auto& b : backends_) caches_.push_back(b->make_cache(256));
    }
    int size() const { return caches_[0]->size(); }

    // Feeds rows at positions next_pos..; returns the CPU's choice for the next token.
    int32_t feed(const std::string& what, std::vector<int32_t> tokens, std::vector<std::vector<SlotRange>> visible,
                 AttentionProbeRequest probe, std::vector<Check>& checks) {
        std::vector<SlotInfo> infos;
        for (int32_t t : tokens) infos.push_back({t, next_pos_++, SlotRole::thought, 0, step_});
        ++step_;
        ForwardInput in;
        in.tokens = tokens;
        in.infos = infos;
        in.visible = std::move(visible);
        in.all_logits = tokens.size() > 1;
        in.probe = probe;
        std::vector<ForwardOutput> out(backends_.size());
        for (size_t b = 0; b < backends_.size(); ++b) backends_[b]->forward(in, *caches_[b], out[b]);
        // bf16 weights and bf16 GEMM inputs on the GPU against float32 activations on the CPU.
        checks.push_back(make_check(what + ": logits, CUDA vs CPU", scaled_error(out[1].logits, out[0].logits), 0.05));
        checks.push_back(make_check(what + ": logits, graph vs eager", scaled_error(out[1].logits, out[2].logits), 1e-3));
        const int32_t cpu = argmax_last(out[0].logits, vocab_);
        const float* last = out[0].logits.data() + out[0].logits.size() - size_t(vocab_);
        std::vector<float> sorted(last, last + vocab_);
        std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
        // Only a clear winner must agree; a near tie may flip under bf16 rounding.
        if (sorted[0] - sorted[1] > 0.1f * std::max(1.0f, std::fabs(sorted[0])))
            checks.push_back(make_check(what + ": greedy token, CUDA vs CPU", argmax_last(out[1].logits, vocab_) == cpu ? 0 : 1, 0));
        if (probe.mode != AttentionProbeRequest::Mode::off)
            checks.push_back(make_check(what + ": attention probe", abs_error(out[1].attention, out[0].attention), 0.02));
        if (probe.per_head_sum)
            checks.push_back(make_check(what + ": H2O column sums", abs_error(out[1].attention_column_sums,
                                                                              out[0].attention_column_sums), 0.05));
        return cpu;
    }
    void erase_range(int begin, int end) {
        for (auto& c : caches_) c->erase_range(begin, end);
    }
    void erase_slots(const std::vector<int>& slots) {
        for (auto& c : caches_) c->erase_slots(slots);
    }

private:
    int vocab_;
    int next_pos_ = 0, step_ = 0;
    std::vector<std::unique_ptr<Backend>> backends_;
    std::vector<std::unique_ptr<KvCache>> caches_;
};

// A LightThinker-shaped run (spec 5.2) with random prompt tokens.
std::vector<Check> check_model(const fs::path& dir, int device) {
    std::vector<Check> checks;
    const auto model = Model::load(dir);
    const std::string name = dir.filename().string();
    const int vocab = model->config.vocab_size;
    Trio trio(*model, device);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> any(0, vocab - 1);
    std::vector<int32_t> prompt(24);
    for (auto& t : prompt) t = any(rng);
    int32_t tok = trio.feed(name + " prefill 24", prompt, {}, {}, checks);
    const int local_start = trio.size();
    for (int i = 0; i < 5; ++i) tok = trio.feed(name + " decode", {tok}, {}, {}, checks);
    // The compression block: [SPL, c0, c1, c2, o]; rows causal, [o] blind to the thought and SPL.
    const int L = trio.size(), m = 5;
    std::vector<std::vector<SlotRange>> vis;
    for (int r = 0; r < m - 1; ++r) vis.push_back({SlotRange{0, L + r + 1}});
    vis.push_back({SlotRange{0, local_start}, SlotRange{L + 1, L + m}});
    std::vector<int32_t> block(static_cast<size_t>(m));
    for (auto& t : block) t = any(rng);
    tok = trio.feed(name + " compression block", block, vis, {}, checks);
    trio.erase_range(local_start, L + 1);
    for (int i = 0; i < 3; ++i) tok = trio.feed(name + " decode after eviction", {tok}, {}, {}, checks);
    trio.erase_slots({1, 5, 9});
    AttentionProbeRequest probe;
    probe.mode = AttentionProbeRequest::Mode::layer;
    probe.layer = std::min(1, model->config.num_layers - 1);
    probe.per_head_sum = true;
    tok = trio.feed(name + " decode, probe layer", {tok}, {}, probe, checks);
    probe.mode = AttentionProbeRequest::Mode::average;
    probe.head = 0;
    trio.feed(name + " decode, probe average head 0", {tok}, {}, probe, checks);
    return checks;
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
    Args args(argc, argv, 2, {"model", "device"}, {"json"});
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
        if (!json) std::printf("model %s (CPU vs CUDA graph vs CUDA eager):\n", dir.string().c_str());
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
