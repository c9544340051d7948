// The Evaluation tab (app/gui/evaluation_panel.h) as a user drives it: a run of the demo model in
// the background fills the table and the plot, its result file is the CLI's (it resumes and
// merges alike), existing files open, the review dialog writes decisions at once, and the table
// and plot export.
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "evaluation_panel.h"
#include "gistscope/eval.h"

using namespace gistscope;
using gistscope::gui::EvaluationPanel;
using gistscope::gui::ReviewDialog;

namespace {
QString res(const QString& rel) { return QStringLiteral(GISTSCOPE_RESOURCES_DIR) + QLatin1Char('/') + rel; }
QString fixture(const QString& rel) { return QStringLiteral(GISTSCOPE_FIXTURES_DIR) + QStringLiteral("/eval/") + rel; }
}  // namespace

class TestEvaluationPanel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void run_fills_table_and_plot_and_resumes() {
        EvaluationPanel panel;
        panel.setDataset(res("datasets/demo-test.jsonl"));
        panel.setModels({res("models/demo-lightthinker")});
        panel.setLimit(3);
        panel.setMaxNewTokens(700);
        panel.setResultsFolder(tmp_.filePath("results"));
        QSignalSpy done(&panel, &EvaluationPanel::runFinished);
        QVERIFY2(panel.start(), qPrintable(panel.statusText()));
        QVERIFY(panel.running());
        QVERIFY(done.wait(120000));
        QCOMPARE(done.first().first().toBool(), false);  // not stopped
        QCOMPARE(panel.table()->rowCount(), 1);
        QCOMPARE(panel.table()->item(0, 1)->text(), QString("lightthinker"));
        QCOMPARE(panel.table()->item(0, 3)->text(), QString("3"));
        QCOMPARE(panel.plotView()->pointCount(), 1);
        // The file is the CLI's format: three lines, readable by the engine.
        const QString file = panel.resultFileFor(res("models/demo-lightthinker"), QString());
        const auto recs = eval_results_read(file.toStdString()).records;
        QCOMPARE(recs.size(), size_t(3));
        QCOMPARE(panel.summaries()[0].accuracy, 100.0 * double(std::count_if(recs.begin(), recs.end(), [](const auto& r) {
                                                         return r.verdict == Verdict::correct;
                                                     })) / 3.0);
        // Run again with a larger limit: resumes, runs only the new items.
        panel.setLimit(4);
        QSignalSpy again(&panel, &EvaluationPanel::runFinished);
        QVERIFY(panel.start());
        QVERIFY(again.wait(120000));
        const auto more = eval_results_read(file.toStdString()).records;
        QCOMPARE(more.size(), size_t(4));
        for (size_t i = 0; i < 3; ++i) QCOMPARE(more[i].to_json(), recs[i].to_json());
        QCOMPARE(panel.table()->item(0, 3)->text(), QString("4"));

        // Table as CSV, plot as PNG / SVG / PDF.
        QString error;
        QVERIFY2(panel.exportTable(tmp_.filePath("t.csv"), &error), qPrintable(error));
        QFile csv(tmp_.filePath("t.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("Dataset,Method,Model,Items"));
        QVERIFY(lines[1].startsWith("demo-test,lightthinker,demo-lightthinker,4,"));
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString p = tmp_.filePath(QString("plot.") + ext);
            QVERIFY2(panel.exportPlot(p, &error), qPrintable(error));
            QVERIFY(QFileInfo(p).size() > 500);
        }
        QVERIFY(!QImage(tmp_.filePath("plot.png")).isNull());
        QVERIFY(!panel.exportTable(tmp_.filePath("missing/dir/t.csv"), &error));
        QVERIFY(error.contains("missing/dir"));
    }

    void open_and_review_existing_results() {
        const QString file = tmp_.filePath("imported.jsonl");
        EvalImportOptions opt;
        opt.format = DatasetFormat::gsm8k;
        eval_results_write_atomic(file.toStdString(), eval_import({fixture("lightthinker-output/gsm8k.jsonl").toStdString()}, opt));
        EvaluationPanel panel;
        panel.openResults({file});
        QCOMPARE(panel.table()->rowCount(), 1);
        QCOMPARE(panel.table()->item(0, 5)->text(), QString("1"));  // one unmatched
        ReviewDialog dialog(file);
        QCOMPARE(dialog.pending(), 1);
        QVERIFY2(dialog.shownAnswer().contains("\"3+2\"  <=>  \"5\""), qPrintable(dialog.shownAnswer()));
        QString error;
        QVERIFY2(dialog.decide(true, &error), qPrintable(error));
        QCOMPARE(dialog.pending(), 0);
        QVERIFY(!dialog.decide(true));  // nothing left
        const auto recs = eval_results_read(file.toStdString()).records;
        QCOMPARE(recs[4].verdict, Verdict::correct);
        QVERIFY(recs[4].reviewed);
        panel.openResults({file});  // reload
        QCOMPARE(panel.table()->item(0, 4)->text(), QString("80.0"));
        QCOMPARE(panel.table()->item(0, 5)->text(), QString("0"));
    }

    void missing_dataset_is_said() {
        EvaluationPanel panel;
        panel.setDataset(tmp_.filePath("nope.jsonl"));
        panel.setModels({res("models/demo-lightthinker")});
        QVERIFY(!panel.start());
        QVERIFY(panel.statusText().contains("nope.jsonl"));
    }
};

QTEST_MAIN(TestEvaluationPanel)
#include "tst_evaluation_panel.moc"
