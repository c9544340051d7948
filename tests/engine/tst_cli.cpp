// gistscope-cli as a user drives it: exit code 0 on success; on bad input a non-zero code and
// exactly one line on stderr naming the file or option; no half-written output files.
#include <signal.h>

#include <algorithm>
#include <cmath>

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include "broken_inputs.h"
#include "gistscope/trace.h"
#include "test_util.h"

namespace {

struct Result {
    int code = -1;
    QString out, err;
};

Result cli(const QStringList& args) {
    QProcess p;
    p.start(GISTSCOPE_CLI, args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString fixture(const QString& rel) { return QString::fromStdString((testutil::fixtures() / rel.toStdString()).string()); }
QString demo_model(const char* name = "demo-vanilla") {
    return QString::fromStdString((testutil::resources() / "models" / name).string());
}
QString qs(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

namespace fs = std::filesystem;
using nlohmann::json;

// Every broken input of the matrix, made once for the whole suite.
struct Broken {
    QTemporaryDir tmp;
    fs::path root;
    fs::path good_trace;

    fs::path path(const std::string& rel) const { return root / rel; }

    // A shadow of fixture model `src` named `name` with `file` copied and edited as JSON.
    fs::path model_json(const std::string& name, const fs::path& src, const std::string& file,
                        const std::function<void(json&)>& edit) {
        const auto dir = testutil::shadow_model(src, root / name, {file});
        testutil::edit_json(dir / file, edit);
        return dir;
    }
    fs::path model_header(const std::string& name, const fs::path& src, const std::function<void(json&)>& edit) {
        const auto dir = testutil::shadow_model(src, root / name, {"model.safetensors"});
        testutil::edit_safetensors_header(dir / "model.safetensors", edit);
        return dir;
    }
    fs::path tokenizer(const std::string& name, const std::function<void(json&)>& edit) {
        const auto file = root / (name + ".json");
        auto j = testutil::read_json(testutil::fixtures() / "tokenizers" / "qwen2.5" / "tokenizer.json");
        edit(j);
        testutil::write_file(file, j.dump());
        return file;
    }
    fs::path trace(const std::string& name, const std::function<void(std::vector<json>&)>& edit) {
        const auto file = root / (name + ".jsonl");
        testutil::edit_jsonl(good_trace, file, edit);
        return file;
    }
    fs::path text(const std::string& name, const std::string& content) {
        testutil::write_file(root / name, content);
        return root / name;
    }

    Broken() : root(tmp.path().toStdString()) {
        const fs::path qwen = testutil::fixtures() / "models" / "qwen2-f32";
        const fs::path sharded = testutil::fixtures() / "models" / "llama-sharded-bf16";
        const fs::path demo = testutil::resources() / "models" / "demo-vanilla";
        fs::create_directories(root / "a-folder");
        testutil::write_file(root / "a-file", "x");
        // An eval results line whose count is a float far beyond int (found by fuzz_eval_results:
        // read with get<int>(), a float-to-int cast out of range).
        testutil::write_file(root / "results-huge-count.jsonl", R"JSON({"accepted":["42"],"answer":null,"compressions":0,"dataset":"demo-handwritten","dataset_format":"jsonl","dependency":769800,"expected":"42","format":"gistscope-eval","generated_tokens":4.4e122,"id":"1","index":0,"mean_thought_tokens":600.0,"method":"vanilla","model":"demo-vanilla","output":"x","params":{"max_new_tokens":1200,"seed":0,"temperature":0.0,"top_p":1.0},"peak_tokens":1241,"prompt_tokens":41,"question":"What is 2 + 3?","rejected":[],"reviewed":false,"rule":"no_answer","seconds":16.255209524,"shard":null,"source":"gistscope","stop_reason":"max_tokens","thoughts":2,"verdict":"wrong","version":1})JSON" "\n");
        // LightThinker++ grammar files
        testutil::write_file(root / "grammar-not-json.json", "{\"format\": ");
        {
            json g = gistscope::MemoryGrammar::builtin().to_json();
            g["actions"].erase("fold");
            testutil::write_file(root / "grammar-no-fold.json", g.dump());
            g = gistscope::MemoryGrammar::builtin().to_json();
            g["render"]["archived"] = "{summary}";
            testutil::shadow_model(demo, root / "demo-bad-grammar", {});
            testutil::write_file(root / "demo-bad-grammar" / "memory_grammar.json", g.dump());
        }
        fs::create_symlink(root / "loop-b", root / "loop-a");
        fs::create_symlink(root / "loop-a", root / "loop-b");

        // config.json
        testutil::shadow_model(qwen, root / "cfg-not-json", {"config.json"});
        testutil::write_file(root / "cfg-not-json" / "config.json", "{\"architectures\": [");
        model_json("cfg-vocab-string", qwen, "config.json", [](json& j) { j["vocab_size"] = "many"; });
        model_json("cfg-no-hidden", qwen, "config.json", [](json& j) { j.erase("hidden_size"); });
        model_json("cfg-mistral", qwen, "config.json", [](json& j) { j["architectures"] = {"MistralForCausalLM"}; });
        model_json("cfg-rope-huge", qwen, "config.json", [](json& j) {
            j["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}, {"original_max_position_embeddings", 1e300}};
        });
        model_json("cfg-heads-huge", qwen, "config.json", [](json& j) { j["num_attention_heads"] = 1099511627776ll; });
        model_json("cfg-head-dim-product", qwen, "config.json", [](json& j) {
            j["head_dim"] = 1 << 30;
            j["num_attention_heads"] = 4;
        });
        model_json("cfg-eos-range", qwen, "config.json", [](json& j) { j["eos_token_id"] = 99999; });
        model_json("cfg-eos-type", qwen, "config.json", [](json& j) { j["eos_token_id"] = "</s>"; });
        model_json("cfg-eos-list", qwen, "config.json", [](json& j) { j["eos_token_id"] = {1, 2.5}; });
        model_json("cfg-bos-negative", qwen, "config.json", [](json& j) { j["bos_token_id"] = -1; });
        model_json("cfg-fewer-layers", qwen, "config.json", [](json& j) { j["num_hidden_layers"] = 2; });
        model_json("cfg-eps-string", qwen, "config.json", [](json& j) { j["rms_norm_eps"] = "tiny"; });
        testutil::shadow_model(qwen, root / "cfg-is-folder", {});
        fs::remove(root / "cfg-is-folder" / "config.json");
        fs::create_directories(root / "cfg-is-folder" / "config.json");

        // safetensors
        model_header("st-overlap", qwen, [](json& h) {
            h["lm_head.weight"]["data_offsets"] = h["model.embed_tokens.weight"]["data_offsets"];
        });
        model_header("st-gap", qwen, [](json& h) {
            auto& o = h["model.norm.weight"]["data_offsets"];
            const uint64_t b = o[0].get<uint64_t>(), e = o[1].get<uint64_t>();
            h["model.norm.weight"]["shape"] = {(e - b) / 4 - 1};
            o[1] = e - 4;
        });
        model_header("st-wrap", qwen, [](json& h) {
            h["model.norm.weight"]["shape"] = {4294967296ull, 4294967296ull, 2};
        });
        model_header("st-reversed", qwen, [](json& h) {
            auto& o = h["model.norm.weight"]["data_offsets"];
            std::swap(o[0], o[1]);
        });
        model_header("st-dtype", qwen, [](json& h) { h["model.norm.weight"]["dtype"] = "I32"; });
        model_header("st-numel", qwen, [](json& h) {
            auto shape = h["model.norm.weight"]["shape"];
            shape[0] = shape[0].get<int64_t>() * 2;
            h["model.norm.weight"]["shape"] = shape;
        });
        model_header("st-missing", qwen, [](json& h) {
            h["model.layers.1.mlp.up_proj.weightX"] = h["model.layers.1.mlp.up_proj.weight"];
            h.erase("model.layers.1.mlp.up_proj.weight");
        });
        {
            const auto dir = testutil::shadow_model(qwen, root / "st-header-huge", {"model.safetensors"});
            std::string bytes = testutil::read_file(dir / "model.safetensors");
            const uint64_t huge = 100000001;
            std::memcpy(bytes.data(), &huge, 8);
            bytes.resize(std::max<size_t>(bytes.size(), 8));
            testutil::write_file(dir / "model.safetensors", bytes);
        }
        {
            const auto dir = testutil::shadow_model(qwen, root / "st-header-past-end", {"model.safetensors"});
            std::string bytes = testutil::read_file(dir / "model.safetensors");
            const uint64_t claim = bytes.size() * 4 % 100000000;
            std::memcpy(bytes.data(), &claim, 8);
            testutil::write_file(dir / "model.safetensors", bytes);
        }
        {
            const auto dir = testutil::shadow_model(qwen, root / "st-not-json", {"model.safetensors"});
            const std::string h = "{not json}";
            const uint64_t len = h.size();
            testutil::write_file(dir / "model.safetensors", std::string(reinterpret_cast<const char*>(&len), 8) + h);
        }
        testutil::shadow_model(qwen, root / "st-tiny", {"model.safetensors"});
        testutil::write_file(root / "st-tiny" / "model.safetensors", "abc");
        testutil::shadow_model(qwen, root / "st-folder", {});
        fs::remove(root / "st-folder" / "model.safetensors");
        fs::create_directories(root / "st-folder" / "model.safetensors");

        // sharded index
        model_json("idx-escape", sharded, "model.safetensors.index.json", [](json& j) {
            j["weight_map"]["model.norm.weight"] = "../../model-00001-of-00006.safetensors";
        });
        model_json("idx-absolute", sharded, "model.safetensors.index.json", [](json& j) {
            j["weight_map"]["model.norm.weight"] = "/etc/passwd";
        });
        model_json("idx-missing-shard", sharded, "model.safetensors.index.json", [](json& j) {
            j["weight_map"]["model.norm.weight"] = "model-00009-of-00006.safetensors";
        });
        model_json("idx-no-map", sharded, "model.safetensors.index.json", [](json& j) { j.erase("weight_map"); });
        testutil::shadow_model(sharded, root / "idx-not-json", {"model.safetensors.index.json"});
        testutil::write_file(root / "idx-not-json" / "model.safetensors.index.json", "{\"weight_map\": ");

        // tokenizer.json
        tokenizer("tok-negative-id", [](json& j) { j["model"]["vocab"]["!"] = -5; });
        tokenizer("tok-huge-id", [](json& j) { j["model"]["vocab"]["!"] = 1099511627783ll; });
        tokenizer("tok-added-max", [](json& j) { j["added_tokens"][0]["id"] = 2147483647; });
        tokenizer("tok-added-no-content", [](json& j) { j["added_tokens"][0].erase("content"); });
        tokenizer("tok-pre-sequence", [](json& j) { j["pre_tokenizer"] = {{"type", "Sequence"}}; });
        tokenizer("tok-post-sequence", [](json& j) { j["post_processor"] = {{"type", "Sequence"}}; });
        tokenizer("tok-special-no-id", [](json& j) {
            j["post_processor"] = {{"type", "TemplateProcessing"},
                                   {"single", {{{"SpecialToken", {{"type_id", 0}}}}, {{"Sequence", {{"id", "A"}}}}}}};
        });
        tokenizer("tok-merge-unknown", [](json& j) { j["model"]["merges"][0] = "qqqunknown zzzunknown"; });
        tokenizer("tok-merges-object", [](json& j) { j["model"]["merges"] = {{"a", "b"}}; });
        tokenizer("tok-wordpiece", [](json& j) { j["model"]["type"] = "WordPiece"; });
        tokenizer("tok-vocab-string-id", [](json& j) { j["model"]["vocab"]["!"] = "zero"; });
        tokenizer("tok-normalizer-type", [](json& j) { j["normalizer"] = {{"type", 7}}; });
        text("not-a-sentencepiece.model", "this is not a protobuf");
        text("latin1.txt", "caf\xe9 au lait");
        text("comp-empty-token-name.json", R"({"template":{"model":"qwen"},"output":{"level":"sentence","n_token":2,"token_name":""}})");
        text("comp-n-token-huge.json", R"({"template":{"model":"qwen"},"output":{"level":"sentence","n_token":1099511627776}})");
        text("comp-no-template.json", R"({"output":{"level":"sentence","n_token":2}})");

        // A model whose weights hold a NaN.
        {
            const auto dir = testutil::shadow_model(demo, root / "demo-nan", {"model.safetensors"});
            testutil::poke_tensor(dir / "model.safetensors", "model.norm.weight", std::nanf(""));
        }
        {
            const auto dir = testutil::shadow_model(qwen, root / "qwen-nan", {"model.safetensors"});
            testutil::poke_tensor(dir / "model.safetensors", "lm_head.weight", std::nanf(""));
        }

        // Traces: a real run of the demo model, then broken copies.
        good_trace = root / "good.trace.jsonl";
        QProcess p;
        p.start(GISTSCOPE_CLI, {"generate", "--model", demo_model(), "--prompt", "What is 2 + 3?", "--chat",
                                "--max-new-tokens", "12", "--backend", "cpu", "--json", "--trace", qs(good_trace)});
        p.waitForFinished(120000);
        auto find = [](std::vector<json>& l, const char* type, int nth = 0) -> json& {
            for (auto& x : l)
                if (x.value("type", "") == type && nth-- == 0) return x;
            throw std::runtime_error(std::string("fixture trace has no ") + type);
        };
        trace("tr-swapped", [&](std::vector<json>& l) { std::swap(l[l.size() - 2], l[l.size() - 3]); });
        trace("tr-end-first", [&](std::vector<json>& l) {
            json end = l.back();
            l.pop_back();
            l.insert(l.begin() + 1, end);
        });
        trace("tr-negative-position", [&](std::vector<json>& l) { find(l, "token", 3)["position"] = -4; });
        trace("tr-version", [&](std::vector<json>& l) { l[0]["version"] = "1abc.0"; });
        trace("tr-step-huge", [&](std::vector<json>& l) { l.back()["metrics"]["dependency"] = 1e300; });
        trace("tr-prompt-id-huge", [&](std::vector<json>& l) { l[0]["prompt_ids"][0] = 1099511627783ll; });
        trace("tr-step-float", [&](std::vector<json>& l) { find(l, "token", 2)["step"] = 1e300; });
        trace("tr-prompt-late", [&](std::vector<json>& l) {
            auto& t = l[l.size() - 2];
            t["role"] = "prompt";
        });
        trace("tr-not-trace", [&](std::vector<json>& l) { l[0].erase("format"); });
        trace("tr-attention-head-average", [&](std::vector<json>& l) {
            l.insert(l.end() - 1, json{{"type", "attention"}, {"step", 1}, {"layer", -1}, {"head", 0}, {"query", 1},
                                       {"positions", {0}}, {"weights", {1.0}}});
        });
        trace("tr-attention-weight", [&](std::vector<json>& l) {
            l.insert(l.end() - 1, json{{"type", "attention"}, {"step", 99}, {"layer", -1}, {"query", 1},
                                       {"positions", {0}}, {"weights", {7.5}}});
        });
        // Datasets.
        text("ds-empty-question.jsonl", "{\"question\": \"What is 1+1?\", \"answer\": \"2\"}\n{\"question\": \"  \", \"answer\": \"3\"}\n");
        text("ds-not-json.jsonl", "{\"question\": \"What\"\n");
    }
};

Broken* broken = nullptr;

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        static Broken b;
        broken = &b;
        QVERIFY2(fs::exists(b.good_trace), "generate --trace did not write the fixture trace");
    }

    void tokenize_prints_json_ids() {
        const auto r = cli({"tokenize", "--tokenizer", fixture("tokenizers/llama3/tokenizer.json"), "--text", "Hello world"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QString("[128000,9906,1917]"));
        const auto lt = cli({"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--lightthinker-config", "qwen",
                             "--text", "a\n\nb<|splitter|>"});
        QCOMPARE(lt.code, 0);
        QCOMPARE(lt.out.trimmed(), QString("[64,151672,65,151665]"));
    }

    void tokenize_jsonl_one_line_per_string() {
        QTemporaryDir tmp;
        const QString f = tmp.filePath("in.jsonl");
        testutil::write_file(f.toStdString(), "\"a\"\n\"\\n\\n\"\n");
        const auto r = cli({"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5/tokenizer.json"), "--text-file", f, "--jsonl"});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QString("[64]\n[271]\n"));
        testutil::write_file(f.toStdString(), "\"a\"\nnot json\n");
        const auto bad = cli({"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5/tokenizer.json"), "--text-file", f, "--jsonl"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("in.jsonl:2"));
    }

    void logits_writes_float32_rows() {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("l.f32");
        const auto r = cli({"logits", "--model", fixture("models/qwen2-f32"), "--tokens", "1,2,3", "--out", out});
        QCOMPARE(r.code, 0);
        QCOMPARE(QFileInfo(out).size(), qint64(3 * 389 * 4));
        QVERIFY(!QFileInfo::exists(out + ".tmp"));
    }

    void bad_input_is_one_line_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing model") << QStringList{"info", "--model", "/nonexistent"} << "/nonexistent";
        QTest::newRow("missing option") << QStringList{"logits", "--model", fixture("models/qwen2-f32")} << "--tokens";
        QTest::newRow("bad tokens") << QStringList{"logits", "--model", fixture("models/qwen2-f32"), "--tokens", "1,x",
                                                   "--out", qs(broken->path("x.f32"))} << "'x'";
        QTest::newRow("token out of vocab") << QStringList{"logits", "--model", fixture("models/qwen2-f32"), "--tokens",
                                                           "99999", "--out", qs(broken->path("x.f32"))} << "99999";
        QTest::newRow("unwritable out") << QStringList{"logits", "--model", fixture("models/qwen2-f32"), "--tokens", "1",
                                                       "--out", "/nonexistent/dir/l.f32"} << "/nonexistent/dir/l.f32";
        QTest::newRow("unknown option") << QStringList{"info", "--modle", "x"} << "--modle";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << "frobnicate";
        QTest::newRow("bad tokenizer") << QStringList{"tokenize", "--tokenizer", "/nonexistent/t.json", "--text", "a"}
                                       << "/nonexistent/t.json";
    }
    void bad_input_is_one_line() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const auto r = cli(args);
        QVERIFY2(r.code != 0 && r.code != -1, qPrintable(QString("exit code %1").arg(r.code)));
        const QString first = r.err.section('\n', 0, 0);
        QVERIFY2(first.contains(mentions), qPrintable(r.err));
        if (!args.contains("frobnicate")) QCOMPARE(r.err.count('\n'), 1);
    }

