// The Jinja chat-template engine against transformers: the real templates of Qwen2.5, Llama 3.1,
// SmolLM2 and Qwen3 on varied conversations, and one small template per language feature, each
// compared byte for byte with what transformers' apply_chat_template machinery rendered
// (tests/fixtures/chat_templates, made by training/fixtures/make_chat_template_fixtures.py).
// Then the messages a template author sees, the folder lookup and `generate --chat`.
#include <QProcess>
#include <QtTest>
#include <cstdlib>
#include <ctime>

#include "gistscope/chat.h"
#include "gistscope/chat_template.h"
#include "gistscope/error.h"
#include "gistscope/tokenizer.h"
#include "test_util.h"

using namespace gistscope;
using ojson = nlohmann::ordered_json;

namespace {

std::filesystem::path templates_dir() { return testutil::fixtures() / "chat_templates"; }

// The first byte where two renderings part, with some context, for a readable failure.
QString first_difference(const std::string& got, const std::string& want) {
    size_t i = 0;
    while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
    auto around = [&](const std::string& s) {
        const size_t from = i > 30 ? i - 30 : 0;
        return QString::fromStdString(ojson(s.substr(from, 60)).dump(-1, ' ', false, ojson::error_handler_t::replace));
    };
    return QString("at byte %1: got %2, want %3").arg(i).arg(around(got), around(want));
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::string render(const std::string& source, const ojson& context = ojson::object()) {
    return ChatTemplate(source, "t.jinja").render(context);
}

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT
private slots:
    void real_templates_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("index");
        int rows = 0;
        for (const char* model : {"qwen2.5", "llama3.1", "smollm2", "qwen3"}) {
            const ojson doc = ojson::parse(testutil::read_file(templates_dir() / model / "cases.json"));
            const auto& cases = doc.at("cases");
            QVERIFY2(cases.size() >= 15, model);
            for (size_t i = 0; i < cases.size(); ++i, ++rows)
                QTest::newRow((std::string(model) + "/" + cases[i].at("name").get<std::string>()).c_str())
                    << QString(model) << int(i);
        }
        QVERIFY(rows >= 80);
    }

    void real_templates() {
        QFETCH(QString, model);
        QFETCH(int, index);
        const auto folder = templates_dir() / model.toStdString();
        const ojson doc = ojson::parse(testutil::read_file(folder / "cases.json"));
        const ojson& c = doc.at("cases").at(size_t(index));
        const ChatTemplate tmpl(testutil::read_file(folder / "template.jinja"), model.toStdString());
        ChatTemplateInput in;
        in.messages = c.at("messages");
        in.tools = c.value("tools", ojson());
        in.add_generation_prompt = c.at("add_generation_prompt").get<bool>();
        in.extra = c.value("extra", ojson::object());
        // transformers passes its whole special_tokens_map; bos / eos have their own fields here.
        for (const auto& [key, value] : doc.at("special_tokens").items()) {
            if (key == "bos_token") in.bos_token = value.get<std::string>();
            else if (key == "eos_token") in.eos_token = value.get<std::string>();
            else in.extra[key] = value;
        }
        if (c.contains("expected_error")) {
            const std::string err = error_of([&] { chat_template_apply(tmpl, in); });
            QVERIFY2(err.find(c.at("expected_error").get<std::string>()) != std::string::npos, err.c_str());
            QVERIFY2(err.rfind("chat template " + model.toStdString() + ", line ", 0) == 0, err.c_str());
            return;
        }
        const std::string got = chat_template_apply(tmpl, in);
        const std::string want = c.at("expected").get<std::string>();
        QVERIFY2(got == want, qPrintable(first_difference(got, want)));
    }

    void language_features_data() {
        QTest::addColumn<int>("index");
        const ojson doc = ojson::parse(testutil::read_file(templates_dir() / "language" / "cases.json"));
        for (size_t i = 0; i < doc.at("cases").size(); ++i)
            QTest::newRow(doc["cases"][i].at("name").get<std::string>().c_str()) << int(i);
    }

