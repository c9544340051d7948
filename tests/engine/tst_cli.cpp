// gistscope-cli as a user drives it: exit code 0 on success; on bad input a non-zero code and
// exactly one line on stderr naming the file or option; no half-written output files.
#include <QProcess>
#include <QtTest>

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

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
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
                                                   "--out", "/tmp/x"} << "'x'";
        QTest::newRow("token out of vocab") << QStringList{"logits", "--model", fixture("models/qwen2-f32"), "--tokens",
                                                           "99999", "--out", "/tmp/x"} << "99999";
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