    // The bad-input matrix: each row is one defect a user can hand the CLI; every one must end
    // with exit code 2 and one line on stderr that names the file or option and the field.
    void bad_input_matrix_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        const Broken& b = *broken;
        auto P = [&](const char* rel) { return qs(b.path(rel)); };
        auto info = [&](const char* rel) { return QStringList{"info", "--model", qs(b.path(rel))}; };
        auto tok = [&](const char* rel) { return QStringList{"tokenize", "--tokenizer", qs(b.path(rel)), "--text", "a b"}; };
        auto replay = [&](const char* rel) { return QStringList{"replay", qs(b.path(rel))}; };
        const QString demo = demo_model();
        auto gen = [&](QStringList extra) {
            return QStringList{"generate", "--model", demo, "--prompt", "What is 2 + 3?", "--backend", "cpu", "--json"} + extra;
        };
        const QString qwen = fixture("models/qwen2-f32");

        // Model folders and config.json.
        QTest::newRow("model folder missing") << QStringList{"info", "--model", "/nonexistent/model"} << QStringList{"/nonexistent/model", "no such file"};
        QTest::newRow("model is a file") << info("a-file") << QStringList{"a-file", "not a GGUF file", "checkpoint directory"};
        QTest::newRow("model symlink loop") << info("loop-a") << QStringList{"loop-a", "symbolic links"};
        QTest::newRow("config not JSON") << info("cfg-not-json") << QStringList{"config.json", "not valid JSON"};
        QTest::newRow("config vocab_size string") << info("cfg-vocab-string") << QStringList{"config.json", "'vocab_size'", "expected an integer"};
        QTest::newRow("config missing hidden_size") << info("cfg-no-hidden") << QStringList{"config.json", "missing field 'hidden_size'"};
        QTest::newRow("config architecture") << info("cfg-mistral") << QStringList{"config.json", "MistralForCausalLM", "expected Qwen2ForCausalLM"};
        QTest::newRow("config rope original_max 1e300") << info("cfg-rope-huge") << QStringList{"config.json", "original_max_position_embeddings", "expected an integer"};
        QTest::newRow("config heads 2^40") << info("cfg-heads-huge") << QStringList{"config.json", "'num_attention_heads'", "1099511627776"};
        QTest::newRow("config heads x head_dim overflow") << info("cfg-head-dim-product") << QStringList{"config.json", "num_attention_heads x head_dim"};
        QTest::newRow("config eos out of vocabulary") << info("cfg-eos-range") << QStringList{"config.json", "'eos_token_id'", "99999", "0..388"};
        QTest::newRow("config eos wrong type") << info("cfg-eos-type") << QStringList{"config.json", "'eos_token_id'", "expected a token id"};
        QTest::newRow("config eos list float") << info("cfg-eos-list") << QStringList{"config.json", "'eos_token_id'[1]", "2.5"};
        QTest::newRow("config bos negative") << info("cfg-bos-negative") << QStringList{"config.json", "'bos_token_id'", "-1"};
        QTest::newRow("config fewer layers than weights") << info("cfg-fewer-layers") << QStringList{"config.json", "num_hidden_layers is 2", "model.layers.2."};
        QTest::newRow("config eps string") << info("cfg-eps-string") << QStringList{"config.json", "'rms_norm_eps'", "expected a number"};
        QTest::newRow("config.json is a folder") << info("cfg-is-folder") << QStringList{"config.json", "is a folder"};

