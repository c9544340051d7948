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
};

QTEST_APPLESS_MAIN(TestCudaEmulated)
#include "tst_cuda_emulated.moc"
