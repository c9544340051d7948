// LoRA adapters (PEFT layout) on the CPU backend against PEFT itself: the logits and greedy tokens
// of tests/fixtures/lora/* (made by training/fixtures/make_lora_fixtures.py), on the safetensors
// base and on a GGUF copy of it; and one clear message for each kind of adapter it cannot apply.
#include <QTemporaryDir>
#include <QtTest>
#include <immintrin.h>
#include <cstring>
#include <functional>

#include "../../engine/src/util/sha256.h"
#include "gistscope/backend.h"
#include "gistscope/backend_select.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/model_discovery.h"
#include "forward_util.h"
#include "process_util.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

fs::path lora_dir(const std::string& name) { return testutil::fixtures() / "lora" / name; }
fs::path base_dir(const std::string& name) { return testutil::fixtures() / "models" / name; }

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

// A safetensors file from (name -> (shape, values)), stored as F32 or (f16: true) F16.
using TensorMap = std::map<std::string, std::pair<std::vector<int64_t>, std::vector<float>>>;
void write_safetensors(const fs::path& path, const TensorMap& tensors, bool f16 = false) {
    nlohmann::json header = nlohmann::json::object();
    std::string data;
    for (const auto& [name, t] : tensors) {
        const size_t begin = data.size();
        if (f16) {
            for (float v : t.second) {
                const uint16_t h = _cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT);
                data.append(reinterpret_cast<const char*>(&h), 2);
            }
        } else {
            data.append(reinterpret_cast<const char*>(t.second.data()), t.second.size() * sizeof(float));
        }
        header[name] = {{"dtype", f16 ? "F16" : "F32"}, {"shape", t.first}, {"data_offsets", {begin, data.size()}}};
    }
    const std::string h = header.dump();
    const uint64_t n = h.size();
    std::string file(reinterpret_cast<const char*>(&n), 8);
    testutil::write_file(path, file + h + data);
}

// The tensors of a fixture adapter as float32 (the BF16 one converted), to edit and write back.
TensorMap read_adapter(const fs::path& dir) {
    const WeightStore store = WeightStore::open_file(dir / "adapter_model.safetensors");
    TensorMap out;
    for (const auto& [name, t] : store.tensors()) {
        std::vector<float> v(size_t(t.numel()));
        for (size_t i = 0; i < v.size(); ++i) {
            if (t.dtype == DType::f32) {
                v[i] = static_cast<const float*>(t.data)[i];
            } else {
                const uint32_t bits = uint32_t(static_cast<const uint16_t*>(t.data)[i]) << 16;  // BF16 fixture
                std::memcpy(&v[i], &bits, 4);
            }
        }
        out[name] = {t.shape, v};
    }
    return out;
}

// A writable copy of the llama-f32 fixture adapter in `dir`, with base.json naming the base by
// its absolute path (the fixture's relative one would not resolve from a temporary folder).
void copy_adapter(const fs::path& dir) {
    for (const char* f : {"adapter_config.json", "adapter_model.safetensors"})
        fs::copy_file(lora_dir("llama-f32") / f, dir / f, fs::copy_options::overwrite_existing);
    nlohmann::json base = testutil::read_json(lora_dir("llama-f32") / "base.json");
    base["base"] = base_dir("llama-f32").string();
    testutil::write_file(dir / "base.json", base.dump());
}