        // safetensors.
        QTest::newRow("tensors overlap") << info("st-overlap") << QStringList{"model.safetensors", "overlapping tensors"};
        QTest::newRow("tensors leave a gap") << info("st-gap") << QStringList{"model.safetensors", "a gap"};
        QTest::newRow("shape element count wraps") << info("st-wrap") << QStringList{"model.safetensors", "model.norm.weight", "more elements than fit"};
        QTest::newRow("data_offsets reversed") << info("st-reversed") << QStringList{"model.safetensors", "model.norm.weight", "reversed"};
        QTest::newRow("unsupported dtype") << info("st-dtype") << QStringList{"model.norm.weight", "I32", "expected F32, F16 or BF16"};
        QTest::newRow("shape does not match bytes") << info("st-numel") << QStringList{"model.norm.weight", "bytes of data for shape"};
        QTest::newRow("missing tensor") << info("st-missing") << QStringList{"no tensor 'model.layers.1.mlp.up_proj.weight'"};
        QTest::newRow("header over 100 MB") << info("st-header-huge") << QStringList{"model.safetensors", "100000001", "at most 100000000"};
        QTest::newRow("header past the end") << info("st-header-past-end") << QStringList{"model.safetensors", "header claims"};
        QTest::newRow("header not JSON") << info("st-not-json") << QStringList{"model.safetensors", "not valid JSON"};
        QTest::newRow("safetensors 3 bytes") << info("st-tiny") << QStringList{"model.safetensors", "8-byte"};
        QTest::newRow("safetensors is a folder") << info("st-folder") << QStringList{"model.safetensors", "not a regular file"};