    void language_features() {
        QFETCH(int, index);
        const ojson doc = ojson::parse(testutil::read_file(templates_dir() / "language" / "cases.json"));
        const ojson& c = doc.at("cases").at(size_t(index));
        const std::string got = render(c.at("template").get<std::string>(), c.at("context"));
        const std::string want = c.at("expected").get<std::string>();
        QVERIFY2(got == want, qPrintable(first_difference(got, want)));
    }

    void syntax_errors_name_the_template_and_line() {
        QCOMPARE(error_of([] { render("{{ x }}\n{{ x | nope }}"); }), std::string("chat template t.jinja, line 2: unknown filter 'nope'"));
        QCOMPARE(error_of([] { render("{% if x is nothing %}{% endif %}"); }), std::string("chat template t.jinja, line 1: unknown test 'nothing'"));
        const std::string unclosed = error_of([] { render("a\n{% for m in messages %}\n{{ m }}\n"); });
        QVERIFY2(unclosed.rfind("chat template t.jinja, line 3: unexpected end of template: the 'for' block opened on line 2 is never closed", 0) == 0,
                 unclosed.c_str());
        QVERIFY2(unclosed.find("'endfor'") != std::string::npos, unclosed.c_str());
        QCOMPARE(error_of([] { render("{% if a %}\n{% endfor %}"); }),
                 std::string("chat template t.jinja, line 2: unexpected 'endfor' with no open block it could close"));
        QCOMPARE(error_of([] { render("\n\n{% frobnicate %}"); }), std::string("chat template t.jinja, line 3: unknown tag 'frobnicate'"));
        QCOMPARE(error_of([] { render("{{ 'abc }}"); }), std::string("chat template t.jinja, line 1: a string literal is never closed"));
        QCOMPARE(error_of([] { render("x\n{# note"); }), std::string("chat template t.jinja, line 2: the comment opened here is never closed with '#}'"));
        QCOMPARE(error_of([] { render("{{ (1 + }}"); }), std::string("chat template t.jinja, line 1: expected an expression, found '}}'"));
        // Inside an if an unknown filter fails only when it runs (jinja2's soft frame); a loop body is not soft.
        QCOMPARE(error_of([] { render("{% if true %}\n{{ 1 | nope }}{% endif %}"); }), std::string("chat template t.jinja, line 2: unknown filter 'nope'"));
        QCOMPARE(error_of([] { render("{% if false %}{% for x in y %}{{ x | nope }}{% endfor %}{% endif %}"); }),
                 std::string("chat template t.jinja, line 1: unknown filter 'nope'"));
        QCOMPARE(error_of([] { render("{% include 'x' %}"); }), std::string("chat template t.jinja, line 1: the 'include' tag is not supported in chat templates"));
    }

