// The bundled demo models (resources/models/demo-*) in the C++ engine: they load, their chat prompt
// tokenises as in training, their logits match Hugging Face transformers, greedy runs are token-
// identical to the PyTorch reference decoder (training/reference_decoder.py: real KV cache, real
// eviction), and LightThinker really compresses. Reference data: tests/fixtures/demo, made by
// training/fixtures/make_demo_fixtures.py and training/crosscheck_engine.py --write-fixture.
#include <QtTest>

#include "gistscope/eval.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "forward_util.h"
#include "session_util.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> fixture_files(const std::string& suffix) {
    std::vector<fs::path> out;
    const auto dir = testutil::fixtures() / "demo";
    if (fs::exists(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().string().size() > suffix.size() &&
                e.path().string().compare(e.path().string().size() - suffix.size(), suffix.size(), suffix) == 0)
                out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

const std::vector<EvalItem>& demo_items() {
    static const auto items = eval_dataset_load(testutil::resources() / "datasets" / "demo-test.jsonl").items;
    return items;
}

}  // namespace

class TestDemoModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(!fixture_files(".prompt.json").empty(), "no demo model fixtures in tests/fixtures/demo");
        QVERIFY(demo_items().size() >= 200);
    }

    void logits_match_transformers_data() {
        QTest::addColumn<QString>("fixture");
        for (const auto& f : fixture_files(".prompt.json")) QTest::newRow(f.filename().c_str()) << QString::fromStdString(f.string());
    }
    void logits_match_transformers() {
        QFETCH(QString, fixture);
        const auto ref = testutil::read_json(fixture.toStdString());
        const auto dir = testutil::resources() / "models" / ref["model"].get<std::string>();
        LoadedModel lm = load_model(dir);
        QVERIFY(lm.comp.has_value());
        // The engine's sentencepiece tokenisation of the chat prompt is the training one.
        const auto ids = lm.chat_prompt_ids(ref["question"].get<std::string>());
        QCOMPARE(ids, ref["ids"].get<std::vector<int32_t>>());
        auto backend = make_cpu_backend(*lm.model, 1);
        const std::vector<float> logits = testutil::run_logits(*backend, ids);
        const auto want = testutil::read_f32(testutil::fixtures() / "demo" / ref["logits_file"].get<std::string>());
        const int rows = ref["rows"].get<int>(), V = ref["vocab"].get<int>();
        QCOMPARE(V, lm.model->config.vocab_size);
        double worst = 0;
        for (int r = 0; r < rows; ++r)
            for (int v = 0; v < V; ++v)
                worst = std::max(worst, double(std::abs(logits[size_t(int(ids.size()) - rows + r) * V + v] -
                                                        want[size_t(r) * V + v])));
        qInfo("%s: max |logit - transformers| = %.3g", ref["model"].get<std::string>().c_str(), worst);
        QVERIFY2(worst <= 1e-4, qPrintable(QString("max abs difference %1").arg(worst)));
    }

    void greedy_runs_match_reference_decoder_data() {
        QTest::addColumn<QString>("fixture");
        for (const auto& f : fixture_files(".reference.jsonl"))
            QTest::newRow(f.filename().c_str()) << QString::fromStdString(f.string());
    }
    void greedy_runs_match_reference_decoder() {
        QFETCH(QString, fixture);
        // <model>.<method>.reference.jsonl
        const std::string base = fs::path(fixture.toStdString()).filename().string();
        const std::string model = base.substr(0, base.find('.'));
        const std::string method = base.substr(model.size() + 1, base.find(".reference") - model.size() - 1);
        LoadedModel lm = load_model(testutil::resources() / "models" / model);
        auto backend = make_cpu_backend(*lm.model, 1);
        const auto rows = testutil::read_jsonl(fixture.toStdString());
        QVERIFY(!rows.empty());
        for (const auto& r : rows) {
            const int idx = r["idx"].get<int>();
            std::vector<int32_t> generated;
            EndEvent end = testutil::run_greedy(lm, *backend, method, demo_items()[size_t(idx)].question, &generated);
            QCOMPARE(generated, r["ids"].get<std::vector<int32_t>>());
            QCOMPARE(end.metrics.dependency, r["dependency"].get<int64_t>());
            QCOMPARE(end.metrics.compressions, r["n_comp"].get<int>());
        }
    }

    void lightthinker_compresses_and_answers() {
        const auto dir = testutil::resources() / "models" / "demo-lightthinker";
        if (!fs::exists(dir)) QFAIL("resources/models/demo-lightthinker is missing");
        LoadedModel lt = load_model(dir);
        LoadedModel va = load_model(testutil::resources() / "models" / "demo-vanilla");
        auto lt_backend = make_cpu_backend(*lt.model, 1);
        auto va_backend = make_cpu_backend(*va.model, 1);
        int correct = 0;
        int64_t peak = 0, vanilla_peak = 0, dep = 0, vanilla_dep = 0;
        for (int i = 0; i < 5; ++i) {
            const auto& item = demo_items()[size_t(i)];
            EndEvent a = testutil::run_greedy(lt, *lt_backend, "lightthinker", item.question);
            EndEvent b = testutil::run_greedy(va, *va_backend, "vanilla", item.question);
            QVERIFY(a.metrics.compressions >= 3);  // one per change at least (1-8 changes a problem)
            QVERIFY2(a.metrics.peak_tokens < b.metrics.peak_tokens,
                     qPrintable(QString("peak %1 vs vanilla %2").arg(a.metrics.peak_tokens).arg(b.metrics.peak_tokens)));
            QCOMPARE(QString::fromStdString(a.metrics.stop_reason), QString("eos"));
            peak += a.metrics.peak_tokens, vanilla_peak += b.metrics.peak_tokens;
            dep += a.metrics.dependency, vanilla_dep += b.metrics.dependency;
            correct += eval_score(a.answer, item).verdict == Verdict::correct;
        }
        // Over the five problems the gists hold less than half of vanilla's memory (0.39x measured
        // on these, 0.43x over all 200) and cut the dependency (0.52x over all 200).
        QVERIFY2(peak * 2 < vanilla_peak, qPrintable(QString("peak %1 vs vanilla %2").arg(peak).arg(vanilla_peak)));
        QVERIFY2(dep * 10 < vanilla_dep * 7, qPrintable(QString("dependency %1 vs vanilla %2").arg(dep).arg(vanilla_dep)));
        QVERIFY2(correct >= 3, qPrintable(QString("%1 of 5 correct").arg(correct)));
    }
};

QTEST_APPLESS_MAIN(TestDemoModels)
#include "tst_demo_models.moc"
