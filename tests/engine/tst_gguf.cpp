// GGUF files: the fixture checkpoints written as GGUF by gguf-py the way llama.cpp's converter
// lays them out (training/fixtures/make_gguf_model_fixtures.py) load to the same model and give
// transformers' logits; and bad files, written here byte by byte, each give one clear Error.
#include <QtTest>

#include <cstring>
#include <map>

#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "gistscope/model.h"
#include "gistscope/tokenizer.h"
#include "forward_util.h"
#include "test_util.h"

using namespace gistscope;

using testutil::run_logits;

namespace {

std::filesystem::path gguf_fixtures() { return testutil::fixtures() / "gguf-models"; }

// A GGUF file assembled field by field, so each test can break exactly one thing.
class GgufBytes {
public:
    explicit GgufBytes(uint32_t version = 3) {
        u32(0x46554747);
        u32(version);
        tensor_count_at_ = bytes_.size();
        u64(0);
        kv_count_at_ = bytes_.size();
        u64(0);
    }
    GgufBytes& u8(uint8_t v) { return raw(&v, 1); }
    GgufBytes& u32(uint32_t v) { return raw(&v, 4); }
    GgufBytes& u64(uint64_t v) { return raw(&v, 8); }
    GgufBytes& f32(float v) { return raw(&v, 4); }
    GgufBytes& str(const std::string& s) {
        u64(s.size());
        bytes_ += s;
        return *this;
    }
    GgufBytes& kv_u32(const std::string& key, uint32_t v) { return kv_begin(key, 4).u32(v); }
    GgufBytes& kv_f32(const std::string& key, float v) { return kv_begin(key, 6).f32(v); }
    GgufBytes& kv_str(const std::string& key, const std::string& v) { return kv_begin(key, 8).str(v); }
    GgufBytes& kv_begin(const std::string& key, uint32_t type) {
        bump(kv_count_at_);
        str(key);
        return u32(type);
    }
    // A tensor info; data is added later with data().
    GgufBytes& tensor(const std::string& name, std::vector<uint64_t> dims, uint32_t type, uint64_t offset) {
        bump(tensor_count_at_);
        str(name);
        u32(uint32_t(dims.size()));
        for (uint64_t d : dims) u64(d);
        u32(type);
        return u64(offset);
    }
    GgufBytes& align(size_t a = 32) {
        while (bytes_.size() % a) bytes_ += '\0';
        return *this;
    }
    GgufBytes& zeros(size_t n) {
        bytes_.append(n, '\0');
        return *this;
    }
    const std::string& bytes() const { return bytes_; }

private:
    GgufBytes& raw(const void* p, size_t n) {
        bytes_.append(static_cast<const char*>(p), n);
        return *this;
    }
    void bump(size_t at) {
        uint64_t n;
        std::memcpy(&n, bytes_.data() + at, 8);
        ++n;
        std::memcpy(bytes_.data() + at, &n, 8);
    }
    std::string bytes_;
    size_t tensor_count_at_ = 0, kv_count_at_ = 0;
};

// A well-formed file: two metadata keys and one 32 x 2 F32 tensor.
GgufBytes valid_file() {
    GgufBytes g;
    g.kv_str("general.architecture", "llama").kv_u32("llama.block_count", 1);
    g.tensor("t.weight", {32, 2}, 0, 0).align().zeros(32 * 2 * 4);
    return g;
}

}  // namespace

class TestGguf : public QObject {
    Q_OBJECT

