// Model discovery: the hub cache layout, the user's folder, added folders with nested .gguf
// files, environment overrides, and broken models listed with the reason.
#include <QtTest>

#include <cstdlib>

#include "gistscope/model_discovery.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

class TestModelDiscovery : public QObject {
    Q_OBJECT
    fs::path tmp_;

private slots:
    void initTestCase() {
        tmp_ = fs::temp_directory_path() / ("tst_discovery_" + std::to_string(::getpid()));
        fs::create_directories(tmp_);
    }
    void cleanupTestCase() { fs::remove_all(tmp_); }

    void locations_follow_the_environment() {
        qputenv("HF_HUB_CACHE", "");
        qputenv("HF_HOME", "/data/hf");
        QCOMPARE(huggingface_hub_cache(), fs::path("/data/hf/hub"));
        qputenv("HF_HUB_CACHE", "/data/cache");
        QCOMPARE(huggingface_hub_cache(), fs::path("/data/cache"));
        qputenv("GISTSCOPE_MODELS_DIR", "");
        qputenv("XDG_DATA_HOME", "/x/share");
        QCOMPARE(default_user_model_dir(), fs::path("/x/share/GistScope/gistscope/models"));
        qputenv("GISTSCOPE_MODELS_DIR", "/my/models");
        QCOMPARE(default_user_model_dir(), fs::path("/my/models"));
    }

    void finds_models_in_every_kind_of_place() {
        // A hub cache: models--org--name/snapshots/<rev> with refs/main naming the revision.
        const fs::path hub = tmp_ / "hub";
        const fs::path snap = hub / "models--acme--demo-vanilla" / "snapshots" / "abc123";
        fs::create_directories(snap);
        fs::create_directories(hub / "models--acme--demo-vanilla" / "refs");
        fs::create_directories(hub / "models--acme--demo-vanilla" / "snapshots" / "old999");  // not refs/main
        testutil::write_file(hub / "models--acme--demo-vanilla" / "refs" / "main", "abc123");
        for (const auto& e : fs::directory_iterator(testutil::resources() / "models" / "demo-vanilla"))
            fs::create_symlink(e.path(), snap / e.path().filename());  // the hub links blobs the same way
        // A user's folder with an LM Studio style tree: publisher/repo/file.gguf.
        const fs::path user = tmp_ / "user";
        fs::create_directories(user / "lmstudio-community" / "tiny-GGUF");
        fs::copy_file(testutil::fixtures() / "gguf-models" / "llama-f32-F32.gguf",
                      user / "lmstudio-community" / "tiny-GGUF" / "tiny.gguf");
        // An added folder with a broken checkpoint: listed, with the reason.
        const fs::path added = tmp_ / "added" / "broken";
        fs::create_directories(added);
        testutil::write_file(added / "config.json", "{ not json");
        std::vector<ModelLocation> locations = {
            {hub, "huggingface"}, {user, "user"}, {tmp_ / "added", "added"}, {tmp_ / "missing", "added"}};
        const auto models = discover_models(locations);
        QCOMPARE(int(models.size()), 3);
        QCOMPARE(models[0].name, std::string("acme/demo-vanilla"));
        QCOMPARE(models[0].source, std::string("huggingface"));
        QVERIFY2(models[0].usable(), models[0].error.c_str());
        QCOMPARE(models[0].format, std::string("safetensors"));
        QCOMPARE(models[0].architecture, std::string("Qwen2ForCausalLM"));
        QCOMPARE(models[1].name, std::string("tiny.gguf"));
        QCOMPARE(models[1].format, std::string("gguf"));
        QVERIFY2(models[1].usable(), models[1].error.c_str());
        QCOMPARE(models[1].weight_types, std::string("F32"));
        QVERIFY(models[1].memory_bytes > models[1].weight_bytes);
        // Training-free methods only: the fixture has no LightThinker tokens.
        QCOMPARE(models[1].methods, (std::vector<std::string>{"vanilla", "h2o", "sepllm"}));
        QVERIFY(!models[2].usable());
        QVERIFY2(QString::fromStdString(models[2].error).contains("config.json"), models[2].error.c_str());
        // The same model reached twice is listed once.
        locations.push_back({user, "added"});
        QCOMPARE(int(discover_models(locations).size()), 3);
    }

    void bundled_models_offer_their_trained_method() {
        const auto models = discover_models({{testutil::resources() / "models", "bundled"}});
        QVERIFY(models.size() >= 4);
        const bool base_here = fs::exists(default_user_model_dir() / "SmolLM2-135M-Instruct.Q4_1.gguf");
        for (const auto& m : models) {
            // The SmolLM2 adapters need the base ./run.sh fetches; without it they say so.
            if (m.format == "lora" && !base_here) {
                QVERIFY2(m.error.find("SmolLM2-135M-Instruct.Q4_1.gguf") != std::string::npos, m.error.c_str());
                continue;
            }
            QVERIFY2(m.usable(), m.error.c_str());
            if (m.name == "smollm2-lightthinker") QCOMPARE(m.methods.front(), std::string("lightthinker"));
            if (m.name == "smollm2-vanilla") QCOMPARE(m.methods.front(), std::string("vanilla"));
            if (m.name == "demo-lightthinker") QCOMPARE(m.methods.front(), std::string("lightthinker"));
            if (m.name == "demo-anllm") QCOMPARE(m.methods.front(), std::string("anllm"));
            if (m.name == "demo-vanilla") QCOMPARE(m.methods.front(), std::string("vanilla"));
        }
    }
};

QTEST_APPLESS_MAIN(TestModelDiscovery)
#include "tst_model_discovery.moc"