        // Sharded index.
        QTest::newRow("shard path escapes") << info("idx-escape") << QStringList{"model.safetensors.index.json", "model.norm.weight", "no '..'"};
        QTest::newRow("shard path absolute") << info("idx-absolute") << QStringList{"model.safetensors.index.json", "/etc/passwd"};
        QTest::newRow("shard missing") << info("idx-missing-shard") << QStringList{"model-00009-of-00006.safetensors", "listed but missing"};
        QTest::newRow("index without weight_map") << info("idx-no-map") << QStringList{"model.safetensors.index.json", "weight_map"};
        QTest::newRow("index not JSON") << info("idx-not-json") << QStringList{"model.safetensors.index.json", "not valid JSON"};

        // Tokenizers and texts.
        QTest::newRow("vocabulary id negative") << tok("tok-negative-id.json") << QStringList{"tok-negative-id.json", "model.vocab['!']", "-5"};
        QTest::newRow("vocabulary id 2^40+7") << tok("tok-huge-id.json") << QStringList{"tok-huge-id.json", "model.vocab['!']", "1099511627783"};
        QTest::newRow("added token id 2^31-1") << tok("tok-added-max.json") << QStringList{"tok-added-max.json", "added_tokens[0].id", "2147483647"};
        QTest::newRow("added token without content") << tok("tok-added-no-content.json") << QStringList{"added_tokens[0]", "'content'"};
        QTest::newRow("pre-tokenizer Sequence without list") << tok("tok-pre-sequence.json") << QStringList{"pre_tokenizer", "'pretokenizers'"};
        QTest::newRow("post-processor Sequence without list") << tok("tok-post-sequence.json") << QStringList{"post_processor", "'processors'"};
        QTest::newRow("special token without id") << tok("tok-special-no-id.json") << QStringList{"post_processor.single[0]", "'id'"};
        QTest::newRow("merge of unknown pieces") << tok("tok-merge-unknown.json") << QStringList{"model.merges[0]", "qqqunknown", "not in model.vocab"};
        QTest::newRow("merges not a list") << tok("tok-merges-object.json") << QStringList{"model.merges", "must be a list"};
        QTest::newRow("tokenizer model type") << tok("tok-wordpiece.json") << QStringList{"tok-wordpiece.json", "WordPiece", "expected BPE"};
        QTest::newRow("vocabulary id string") << tok("tok-vocab-string-id.json") << QStringList{"model.vocab['!']", "\"zero\"", "expected an integer"};
        QTest::newRow("normalizer type number") << tok("tok-normalizer-type.json") << QStringList{"normalizer", "'type'", "expected a string"};
        QTest::newRow("folder without tokenizer") << tok("a-folder") << QStringList{"a-folder", "no tokenizer.json"};
        // Found by fuzz_sentencepiece: a NUL byte in a piece (an empty key to its trie builder) made libsentencepiece's trie builder throw
        // through the library and abort the process.
        QTest::newRow("sentencepiece NUL in a piece")
            << QStringList{"tokenize", "--tokenizer", fixture("broken/sentencepiece-nul-in-piece.model"), "--text", "a b"}
            << QStringList{"sentencepiece-nul-in-piece.model", "piece 31 of the vocabulary holds a NUL byte"};
        QTest::newRow("sentencepiece garbage") << tok("not-a-sentencepiece.model") << QStringList{"not-a-sentencepiece.model", "not a sentencepiece model"};
        QTest::newRow("text-file is a folder") << QStringList{"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--text-file", P("a-folder")} << QStringList{"a-folder", "is a folder"};
        QTest::newRow("text-file not UTF-8") << QStringList{"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--text-file", P("latin1.txt")} << QStringList{"latin1.txt", "not valid UTF-8 at byte 3"};
        QTest::newRow("comp-config empty token_name") << QStringList{"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--lightthinker-config", P("comp-empty-token-name.json"), "--text", "a"} << QStringList{"comp-empty-token-name.json", "token_name is empty"};
        QTest::newRow("comp-config n_token 2^40") << QStringList{"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--lightthinker-config", P("comp-n-token-huge.json"), "--text", "a"} << QStringList{"comp-n-token-huge.json", "output.n_token", "1..64"};
        QTest::newRow("comp-config without template") << QStringList{"tokenize", "--tokenizer", fixture("tokenizers/qwen2.5"), "--lightthinker-config", P("comp-no-template.json"), "--text", "a"} << QStringList{"comp-no-template.json", "'template'"};