    std::filesystem::path tmp_;
    std::filesystem::path write(const std::string& name, const std::string& bytes) {
        const auto p = tmp_ / name;
        testutil::write_file(p, bytes);
        return p;
    }
    // The Error message of opening `bytes`, or "" when it opened.
    QString open_error(const std::string& bytes) {
        const auto p = write("case.gguf", bytes);
        try {
            GgufFile::open(p);
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private slots:
    void initTestCase() {
        tmp_ = std::filesystem::temp_directory_path() / ("tst_gguf_" + std::to_string(::getpid()));
        std::filesystem::create_directories(tmp_);
    }
    void cleanupTestCase() { std::filesystem::remove_all(tmp_); }

    void reads_metadata_and_tensors() {
        auto f = GgufFile::open(write("ok.gguf", valid_file().bytes()));
        QCOMPARE(f->version(), 3u);
        QCOMPARE(f->get_string("general.architecture"), std::string("llama"));
        QCOMPARE(f->get_int("llama.block_count"), int64_t(1));
        QCOMPARE(f->tensors().size(), size_t(1));
        const auto& t = f->tensors()[0];
        QCOMPARE(t.shape(), (std::vector<int64_t>{2, 32}));  // Hugging Face order
        QCOMPARE(t.bytes, uint64_t(256));
        QCOMPARE(f->data_offset() % 32, uint64_t(0));
        QVERIFY_THROWS_EXCEPTION(Error, f->get_int("general.architecture"));
        QVERIFY_THROWS_EXCEPTION(Error, f->get_string("missing.key"));
    }

    // Every prefix of a valid file is a truncated file: each must be an Error, never a crash.
    void every_truncation_is_an_error() {
        const std::string full = valid_file().bytes();
        for (size_t n = 0; n < full.size(); ++n) {
            const QString e = open_error(full.substr(0, n));
            QVERIFY2(!e.isEmpty(), qPrintable(QString("prefix of %1 bytes opened").arg(n)));
            QVERIFY2(e.contains("case.gguf"), qPrintable(e));
        }
    }

    void bad_files_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* name, const GgufBytes& g, const char* expected) {
            QTest::newRow(name) << QByteArray::fromStdString(g.bytes()) << QString(expected);
        };
        {
            std::string b = valid_file().bytes();
            b[0] = 'X';
            QTest::newRow("wrong magic") << QByteArray::fromStdString(b) << QString("not a GGUF file");
        }
        row("version 1", GgufBytes(1).zeros(64), "version 1 is obsolete");
        row("version 7", GgufBytes(7).zeros(64), "version 7 is unknown");
        row("big-endian", GgufBytes(0x03000000).zeros(64), "big-endian");
        {
            GgufBytes g;
            g.tensor("t.weight", {32, 2}, 0, 0).align().zeros(100);  // needs 256
            row("data past the end", g, "runs past the end");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {256, 2}, 16, 0).align().zeros(4096);
            row("unsupported tensor type", g, "IQ2_XXS");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {32}, 77, 0).align().zeros(4096);
            row("unknown tensor type", g, "type 77");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {33, 2}, 8, 0).align().zeros(4096);  // Q8_0 rows must be 32-multiples
            row("partial block", g, "not a multiple");
        }
        {
            GgufBytes g;
            g.tensor("a.weight", {32}, 0, 0).tensor("b.weight", {32}, 0, 64).align().zeros(256);
            row("overlapping tensors", g, "overlap");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {8}, 0, 4).align().zeros(64);
            row("misaligned offset", g, "alignment");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {8}, 0, 0).tensor("t.weight", {8}, 0, 32).align().zeros(64);
            row("duplicate tensor", g, "appears twice");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {uint64_t(1) << 40, uint64_t(1) << 40}, 0, 0).align().zeros(64);
            row("element count overflow", g, "overflows");
        }
        {
            GgufBytes g;
            g.tensor("t.weight", {1, 1, 1, 1, 1}, 0, 0).align().zeros(64);
            row("five dimensions", g, "dimensions");
        }
        {
            GgufBytes g;
            g.kv_begin("tokenizer.ggml.tokens", 9).u32(8).u64(uint64_t(1) << 60);
            row("huge array length", g, "claims");
        }
        {
            GgufBytes g;
            g.kv_begin("general.name", 8).u64(uint64_t(1) << 62);
            row("huge string length", g, "claims a string");
        }
        {
            GgufBytes g;
            g.kv_begin("x", 9).u32(9).u64(1);
            row("nested array", g, "array of arrays");
        }
        {
            GgufBytes g;
            g.kv_begin("x", 42).u32(0);
            row("unknown metadata type", g, "unknown type 42");
        }
        {
            GgufBytes g;
            g.kv_u32("general.alignment", 24);
            row("alignment not a power of two", g, "power of two");
        }
        {
            GgufBytes g;
            g.kv_u32("x", 1).kv_u32("x", 2);
            row("duplicate key", g, "appears twice");
        }
        {
            GgufBytes g;
            g.kv_begin("flag", 7).u8(5);
            row("bool of 5", g, "expected 0 or 1");
        }
    }
    void bad_files() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const QString e = open_error(bytes.toStdString());
        QVERIFY2(!e.isEmpty(), "the file opened");
        QVERIFY2(e.contains(expected), qPrintable(e));
        QVERIFY2(e.contains("case.gguf"), qPrintable(e));
    }

    void bad_model_metadata_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");
        QTest::newRow("block_count as string") << "llama.block_count" << "is a string, expected an integer";
        QTest::newRow("architecture") << "general.architecture" << "not supported";
        QTest::newRow("missing eps") << "llama.attention.layer_norm_rms_epsilon" << "missing";
    }
    void bad_model_metadata() {
        QFETCH(QString, key);
        QFETCH(QString, expected);
        GgufBytes g;
        const auto k = key.toStdString();
        g.kv_str("general.architecture", k == "general.architecture" ? "mamba" : "llama");
        if (k == "llama.block_count") g.kv_str("llama.block_count", "two");
        else g.kv_u32("llama.block_count", 1);
        g.kv_u32("llama.embedding_length", 32).kv_u32("llama.feed_forward_length", 32);
        g.kv_u32("llama.attention.head_count", 2);
        if (k != "llama.attention.layer_norm_rms_epsilon") g.kv_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        g.tensor("token_embd.weight", {32, 4}, 0, 0).align().zeros(32 * 4 * 4);
        const auto p = write("model.gguf", g.bytes());
        try {
            Model::load(p);
            QFAIL("loaded");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).contains("model.gguf"), e.what());
        }
    }

    void not_a_gguf_file_is_named() {
        const auto p = write("notes.txt", "hello");
        try {
            Model::load(p);
            QFAIL("loaded");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("not a GGUF file"), e.what());
        }
    }

    // A model made to run is copied out of the file mapping into anonymous memory (huge pages):
    // at the same addresses, with the same bytes, and the forward gives the same logits. Where
    // the weights go can be forced; a wrong value names the variable and what it takes.
    void resident_weights_are_the_mapped_bytes_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("gguf") << QString::fromStdString((gguf_fixtures() / "qwen2-f32-Q5_0.gguf").string());
        QTest::newRow("safetensors") << QString::fromStdString((testutil::fixtures() / "models" / "qwen2-f32").string());
    }
    void resident_weights_are_the_mapped_bytes() {
        QFETCH(QString, path);
        const std::filesystem::path p = path.toStdString();
        const std::vector<int32_t> tokens = {1, 5, 9, 2, 7};
        qputenv("GISTSCOPE_WEIGHTS", "mapped");
        auto mapped = Model::load(p);
        mapped->weights.make_resident_if_it_fits();
        QCOMPARE(QString::fromStdString(mapped->weights.residency()), QString("mapped (GISTSCOPE_WEIGHTS=mapped)"));
        const auto want = run_logits(*make_cpu_backend(*mapped, 1), tokens);

        qputenv("GISTSCOPE_WEIGHTS", "resident");
        auto model = Model::load(p);
        QCOMPARE(QString::fromStdString(model->weights.residency()), QString("mapped"));  // not before it runs
        std::map<std::string, std::pair<const void*, std::vector<uint8_t>>> before;
        for (const auto& [name, t] : model->weights.tensors()) {
            const auto* b = static_cast<const uint8_t*>(t.data);
            before[name] = {t.data, std::vector<uint8_t>(b, b + t.bytes)};
        }
        auto backend = make_cpu_backend(*model, 1);  // moves the weights
        QVERIFY2(model->weights.residency().rfind("resident", 0) == 0, model->weights.residency().c_str());
        for (const auto& [name, t] : model->weights.tensors()) {
            QCOMPARE(t.data, before[name].first);
            QVERIFY2(std::memcmp(t.data, before[name].second.data(), t.bytes) == 0, name.c_str());
        }
        model->weights.make_resident_if_it_fits();  // a second call: nothing to do
        QCOMPARE(run_logits(*backend, tokens), want);

        qputenv("GISTSCOPE_WEIGHTS", "ram");
        auto other = Model::load(p);
        try {
            other->weights.make_resident_if_it_fits();
            QFAIL("GISTSCOPE_WEIGHTS=ram was accepted");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("GISTSCOPE_WEIGHTS is 'ram', expected 'mapped' or 'resident'"));
        }
        qunsetenv("GISTSCOPE_WEIGHTS");
    }

    // The GGUF copies hold the same float32 weights as the safetensors checkpoints (llama's q/k
    // rows permuted as llama.cpp's converter does, llama3 RoPE as rope_freqs.weight), so the
    // logits must equal transformers' on the original checkpoint.
    void f32_copies_match_transformers_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("checkpoint");
        QTest::newRow("qwen2 (bias, GQA)") << "qwen2-f32-F32.gguf" << "qwen2-f32";
        QTest::newRow("llama (permuted q/k, llama3 rope)") << "llama-f32-F32.gguf" << "llama-f32";
        QTest::newRow("qwen2 tied") << "qwen2-tied-bf16-F32.gguf" << "qwen2-tied-bf16";
    }
    void f32_copies_match_transformers() {
        QFETCH(QString, file);
        QFETCH(QString, checkpoint);
        auto model = Model::load(gguf_fixtures() / file.toStdString());
        auto original = Model::load(testutil::fixtures() / "models" / checkpoint.toStdString());
        QVERIFY(model->from_gguf);
        const auto &a = model->config, &b = original->config;
        QCOMPARE(a.architecture, b.architecture);
        QCOMPARE(a.vocab_size, b.vocab_size);
        QCOMPARE(a.num_layers, b.num_layers);
        QCOMPARE(a.num_kv_heads, b.num_kv_heads);
        QCOMPARE(a.head_dim, b.head_dim);
        QCOMPARE(a.attention_bias, b.attention_bias);
        QCOMPARE(a.tie_word_embeddings, b.tie_word_embeddings);
        QCOMPARE(a.rope_scaling.freq_factors.empty(), b.rope_scaling.type == RopeScalingType::none);
        auto backend = make_cpu_backend(*model, 1);
        const auto dir = testutil::fixtures() / "models" / checkpoint.toStdString();
        const auto ref = testutil::read_json(dir / "reference.json");
        double worst = 0;
        for (const auto& seq : ref["sequences"]) {
            const auto got = run_logits(*backend, seq["tokens"].get<std::vector<int32_t>>());
            const auto want = testutil::read_f32(dir / seq["logits_file"].get<std::string>());
            QCOMPARE(got.size(), want.size());
            for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, double(std::abs(got[i] - want[i])));
        }
        qInfo("%s: max |logit - transformers| = %.3g", qPrintable(file), worst);
        QVERIFY2(worst <= 1e-4, qPrintable(QString("max abs difference %1 > 1e-4").arg(worst)));
    }

    // Quantized copies: the engine computes with the blocks as stored and quantizes activations to
    // 8 bits as llama.cpp does (which also keeps K/V in F16), so neither equals transformers on the
    // dequantized weights: on these random models both are 0.05-0.12 away. The engine must be at
    // least as close to that reference as llama.cpp is, and pick llama.cpp's top token wherever
    // llama.cpp's top two are not a near-tie.
    void quantized_copies_match_llamacpp_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"llama-f32-Q8_0.gguf", "llama-f32-Q4_0.gguf", "llama-f32-Q4_1.gguf", "qwen2-f32-Q5_0.gguf",
                              "qwen2-f32-Q5_1.gguf"})
            QTest::newRow(f) << QString(f);
    }
    void quantized_copies_match_llamacpp() {
        QFETCH(QString, file);
        const auto ref = testutil::read_json(gguf_fixtures() / "reference.json");
        nlohmann::json entry;
        for (const auto& e : ref["files"])
            if (e["file"] == file.toStdString()) entry = e;
        QVERIFY(!entry.is_null());
        auto model = Model::load(gguf_fixtures() / file.toStdString());
        auto backend = make_cpu_backend(*model, 1);
        const int vocab = model->config.vocab_size;
        double worst_peer = 0, worst_hf = 0, peer_vs_hf = 0, scale = 0;
        int positions = 0, top1_agree = 0, clear_positions = 0, clear_agree = 0;
        for (const auto& seq : entry["sequences"]) {
            const auto got = run_logits(*backend, seq["tokens"].get<std::vector<int32_t>>());
            const auto peer = testutil::read_f32(gguf_fixtures() / seq["llamacpp_logits_file"].get<std::string>());
            const auto hf = testutil::read_f32(gguf_fixtures() / seq["logits_file"].get<std::string>());
            QCOMPARE(got.size(), peer.size());
            for (size_t i = 0; i < got.size(); ++i) {
                worst_peer = std::max(worst_peer, double(std::abs(got[i] - peer[i])));
                worst_hf = std::max(worst_hf, double(std::abs(got[i] - hf[i])));
                peer_vs_hf = std::max(peer_vs_hf, double(std::abs(peer[i] - hf[i])));
                scale = std::max(scale, double(std::abs(peer[i])));
            }
            for (size_t p = 0; p < got.size() / size_t(vocab); ++p, ++positions) {
                auto row = [&](const std::vector<float>& v) { return v.begin() + long(p) * vocab; };
                const bool same = std::max_element(row(got), row(got) + vocab) - row(got) ==
                                  std::max_element(row(peer), row(peer) + vocab) - row(peer);
                std::vector<float> sorted(row(peer), row(peer) + vocab);
                std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
                const bool clear = sorted[0] - sorted[1] > 0.2f;  // not a near-tie
                top1_agree += same;
                clear_positions += clear;
                clear_agree += clear && same;
            }
        }
        qInfo("%s: top-1 equal to llama.cpp at %d/%d (%d/%d outside near-ties), max |logit - llama.cpp| = %.3g; max "
              "|logit - transformers on dequantized weights| = %.3g, llama.cpp's = %.3g", qPrintable(file), top1_agree,
              positions, clear_agree, clear_positions, worst_peer, worst_hf, peer_vs_hf);
        QVERIFY2(worst_hf <= 1.25 * peer_vs_hf + 0.01,
                 qPrintable(QString("further from transformers (%1) than llama.cpp is (%2)").arg(worst_hf).arg(peer_vs_hf)));
        QCOMPARE(clear_agree, clear_positions);
        QVERIFY(worst_peer <= 0.05 * scale);
    }

    // A `llama` (sentencepiece) vocabulary in GGUF metadata becomes a sentencepiece model again:
    // the same ids as the .model file it was written from, for the whole tokenizer corpus.
    void spm_vocabulary_equals_its_model_file_data() {
        QTest::addColumn<QString>("gguf");
        QTest::addColumn<QString>("model");
        const auto spm = testutil::fixtures() / "gguf-spm";
        QTest::newRow("demo (no prefix, no byte fallback)")
            << QString::fromStdString((spm / "demo-vanilla.gguf").string())
            << QString::fromStdString((testutil::resources() / "models" / "demo-vanilla" / "tokenizer.model").string());
        QTest::newRow("llama-style (dummy prefix, byte fallback)")
            << QString::fromStdString((spm / "llama-style.gguf").string())
            << QString::fromStdString((spm / "llama-style.model").string());
    }
    void spm_vocabulary_equals_its_model_file() {
        QFETCH(QString, gguf);
        QFETCH(QString, model);
        auto from_gguf = Tokenizer::load(gguf.toStdString());
        auto from_model = Tokenizer::load(model.toStdString());
        QCOMPARE(from_gguf->size(), from_model->size());
        int n = 0;
        for (const auto& line : testutil::read_jsonl(testutil::fixtures() / "tokenizers" / "corpus.jsonl")) {
            const std::string text = line.is_string() ? line.get<std::string>() : line.value("text", std::string());
            const auto a = from_gguf->encode(text, false), b = from_model->encode(text, false);
            QVERIFY2(a == b, qPrintable(QString::fromStdString("ids differ for " + nlohmann::json(text).dump())));
            QCOMPARE(from_gguf->decode(a), from_model->decode(b));
            ++n;
        }
        QVERIFY(n > 300);
    }
};

QTEST_APPLESS_MAIN(TestGguf)
#include "tst_gguf.moc"
