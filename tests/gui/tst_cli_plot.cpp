// tst_cli_plot: `gistscope-cli plot` writes every view in every format headless, and names the file
// and the reason when it cannot.
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCliPlot : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    static QStringList traces() {
        const QString d = QStringLiteral(GISTSCOPE_GUI_TEST_DATA);
        return {QStringLiteral("--trace"), d + QStringLiteral("/lightthinker-token.trace.jsonl"), QStringLiteral("--trace"),
                d + QStringLiteral("/vanilla.trace.jsonl")};
    }
    static int run(const QStringList& args, QString* err = nullptr) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));  // the CLI picks offscreen itself
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(GISTSCOPE_CLI), QStringList{QStringLiteral("plot")} + args);
        p.waitForFinished(120000);
        if (err) *err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
private slots:
    void views_data() {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("suffix");
        for (const char* v : {"occupancy", "mask", "attention"})
            for (const char* s : {"png", "pdf", "svg", "csv"})
                QTest::newRow(qPrintable(QStringLiteral("%1.%2").arg(QLatin1String(v), QLatin1String(s))))
                    << QString::fromLatin1(v) << QString::fromLatin1(s);
        QTest::newRow("metrics.csv") << QStringLiteral("metrics") << QStringLiteral("csv");
    }
    void views() {
        QFETCH(QString, view);
        QFETCH(QString, suffix);
        const QString out = tmp_.filePath(view + QLatin1Char('.') + suffix);
        QString err;
        QCOMPARE(run(traces() + QStringList{QStringLiteral("--out"), out, QStringLiteral("--view"), view}, &err), 0);
        QFile f(out);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(err));
        const QByteArray b = f.readAll();
        if (suffix == QLatin1String("png")) QVERIFY(!QImage::fromData(b, "PNG").isNull());
        if (suffix == QLatin1String("pdf")) QVERIFY(b.startsWith("%PDF-"));
        if (suffix == QLatin1String("svg")) QVERIFY(b.contains("<svg"));
        if (suffix == QLatin1String("csv")) QVERIFY(b.count('\n') > 5);
    }
    void errorsNameTheFile() {
        QString err;
        QCOMPARE(run(traces() + QStringList{QStringLiteral("--out"), QStringLiteral("/nonexistent-dir/x.png")}, &err), 2);
        QVERIFY2(err.contains(QStringLiteral("/nonexistent-dir")), qPrintable(err));
        QCOMPARE(run(traces() + QStringList{QStringLiteral("--out"), tmp_.filePath(QStringLiteral("x.gif"))}, &err), 2);
        QVERIFY(err.contains(QStringLiteral("gif")));
        QCOMPARE(run({QStringLiteral("--out"), tmp_.filePath(QStringLiteral("x.png"))}, &err), 2);
    }
};

QTEST_MAIN(TestCliPlot)
#include "tst_cli_plot.moc"