    void runtime_errors_name_the_line() {
        QCOMPARE(error_of([] { render("ok\n{{ raise_exception('Conversation roles must alternate') }}"); }),
                 std::string("chat template t.jinja, line 2: the template raised an error: Conversation roles must alternate"));
        // jinja2's default Undefined: a missing key prints as nothing, but an attribute of it fails.
        const ojson ctx = {{"d", ojson::object()}};
        QCOMPARE(render("[{{ d.missing }}]", ctx), std::string("[]"));
        QCOMPARE(error_of([&] { render("line 1\n\n{{ d.missing.x }}", ctx); }),
                 std::string("chat template t.jinja, line 3: 'dict object' has no attribute 'missing'"));
        QCOMPARE(error_of([] { render("{{ nothing.x }}"); }), std::string("chat template t.jinja, line 1: 'nothing' is undefined"));
        QCOMPARE(error_of([] { render("{{ nothing + 'a' }}"); }), std::string("chat template t.jinja, line 1: 'nothing' is undefined"));
        QCOMPARE(error_of([] { render("{{ 1 + 'a' }}"); }),
                 std::string("chat template t.jinja, line 1: unsupported operand type(s) for +: 'int' and 'str'"));
        QCOMPARE(error_of([] { render("{{ 'a'() }}"); }), std::string("chat template t.jinja, line 1: 'str' object is not callable"));
        QCOMPARE(error_of([] { render("{{ {'a': 1} | tojson }}{{ nothing | tojson }}"); }),
                 std::string("chat template t.jinja, line 1: 'nothing' is undefined"));
        // select / map give generators in jinja2: not JSON, no len().
        QCOMPARE(error_of([] { render("{{ [1] | map('string') | tojson }}"); }),
                 std::string("chat template t.jinja, line 1: Object of type generator is not JSON serializable"));
        QCOMPARE(error_of([] { render("{{ [1] | select | length }}"); }),
                 std::string("chat template t.jinja, line 1: object of type 'generator' has no len()"));
        QCOMPARE(error_of([] { render("{% set x = 1 %}{% set x.y = 2 %}"); }),
                 std::string("chat template t.jinja, line 1: cannot assign attribute 'y' on 'x': it is not a namespace()"));
        // Hostile templates are errors, not crashes or exhausted memory.
        const std::string deep = error_of([] { render("{{ " + std::string(2000, '(') + "1" + std::string(2000, ')') + " }}"); });
        QVERIFY2(deep.find("nests blocks or expressions too deeply") != std::string::npos, deep.c_str());
        QCOMPARE(error_of([] { render("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}"); }),
                 std::string("chat template t.jinja, line 1: macro 'f' recurses more than 100 calls deep"));
        QCOMPARE(error_of([] { render("{{ 9223372036854775807 + 1 }}"); }),
                 std::string("chat template t.jinja, line 1: integer result out of range (GistScope's integers are 64-bit)"));
        QCOMPARE(error_of([] { render("{{ 'ab' * 1000000000 }}"); }),
                 std::string("chat template t.jinja, line 1: repetition result too large (over 64 MiB)"));
        QCOMPARE(render("{{ 2 ** 62 }} {{ (-1) ** 1000000000000 }} {{ 7 // -2 }} {{ -7 % 3 }}"), std::string("4611686018427387904 1 -4 2"));
        QCOMPARE(error_of([] { ChatTemplate("{{ x }}", "t.jinja").render(ojson::array()); }),
                 std::string("chat template t.jinja: the variables must be a JSON object"));
    }

    void strftime_now_reads_the_given_clock() {
        qputenv("TZ", "UTC");
        tzset();
        const ChatTemplate t("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M') }}", "t.jinja");
        QCOMPARE(t.render(ojson::object(), std::time_t(1764590400)), std::string("01 Dec 2025|2025-12-01 12:00"));
        // Without a fixed clock it is today's date.
        char today[32];
        const std::time_t now = std::time(nullptr);
        std::tm tm{};
        localtime_r(&now, &tm);
        std::strftime(today, sizeof today, "%d %b %Y", &tm);
        QCOMPARE(ChatTemplate("{{ strftime_now('%d %b %Y') }}", "t").render(ojson::object()), std::string(today));
    }

