// Backend selection as a user meets it: on a machine without a usable GPU the CPU backend runs and
// says why; `gistscope-cli selftest` reports the same and exits 0. On a GPU machine the strict
// "falls back to CPU" checks are skipped (gistscope-cli selftest checks the GPU there).
#include <QProcess>
#include <QtTest>

#include "gistscope/backend_select.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "test_util.h"

using namespace gistscope;

class TestBackendSelect : public QObject {
    Q_OBJECT
private slots:
    void choice_names() {
        BackendChoice c = BackendChoice::cpu;
        QVERIFY(backend_choice_parse("auto", c));
        QCOMPARE(int(c), int(BackendChoice::auto_));
        QVERIFY(backend_choice_parse("cuda", c));
        QCOMPARE(int(c), int(BackendChoice::cuda));
        QVERIFY(!backend_choice_parse("gpu", c));
        QCOMPARE(QString(backend_choice_name(BackendChoice::cpu)), QString("cpu"));
    }

    void auto_falls_back_to_cpu_with_a_reason() {
        const GpuProbe probe = probe_gpu();
        if (probe.usable) QSKIP("a usable GPU is present; see gistscope-cli selftest");
        QVERIFY(!probe.reason.empty());
        auto model = Model::load(testutil::fixtures() / "models/qwen2-f32");
        const BackendSelection s = select_backend(*model, BackendChoice::auto_, 1);
        QVERIFY(s.backend != nullptr);
        QCOMPARE(QString::fromStdString(s.info.name), QString("cpu"));
        QCOMPARE(s.info.note, probe.reason);
        // The reason is one of the documented ones.
        const QString note = QString::fromStdString(s.info.note);
        QVERIFY2(note.contains("no CUDA plugin built") || note.contains("libcuda.so.1 not found (no NVIDIA driver)") ||
                     note.contains("no CUDA device"),
                 qPrintable(note));
        // The CPU backend it returns works.
        auto cache = s.backend->make_cache(8);
        ForwardInput in;
        const std::vector<int32_t> tokens = {1, 2};
        const std::vector<SlotInfo> infos = {{1, 0, SlotRole::prompt, -1, 0}, {2, 1, SlotRole::prompt, -1, 0}};
        in.tokens = tokens;
        in.infos = infos;
        ForwardOutput out;
        s.backend->forward(in, *cache, out);
        QCOMPARE(int(out.logits.size()), model->config.vocab_size);
    }

    void cuda_choice_throws_the_reason() {
        const GpuProbe probe = probe_gpu();
        if (probe.usable) QSKIP("a usable GPU is present");
        auto model = Model::load(testutil::fixtures() / "models/qwen2-f32");
        try {
            select_backend(*model, BackendChoice::cuda, 1);
            QFAIL("expected an Error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(probe.reason)), e.what());
        }
    }

    void cpu_choice() {
        auto model = Model::load(testutil::fixtures() / "models/qwen2-f32");
        const BackendSelection s = select_backend(*model, BackendChoice::cpu, 1);
        QCOMPARE(QString::fromStdString(s.info.name), QString("cpu"));
        QCOMPARE(QString::fromStdString(s.info.note), QString("CPU backend requested"));
    }

    void cli_selftest_without_gpu_exits_0() {
        if (probe_gpu().usable) QSKIP("a usable GPU is present; the selftest would run for real");
        QProcess p;
        p.start(GISTSCOPE_CLI, {"selftest"});
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains("no GPU found: ") && out.contains("the CPU backend is in use"), qPrintable(out));

        QProcess pj;
        pj.start(GISTSCOPE_CLI, {"selftest", "--json"});
        QVERIFY(pj.waitForFinished(120000));
        QCOMPARE(pj.exitCode(), 0);
        const auto j = nlohmann::json::parse(pj.readAllStandardOutput().toStdString());
        QCOMPARE(j["gpu"].get<bool>(), false);
        QCOMPARE(QString::fromStdString(j["backend"].get<std::string>()), QString("cpu"));
        QVERIFY(!j["reason"].get<std::string>().empty());
    }
};

QTEST_MAIN(TestBackendSelect)
#include "tst_backend_select.moc"
