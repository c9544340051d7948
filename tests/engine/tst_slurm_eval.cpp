// The Slurm job array of packaging/slurm/, for real: a one-node cluster on localhost
// (local-cluster.sh, Debian's slurm-wlm and munge), the array of 3 shards over 6 demo items
// submitted with submit-eval.sh, the merge job after it, and its table compared with one
// unsharded run. Skips, saying why, where slurmctld cannot start (no root, no Slurm installed).
#include <QProcess>
#include <QtTest>

#include "gistscope/eval.h"
#include "process_util.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

testutil::ProcessResult run(const QString& program, const QStringList& args, const QProcessEnvironment& env, int timeout_ms) {
    return testutil::run_process(program, args, {}, timeout_ms, env);
}

QString slurm_script(const char* name) { return QString::fromStdString((fs::path(GISTSCOPE_SOURCE_DIR) / "packaging" / "slurm" / name).string()); }

nlohmann::json without_timing(nlohmann::json table) {
    for (auto& row : table)
        for (const char* k : {"seconds", "hours", "shards", "time_ratio", "missing_shards"}) row.erase(k);
    return table;
}

}  // namespace

class TestSlurmEval : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString cluster_;
    QProcessEnvironment env_ = QProcessEnvironment::systemEnvironment();
    bool started_ = false;

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        cluster_ = tmp_.filePath("cluster");
        const auto r = run("bash", {slurm_script("local-cluster.sh"), "start", cluster_}, env_, 60000);
        if (r.code == 3) QSKIP(qPrintable("no local Slurm cluster: " + r.err.trimmed()));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        started_ = true;
        env_.insert("SLURM_CONF", cluster_ + "/slurm.conf");
        env_.insert("GISTSCOPE_CLI", GISTSCOPE_CLI);
    }

    void cleanupTestCase() {
        if (started_) run("bash", {slurm_script("local-cluster.sh"), "stop", cluster_}, env_, 30000);
    }

    void array_of_three_shards_equals_one_run() {
        QElapsedTimer t;
        t.start();
        const QString out = tmp_.filePath("array");
        const QString model = QString::fromStdString((testutil::resources() / "models" / "demo-lightthinker").string());
        const QString dataset = QString::fromStdString((testutil::resources() / "datasets" / "demo-test.jsonl").string());
        const QStringList eval_opts = {"--limit", "6", "--max-new-tokens", "700", "--backend", "cpu", "--threads", "1", "--quiet"};
        const auto sub = run("bash", QStringList{slurm_script("submit-eval.sh"), "--shards", "3", "--model", model, "--dataset", dataset,
                                                 "--outdir", out, "--wait", "--"} + eval_opts,
                             env_, 180000);
        QVERIFY2(sub.code == 0, qPrintable(sub.out + sub.err));
        QVERIFY2(sub.out.contains("array job") && sub.out.contains("merge job"), qPrintable(sub.out));
        for (int k = 1; k <= 3; ++k)
            QCOMPARE(eval_results_read((out + QString("/shard-%1-of-3.jsonl").arg(k)).toStdString()).records.size(), size_t(2));
        QVERIFY(QFileInfo::exists(out + "/table.md"));
        const auto table = nlohmann::json::parse(testutil::read_file((out + "/table.json").toStdString()));
        qInfo("array of 3 shards submitted, run and merged in %.1f s", double(t.elapsed()) / 1000.0);

        // One unsharded run with the same options, outside Slurm.
        const QString whole = tmp_.filePath("whole.jsonl");
        const auto r = run(GISTSCOPE_CLI, QStringList{"eval", "--model", model, "--dataset", dataset, "--out", whole} + eval_opts, env_, 180000);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto want = run(GISTSCOPE_CLI, {"eval-merge", whole, "--json"}, env_, 60000);
        QCOMPARE(without_timing(table), without_timing(nlohmann::json::parse(want.out.toStdString())));
        QCOMPARE(table[0]["items"].get<int>(), 6);
        QCOMPARE(table[0]["shards"].get<int>(), 3);
        // Item for item.
        std::vector<fs::path> shards;
        for (int k = 1; k <= 3; ++k) shards.push_back((out + QString("/shard-%1-of-3.jsonl").arg(k)).toStdString());
        const auto a = eval_merge(shards).records, b = eval_merge({whole.toStdString()}).records;
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            auto x = a[i].to_json(), y = b[i].to_json();
            for (auto* j : {&x, &y}) {
                j->erase("seconds");
                j->erase("shard");
            }
            QCOMPARE(x, y);
        }
    }
};

QTEST_GUILESS_MAIN(TestSlurmEval)
#include "tst_slurm_eval.moc"
