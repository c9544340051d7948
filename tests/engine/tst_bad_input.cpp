// Bad input gets one clear Error naming the thing and what was expected; nothing crashes.
// Each case breaks a copy of a good fixture checkpoint in a temporary directory.
#include <QtTest>

#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "gistscope/tokenizer.h"
#include "broken_inputs.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

fs::path copy_fixture(const QTemporaryDir& tmp, const std::string& name) {
    const fs::path dst = fs::path(tmp.path().toStdString()) / name;
    fs::copy(testutil::fixtures() / "models" / name, dst, fs::copy_options::recursive);
    return dst;
}

// Loads `dir` and returns the error message; fails the test if loading succeeds.
std::string load_error(const fs::path& dir) {
    try {
        Model::load(dir);
    } catch (const Error& e) {
        return e.what();
    }
    return "<no error>";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The data section is kept, and data offsets are relative to it, so they stay valid whatever the
// new header's length.
const auto edit_header = testutil::edit_safetensors_header;

}  // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private slots:
    void missing_directory_and_files() {
        QVERIFY(contains(load_error("/nonexistent/model"), "no such file"));
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        fs::remove(dir / "model.safetensors");
        QVERIFY(contains(load_error(dir), "no model.safetensors"));
        fs::remove(dir / "config.json");
        QVERIFY(contains(load_error(dir), "no config.json"));
    }

    void malformed_config() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        testutil::write_file(dir / "config.json", "{\"architectures\": [\"Qwen2ForCausalLM\"], ");
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "config.json") && contains(msg, "not valid JSON"), msg.c_str());
        testutil::write_file(dir / "config.json", R"({"architectures": ["Qwen2ForCausalLM"], "vocab_size": "many"})");
        QVERIFY(contains(load_error(dir), "'vocab_size'"));
        testutil::write_file(dir / "config.json", R"({"architectures": ["Qwen2ForCausalLM"], "vocab_size": 10})");
        QVERIFY(contains(load_error(dir), "missing field 'hidden_size'"));
    }

    void unknown_architecture() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        auto cfg = testutil::read_json(dir / "config.json");
        cfg["architectures"] = {"MistralForCausalLM"};
        testutil::write_file(dir / "config.json", cfg.dump());
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "MistralForCausalLM") && contains(msg, "expected Qwen2ForCausalLM or LlamaForCausalLM"), msg.c_str());
    }

    void missing_tensor() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        edit_header(dir / "model.safetensors", [](nlohmann::json& h) {
            h["model.layers.1.mlp.up_proj.weightX"] = h["model.layers.1.mlp.up_proj.weight"];
            h.erase("model.layers.1.mlp.up_proj.weight");
        });
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "no tensor 'model.layers.1.mlp.up_proj.weight'"), msg.c_str());
    }

    void misshaped_tensor() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        edit_header(dir / "model.safetensors", [](nlohmann::json& h) {
            auto& t = h["model.layers.0.self_attn.k_proj.weight"];
            auto shape = t["shape"].get<std::vector<int64_t>>();
            t["shape"] = {shape[1], shape[0]};
        });
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "k_proj.weight' has shape") && contains(msg, "expected"), msg.c_str());
    }

    void unsupported_dtype() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        edit_header(dir / "model.safetensors", [](nlohmann::json& h) {
            h["model.norm.weight"]["dtype"] = "I32";  // same size as F32, so only the dtype is wrong
        });
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "model.norm.weight") && contains(msg, "I32") && contains(msg, "expected F32, F16 or BF16"),
                 msg.c_str());
    }

    void header_larger_than_file() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        std::string bytes = testutil::read_file(dir / "model.safetensors");
        const uint64_t huge = bytes.size() * 4;
        std::memcpy(bytes.data(), &huge, 8);
        testutil::write_file(dir / "model.safetensors", bytes);
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "header claims") && contains(msg, "model.safetensors"), msg.c_str());
    }

    void offsets_past_end() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        edit_header(dir / "model.safetensors", [](nlohmann::json& h) {
            auto& offs = h["model.embed_tokens.weight"]["data_offsets"];
            offs[1] = offs[1].get<uint64_t>() + 100000000ull;
        });
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "embed_tokens") && contains(msg, "past the end"), msg.c_str());
    }

    void truncated_shard() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "llama-sharded-bf16");
        const auto shard = dir / "model-00002-of-00006.safetensors";
        std::string bytes = testutil::read_file(shard);
        testutil::write_file(shard, bytes.substr(0, bytes.size() * 2 / 3));
        const auto msg = load_error(dir);
        QVERIFY2(contains(msg, "model-00002-of-00006.safetensors") && contains(msg, "truncated"), msg.c_str());
        fs::remove(shard);
        QVERIFY(contains(load_error(dir), "listed but missing"));
    }

    void tiny_file_is_not_safetensors() {
        QTemporaryDir tmp;
        auto dir = copy_fixture(tmp, "qwen2-f32");
        testutil::write_file(dir / "model.safetensors", "abc");
        QVERIFY(contains(load_error(dir), "expected at least the 8-byte"));
    }

    void kv_cache_beyond_memory_is_refused_first() {
        // 2^30 slots of this model are hundreds of GiB: refused with the numbers, nothing allocated.
        auto model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        auto backend = make_cpu_backend(*model, 1);
        try {
            backend->make_cache(1 << 30);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(contains(e.what(), "KV cache for 1073741824 tokens") && contains(e.what(), "GiB") &&
                         contains(e.what(), "available"),
                     e.what());
        }
    }

    void prompt_longer_than_context() {
        auto model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        auto tokenizer = Tokenizer::load(testutil::fixtures() / "tokenizers" / "qwen2.5" / "tokenizer.json");
        auto backend = make_cpu_backend(*model, 1);
        RunSetup setup;
        setup.backend = backend.get();
        setup.tokenizer = tokenizer.get();
        setup.prompt_ids.assign(size_t(model->config.max_position_embeddings) + 5, 1);
        SessionParams p;
        try {
            run_session(setup, p, {});
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(contains(e.what(), "the prompt has") && contains(e.what(), "positions"), e.what());
        }
        setup.prompt_ids.clear();
        QVERIFY_THROWS_EXCEPTION(Error, run_session(setup, p, {}));
    }
};

QTEST_APPLESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
