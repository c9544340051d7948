// Tokenizers against Hugging Face `tokenizers` (transformers' PreTrainedTokenizerFast) on a corpus
// of 400+ strings, plain and with LightThinker's tokens added; decoding; the chat prompt of spec 2.
#include <QtTest>

#include "gistscope/chat.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/tokenizer.h"
#include "test_util.h"

using namespace gistscope;

namespace {
const auto tok_dir = [] { return testutil::fixtures() / "tokenizers"; };
}

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void ids_match_huggingface_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("comp");
        QTest::newRow("qwen2.5") << "qwen2.5" << "";
        QTest::newRow("qwen2.5+lightthinker") << "qwen2.5" << "qwen";
        QTest::newRow("llama3") << "llama3" << "";
        QTest::newRow("llama3+lightthinker") << "llama3" << "llama";
    }
    void ids_match_huggingface() {
        QFETCH(QString, family);
        QFETCH(QString, comp);
        auto tok = Tokenizer::load(tok_dir() / family.toStdString() / "tokenizer.json");
        std::string suffix;
        if (!comp.isEmpty()) {
            tok->add_special_tokens(comp_config_builtin(comp.toStdString()).special_tokens());
            suffix = "_lightthinker";
        }
        const auto corpus = testutil::read_jsonl(tok_dir() / "corpus.jsonl");
        const auto expected = testutil::read_jsonl(tok_dir() / ("expected_" + family.toStdString() + suffix + ".jsonl"));
        const auto decoded = testutil::read_jsonl(tok_dir() / ("decoded_" + family.toStdString() + suffix + ".jsonl"));
        QVERIFY(corpus.size() >= 200);
        QCOMPARE(expected.size(), corpus.size());
        int mismatches = 0;
        for (size_t i = 0; i < corpus.size(); ++i) {
            const std::string text = corpus[i].get<std::string>();
            const auto want = expected[i].get<std::vector<int32_t>>();
            const auto got = tok->encode(text, true);
            if (got != want) {
                if (++mismatches <= 3)
                    qWarning("line %zu %s: got %s, want %s", i + 1, nlohmann::json(text).dump().c_str(),
                             nlohmann::json(got).dump().c_str(), nlohmann::json(want).dump().c_str());
                continue;
            }
            QCOMPARE(tok->decode(want), decoded[i].get<std::string>());
            // Decoding without the post-processor's BOS gives the (NFC-normalised) string back.
            std::string round = decoded[i].get<std::string>();
            static const std::string bos = "<|begin_of_text|>";
            if (family == "llama3" && round.rfind(bos, 0) == 0) round.erase(0, bos.size());
            QCOMPARE(tok->decode(tok->encode(text, false)), round);
        }
        QCOMPARE(mismatches, 0);
    }

    void lightthinker_tokens_get_spec_ids_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("comp");
        QTest::addColumn<int>("count");
        QTest::newRow("qwen2.5") << "qwen2.5" << "qwen" << 17;
        QTest::newRow("llama3") << "llama3" << "llama" << 15;
    }
    void lightthinker_tokens_get_spec_ids() {
        QFETCH(QString, family);
        QFETCH(QString, comp);
        QFETCH(int, count);
        auto tok = Tokenizer::load(tok_dir() / family.toStdString() / "tokenizer.json");
        const int before = tok->size();
        QCOMPARE(tok->add_special_tokens(comp_config_builtin(comp.toStdString()).special_tokens()), count);
        const auto ref = testutil::read_json(tok_dir() / ("lightthinker_added_" + family.toStdString() + ".json"));
        QCOMPARE(before, ref["len_before"].get<int>());
        QCOMPARE(tok->size(), ref["len_after"].get<int>());
        for (const auto& a : ref["added"]) {
            const auto id = tok->token_id(a["content"].get<std::string>());
            QVERIFY(id.has_value());
            QCOMPARE(*id, a["id"].get<int32_t>());
        }
        // "\n\n" is one atomic token, matched before BPE.
        const auto nn = *tok->token_id("\n\n");
        const auto ids = tok->encode("a\n\nb", false);
        QCOMPARE(int(ids.size()), 3);
        QCOMPARE(ids[1], nn);
        // Adding them again adds nothing.
        QCOMPARE(tok->add_special_tokens(comp_config_builtin(comp.toStdString()).special_tokens()), 0);
    }

    void chat_prompt_matches_reference_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("comp");
        QTest::newRow("qwen2.5") << "qwen2.5" << "qwen";
        QTest::newRow("llama3") << "llama3" << "llama";
    }
    void chat_prompt_matches_reference() {
        QFETCH(QString, family);
        QFETCH(QString, comp);
        const auto ref = testutil::read_json(tok_dir() / ("chat_prompt_" + family.toStdString() + ".json"));
        const CompConfig cfg = comp_config_builtin(comp.toStdString());
        QCOMPARE(cfg.system_prompt, ref["system"].get<std::string>());
        const std::string question = ref["question"].get<std::string>();
        QVERIFY(question.rfind(boxed_question_prefix(), 0) == 0);
        const std::string text = chat_prompt(cfg, cfg.system_prompt, question);
        QCOMPARE(text, ref["text"].get<std::string>());
        auto tok = Tokenizer::load(tok_dir() / family.toStdString() / "tokenizer.json");
        tok->add_special_tokens(cfg.special_tokens());
        QCOMPARE(tok->encode(text, true), ref["ids"].get<std::vector<int32_t>>());
    }

    void template_fields_follow_str_format() {
        CompConfig c = comp_config_builtin("qwen");
        c.bos_token = "<B>";
        c.template_complete = "{{x}} {system}|{question}";
        QCOMPARE(chat_prompt(c, "S", "Q"), std::string("<B>{x} S|Q"));
        c.template_complete = "{nope}";
        QVERIFY_THROWS_EXCEPTION(Error, chat_prompt(c, "S", "Q"));
    }

    void sentencepiece_demo_tokenizer_round_trips() {
        const auto model = testutil::resources() / "models" / "demo-lightthinker" / "tokenizer.model";
        if (!std::filesystem::exists(model)) QSKIP("demo model not bundled yet");
        auto tok = Tokenizer::load(model);
        const std::string text = "<|im_start|>user\nA shop has 47 boxes.<|im_end|>\n\nFirst, 47 times 8 is 376.\n<|splitter|>";
        const auto ids = tok->encode(text, false);
        QVERIFY(!ids.empty());
        QCOMPARE(tok->decode(ids), text);
        QVERIFY(tok->token_id("<|splitter|>").has_value());
        QVERIFY(std::find(ids.begin(), ids.end(), *tok->token_id("<|splitter|>")) != ids.end());
    }

    void unknown_files_are_clear_errors() {
        QVERIFY_THROWS_EXCEPTION(Error, Tokenizer::load("/nonexistent/tokenizer.json"));
        QTemporaryDir dir;
        const auto p = std::filesystem::path(dir.path().toStdString()) / "tokenizer.json";
        testutil::write_file(p, "{\"model\": {\"type\": \"Unigram\"}}");
        try {
            Tokenizer::load(p);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("expected BPE") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
