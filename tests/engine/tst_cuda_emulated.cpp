// The CUDA backend executed on the CPU: kernels.cu, the plugin's kernel checks and the backend
// itself (cuda_backend.cpp: weights, workspace, block packing, KV storage, probes, the decode graph)
// compiled against cuda_emulation.h (threads as fibers with real barriers and warp shuffles, a
// reference cublasGemmEx, graphs that replay what was captured), on every machine, with or without
// nvcc. What a real GPU adds (nvcc's device code, cuBLAS itself, timing, memory limits) is
// gistscope-cli selftest's to check; see docs/cuda.md.
#include <QtTest>

#define GS_CUDA_EMULATION 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunknown-pragmas"  // #pragma unroll
#include "../../engine/backends/cuda/kernels.cu"
#include "../../engine/backends/cuda/kernel_checks.cpp"
#include "../../engine/backends/cuda/cuda_backend.cpp"
#pragma GCC diagnostic pop

#include "gistscope/backend_compare.h"
#include "gistscope/model.h"
#include "../../engine/backends/cuda/plugin_abi.h"
#include "test_util.h"

class TestCudaEmulated : public QObject {
    Q_OBJECT
private slots:
    void every_kernel_matches_the_cpu_arithmetic() {
        std::string report;
        gistscope::cuda::Checks checks{report};
        std::mt19937 rng(20260521);
        gistscope::cuda::run_kernel_checks(checks, rng);
        std::fputs(report.c_str(), stdout);
        QVERIFY2(checks.ok, report.c_str());
        QVERIFY(report.find("attention compression block (tiled) output") != std::string::npos);
    }

    // The whole CUDA backend against the CPU reference through gistscope-cli selftest's step
    // sequence, as a decode graph and eagerly, on the fixture models (f32, f16 and sharded bf16).
    void backend_matches_cpu_data() {
        QTest::addColumn<QString>("dir");
        for (const char* m : {"qwen2-f32", "llama-f16", "llama-sharded-bf16"}) QTest::newRow(m) << QString(m);
    }
    void backend_matches_cpu() {
        QFETCH(QString, dir);
        auto model = gistscope::Model::load(testutil::fixtures() / "models" / dir.toStdString());
        auto cpu = gistscope::make_cpu_backend(*model, 1);
        auto graph = gistscope::cuda::make_cuda_backend(*model, 0, 1024, 0);
        auto eager = gistscope::cuda::make_cuda_backend(*model, 0, 1024, GISTSCOPE_CUDA_FLAG_NO_GRAPHS);
        const auto checks = gistscope::backend_compare(*model, *cpu, *graph, eager.get(), dir.toStdString());
        QVERIFY(checks.size() > 20);
        bool ok = true;
        for (const auto& c : checks) {
            std::printf("%-62s max_err=%-10.3g tol=%-8.3g %s\n", c.name.c_str(), c.max_err, c.tol, c.pass ? "PASS" : "FAIL");
            ok = ok && c.pass;
        }
        QVERIFY(ok);
    }

    // A decode graph is captured against the KV planes; when the cache grows they move, and the
    // graph must be captured again (96 steps from a 16-slot cache: the planes move at 17 and 89 slots).
    void decode_graph_follows_cache_growth() {
        auto model = gistscope::Model::load(testutil::fixtures() / "models/qwen2-f32");
        auto cpu = gistscope::make_cpu_backend(*model, 1);
        auto graph = gistscope::cuda::make_cuda_backend(*model, 0, 1024, 0);
        auto cpu_cache = cpu->make_cache(16);
        auto gpu_cache = graph->make_cache(16);
        gistscope::ForwardOutput a, b;
        int32_t tok = 3;
        double worst = 0.0;
        for (int pos = 0; pos < 96; ++pos) {
            const std::vector<int32_t> tokens = {tok};
            const std::vector<gistscope::SlotInfo> infos = {{tok, pos, gistscope::SlotRole::prompt, -1, pos}};
            gistscope::ForwardInput in;
            in.tokens = tokens;
            in.infos = infos;
            cpu->forward(in, *cpu_cache, a);
            graph->forward(in, *gpu_cache, b);
            float scale = 1.0f;
            for (float x : a.logits) scale = std::max(scale, std::fabs(x));
            for (size_t i = 0; i < a.logits.size(); ++i) worst = std::max(worst, double(std::fabs(a.logits[i] - b.logits[i]) / scale));
            tok = int32_t(std::max_element(a.logits.begin(), a.logits.end()) - a.logits.begin());
        }
        QCOMPARE(gpu_cache->size(), 96);
        QVERIFY2(worst < 0.05, qPrintable(QString::number(worst)));
    }

    // The memory plan refuses a device that is too small, before loading anything, and says why.
    void too_small_a_device_is_a_clear_error() {
        auto model = gistscope::Model::load(testutil::fixtures() / "models/qwen2-f32");
        gs_emulation::g_free_bytes = size_t(100) << 20;
        try {
            gistscope::cuda::make_cuda_backend(*model, 0, 16384, 0);
            gs_emulation::g_free_bytes = size_t(64) << 30;
            QFAIL("expected an Error");
        } catch (const gistscope::Error& e) {
            gs_emulation::g_free_bytes = size_t(64) << 30;
            const QString what = e.what();
            QVERIFY2(what.startsWith("model needs ") && what.contains("KV for 16384 slots") &&
                         what.contains("device has 0.1 GiB free"),
                     e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestCudaEmulated)
#include "tst_cuda_emulated.moc"