        // generate.
        QTest::newRow("threads 2000") << gen({"--threads", "2000"}) << QStringList{"--threads", "'2000'", "0..1024"};
        QTest::newRow("attention layer 99") << gen({"--attention", "99"}) << QStringList{"--attention 99", "4 layers", "0..3"};
        QTest::newRow("attention bogus") << gen({"--attention", "heads"}) << QStringList{"--attention", "'heads'", "a layer number, avg or all"};
        QTest::newRow("max-context beyond the model") << gen({"--max-context", "100000"}) << QStringList{"--max-context 100000", "4096"};
        QTest::newRow("prompt-file is a folder") << QStringList{"generate", "--model", demo, "--prompt-file", P("a-folder")} << QStringList{"a-folder", "is a folder"};
        QTest::newRow("prompt-file symlink loop") << QStringList{"generate", "--model", demo, "--prompt-file", P("loop-a")} << QStringList{"loop-a", "symbolic links"};
        QTest::newRow("prompt empty") << QStringList{"generate", "--model", demo, "--prompt", ""} << QStringList{"prompt is empty"};
        QTest::newRow("trace is a folder") << gen({"--trace", P("a-folder")}) << QStringList{"a-folder", "is a folder"};
        QTest::newRow("trace folder missing") << gen({"--trace", "/nonexistent/dir/t.jsonl"}) << QStringList{"/nonexistent/dir/t.jsonl", "no such file"};
        QTest::newRow("NaN weights") << QStringList{"generate", "--model", P("demo-nan"), "--prompt", "2 + 3?", "--backend", "cpu", "--json"} << QStringList{"non-finite logit", "NaN"};
        QTest::newRow("unknown method") << gen({"--method", "bogus"}) << QStringList{"bogus"};
        QTest::newRow("max-new-tokens 0") << gen({"--max-new-tokens", "0"}) << QStringList{"--max-new-tokens", "'0'"};
        QTest::newRow("temperature negative") << gen({"--temperature", "-1"}) << QStringList{"--temperature", "'-1'"};
        QTest::newRow("backend unknown") << gen({"--backend", "gpu"}) << QStringList{"--backend", "'gpu'"};
        QTest::newRow("bench threads 5000") << QStringList{"bench", "--model", demo, "--threads", "5000"} << QStringList{"--threads", "'5000'"};

