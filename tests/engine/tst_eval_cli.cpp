// gistscope-cli eval / eval-merge / review / eval-import as a user (or a scheduler) drives them:
// a run killed with SIGKILL resumes without redoing or losing an item, two shards merged equal
// one whole run item for item, review driven through a pipe keeps every decision even when
// killed, and bad files give one line naming the file and line. Uses the bundled demo model.
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <cmath>
#include <csignal>

#include "gistscope/eval.h"
#include "process_util.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

testutil::ProcessResult cli(const QStringList& args, const QByteArray& input = {}) {
    return testutil::run_process(GISTSCOPE_CLI, args, input);
}

QString model_dir() { return QString::fromStdString((testutil::resources() / "models" / "demo-lightthinker").string()); }
QString demo_set() { return QString::fromStdString((testutil::resources() / "datasets" / "demo-test.jsonl").string()); }
QString fixture(const std::string& rel) { return QString::fromStdString((testutil::fixtures() / "eval" / rel).string()); }

QStringList eval_args(const QString& out, int limit = 6) {
    return {"eval", "--model", model_dir(), "--dataset", demo_set(), "--limit", QString::number(limit), "--out", out,
            "--max-new-tokens", "700", "--backend", "cpu", "--threads", "1"};
}

int complete_lines(const QString& file) {
    const std::string s = testutil::read_file(file.toStdString());
    return int(std::count(s.begin(), s.end(), '\n'));
}

// Everything a record says about the item and the model's run, without the wall time and shard.
nlohmann::json comparable(const EvalRecord& r) {
    nlohmann::json j = r.to_json();
    j.erase("seconds");
    j.erase("shard");
    return j;
}

void compare_runs(const std::vector<EvalRecord>& got, const std::vector<EvalRecord>& want) {
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) QCOMPARE(comparable(got[i]), comparable(want[i]));
}

bool one_line(const QString& s) { return s.trimmed().count('\n') == 0 && !s.trimmed().isEmpty(); }

}  // namespace

class TestEvalCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString whole_;  // one unsharded run of the first 6 demo items

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        whole_ = tmp_.filePath("whole.jsonl");
        const auto r = cli(eval_args(whole_) << "--quiet");
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(complete_lines(whole_), 6);
        QVERIFY2(r.out.contains("| demo-test | lightthinker | demo-lightthinker | 6 |"), qPrintable(r.out));
    }

    void every_command_lists_exactly_its_options_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("not_accepted");
        QTest::newRow("eval") << "eval" << "--attention";
        QTest::newRow("eval-merge") << "eval-merge" << "--out";
        QTest::newRow("review") << "review" << "--json";
        QTest::newRow("eval-import") << "eval-import" << "--limit";
    }
    void every_command_lists_exactly_its_options() {
        QFETCH(QString, command);
        QFETCH(QString, not_accepted);
        const auto help = cli({command, "--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.startsWith("usage: gistscope-cli " + command));
        QSet<QString> listed;
        for (const auto& m : QRegularExpression("--[a-z][a-z-]+").globalMatch(help.out.section("options:", 1)))
            listed.insert(m.captured(0));
        for (const auto& m : QRegularExpression("--[a-z][a-z-]+").globalMatch(help.out.section("options:", 0, 0)))
            listed.insert(m.captured(0));
        listed.remove("--help");
        for (const auto& opt : listed) {
            const auto r = cli({command, opt});
            QVERIFY2(!r.err.contains("unknown option"), qPrintable(command + " " + opt + ": " + r.err));
        }
        QVERIFY(!listed.contains(not_accepted));
        const auto r = cli({command, not_accepted, "x"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown option " + not_accepted), qPrintable(r.err));
    }

    void killed_run_resumes_without_redoing_or_losing_an_item() {
        const QString out = tmp_.filePath("killed.jsonl");
        QProcess p;
        p.start(GISTSCOPE_CLI, eval_args(out) << "--quiet");
        QVERIFY(p.waitForStarted());
        QElapsedTimer t;
        t.start();
        while (complete_lines(out) < 2 && t.elapsed() < 120000 && p.state() == QProcess::Running) QTest::qWait(20);
        QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be killed");
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished();
        const std::string before = testutil::read_file(out.toStdString());
        const int finished = int(std::count(before.begin(), before.end(), '\n'));
        QVERIFY2(finished >= 2 && finished < 6, qPrintable(QString("%1 lines when killed").arg(finished)));
        const auto kept = eval_results_read(out.toStdString());
        QCOMPARE(int(kept.records.size()), finished);  // every finished line intact

        const auto r = cli(eval_args(out));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QString("resuming")) && r.err.contains(QString("%1 of 6 items done").arg(finished)), qPrintable(r.err));
        const std::string after = testutil::read_file(out.toStdString());
        QCOMPARE(after.substr(0, before.find_last_of('\n') + 1), before.substr(0, before.find_last_of('\n') + 1));
        QCOMPARE(complete_lines(out), 6);  // nothing run twice
        compare_runs(eval_merge({out.toStdString()}).records, eval_merge({whole_.toStdString()}).records);
        // Run once more: nothing left to do, nothing appended.
        QCOMPARE(cli(eval_args(out) << "--quiet").code, 0);
        QCOMPARE(complete_lines(out), 6);
    }

    // SepLLM and H2O work at any budget: what is left unset scales with --cache-size; a misfit of
    // set values stops before the first item with one line naming the options, and writes nothing.
    void budget_parameters_scale_or_fail_before_the_first_item() {
        const QString van = QString::fromStdString((testutil::resources() / "models" / "demo-vanilla").string());
        const QString out = tmp_.filePath("sepllm256.jsonl");
        auto args = [&](const QString& file) {
            return QStringList{"eval", "--model", van, "--dataset", demo_set(), "--limit", "1", "--out", file, "--max-new-tokens",
                               "300", "--threads", "1", "--quiet", "--method", "sepllm", "--cache-size", "256"};
        };
        const auto ok = cli(args(out));
        QVERIFY2(ok.code == 0, qPrintable(ok.err));
        const auto recs = eval_results_read(out.toStdString()).records;
        QCOMPARE(recs.size(), size_t(1));
        QCOMPARE(recs[0].params["init"].get<int>(), 96);
        QCOMPARE(recs[0].params["separators"].get<int>(), 16);
        QCOMPARE(recs[0].params["local"].get<int>(), 64);
        QVERIFY(recs[0].peak_tokens <= 257);
        QVERIFY2(ok.out.contains("| sepllm (budget 256) |"), qPrintable(ok.out));

        const QString bad = tmp_.filePath("misfit.jsonl");
        const auto r = cli(args(bad) << "--sepllm-local" << "200");
        QCOMPARE(r.code, 2);
        QVERIFY2(one_line(r.err) && r.err.contains("--sepllm-local 200") && r.err.contains("--sepllm-init 96 (from --cache-size)") &&
                     r.err.contains("--cache-size 256"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(bad));
        const auto h = cli(QStringList{"generate", "--model", van, "--prompt", "1+1", "--method", "h2o", "--cache-size", "64",
                                       "--h2o-recent", "64"});
        QCOMPARE(h.code, 2);
        QVERIFY2(one_line(h.err) && h.err.contains("--h2o-recent 64") && h.err.contains("--cache-size 64"), qPrintable(h.err));
    }

    // An item that cannot run (its prompt does not fit) stops the run: the items before it stay in
    // --out and in the printed table, and the error names the item.
    void run_failing_midway_keeps_finished_items() {
        const QString data = tmp_.filePath("midway.jsonl");
        const std::string first = testutil::read_file(demo_set().toStdString()).substr(0, testutil::read_file(demo_set().toStdString()).find('\n'));
        nlohmann::json item = nlohmann::json::parse(first), long_item = item;
        std::string q = item["question"];
        for (int i = 0; i < 200; ++i) q += " And then he counts again.";
        long_item["question"] = q;
        testutil::write_file(data.toStdString(), item.dump() + "\n" + long_item.dump() + "\n" + item.dump() + "\n");
        const QString out = tmp_.filePath("midway-out.jsonl");
        const auto r = cli({"eval", "--model", QString::fromStdString((testutil::resources() / "models" / "demo-vanilla").string()),
                            "--dataset", data, "--out", out, "--max-context", "900", "--threads", "1", "--quiet"});
        QCOMPARE(r.code, 2);
        QVERIFY2(one_line(r.err) && r.err.contains("item 2 of") && r.err.contains("900 positions") && r.err.contains("1 finished item is kept in"),
                 qPrintable(r.err));
        QCOMPARE(eval_results_read(out.toStdString()).records.size(), size_t(1));
        QVERIFY2(r.out.contains("| vanilla | demo-vanilla | 1 |"), qPrintable(r.out));
    }

    // compare: every run is checked before the first item; the table, the plot and the result files
    // keep every finished run when a later one fails.
    void compare_checks_every_run_first_and_keeps_finished_runs() {
        const QString dir = tmp_.filePath("compare");
        const QString van = QString::fromStdString((testutil::resources() / "models" / "demo-vanilla").string());
        const QStringList base = {"compare", "--out", dir, "--limit", "2", "--max-new-tokens", "400", "--threads", "1", "--quiet"};
        // One impossible run among ten (AnLLM on a model without the anchor token): nothing runs.
        auto r = cli(QStringList(base) << "--anllm" << van);
        QCOMPARE(r.code, 2);
        QVERIFY2(one_line(r.err) && r.err.contains("--anllm") && r.err.contains("cannot run anllm"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir + "/runs") || QDir(dir + "/runs").isEmpty());
        r = cli(QStringList(base) << "--budgets" << "0.3,1.5");
        QCOMPARE(r.code, 2);
        QVERIFY2(one_line(r.err) && r.err.contains("--budgets"), qPrintable(r.err));

        r = cli(base);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const EvalMerged merged = eval_merge({(dir + "/runs/demo-vanilla-vanilla.jsonl").toStdString()});
        const double peak = merged.summaries.at(0).mean_peak;
        QStringList rows;
        for (const char* m : {"vanilla", "lightthinker", "lightthinker-token", "anllm"}) rows << QString("| %1 |").arg(m);
        for (const char* m : {"h2o", "sepllm"})
            for (double share : {0.3, 0.5, 0.7}) rows << QString("| %1 (budget %2) |").arg(m).arg(std::lround(share * peak));
        const QString table = QString::fromStdString(testutil::read_file((dir + "/table.md").toStdString()));
        for (const auto& row : rows) QVERIFY2(table.contains(row), qPrintable(row + " not in\n" + table));
        QCOMPARE(table.trimmed().count('\n'), 1 + 10);
        QCOMPARE(r.out.trimmed(), table.trimmed());
#ifdef GISTSCOPE_TEST_WITH_WIDGETS
        for (const char* ext : {"png", "svg"}) QVERIFY(QFileInfo(dir + "/accuracy-peak." + ext).size() > 1000);
#endif
        QVERIFY(QFileInfo(dir + "/accuracy-peak.csv").size() > 0);

        // A later run fails (its result file is broken): the earlier ones stay in the table.
        const QString broken = dir + QString("/runs/demo-vanilla-sepllm-b%1.jsonl").arg(std::lround(0.5 * peak));
        const std::string good = testutil::read_file(broken.toStdString());
        testutil::write_file(broken.toStdString(), "{not json\n" + good);
        const std::string vanilla_before = testutil::read_file((dir + "/runs/demo-vanilla-vanilla.jsonl").toStdString());
        r = cli(base);
        QCOMPARE(r.code, 2);
        // The finished runs resume (a note each); then one line says which run failed and why.
        // (Qt may add a note of its own when it starts for the plot.)
        QStringList errors;
        for (const QString& line : r.err.trimmed().split('\n'))
            if (line.startsWith("gistscope-cli") && !line.contains("resuming")) errors << line;  // not Qt's notes
        QVERIFY2(errors.size() == 1 && errors[0].contains(broken) && errors[0].contains("sepllm"), qPrintable(r.err));
        const QString after = QString::fromStdString(testutil::read_file((dir + "/table.md").toStdString()));
        for (const auto& row : rows)
            if (!row.contains(QString("sepllm (budget %1)").arg(std::lround(0.5 * peak))))
                QVERIFY2(after.contains(row), qPrintable(row + " lost from\n" + after));
        QCOMPARE(testutil::read_file((dir + "/runs/demo-vanilla-vanilla.jsonl").toStdString()), vanilla_before);
    }

    void cut_last_line_is_dropped_with_a_note() {
        const QString out = tmp_.filePath("cut.jsonl");
        const std::string whole = testutil::read_file(whole_.toStdString());
        size_t third_end = 0;
        for (int i = 0; i < 3; ++i) third_end = whole.find('\n', third_end) + 1;
        testutil::write_file(out.toStdString(), whole.substr(0, third_end) + whole.substr(third_end, 100));
        const auto r = cli(eval_args(out) << "--quiet");
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("dropped a cut last line"), qPrintable(r.err));
        compare_runs(eval_merge({out.toStdString()}).records, eval_merge({whole_.toStdString()}).records);
    }

    void two_shards_merged_equal_one_whole_run() {
        const QString s1 = tmp_.filePath("s1.jsonl"), s2 = tmp_.filePath("s2.jsonl");
        QCOMPARE(cli(eval_args(s1) << "--shard" << "1/2" << "--quiet").code, 0);
        QCOMPARE(cli(eval_args(s2) << "--shard" << "2/2" << "--quiet").code, 0);
        QCOMPARE(complete_lines(s1), 3);
        QCOMPARE(complete_lines(s2), 3);
        const auto merged = eval_merge({s2.toStdString(), s1.toStdString()});
        compare_runs(merged.records, eval_merge({whole_.toStdString()}).records);
        const auto table = cli({"eval-merge", s1, s2, "--json"});
        QVERIFY2(table.code == 0, qPrintable(table.err));
        auto got = nlohmann::json::parse(table.out.toStdString());
        auto want = nlohmann::json::parse(cli({"eval-merge", whole_, "--json"}).out.toStdString());
        for (auto* j : {&got, &want})
            for (auto& row : *j)
                for (const char* k : {"seconds", "hours", "shards", "time_ratio"}) row.erase(k);
        QCOMPARE(got, want);
        // The same item in two files: refused, naming both.
        const QString copy = tmp_.filePath("s1-again.jsonl");
        QVERIFY(QFile::copy(s1, copy));
        const auto overlap = cli({"eval-merge", s1, s2, copy});
        QCOMPARE(overlap.code, 2);
        QVERIFY2(one_line(overlap.err) && overlap.err.contains("overlapping") && overlap.err.contains("s1.jsonl") &&
                     overlap.err.contains("s1-again.jsonl"),
                 qPrintable(overlap.err));
        // A whole run and shards of the same run: refused.
        const auto mixed = cli({"eval-merge", whole_, s1});
        QCOMPARE(mixed.code, 2);
        QVERIFY2(one_line(mixed.err) && mixed.err.contains("inconsistent shards") && mixed.err.contains("a whole run") &&
                     mixed.err.contains("shard 1/2"),
                 qPrintable(mixed.err));
        // A missing shard is said, and the table covers the rest.
        const auto partial = cli({"eval-merge", s1});
        QCOMPARE(partial.code, 0);
        QVERIFY2(partial.err.contains("shard 2 of 2 not given"), qPrintable(partial.err));
        // Resuming into a file of another shard is refused.
        const auto wrong = cli(eval_args(s1) << "--shard" << "2/2" << "--quiet");
        QCOMPARE(wrong.code, 2);
        QVERIFY2(wrong.err.contains("s1.jsonl") && wrong.err.contains("shard 1/2"), qPrintable(wrong.err));
    }

    void review_through_a_pipe_survives_a_kill() {
        // Three answers no rule decides, in LightThinker's output format.
        const QString src = tmp_.filePath("lt.jsonl"), res = tmp_.filePath("review.jsonl");
        std::string lines;
        for (int i = 0; i < 3; ++i)
            lines += nlohmann::json({{"idx", i}, {"gt_answer", "5"}, {"output", "long reasoning " + std::to_string(i) + " \\boxed{3+2}"},
                                     {"model_answer", "3+2"}, {"input_len", 10}, {"output_len", 20}, {"infer_time", 1.0},
                                     {"max_token", 25}})
                         .dump() +
                     "\n";
        testutil::write_file(src.toStdString(), lines);
        const auto imp = cli({"eval-import", src, "--format", "gsm8k", "--out", res, "--json"});
        QVERIFY2(imp.code == 0, qPrintable(imp.err));
        QCOMPARE(nlohmann::json::parse(imp.out.toStdString())["unmatched"].get<int>(), 3);

        QProcess p;
        p.start(GISTSCOPE_CLI, {"review", res});
        QVERIFY(p.waitForStarted());
        p.write("e\n");
        QElapsedTimer t;
        t.start();
        QByteArray shown;
        while (!shown.contains("long reasoning 0") && t.elapsed() < 30000) {
            p.waitForReadyRead(100);
            shown += p.readAllStandardOutput();
        }
        QVERIFY2(shown.contains("\"3+2\"  <=>  \"5\""), shown.constData());
        QVERIFY2(shown.contains("long reasoning 0"), shown.constData());  // e printed the whole output
        p.write("y\n");
        auto reviewed = [&] {
            size_t n = 0;
            for (const auto& r : eval_results_read(res.toStdString()).records) n += r.reviewed;
            return n;
        };
        while (reviewed() < 1 && t.elapsed() < 30000) QTest::qWait(20);
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished();
        auto recs = eval_results_read(res.toStdString()).records;
        QCOMPARE(recs.size(), size_t(3));
        QCOMPARE(recs[0].verdict, Verdict::correct);
        QVERIFY(recs[0].reviewed);
        QCOMPARE(eval_review_pending(recs), (std::vector<size_t>{1, 2}));
        QVERIFY(!QFileInfo::exists(res + ".tmp"));

        // Resumes at the next undecided answer; q stops with the rest still pending.
        const auto again = cli({"review", res}, "x\nn\nq\n");
        QCOMPARE(again.code, 0);
        QVERIFY2(again.out.contains("please answer y, n, e or q"), qPrintable(again.out));
        QVERIFY2(again.out.contains("[1/2]") && again.out.contains("1 decided now, 1 still to review"), qPrintable(again.out));
        recs = eval_results_read(res.toStdString()).records;
        QCOMPARE(recs[1].verdict, Verdict::wrong);
        QVERIFY(recs[1].reviewed);
        const auto table = nlohmann::json::parse(cli({"eval-merge", res, "--json"}).out.toStdString());
        QCOMPARE(table[0]["correct"].get<int>(), 1);
        QCOMPARE(table[0]["reviewed"].get<int>(), 2);
        QCOMPARE(table[0]["unmatched"].get<int>(), 1);
    }

    void import_summary_json() {
        const QString res = tmp_.filePath("imported.jsonl");
        const auto r = cli({"eval-import", fixture("lightthinker-output/gsm8k.jsonl"), "--format", "gsm8k", "--out", res, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["items"].get<int>(), 5);
        QCOMPARE(j["correct"].get<int>(), 3);
        QCOMPARE(j["accuracy"].get<double>(), 60.0);
        QCOMPARE(j["source"].get<std::string>(), std::string("lightthinker"));
        // Imported and native results merge into one table.
        const auto both = cli({"eval-merge", res, whole_});
        QCOMPARE(both.code, 0);
        QVERIFY(both.out.contains("| gsm8k | lightthinker | gsm8k | 5 | 60.0 |"));
        QVERIFY(both.out.contains("| demo-test | lightthinker | demo-lightthinker | 6 |"));
    }

    void bad_files_give_one_line_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        const QString broken = tmp_.filePath("broken.jsonl");
        testutil::write_file(broken.toStdString(), "{\"question\": \"q\", \"answer\": \"1\"}\n{oops\n");
        const QString lt = fixture("lightthinker-output/mmlu.jsonl");
        QTest::newRow("dataset line") << (QStringList{"eval", "--model", model_dir(), "--dataset", broken, "--out", tmp_.filePath("x.jsonl")})
                                      << QStringList{"broken.jsonl:2", "not valid JSON"};
        QTest::newRow("unknown import format") << QStringList{"eval-import", lt, "--format", "mathqa", "--out", tmp_.filePath("y.jsonl")}
                                               << QStringList{"--format", "mathqa"};
        QTest::newRow("import of a dataset") << QStringList{"eval-import", demo_set(), "--format", "gsm8k", "--out", tmp_.filePath("y.jsonl")}
                                             << QStringList{"demo-test.jsonl:1", "idx"};
        QTest::newRow("merge of a dataset") << QStringList{"eval-merge", broken} << QStringList{"broken.jsonl:1", "eval-import"};
        QTest::newRow("merge of LightThinker output") << QStringList{"eval-merge", lt} << QStringList{"mmlu.jsonl:1", "eval-import"};
        QTest::newRow("bad shard") << (eval_args(tmp_.filePath("z.jsonl")) << "--shard" << "3/2") << QStringList{"--shard", "3/2"};
        QTest::newRow("unknown dataset format") << (eval_args(tmp_.filePath("z.jsonl")) << "--format" << "csv") << QStringList{"--format", "csv"};
        QTest::newRow("out of another run") << (QStringList{"eval", "--model", model_dir(), "--dataset", demo_set(), "--limit", "6", "--out",
                                                            whole_, "--method", "vanilla"})
                                            << QStringList{"whole.jsonl", "another run"};
    }
    void bad_files_give_one_line() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const auto r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(one_line(r.err), qPrintable(r.err));
        for (const auto& m : mentions) QVERIFY2(r.err.contains(m), qPrintable(r.err + " lacks " + m));
        QVERIFY(!QFileInfo::exists(tmp_.filePath("x.jsonl")));
        QVERIFY(!QFileInfo::exists(tmp_.filePath("y.jsonl")));
    }
};

QTEST_GUILESS_MAIN(TestEvalCli)
#include "tst_eval_cli.moc"