    void finds_the_template_of_a_model_folder() {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        QCOMPARE(chat_template_find(dir), std::string());
        QCOMPARE(chat_template_find(dir / "missing.gguf"), std::string());
        testutil::write_file(dir / "tokenizer_config.json", R"({"chat_template": "{{ messages[0].content }}"})");
        QCOMPARE(chat_template_find(dir), std::string("{{ messages[0].content }}"));
        testutil::write_file(dir / "tokenizer_config.json",
                             R"({"chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]})");
        QCOMPARE(chat_template_find(dir), std::string("D"));
        testutil::write_file(dir / "tokenizer_config.json", R"({"chat_template": [{"name": "tool_use", "template": "T"}]})");
        const std::string no_default = error_of([&] { chat_template_find(dir); });
        QVERIFY2(no_default.find("tokenizer_config.json: chat_template: the list of templates has none named \"default\"") != std::string::npos,
                 no_default.c_str());
        testutil::write_file(dir / "tokenizer_config.json", R"({"chat_template": 5})");
        QVERIFY(error_of([&] { chat_template_find(dir); }).find("chat_template: expected a string or a list") != std::string::npos);
        testutil::write_file(dir / "tokenizer_config.json", R"({"chat_template": null})");
        QCOMPARE(chat_template_find(dir), std::string());
        testutil::write_file(dir / "chat_template.jinja", "from the .jinja file");  // wins over tokenizer_config.json
        QCOMPARE(chat_template_find(dir), std::string("from the .jinja file"));
    }

    void finds_the_special_token_strings() {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        testutil::write_file(dir / "tokenizer_config.json",
                             R"({"bos_token": {"__type": "AddedToken", "content": "<s>"}, "eos_token": "</s>"})");
        ChatSpecialTokens t = chat_special_tokens_find(dir);
        QCOMPARE(t.bos_token.value_or("?"), std::string("<s>"));
        QCOMPARE(t.eos_token.value_or("?"), std::string("</s>"));
        testutil::write_file(dir / "tokenizer_config.json", R"({"bos_token": null, "eos_token": "<|im_end|>"})");
        t = chat_special_tokens_find(dir);
        QVERIFY(!t.bos_token);  // Qwen: no BOS, so the template sees bos_token undefined
        QCOMPARE(t.eos_token.value_or("?"), std::string("<|im_end|>"));
    }

    // Llama 3's template writes <|begin_of_text|> itself, so the prompt is tokenized without the
    // post-processor's BOS (apply_chat_template(tokenize=True) passes add_special_tokens=False).
    void llama3_prompt_has_one_bos() {
        const auto dir = testutil::fixtures() / "tokenizers" / "llama3";
        const std::string source = chat_template_find(dir);
        QVERIFY(!source.empty());
        const ChatTemplate tmpl(source, "llama3");
        const std::string text = template_chat_prompt(tmpl, chat_special_tokens_find(dir), "Be brief.", "Hi there");
        QCOMPARE(text, std::string("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                                   "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                                   "<|start_header_id|>assistant<|end_header_id|>\n\n"));
        const auto tok = Tokenizer::load(dir);
        const std::vector<int32_t> ids = tok->encode(text, false);
        QCOMPARE(ids.front(), 128000);
        QCOMPARE(std::count(ids.begin(), ids.end(), 128000), 1L);
    }

    // `generate --chat` on a model that has its own template (and no comp-config): the prompt ids
    // are the rendered template tokenized without special tokens. Without a template it says so.
    void generate_chat_uses_the_model_template() {
        QTemporaryDir tmp;
        const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "model";
        std::filesystem::create_directories(dir);
        const auto demo = testutil::resources() / "models" / "demo-vanilla";
        for (const char* f : {"config.json", "model.safetensors", "tokenizer.model"}) std::filesystem::copy_file(demo / f, dir / f);
        auto run = [](const QStringList& args) {
            QProcess p;
            p.start(GISTSCOPE_CLI, args);
            p.waitForFinished(120000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()));
        };
        const QString model = QString::fromStdString(dir.string());
        const auto none = run({"generate", "--model", model, "--chat", "--prompt", "2+2?", "--max-new-tokens", "1"});
        QCOMPARE(none.first, 2);
        QVERIFY2(none.second.contains("has no chat template"), qPrintable(none.second));

        testutil::write_file(dir / "chat_template.jinja",
                             "{%- for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content | trim }}<|im_end|>\n{% endfor -%}\n"
                             "{%- if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        const QString trace = tmp.filePath("run.jsonl");
        const auto ok = run({"generate", "--model", model, "--chat", "--prompt", " 2+2? ", "--max-new-tokens", "2", "--trace", trace});
        QVERIFY2(ok.first == 0, qPrintable(ok.second));
        const auto header = testutil::read_jsonl(trace.toStdString()).front();
        const std::string rendered = "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n";
        const auto expected = Tokenizer::load(dir)->encode(rendered, false);
        QCOMPARE(header.at("prompt_ids").get<std::vector<int32_t>>(), expected);

        // A broken template: exit code 2 and one line naming the file and the line.
        testutil::write_file(dir / "chat_template.jinja", "{% for m in messages %}\n{{ m.content | nope }}{% endfor %}");
        const auto broken = run({"generate", "--model", model, "--chat", "--prompt", "x", "--max-new-tokens", "1"});
        QCOMPARE(broken.first, 2);
        const QString want = QString("chat template %1, line 2: unknown filter 'nope'").arg(QString::fromStdString((dir / "chat_template.jinja").string()));
        QVERIFY2(broken.second.contains(want), qPrintable(broken.second));
    }
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