        // logits.
        QTest::newRow("logits out is a folder") << QStringList{"logits", "--model", qwen, "--tokens", "1,2", "--out", P("a-folder")} << QStringList{"a-folder", "is a folder"};
        QTest::newRow("logits NaN weights") << QStringList{"logits", "--model", P("qwen-nan"), "--tokens", "1,2", "--out", P("nan.f32")} << QStringList{"qwen-nan", "non-finite logit"};
        QTest::newRow("logits token id huge") << QStringList{"logits", "--model", qwen, "--tokens", "1,99999999999", "--out", P("x.f32")} << QStringList{"--tokens", "'99999999999'"};

        // Traces.
        QTest::newRow("trace events swapped") << replay("tr-swapped.jsonl") << QStringList{"tr-swapped.jsonl:", "expected events in step order"};
        QTest::newRow("trace end event first") << replay("tr-end-first.jsonl") << QStringList{"tr-end-first.jsonl:3:", "after the end event"};
        QTest::newRow("trace negative position") << replay("tr-negative-position.jsonl") << QStringList{"tr-negative-position.jsonl:", "token.position", "-4"};
        QTest::newRow("trace version 1abc.0") << replay("tr-version.jsonl") << QStringList{"tr-version.jsonl:1:", "'1abc.0'"};
        QTest::newRow("trace dependency 1e300") << replay("tr-step-huge.jsonl") << QStringList{"tr-step-huge.jsonl:", "end.metrics.dependency"};
        QTest::newRow("trace prompt id 2^40+7") << replay("tr-prompt-id-huge.jsonl") << QStringList{"tr-prompt-id-huge.jsonl:1:", "header.prompt_ids[0]"};
        QTest::newRow("trace step 1e300") << replay("tr-step-float.jsonl") << QStringList{"tr-step-float.jsonl:", "token.step"};
        QTest::newRow("trace prompt token late") << replay("tr-prompt-late.jsonl") << QStringList{"tr-prompt-late.jsonl:", "prompt tokens exactly at step 0"};
        QTest::newRow("trace without format") << replay("tr-not-trace.jsonl") << QStringList{"tr-not-trace.jsonl:1:", "not a GistScope trace"};
        QTest::newRow("trace attention weight 7.5") << replay("tr-attention-weight.jsonl") << QStringList{"tr-attention-weight.jsonl:", "attention.weights[0]", "[0, 1]"};
        QTest::newRow("trace attention head of the average") << replay("tr-attention-head-average.jsonl") << QStringList{"tr-attention-head-average.jsonl:", "attention.head", "layer -1"};
        QTest::newRow("trace is a folder") << replay("a-folder") << QStringList{"a-folder", "is a folder"};
        QTest::newRow("plot out is a folder") << QStringList{"plot", "--trace", qs(b.good_trace), "--out", P("a-folder")} << QStringList{"a-folder", "is a folder"};
        QTest::newRow("plot trace missing") << QStringList{"plot", "--trace", "/nonexistent/t.jsonl", "--out", P("p.png")} << QStringList{"/nonexistent/t.jsonl", "no such file"};

        // Datasets.
        QTest::newRow("eval empty question") << QStringList{"eval", "--model", demo, "--dataset", P("ds-empty-question.jsonl"), "--out", P("r.jsonl")} << QStringList{"ds-empty-question.jsonl:2", "question is empty"};
        QTest::newRow("eval dataset folder") << QStringList{"eval", "--model", demo, "--dataset", P("a-folder"), "--out", P("r.jsonl")} << QStringList{"a-folder", "is a folder"};
        QTest::newRow("eval dataset not JSON") << QStringList{"eval", "--model", demo, "--dataset", P("ds-not-json.jsonl"), "--out", P("r.jsonl")} << QStringList{"ds-not-json.jsonl:1", "not valid JSON"};