void edit_json(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = testutil::read_json(file);
    edit(j);
    testutil::write_file(file, j.dump());
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class TestLora : public QObject {
    Q_OBJECT
private slots:
    void logits_match_peft_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("llama-f32 (F32 adapter, alpha / r)") << QString("llama-f32");
        QTest::newRow("qwen2-f32 (BF16 adapter, rsLoRA)") << QString("qwen2-f32");
        QTest::newRow("qwen2-tied-tokens (trainable token rows: 2 retrained, 4 added)") << QString("qwen2-tied-tokens");
    }
    void logits_match_peft() {
        QFETCH(QString, name);
        const auto dir = lora_dir(name.toStdString());
        auto model = Model::load(dir);  // through base.json
        QVERIFY(model->adapter);
        const auto ref = testutil::read_json(dir / "reference.json");
        QCOMPARE(model->adapter->rank, 8);
        QCOMPARE(model->adapter->alpha, 16.0);
        QCOMPARE(model->adapter->rslora, ref["use_rslora"].get<bool>());
        QVERIFY(std::abs(model->adapter->scale - ref["scale"].get<double>()) < 1e-12);
        QCOMPARE(int(model->adapter->target_modules.size()), 7);
        // Added tokens extend the vocabulary: the logits have a column for each.
        QCOMPARE(model->config.vocab_size, ref["vocab"].get<int>());
        if (ref.contains("trainable_token_indices"))
            QCOMPARE(model->adapter->token_ids, ref["trainable_token_indices"].get<std::vector<int32_t>>());
        auto backend = make_cpu_backend(*model, 1);
        auto bare = Model::load(base_dir(ref["base"].get<std::string>()));
        auto bare_backend = make_cpu_backend(*bare, 1);
        const bool extends = model->config.vocab_size > bare->config.vocab_size;
        double worst = 0, change = 0;
        for (const auto& seq : ref["sequences"]) {
            const auto ids = seq["tokens"].get<std::vector<int32_t>>();
            const auto want = testutil::read_f32(dir / seq["logits_file"].get<std::string>());
            const auto got = testutil::run_logits(*backend, ids);
            QCOMPARE(got.size(), want.size());
            worst = std::max(worst, max_abs_diff(got, want));
            // The base alone has no column (and no row) for an added token: nothing to compare.
            if (!extends) change = std::max(change, max_abs_diff(testutil::run_logits(*bare_backend, ids), want));
        }
        if (extends) qInfo("%s: max |logit - PEFT| = %.3g (the vocabulary extended to %d)", qPrintable(name), worst, model->config.vocab_size);
        else qInfo("%s: max |logit - PEFT| = %.3g; the base alone is %.3g from PEFT", qPrintable(name), worst, change);
        // A BF16 base's product rounds the activations to BF16 (as llama.cpp does) unless
        // GISTSCOPE_BF16_MATMUL=float32 (ctest's tst_lora_float32), which must give PEFT's float32 logits.
        const char* product = std::getenv("GISTSCOPE_BF16_MATMUL");
        const bool rounded = model->weight_dtype == DType::bf16 && !(product && std::string(product) == "float32");
        const double tolerance = rounded ? 3e-2 : 1e-4;
        QVERIFY2(worst <= tolerance, qPrintable(QString("max abs difference %1 > %2").arg(worst).arg(tolerance)));
        // The adapter must matter, or the comparison above would pass without applying it.
        QVERIFY2(extends || change > 0.1, qPrintable(QString("the adapter moves the logits by only %1").arg(change)));
    }

    void greedy_matches_peft_data() { logits_match_peft_data(); }
    void greedy_matches_peft() {
        QFETCH(QString, name);
        const auto dir = lora_dir(name.toStdString());
        auto model = Model::load(dir);
        auto backend = make_cpu_backend(*model, 1);
        const auto ref = testutil::read_json(dir / "reference.json");
        QVERIFY(!ref["greedy"].empty());
        for (const auto& g : ref["greedy"]) {
            const auto prompt = g["prompt"].get<std::vector<int32_t>>();
            const auto want = g["continuation"].get<std::vector<int32_t>>();
            QCOMPARE(int(want.size()), 16);
            QCOMPARE(testutil::greedy(*backend, prompt, 16, model->config.vocab_size), want);
        }
    }

    // The adapter on the GGUF copy of the same checkpoint: the same logits as on the safetensors
    // folder (GGUF's permuted q/k rows are back in Hugging Face order before the adapter meets them).
    void gguf_base_gives_the_same_logits_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("llama-f32") << QString("llama-f32");
        QTest::newRow("qwen2-f32") << QString("qwen2-f32");
    }
    void gguf_base_gives_the_same_logits() {
        QFETCH(QString, name);
        const auto dir = lora_dir(name.toStdString());
        auto gguf = Model::load(testutil::fixtures() / "gguf-models" / (name.toStdString() + "-F32.gguf"));
        gguf->attach_adapter(dir);
        auto folder = Model::load(dir);
        auto on_gguf = make_cpu_backend(*gguf, 1);
        auto on_folder = make_cpu_backend(*folder, 1);
        const auto ref = testutil::read_json(dir / "reference.json");
        double worst_peft = 0, worst_folder = 0;
        for (const auto& seq : ref["sequences"]) {
            const auto ids = seq["tokens"].get<std::vector<int32_t>>();
            const auto got = testutil::run_logits(*on_gguf, ids);
            worst_peft = std::max(worst_peft, max_abs_diff(got, testutil::read_f32(dir / seq["logits_file"].get<std::string>())));
            worst_folder = std::max(worst_folder, max_abs_diff(got, testutil::run_logits(*on_folder, ids)));
        }
        qInfo("%s GGUF: max |logit - PEFT| = %.3g, - the safetensors base's = %.3g", qPrintable(name), worst_peft, worst_folder);
        QVERIFY(worst_peft <= 1e-4);
        QVERIFY(worst_folder <= 1e-5);
    }

    // On a quantized base the adapter adds what it adds on the float32 one: the change it makes to
    // the logits is the float32 change up to the quantization's own effect on the activations.
    void quantized_gguf_base_takes_the_adapter() {
        const auto dir = lora_dir("llama-f32");
        auto q8 = Model::load(testutil::fixtures() / "gguf-models" / "llama-f32-Q8_0.gguf");
        auto q8_bare = Model::load(testutil::fixtures() / "gguf-models" / "llama-f32-Q8_0.gguf");
        q8->attach_adapter(dir);
        QCOMPARE(q8->weight_dtype, DType::q8_0);  // the base stays quantized
        auto folder = Model::load(dir);
        auto bare = Model::load(base_dir("llama-f32"));
        auto b_q8 = make_cpu_backend(*q8, 1), b_q8_bare = make_cpu_backend(*q8_bare, 1);
        auto b_f32 = make_cpu_backend(*folder, 1), b_f32_bare = make_cpu_backend(*bare, 1);
        const auto ref = testutil::read_json(dir / "reference.json");
        const auto ids = ref["sequences"][1]["tokens"].get<std::vector<int32_t>>();
        const auto a = testutil::run_logits(*b_q8, ids), a0 = testutil::run_logits(*b_q8_bare, ids);
        const auto f = testutil::run_logits(*b_f32, ids), f0 = testutil::run_logits(*b_f32_bare, ids);
        double change = 0, mismatch = 0;
        for (size_t i = 0; i < a.size(); ++i) {
            change = std::max(change, double(std::abs(f[i] - f0[i])));
            mismatch = std::max(mismatch, double(std::abs((a[i] - a0[i]) - (f[i] - f0[i]))));
        }
        qInfo("Q8_0 base: the adapter's change %.3g, differs from the float32 base's change by %.3g", change, mismatch);
        QVERIFY(change > 0.1);
        QVERIFY(mismatch < 0.1 * change);
    }

    // An F16 adapter is read as its float32 values: the same logits as an F32 file holding the
    // F16-rounded numbers.
    void an_f16_adapter_reads_as_its_values() {
        TensorMap t = read_adapter(lora_dir("llama-f32"));
        for (auto& [name, v] : t)
            for (float& x : v.second) x = _cvtsh_ss(_cvtss_sh(x, _MM_FROUND_TO_NEAREST_INT));
        QTemporaryDir f16_dir, f32_dir;
        for (const auto* d : {&f16_dir, &f32_dir})
            fs::copy_file(lora_dir("llama-f32") / "adapter_config.json", fs::path(d->path().toStdString()) / "adapter_config.json");
        write_safetensors(fs::path(f16_dir.path().toStdString()) / "adapter_model.safetensors", t, true);
        write_safetensors(fs::path(f32_dir.path().toStdString()) / "adapter_model.safetensors", t, false);
        auto a = Model::load(base_dir("llama-f32")), b = Model::load(base_dir("llama-f32"));
        a->attach_adapter(f16_dir.path().toStdString());
        b->attach_adapter(f32_dir.path().toStdString());
        auto ba = make_cpu_backend(*a, 1), bb = make_cpu_backend(*b, 1);
        const auto ref = testutil::read_json(lora_dir("llama-f32") / "reference.json");
        const auto ids = ref["sequences"][1]["tokens"].get<std::vector<int32_t>>();
        const auto la = testutil::run_logits(*ba, ids);
        QCOMPARE(max_abs_diff(la, testutil::run_logits(*bb, ids)), 0.0);
        // and still near PEFT's (F16 rounding of the adapter only)
        QVERIFY(max_abs_diff(la, testutil::read_f32(lora_dir("llama-f32") / "logits_1.f32")) < 1e-2);
    }

    void the_cuda_backend_refuses_an_adapter() {
        auto model = Model::load(lora_dir("llama-f32"));
        const std::string err = error_of([&] { select_backend(*model, BackendChoice::cuda, 1); });
        QVERIFY2(err.find("LoRA adapter") != std::string::npos && err.find("--backend cpu") != std::string::npos,
                 err.c_str());
        const std::string direct = error_of([&] { make_cuda_backend(*model, 0, 64); });
        QVERIFY2(direct.find("LoRA adapter") != std::string::npos, direct.c_str());
        // auto: the CPU, saying why
        const BackendSelection s = select_backend(*model, BackendChoice::auto_, 1);
        QCOMPARE(QString::fromStdString(s.info.name), QString("cpu"));
        QVERIFY2(s.info.note.find("LoRA adapter") != std::string::npos, s.info.note.c_str());
    }

    // `generate --model ADAPTER_DIR`: the base named in base.json brings its tokenizer and
    // gistscope.json. An adapter whose B is zero changes nothing, so the text is the base's; one
    // with a non-zero B changes the (greedy, so deterministic) text: generate does apply it.
    void generate_runs_an_adapter_folder_on_its_base() {
        const fs::path demo = testutil::resources() / "models" / "demo-vanilla";
        const auto base = Model::load(demo);
        const auto& c = base->config;
        const int64_t r = 4, H = c.hidden_size, I = c.intermediate_size, q_dim = int64_t(c.num_heads) * c.head_dim;
        auto write_adapter = [&](const fs::path& dir, float b) {
            TensorMap t;
            for (int l = 0; l < c.num_layers; ++l) {
                const std::string p = "base_model.model.model.layers." + std::to_string(l);
                t[p + ".self_attn.q_proj.lora_A.weight"] = {{r, H}, std::vector<float>(size_t(r * H), 0.25f)};
                t[p + ".self_attn.q_proj.lora_B.weight"] = {{q_dim, r}, std::vector<float>(size_t(q_dim * r), b)};
                t[p + ".mlp.down_proj.lora_A.weight"] = {{r, I}, std::vector<float>(size_t(r * I), 0.25f)};
                t[p + ".mlp.down_proj.lora_B.weight"] = {{H, r}, std::vector<float>(size_t(H * r), b)};
            }
            write_safetensors(dir / "adapter_model.safetensors", t);
            testutil::write_file(dir / "adapter_config.json",
                                 R"({"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ["q_proj", "down_proj"]})");
            testutil::write_file(dir / "base.json", nlohmann::json{{"base", demo.string()}}.dump());
        };
        auto generate = [](const fs::path& model) {
            const auto run = testutil::run_process(GISTSCOPE_CLI, {"generate", "--model", QString::fromStdString(model.string()),
                                                                   "--prompt", "What is 2 + 3?", "--chat", "--max-new-tokens",
                                                                   "8", "--json", "--threads", "1"});
            if (run.code != 0) qWarning("%s", qPrintable(run.err));
            return run.code == 0 ? nlohmann::json::parse(run.out.toStdString()) : nlohmann::json();
        };
        QTemporaryDir zero, nonzero;
        write_adapter(zero.path().toStdString(), 0.0f);
        write_adapter(nonzero.path().toStdString(), 0.05f);
        const auto bare = generate(demo), same = generate(zero.path().toStdString()),
                   changed = generate(nonzero.path().toStdString());
        QVERIFY(bare.contains("text") && same.contains("text") && changed.contains("text"));
        QCOMPARE(same["generated_tokens"].get<int>(), 8);
        QCOMPARE(QString::fromStdString(same["method"].get<std::string>()), QString("vanilla"));  // the base's gistscope.json
        QCOMPARE(QString::fromStdString(same["text"].get<std::string>()), QString::fromStdString(bare["text"].get<std::string>()));
        QVERIFY2(changed["text"] != bare["text"], changed["text"].get<std::string>().c_str());
    }

    // The model lists (CLI `models`, the window) offer an adapter folder that names its base.
    // A bundled adapter names its base by file name only; the base is then the one in the user's
    // model folder (where ./run.sh puts SmolLM2), checksum and all.
    void a_bare_base_name_is_found_in_the_user_model_folder() {
        QTemporaryDir adapter, models;
        const fs::path dir = adapter.path().toStdString(), user = models.path().toStdString();
        copy_adapter(dir);
        fs::copy(base_dir("llama-f32"), user / "llama-f32", fs::copy_options::recursive);
        edit_json(dir / "base.json", [](auto& j) { j["base"] = "llama-f32"; });
        const QByteArray saved = qgetenv("GISTSCOPE_MODELS_DIR");
        qputenv("GISTSCOPE_MODELS_DIR", QByteArray::fromStdString(user.string()));
        auto model = Model::load(dir);
        QVERIFY(model->adapter);
        QCOMPARE(QString::fromStdString(model->dir.string()), QString::fromStdString((user / "llama-f32").string()));
        fs::remove_all(user / "llama-f32");
        const std::string err = error_of([&] { Model::load(dir); });
        if (saved.isNull()) qunsetenv("GISTSCOPE_MODELS_DIR");
        else qputenv("GISTSCOPE_MODELS_DIR", saved);
        QVERIFY2(err.find("neither beside the adapter") != std::string::npos && err.find(user.string()) != std::string::npos, err.c_str());
    }

    void an_adapter_folder_is_found_as_a_model() {
        QVERIFY(looks_like_model(lora_dir("llama-f32")));
        QCOMPARE(QString::fromStdString(describe_model(lora_dir("llama-f32")).format), QString("lora"));
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        copy_adapter(dir);
        fs::remove(dir / "base.json");  // without its base it is not a model
        QVERIFY(!looks_like_model(dir));
    }

    void sha256_of_the_standard_vectors() {
        QCOMPARE(QString::fromStdString(sha256_hex("")), QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(QString::fromStdString(sha256_hex("abc")), QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(QString::fromStdString(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), QString("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(QString::fromStdString(sha256_hex(std::string(1000000, 'a'))), QString("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    // Each adapter GistScope cannot apply exactly gets one message naming the file and the field.
    void bad_adapters_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no adapter_config.json") << QString("no-config") << QString("adapter_config.json");
        QTest::newRow("no adapter_model.safetensors") << QString("no-weights") << QString("adapter_model.safetensors");
        QTest::newRow("regex target_modules") << QString("regex") << QString("adapter_config.json: target_modules is the pattern");
        QTest::newRow("unknown target module") << QString("unknown-target") << QString("target_modules has 'c_attn'");
        QTest::newRow("fan_in_fan_out") << QString("fan-in-fan-out") << QString("adapter_config.json: fan_in_fan_out is true");
        QTest::newRow("bias") << QString("bias") << QString("adapter_config.json: bias is 'all'");
        QTest::newRow("modules_to_save") << QString("modules-to-save") << QString("adapter_config.json: modules_to_save is");
        QTest::newRow("rank_pattern") << QString("rank-pattern") << QString("adapter_config.json: rank_pattern is");
        QTest::newRow("r differs from the tensors") << QString("rank") << QString("down_proj of layer 0: lora_A is 8x128 but r is 4");
        QTest::newRow("lora_B of the wrong size")
            << QString("wrong-b") << QString("q_proj of layer 1: lora_B is 128x8 but the base's q_proj has 64 outputs");
        QTest::newRow("layer past the base") << QString("layer") << QString("layer 3 is past the base's 3 layers");
        QTest::newRow("unknown module") << QString("unknown-module") << QString("'self_attn.c_attn.lora_A.weight' is not a LoRA weight");
        QTest::newRow("LoRA on the embedding") << QString("embedding") << QString("LoRA on the embedding is not supported");
        QTest::newRow("token rows without ids") << QString("rows-no-ids") << QString("has no trainable_token_indices");
        QTest::newRow("added ids with a gap") << QString("ids-gap") << QString("adds id 333 but not 332");
        QTest::newRow("added token, untied LM head without its row") << QString("no-head-row") << QString("has no LM head row for it");
        QTest::newRow("token rows of the wrong width") << QString("rows-width") << QString("is 1x32, expected 1x64");
        QTest::newRow("token id twice") << QString("ids-twice") << QString("trainable_token_indices lists 5 twice");
        QTest::newRow("token rows of another layer") << QString("ids-layer") << QString("names the layer 'lm_head'");
        QTest::newRow("ids without rows") << QString("ids-no-rows") << QString("there are no rows for them");
        QTest::newRow("lora_A without lora_B") << QString("half") << QString("v_proj of layer 2 has lora_A but no lora_B");
        QTest::newRow("untargeted module") << QString("untargeted") << QString("does not list o_proj in target_modules");
        QTest::newRow("adapter of another model") << QString("other-model") << QString("down_proj of layer 0: lora_A is 8x128 but the base's down_proj has 176 inputs");
        QTest::newRow("no base.json") << QString("no-base-json") << QString("without base.json");
        QTest::newRow("base.json names nothing") << QString("base-missing") << QString("does-not-exist");
        QTest::newRow("base.json checksum") << QString("sha256") << QString("base.json: sha256 is 0000");
        QTest::newRow("two adapters") << QString("twice") << QString("already has the adapter");
    }
    void bad_adapters() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const fs::path dir = tmp.path().toStdString();
        copy_adapter(dir);
        const auto config = dir / "adapter_config.json";
        const auto weights = dir / "adapter_model.safetensors";
        TensorMap t = read_adapter(dir);
        const std::string k = kind.toStdString();
        const std::string layer = "base_model.model.model.layers.";
        bool through_base_json = false;
        std::string base = "llama-f32";
        const std::string rows_key = "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta";
        auto set_ids = [&](std::vector<int> ids) { edit_json(config, [&](auto& j) { j["trainable_token_indices"] = ids; }); };
        if (k == "no-config") fs::remove(config);
        else if (k == "no-weights") fs::remove(weights);
        else if (k == "regex") edit_json(config, [](auto& j) { j["target_modules"] = ".*(q|v)_proj"; });
        else if (k == "unknown-target") edit_json(config, [](auto& j) { j["target_modules"].push_back("c_attn"); });
        else if (k == "fan-in-fan-out") edit_json(config, [](auto& j) { j["fan_in_fan_out"] = true; });
        else if (k == "bias") edit_json(config, [](auto& j) { j["bias"] = "all"; });
        else if (k == "modules-to-save") edit_json(config, [](auto& j) { j["modules_to_save"] = {"embed_tokens", "lm_head"}; });
        else if (k == "rank-pattern") edit_json(config, [](auto& j) { j["rank_pattern"] = {{"q_proj", 4}}; });
        else if (k == "rank") edit_json(config, [](auto& j) { j["r"] = 4; });
        else if (k == "wrong-b") t[layer + "1.self_attn.q_proj.lora_B.weight"] = {{128, 8}, std::vector<float>(128 * 8)};
        else if (k == "layer") t[layer + "3.self_attn.q_proj.lora_A.weight"] = t[layer + "0.self_attn.q_proj.lora_A.weight"];
        else if (k == "unknown-module") t[layer + "0.self_attn.c_attn.lora_A.weight"] = t[layer + "0.self_attn.q_proj.lora_A.weight"];
        else if (k == "embedding") t["base_model.model.model.embed_tokens.lora_embedding_A"] = {{8, 331}, std::vector<float>(8 * 331)};
        else if (k == "half") t.erase(layer + "2.self_attn.v_proj.lora_B.weight");
        else if (k == "rows-no-ids") t[rows_key] = {{2, 64}, std::vector<float>(2 * 64, 0.5f)};
        else if (k == "ids-gap") set_ids({331, 333}), t[rows_key] = {{2, 64}, std::vector<float>(2 * 64, 0.5f)};
        else if (k == "no-head-row") set_ids({331}), t[rows_key] = {{1, 64}, std::vector<float>(64, 0.5f)};
        else if (k == "rows-width") set_ids({5}), t[rows_key] = {{1, 32}, std::vector<float>(32, 0.5f)};
        else if (k == "ids-twice") set_ids({5, 5});
        else if (k == "ids-layer") edit_json(config, [](auto& j) { j["trainable_token_indices"] = {{"lm_head", {5}}}; });
        else if (k == "ids-no-rows") set_ids({5});
        else if (k == "untargeted") edit_json(config, [](auto& j) {
            j["target_modules"] = {"q_proj", "k_proj", "v_proj", "gate_proj", "up_proj", "down_proj"};
        });
        else if (k == "other-model") base = "qwen2-f32";
        else if (k == "no-base-json") fs::remove(dir / "base.json"), through_base_json = true;
        else if (k == "base-missing") edit_json(dir / "base.json", [](auto& j) { j["base"] = "does-not-exist"; }), through_base_json = true;
        else if (k == "sha256") edit_json(dir / "base.json", [](auto& j) { j["sha256"] = std::string(64, '0'); }), through_base_json = true;
        if (k == "wrong-b" || k == "layer" || k == "unknown-module" || k == "embedding" || k == "half" || k == "rows-no-ids" ||
            k == "ids-gap" || k == "no-head-row" || k == "rows-width")
            write_safetensors(weights, t);
        const std::string err = error_of([&] {
            if (through_base_json) {
                Model::load(dir);
                return;
            }
            auto m = Model::load(base_dir(base));
            m->attach_adapter(dir);
            if (k == "twice") m->attach_adapter(dir);
        });
        QVERIFY2(err.find(expected.toStdString()) != std::string::npos,
                 qPrintable(QString("expected '%1' in: %2").arg(expected, QString::fromStdString(err))));
        QVERIFY2(err.find('\n') == std::string::npos, err.c_str());  // one line
    }

    void cli_info_and_logits_take_the_adapter() {
        const auto dir = lora_dir("llama-f32");
        auto info = testutil::run_process(GISTSCOPE_CLI, {"info", "--model", QString::fromStdString(dir.string())});
        QCOMPARE(info.code, 0);
        QVERIFY2(info.out.contains("LoRA rank 8, alpha 16, scale 2 (alpha / r), on q_proj, k_proj, v_proj, o_proj, "
                                   "gate_proj, up_proj, down_proj"),
                 qPrintable(info.out));
        QTemporaryDir tmp;
        const QString out = tmp.filePath("logits.f32");
        const auto ref = testutil::read_json(dir / "reference.json");
        const auto& seq = ref["sequences"][0];
        QString ids;
        for (int t : seq["tokens"]) ids += (ids.isEmpty() ? "" : ",") + QString::number(t);
        auto run = testutil::run_process(GISTSCOPE_CLI, {"logits", "--model", QString::fromStdString(base_dir("llama-f32").string()),
                                                         "--adapter", QString::fromStdString(dir.string()), "--tokens", ids,
                                                         "--out", out, "--threads", "1"});
        QCOMPARE(run.code, 0);
        const auto got = testutil::read_f32(out.toStdString());
        const auto want = testutil::read_f32(dir / seq["logits_file"].get<std::string>());
        QCOMPARE(got.size(), want.size());
        QVERIFY(max_abs_diff(got, want) <= 1e-4);
        // A bad adapter: exit code 2 and the message.
        auto bad = testutil::run_process(GISTSCOPE_CLI, {"info", "--model", QString::fromStdString(base_dir("qwen2-f32").string()),
                                                         "--adapter", QString::fromStdString(dir.string())});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("but the base's down_proj has 176 inputs"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
