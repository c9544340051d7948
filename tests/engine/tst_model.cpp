// CPU logits and greedy continuations against Hugging Face transformers on the fixture
// checkpoints (tests/fixtures/models, made by training/fixtures/make_fixtures.py).
#include <QtTest>

#include "../../engine/src/backends/cpu/matmul_avx512.h"
#include "gistscope/backend.h"
#include "gistscope/model.h"
#include "forward_util.h"
#include "test_util.h"

using namespace gistscope;

using testutil::greedy;
using testutil::run_logits;

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void logits_match_transformers_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"qwen2-f32", "qwen2-tied-bf16", "llama-f32", "llama-sharded-bf16", "llama-f16"})
            QTest::newRow(n) << QString(n);
    }
    void logits_match_transformers() {
        QFETCH(QString, name);
        const auto dir = testutil::fixtures() / "models" / name.toStdString();
        auto model = Model::load(dir);
        auto backend = make_cpu_backend(*model, 1);
        const auto ref = testutil::read_json(dir / "reference.json");
        double worst = 0, worst_native = 0, transformers_bf16 = 0;  // the last: its BF16 run vs its fp32 one
        for (const auto& seq : ref["sequences"]) {
            const auto ids = seq["tokens"].get<std::vector<int32_t>>();
            const auto got = run_logits(*backend, ids);
            const auto want = testutil::read_f32(dir / seq["logits_file"].get<std::string>());
            QCOMPARE(got.size(), want.size());
            for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, double(std::abs(got[i] - want[i])));
            if (seq.contains("logits_native_file")) {
                const auto native = testutil::read_f32(dir / seq["logits_native_file"].get<std::string>());
                for (size_t i = 0; i < got.size(); ++i) {
                    worst_native = std::max(worst_native, double(std::abs(got[i] - native[i])));
                    transformers_bf16 = std::max(transformers_bf16, double(std::abs(native[i] - want[i])));
                }
            }
        }
        qInfo("%s: max |logit - transformers fp32 compute| = %.3g%s", qPrintable(name), worst,
              worst_native > 0 ? qPrintable(QString(", vs transformers in the stored dtype = %1").arg(worst_native, 0, 'g', 3)) : "");
        if (model->weight_dtype == DType::bf16 && cpu::bf16_matmul_rounds_activations()) {
            // The BF16 matmul rounds the activations to BF16 (matmul_bf16dot.cpp): it must stay
            // closer to the exact product than transformers' own BF16 inference, which rounds
            // every intermediate. (ctest's tst_model_float32 runs the float32 product: 1e-4.)
            qInfo("  the BF16 matmul rounds the activations; transformers' BF16 run is %.3g from its fp32 one", transformers_bf16);
            QVERIFY(transformers_bf16 > 0);
            QVERIFY2(worst < transformers_bf16,
                     qPrintable(QString("max abs difference %1 >= transformers' BF16 %2").arg(worst).arg(transformers_bf16)));
        } else {
            QVERIFY2(worst <= 1e-4, qPrintable(QString("max abs difference %1 > 1e-4").arg(worst)));
        }
    }

    void greedy_matches_transformers_data() { logits_match_transformers_data(); }
    void greedy_matches_transformers() {
        QFETCH(QString, name);
        const auto dir = testutil::fixtures() / "models" / name.toStdString();
        auto model = Model::load(dir);
        auto backend = make_cpu_backend(*model, 1);
        const auto ref = testutil::read_json(dir / "reference.json");
        QVERIFY(!ref["greedy"].empty());
        for (const auto& g : ref["greedy"]) {
            const auto prompt = g["prompt"].get<std::vector<int32_t>>();
            const auto want = g["continuation"].get<std::vector<int32_t>>();
            QCOMPARE(int(want.size()), 32);
            const auto got = greedy(*backend, prompt, 32, model->config.vocab_size);
            QCOMPARE(got, want);
        }
    }

    void config_fields_are_read() {
        auto q = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        QVERIFY(q->config.attention_bias);
        QVERIFY(q->config.num_kv_heads < q->config.num_heads);
        QCOMPARE(q->weight_dtype, DType::f32);
        auto l = Model::load(testutil::fixtures() / "models" / "llama-sharded-bf16");
        QCOMPARE(l->config.rope_scaling.type, RopeScalingType::llama3);
        QVERIFY(!l->config.attention_bias);
        QCOMPARE(l->weight_dtype, DType::bf16);
        auto t = Model::load(testutil::fixtures() / "models" / "qwen2-tied-bf16");
        QVERIFY(t->config.tie_word_embeddings);
        QVERIFY(!t->weights.contains("lm_head.weight"));
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