        QTest::newRow("eval results count 4.4e122")
            << QStringList{"eval-merge", P("results-huge-count.jsonl")}
            << QStringList{"results-huge-count.jsonl:1", "\"generated_tokens\" is 4.4e+122", "expected an integer"};
        // LightThinker++ grammars.
        QTest::newRow("memory grammar not JSON")
            << gen({"--method", "lightthinker-pp", "--memory-grammar", P("grammar-not-json.json")})
            << QStringList{"grammar-not-json.json", "not valid JSON"};
        QTest::newRow("memory grammar without fold")
            << gen({"--method", "lightthinker-pp", "--memory-grammar", P("grammar-no-fold.json")})
            << QStringList{"grammar-no-fold.json", "actions", "fold"};
        QTest::newRow("memory grammar missing")
            << gen({"--method", "lightthinker-pp", "--memory-grammar", P("no-such-grammar.json")})
            << QStringList{"no-such-grammar.json"};
        QTest::newRow("model's memory grammar broken") << info("demo-bad-grammar")
                                                       << QStringList{"memory_grammar.json", "render.archived", "{k}"};

        // Options.
        QTest::newRow("option without value") << QStringList{"info", "--model"} << QStringList{"--model", "needs a value"};
        QTest::newRow("option value is an option")
            << QStringList{"demo", "--out", "--problem", "1"} << QStringList{"--out", "needs a value", "--problem"};
        QTest::newRow("switch with a value") << QStringList{"info", "--model", qwen, "--json=yes"} << QStringList{"--json", "takes no value"};
    }
    void bad_input_matrix() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const auto r = cli(args);
        QVERIFY2(r.code == 2, qPrintable(QString("exit code %1, stderr: %2").arg(r.code).arg(r.err)));
        QVERIFY2(r.err.count('\n') == 1, qPrintable("expected one line on stderr, got: " + r.err));
        for (const auto& m : mentions) QVERIFY2(r.err.contains(m), qPrintable("'" + m + "' not in: " + r.err));
        QVERIFY2(!r.err.contains("internal error") && !r.err.contains("json.exception"), qPrintable(r.err));
    }

    void no_temporary_left_behind() {
        // Failures after the output file was opened leave neither the file nor FILE.tmp.
        const Broken& b = *broken;
        const QString out = qs(b.path("nan.f32"));
        QCOMPARE(cli({"logits", "--model", qs(b.path("qwen-nan")), "--tokens", "1,2", "--out", out}).code, 2);
        QVERIFY(!QFileInfo::exists(out) && !QFileInfo::exists(out + ".tmp"));
        QCOMPARE(cli({"logits", "--model", fixture("models/qwen2-f32"), "--tokens", "1", "--out", qs(b.path("a-folder"))}).code, 2);
        QVERIFY(!QFileInfo::exists(qs(b.path("a-folder")) + ".tmp"));
    }

    void many_threads_run() {
        // 18 and more threads crashed the CPU backend (a pool started while its workers ran).
        for (const char* n : {"18", "64"}) {
            const auto r = cli({"generate", "--model", demo_model(), "--prompt", "What is 2 + 3?", "--max-new-tokens", "4",
                                "--threads", n, "--backend", "cpu", "--json"});
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
    }

    void thread_start_failure_is_an_error_not_a_hang() {
#ifdef GISTSCOPE_TEST_ASAN
        QSKIP("ASan needs far more address space than the limit this test sets");
#endif
        // Under an address-space limit only some threads can start: the pool stops those and the
        // run ends with one clear line (it used to hang or abort).
        QProcess p;
        p.start("/bin/sh", {"-c", QString("ulimit -v 1000000; exec '%1' generate --model '%2' --prompt 'What is 2+3?' "
                                          "--max-new-tokens 4 --threads 1000 --backend cpu --json")
                                      .arg(GISTSCOPE_CLI, demo_model())});
        QVERIFY2(p.waitForFinished(60000), "gistscope-cli hung when threads could not be started");
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains("cannot start 1000 CPU threads") && err.contains("use fewer --threads"), qPrintable(err));
    }

    void help_of_every_subcommand() {
        const auto top = cli({"--help"});
        QCOMPARE(top.code, 0);
        static const QRegularExpression option_re(QStringLiteral("--([a-z][a-z0-9-]*)"));
        static const QRegularExpression command_re(QStringLiteral("^  ([a-z][a-z-]*) "), QRegularExpression::MultilineOption);
        QStringList commands;
        for (auto it = command_re.globalMatch(top.out); it.hasNext();) commands << it.next().captured(1);
        QVERIFY2(commands.size() >= 10, qPrintable(top.out));
        for (const auto& cmd : commands) {
            const auto h = cli({cmd, "--help"});
            QVERIFY2(h.code == 0, qPrintable(cmd + " --help: exit " + QString::number(h.code) + " " + h.err));
            QVERIFY2(h.out.startsWith("usage: gistscope-cli " + cmd), qPrintable(h.out));
            // Every option the help or the top-level usage lists is accepted: parsing gets past it
            // to the deliberately unknown option after it.
            QString listed = h.out;
            for (const auto& line : top.out.split('\n'))
                if (line.startsWith("  " + cmd + " ")) listed += line;
            QSet<QString> seen;
            for (auto it = option_re.globalMatch(listed); it.hasNext();) {
                const QString opt = it.next().captured(1);
                if (opt == "help" || seen.contains(opt)) continue;
                seen.insert(opt);
                // A switch is accepted alone; an option with a value with "1" after it (the eval
                // commands write their own help, so the help's layout is not relied on).
                auto accepted = [&](const QStringList& args) {
                    const auto r = cli(args);
                    return r.code == 2 && r.err.contains("unknown option --zz-not-an-option");
                };
                const bool ok = accepted({cmd, "--" + opt, "--zz-not-an-option"}) ||
                                accepted({cmd, "--" + opt, "1", "--zz-not-an-option"});
                QVERIFY2(ok, qPrintable(cmd + " --" + opt + " is listed but not accepted"));
            }
        }
    }

    void killed_generate_leaves_a_trace_that_opens() {
        // SIGKILL at several points of a run: the trace opens, holds what was written up to the
        // kill, and reads as cut; replay says so and shows the recorded part.
        QTemporaryDir tmp;
        int cut_runs = 0;
        for (const qint64 kill_at : {qint64(2000), qint64(30000), qint64(120000), qint64(400000)}) {
            const QString trace = tmp.filePath(QString("t%1.jsonl").arg(kill_at));
            QProcess p;
            p.start(GISTSCOPE_CLI, {"generate", "--model", demo_model(), "--prompt", "What is 12 + 30? Think step by step.",
                                    "--chat", "--max-new-tokens", "3000", "--attention", "avg", "--backend", "cpu",
                                    "--json", "--trace", trace});
            QVERIFY(p.waitForStarted());
            QElapsedTimer t;
            t.start();
            while (p.state() == QProcess::Running && QFileInfo(trace).size() < kill_at && t.elapsed() < 60000) QTest::qWait(2);
            const bool killed = p.state() == QProcess::Running;
            if (killed) ::kill(pid_t(p.processId()), SIGKILL);
            p.waitForFinished(10000);
            QVERIFY2(QFileInfo::exists(trace), qPrintable(trace));
            QVERIFY(!QFileInfo::exists(trace + ".tmp"));
            const auto parsed = gistscope::trace_read(trace.toStdString());
            QVERIFY(parsed.header.prompt_ids.size() > 0);
            if (!killed) continue;  // the run finished before the kill point
            ++cut_runs;
            QVERIFY(parsed.end() == nullptr);
            QVERIFY(!parsed.events.empty() || kill_at < 5000);
            // Every complete line was kept: the events are the file's lines less the header and a
            // half-written last line.
            const std::string text = testutil::read_file(trace.toStdString());
            const auto lines = std::count(text.begin(), text.end(), '\n');
            QCOMPARE(qint64(parsed.events.size()), qint64(lines - 1));
            const auto r = cli({"replay", trace});
            QVERIFY2(r.code == 0 && r.err.contains("cut short"), qPrintable(r.err));
        }
        QVERIFY2(cut_runs >= 2, "the runs finished before most kill points: make them longer");
    }
    void lightthinker_pp_runs_with_a_grammar_file_and_replays() {
        // A plain-text grammar the demo model's own sentences trigger: "Now Ana has 20 apples."
        // commits with the summary "Ana has 20 apples". The run is not meant to solve anything;
        // it shows the grammar file, the actions, the trace and replay working end to end.
        QTemporaryDir tmp;
        json g = gistscope::MemoryGrammar::builtin().to_json();
        g["actions"]["commit"] = {{"open", "Now "}, {"close", "."}};
        g["render"] = {{"archived", "Step {k}: {summary}.\n\n"}, {"active", "Step {k}: {raw}\n\n"}};
        const QString grammar = tmp.filePath("grammar.json");
        testutil::write_file(grammar.toStdString(), g.dump());
        const QString trace = tmp.filePath("pp.jsonl");
        const auto r = cli({"generate", "--model", demo_model(), "--prompt", "What is 12 + 30? Think step by step.",
                            "--chat", "--method", "lightthinker-pp", "--memory-grammar", grammar, "--max-new-tokens",
                            "300", "--backend", "cpu", "--json", "--trace", trace});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto summary = json::parse(r.out.toStdString());
        QVERIFY2(summary.contains("memory") && summary["memory"]["commits"].get<int>() >= 1, qPrintable(r.out));
        const auto t = gistscope::trace_read(trace.toStdString());
        QCOMPARE(QString::fromStdString(t.header.method), QString("lightthinker-pp"));
        int commits = 0;
        for (const auto& e : t.events)
            if (const auto* m = std::get_if<gistscope::MemoryEvent>(&e); m && m->action == gistscope::MemoryAction::commit) {
                QVERIFY(!m->raw_positions.empty());
                // Only the tail changed: what came before the committed step was kept, and the
                // first step starts right after the prompt.
                QVERIFY(m->kept <= m->context_before && m->kept + m->reprefilled == m->context_after);
                if (commits++ == 0) QCOMPARE(m->kept, int(t.header.prompt_ids.size()));
            }
        QCOMPARE(commits, summary["memory"]["commits"].get<int>());
        const auto rep = cli({"replay", trace});
        QVERIFY2(rep.code == 0, qPrintable(rep.err));
        QVERIFY2(rep.out.contains("[memory] ") && rep.out.contains(" tokens re-prefilled"), qPrintable(rep.out));
    }
    void info_describes_the_checkpoint() {
        const auto r = cli({"info", "--model", fixture("models/llama-sharded-bf16"), "--json"});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(QString::fromStdString(j["architecture"].get<std::string>()), QString("LlamaForCausalLM"));
        QCOMPARE(QString::fromStdString(j["weight_dtype"].get<std::string>()), QString("BF16"));
        QCOMPARE(QString::fromStdString(j["rope_scaling"].get<std::string>()), QString("llama3"));
    }
};

QTEST_MAIN(TestCli)
#include "tst_cli.moc"
