// The CUDA kernels executed on the CPU: kernels.cu and the plugin's kernel checks compiled against
// cuda_emulation.h (threads as fibers, real barriers and warp shuffles), on every machine, with or
// without nvcc. What a GPU adds on top (the compiler's device code, cuBLAS, graphs, timing) is
// gistscope-cli selftest's to check; see docs/cuda.md.
#include <QtTest>

#define GS_CUDA_EMULATION 1
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunknown-pragmas"  // #pragma unroll
#include "../../engine/backends/cuda/kernels.cu"
#include "../../engine/backends/cuda/kernel_checks.cpp"
#pragma GCC diagnostic pop

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
};

QTEST_APPLESS_MAIN(TestCudaEmulated)
#include "tst_cuda_emulated.moc"
