// tst_window: drives the GistScope window offscreen. Replays traces written by the real engine
// (tests/gui/data, made with gistscope-cli generate on a training checkpoint), exports every view
// in every format, switches to zh_CN, and checks that a corrupt trace, a missing model and an
// unwritable export path each show a dialog and lose nothing. With the demo models in
// resources/models it also runs a problem end to end and stops one midway.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QDialog>
#include <QFileDialog>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolButton>

#include "app_shell.h"
#include "evaluation_panel.h"
#include "control_panel.h"
#include "file_actions.h"
#include "playback.h"
#include "stream_tools.h"
#include <QClipboard>
#include <QJsonDocument>
#include <QJsonObject>
#include "widgets/metrics_table.h"
#include <QTableWidget>
#include "evaluation_panel.h"
#include "main_window.h"
#include "settings.h"
#include "widgets/attention_heatmap.h"
#include "widgets/mask_heatmap.h"
#include "widgets/occupancy_plot.h"
#include "widgets/token_stream_view.h"
#include "run_pane.h"
#include "view_tabs.h"
#include "widgets/memory_timeline.h"
#include "../engine/memory_script.h"
#include "gistscope/model_discovery.h"

using namespace gistscope::gui;

namespace {
const QString data_dir = QStringLiteral(GISTSCOPE_GUI_TEST_DATA);
const QString lt_trace = data_dir + QStringLiteral("/lightthinker-token.trace.jsonl");
const QString vanilla_trace = data_dir + QStringLiteral("/vanilla.trace.jsonl");
QString demo_model(const QString& name) {
    const QString res = qEnvironmentVariableIsEmpty("GISTSCOPE_RESOURCES") ? QStringLiteral(GISTSCOPE_RESOURCES_DIR)
                                                                           : qEnvironmentVariable("GISTSCOPE_RESOURCES");
    const QString dir = res + QStringLiteral("/models/") + name;
    // A checkpoint folder, or an adapter folder (the SmolLM2 pair) that names its base.
    return QFile::exists(dir + QStringLiteral("/config.json")) || QFile::exists(dir + QStringLiteral("/base.json")) ? dir : QString();
}
}  // namespace

class TestWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir tmp_;
    Settings* settings_ = nullptr;
    MainWindow* window_ = nullptr;

    // Closes the error dialog the window opened and returns its text ("" if there was none).
    QString takeErrorDialog() {
        QMessageBox* box = nullptr;
        for (int i = 0; i < 100 && !(box = window_->findChild<QMessageBox*>(QStringLiteral("errorDialog"))); ++i)
            QTest::qWait(20);
        if (!box) return QStringLiteral("(no dialog)");
        const QString text = box->text();
        box->close();
        for (int i = 0; i < 100 && window_->findChild<QMessageBox*>(QStringLiteral("errorDialog")); ++i) QTest::qWait(20);
        return text;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        settings_ = new Settings(tmp_.filePath(QStringLiteral("settings.ini")), this);
        window_ = new MainWindow(settings_);
        window_->resize(1400, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_));
    }
    void cleanupTestCase() { delete window_; }

    // The Evaluation tab sits among the views and is reachable from the View menu.
    void evaluationTabIsInTheWindow() {
        QDockWidget* dock = window_->findChild<QDockWidget*>(QStringLiteral("evaluation"));
        QVERIFY(dock);
        QVERIFY(dock->findChild<gistscope::gui::EvaluationPanel*>());
        QVERIFY(!window_->tabifiedDockWidgets(dock).isEmpty());
        bool in_menu = false;
        for (QAction* a : window_->menuBar()->actions())
            if (a->menu())
                for (QAction* b : a->menu()->actions()) in_menu |= b == dock->toggleViewAction();
        QVERIFY(in_menu);
    }

    void replayWithSlider() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const auto& left = window_->run(0);
        const auto& right = window_->run(1);
        QCOMPARE(QString::fromStdString(left.header().method), QStringLiteral("lightthinker-token"));
        QCOMPARE(QString::fromStdString(right.header().method), QStringLiteral("vanilla"));
        QVERIFY(left.end() && right.end());
        QVERIFY(left.compressions().size() > 3);
        const int last = window_->lastStep();
        QCOMPARE(window_->stepSlider()->maximum(), last);
        QCOMPARE(window_->stepSlider()->value(), last);
        const int full_points = window_->occupancyPlot()->pointCount(0);
        // Drag the slider back: every view follows.
        window_->stepSlider()->setValue(20);
        QCOMPARE(window_->step(), 20);
        QCOMPARE(left.current_step(), 20);
        QVERIFY(window_->occupancyPlot()->pointCount(0) < full_points);
        QVERIFY(window_->occupancyPlot()->pointCount(0) >= 20);
        // Play forwards at full speed to the end.
        window_->setPlaying(true);
        QTRY_COMPARE_WITH_TIMEOUT(window_->step(), last, 10000);
        QTRY_VERIFY(!window_->isPlaying());
        QTRY_COMPARE(window_->occupancyPlot()->pointCount(0), full_points);  // the plot may defer a frame
    }

    void hoverAndSelectToken() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        auto* stream = window_->pane(1)->stream();
        const auto& run = window_->run(1);
        // The first generated token of the vanilla run is shown and selectable.
        int32_t pos = -1;
        for (const auto& t : run.tokens())
            if (t.role != gistscope::SlotRole::prompt) {
                pos = t.position;
                break;
            }
        QVERIFY(pos >= 0);
        stream->selectPosition(pos);
        QCOMPARE(stream->selectedPosition(), pos);
        const QRect r = stream->tokenRect(pos);
        QVERIFY(!r.isEmpty());
        QCOMPARE(stream->tokenAt(r.center()), run.token_at_position(pos));
        // A click on a mask cell selects the token in the stream.
        QSignalSpy spy(window_->maskHeatmap(), &gistscope::ui::HeatmapView::cellClicked);
        emit window_->maskHeatmap()->cellClicked(0, 5, 3);
        QCOMPARE(window_->pane(0)->stream()->selectedPosition(), 5);
    }

    void panesScrollTogetherByStep() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        auto* left = window_->pane(0)->stream();
        auto* right = window_->pane(1)->stream();
        QVERIFY(left->verticalScrollBar()->maximum() > 0);
        left->verticalScrollBar()->setValue(left->verticalScrollBar()->maximum() / 2);  // as a user would
        const int step = left->topStep();
        QVERIFY(step > 0);
        // The first token of that step is on the right's top line (a line holds a few steps), unless
        // the right pane cannot scroll that far.
        const bool at_end = right->verticalScrollBar()->value() == right->verticalScrollBar()->maximum();
        QVERIFY2(std::abs(right->topStep() - step) < 30 || at_end,
                 qPrintable(QStringLiteral("left top step %1, right top step %2").arg(step).arg(right->topStep())));
        QVERIFY(right->verticalScrollBar()->value() > 0);
        // At the end of one pane, the other goes to its end too.
        left->verticalScrollBar()->setValue(left->verticalScrollBar()->maximum());
        QCOMPARE(right->verticalScrollBar()->value(), right->verticalScrollBar()->maximum());
    }

    void exportEachFormat_data() {
        QTest::addColumn<int>("view");
        QTest::addColumn<QString>("suffix");
        for (const char* s : {"png", "pdf", "svg", "csv"}) {
            QTest::newRow(qPrintable(QStringLiteral("occupancy-%1").arg(QLatin1String(s)))) << int(ViewId::occupancy) << QString::fromLatin1(s);
            QTest::newRow(qPrintable(QStringLiteral("mask-%1").arg(QLatin1String(s)))) << int(ViewId::mask) << QString::fromLatin1(s);
            QTest::newRow(qPrintable(QStringLiteral("attention-%1").arg(QLatin1String(s)))) << int(ViewId::attention) << QString::fromLatin1(s);
        }
        QTest::newRow("metrics-csv") << int(ViewId::metrics) << QStringLiteral("csv");
    }
    void exportEachFormat() {
        QFETCH(int, view);
        QFETCH(QString, suffix);
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const QString path = tmp_.filePath(QStringLiteral("export-%1.%2").arg(view).arg(suffix));
        QVERIFY(window_->exportView(ViewId(view), path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.size() > 100);
        QVERIFY(!QFile::exists(tmp_.filePath(QStringLiteral(".export-%1.%2.part").arg(view).arg(suffix))));
        if (suffix == QLatin1String("png")) {
            QImage img;
            QVERIFY(img.loadFromData(bytes, "PNG"));
            QVERIFY(img.width() >= 1400 && img.height() >= 800);
        } else if (suffix == QLatin1String("pdf")) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        } else if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            bool svg_root = false;
            while (!xml.atEnd())
                if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("svg")) svg_root = true;
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QVERIFY(svg_root);
        } else {
            const QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            const auto& l = window_->run(0);
            const auto& r = window_->run(1);
            int expected = 0;
            if (view == int(ViewId::occupancy)) expected = int(l.occupancy().size() + r.occupancy().size());
            if (view == int(ViewId::mask)) {
                for (const auto* run : {&l, &r})
                    for (const auto& t : run->tokens()) expected += t.fed ? 1 : 0;
            }
            if (view == int(ViewId::attention))
                for (const auto* run : {&l, &r})
                    for (const auto& a : run->attention()) expected += int(a.positions.size());
            if (view == int(ViewId::metrics)) expected = 14;
            QCOMPARE(lines.size(), expected + 1);  // + header
            QVERIFY(lines.front().contains(QLatin1Char(',')));
        }
    }

    void unwritableExportShowsDialog() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const size_t tokens = window_->run(0).tokens().size();
        const QString path = QStringLiteral("/nonexistent-folder/sub/kv.png");
        QVERIFY(!window_->exportView(ViewId::occupancy, path));
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(QStringLiteral("/nonexistent-folder/sub")), qPrintable(text));
        QVERIFY(!QFile::exists(path));
        QCOMPARE(window_->run(0).tokens().size(), tokens);
        // A folder without write permission (as root every folder is writable: skip that half).
        QVERIFY(!window_->exportView(ViewId::metrics, tmp_.filePath(QStringLiteral("metrics.png"))));
        QVERIFY(takeErrorDialog().contains(QStringLiteral(".csv")));
    }

    void corruptTraceShowsDialog() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const size_t tokens = window_->run(0).tokens().size();
        const int step = window_->step();
        const QString bad = tmp_.filePath(QStringLiteral("corrupt.trace.jsonl"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QFile src(lt_trace);
        QVERIFY(src.open(QIODevice::ReadOnly));
        f.write(src.readLine());  // a valid header
        f.write("{\"type\":\"token\",\"step\":\"not a number\"}\n");
        f.close();
        QVERIFY(!window_->openTraces({bad}));
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(bad), qPrintable(text));
        QCOMPARE(window_->run(0).tokens().size(), tokens);
        QCOMPARE(window_->step(), step);
        QVERIFY(!window_->openTraces({tmp_.filePath(QStringLiteral("missing.jsonl"))}));
        takeErrorDialog();
        QCOMPARE(window_->run(0).tokens().size(), tokens);
    }

    // The window's rows of the bad-input matrix (the CLI's are in tst_cli): a bad file opened as a
    // trace or added as a model folder gives one dialog naming the file and what was wrong, and
    // leaves what was shown as it was.
    void badInputMatrix_data() {
        QTest::addColumn<QString>("entry");     // "trace" (File > Open trace) or "model" (add a model folder)
        QTest::addColumn<QString>("name");      // file or folder created under the temporary folder
        QTest::addColumn<QString>("file");      // the file inside a model folder ("" for a trace)
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("mentions");
        QFile src(lt_trace);
        src.open(QIODevice::ReadOnly);
        const QByteArray header = src.readLine();
        QByteArray token = src.readLine();
        QByteArray v9 = header;
        v9.replace("\"version\":\"1.", "\"version\":\"9.");
        QTest::newRow("trace: empty file") << "trace" << "empty.jsonl" << "" << QByteArray() << QStringList{"empty.jsonl", "empty file"};
        QTest::newRow("trace: not JSON") << "trace" << "garbage.jsonl" << "" << QByteArray("hello\n") << QStringList{"garbage.jsonl", "not valid JSON"};
        QTest::newRow("trace: not a trace") << "trace" << "other.jsonl" << "" << QByteArray("{\"format\":\"csv\"}\n")
                                          << QStringList{"other.jsonl", "not a GistScope trace"};
        QTest::newRow("trace: version 9") << "trace" << "v9.jsonl" << "" << v9 << QStringList{"v9.jsonl", "not supported"};
        QTest::newRow("trace: unknown event") << "trace" << "event.jsonl" << "" << header + "{\"type\":\"teleport\",\"step\":1}\n"
                                            << QStringList{"event.jsonl", ":2:", "unknown event type 'teleport'"};
        QTest::newRow("trace: step 1e300") << "trace" << "step.jsonl" << "" << header + token.replace("\"step\":0", "\"step\":1e300")
                                         << QStringList{"step.jsonl", ":2:", "step"};
        QTest::newRow("trace: memory action unknown") << "trace" << "memory.jsonl" << ""
            << header + "{\"type\":\"memory\",\"step\":1,\"action\":\"forget\",\"context_before\":5,\"context_after\":5,\"kept\":5,\"reprefilled\":0}\n"
            << QStringList{"memory.jsonl", "memory.action", "forget"};
        QTest::newRow("model: config not JSON") << "model" << "m-json" << "config.json" << QByteArray("{\"hidden_size\": ")
                                              << QStringList{"config.json", "not valid JSON"};
        QTest::newRow("model: config without architectures") << "model" << "m-arch" << "config.json" << QByteArray("{}")
                                                           << QStringList{"config.json", "architectures"};
        QTest::newRow("model: config vocab a string") << "model" << "m-vocab" << "config.json"
            << QByteArray("{\"architectures\":[\"Qwen2ForCausalLM\"],\"vocab_size\":\"many\",\"hidden_size\":64}")
            << QStringList{"config.json", "vocab_size"};
        QTest::newRow("model: a GGUF file that is not one") << "model" << "fake.gguf" << "" << QByteArray("GGUF but not really")
                                                          << QStringList{"fake.gguf"};
    }
    void badInputMatrix() {
        QFETCH(QString, entry);
        QFETCH(QString, name);
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QStringList, mentions);
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const size_t tokens = window_->run(0).tokens().size();
        const int models = window_->modelBox(0)->count();
        const QString path = tmp_.filePath(QStringLiteral("bad-input/") + name);
        QString target = path;
        if (!file.isEmpty()) {
            QDir().mkpath(path);
            target = path + QLatin1Char('/') + file;
        } else {
            QDir().mkpath(QFileInfo(path).absolutePath());
        }
        QFile f(target);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        const bool accepted = entry == QLatin1String("trace") ? window_->openTraces({path}) : window_->setModelDir(0, path);
        QVERIFY(!accepted);
        const QString text = takeErrorDialog();
        for (const auto& m : mentions) QVERIFY2(text.contains(m), qPrintable(m + " not in: " + text));
        QVERIFY2(!text.contains(QStringLiteral("json.exception")) && !text.contains(QStringLiteral("internal error")),
                 qPrintable(text));
        QCOMPARE(window_->findChildren<QMessageBox*>(QStringLiteral("errorDialog")).size(), 0);  // one dialog, now closed
        QCOMPARE(window_->run(0).tokens().size(), tokens);
        QCOMPARE(window_->modelBox(0)->count(), models);
    }

    void missingModelShowsDialog() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const size_t tokens = window_->run(0).tokens().size();
        const int models = window_->modelBox(0)->count();
        QVERIFY(!window_->setModelDir(0, tmp_.filePath(QStringLiteral("no-such-model"))));
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(QStringLiteral("no-such-model")), qPrintable(text));
        QCOMPARE(window_->modelBox(0)->count(), models);  // a failed folder is not kept
        QCOMPARE(window_->run(0).tokens().size(), tokens);
    }

    void nonModelFolderRejectedWhenAdded() {
        const QString dir = tmp_.filePath(QStringLiteral("holiday-photos"));
        QDir().mkpath(dir);
        const int models = window_->modelBox(0)->count();
        const QString before = window_->modelBox(0)->currentData().toString();
        QVERIFY(!window_->setModelDir(0, dir));
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(dir) && text.contains(QStringLiteral("config.json")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("train_all")), qPrintable(text));
        QCOMPARE(window_->modelBox(0)->count(), models);
        QCOMPARE(window_->modelBox(0)->findData(dir), -1);
        QCOMPARE(window_->modelBox(0)->currentData().toString(), before);
    }

    void brokenConfigJsonSaysSoPlainly() {
        const QString dir = tmp_.filePath(QStringLiteral("broken-model"));
        QDir().mkpath(dir);
        QFile cfg(dir + QStringLiteral("/config.json"));
        QVERIFY(cfg.open(QIODevice::WriteOnly));
        cfg.write("{\n  \"hidden_size\": 64,\n  \"vocab_size\" 300\n}\n");  // a colon missing on line 3
        cfg.close();
        QVERIFY(!window_->setModelDir(0, dir));
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(QStringLiteral("not valid JSON")) && text.contains(QStringLiteral("line 3")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("json.exception")), qPrintable(text));
        QCOMPARE(window_->modelBox(0)->findData(QFileInfo(dir).absoluteFilePath()), -1);
        // Valid JSON that is not a model config: the loader's field check, named.
        QVERIFY(cfg.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cfg.write("{}");
        cfg.close();
        QVERIFY(!window_->setModelDir(0, dir));
        QVERIFY(takeErrorDialog().contains(QStringLiteral("architectures")));
    }

    void failedRunKeepsPreviousResultsAndShowsOneDialog() {
        // CUDA chosen where it cannot run (the list disables it; a saved setting or a driver that went
        // away still gets there): both panes fail before a token.
        if (window_->controls()->cudaUnavailableReason().isEmpty()) QSKIP("this machine has a usable CUDA device");
        if (demo_model(QStringLiteral("demo-vanilla")).isEmpty()) QSKIP("the demo models are not in resources/models");
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const size_t tokens = window_->run(0).tokens().size();
        QVERIFY(window_->setModelDir(0, demo_model(QStringLiteral("demo-lightthinker"))));
        QVERIFY(window_->setModelDir(1, demo_model(QStringLiteral("demo-vanilla"))));
        auto* backend = window_->controls()->backendBox();
        backend->setCurrentIndex(backend->findData(QStringLiteral("cuda")));
        QSignalSpy done(window_, &MainWindow::runFinished);
        window_->startRun();
        QVERIFY(done.wait(30000));
        QTest::qWait(50);
        QCOMPARE(window_->findChildren<QMessageBox*>(QStringLiteral("errorDialog")).size(), 1);
        const QString text = takeErrorDialog();
        QVERIFY2(text.contains(QStringLiteral("Both panes")) && text.contains(QStringLiteral("previous results")), qPrintable(text));
        QCOMPARE(window_->run(0).tokens().size(), tokens);
        QVERIFY(window_->run(0).end());
        backend->setCurrentIndex(backend->findData(QStringLiteral("auto")));
    }

    void methodsTheModelCannotRunAreDisabled() {
        const QString van = demo_model(QStringLiteral("demo-vanilla"));
        if (van.isEmpty()) QSKIP("the demo models are not in resources/models");
        QVERIFY(window_->setModelDir(0, van));
        auto* box = window_->methodBox(0);
        auto* model = qobject_cast<QStandardItemModel*>(box->model());
        QVERIFY(model);
        for (const char* m : {"anllm", "lightthinker", "lightthinker-token"}) {
            const int i = box->findData(QLatin1String(m));
            QVERIFY(!model->item(i)->isEnabled());
            QVERIFY2(model->item(i)->toolTip().contains(QStringLiteral("not trained")), qPrintable(model->item(i)->toolTip()));
        }
        window_->setMethod(0, QStringLiteral("anllm"));
        QVERIFY(box->currentData().toString() != QLatin1String("anllm"));
        QVERIFY(model->item(box->findData(QStringLiteral("h2o")))->isEnabled());
        // The model that has the tokens offers them again.
        QVERIFY(window_->setModelDir(0, demo_model(QStringLiteral("demo-anllm"))));
        QVERIFY(model->item(box->findData(QStringLiteral("anllm")))->isEnabled());
        QCOMPARE(box->currentData().toString(), QStringLiteral("anllm"));
        QVERIFY(window_->setModelDir(0, demo_model(QStringLiteral("demo-lightthinker"))));
    }

    // The comparison picker sets model and method of both panes, follows hand changes, and each
    // method's tooltip says what it keeps and what it drops.
    void comparisonPresetsSetBothPanes() {
        if (demo_model(QStringLiteral("demo-anllm")).isEmpty() || demo_model(QStringLiteral("demo-lightthinker-token")).isEmpty())
            QSKIP("the demo models are not in resources/models");
        ControlPanel* c = window_->controls();
        QComboBox* picker = c->presetBox();
        QCOMPARE(ControlPanel::presetCount(), 7);
        QCOMPARE(picker->count(), 8);  // "Custom" and the seven
        struct Want {
            const char* name;
            const char* left_model;
            const char* left_method;
            const char* right_model;
            const char* right_method;
        };
        const Want wants[] = {{"LightThinker vs vanilla", "demo-lightthinker", "lightthinker", "demo-vanilla", "vanilla"},
                              {"Thought vs token level", "demo-lightthinker", "lightthinker", "demo-lightthinker-token", "lightthinker-token"},
                              {"LightThinker vs AnLLM", "demo-lightthinker", "lightthinker", "demo-anllm", "anllm"},
                              {"LightThinker vs H2O", "demo-lightthinker", "lightthinker", "demo-vanilla", "h2o"},
                              {"LightThinker vs SepLLM", "demo-lightthinker", "lightthinker", "demo-vanilla", "sepllm"},
                              {"LightThinker++ vs vanilla", "demo-lightthinker-pp", "lightthinker-pp", "demo-vanilla-pp", "vanilla"}};
        // Start from something else, so each preset has to change both panes.
        QVERIFY(window_->setModelDir(0, demo_model(QStringLiteral("demo-anllm"))));
        QVERIFY(window_->setModelDir(1, demo_model(QStringLiteral("demo-anllm"))));
        QCOMPARE(c->currentPreset(), -1);
        QCOMPARE(picker->currentText(), QStringLiteral("Custom"));
        for (int i = 0; i < 6; ++i) {
            const int index = picker->findText(QLatin1String(wants[i].name));
            QVERIFY2(index > 0, wants[i].name);
            QVERIFY(!picker->itemData(index, Qt::ToolTipRole).toString().isEmpty());
            // As the user picks it.
            picker->setCurrentIndex(index);
            emit picker->activated(index);
            QCOMPARE(QFileInfo(c->modelPath(0)).fileName(), QLatin1String(wants[i].left_model));
            QCOMPARE(c->method(0), QLatin1String(wants[i].left_method));
            QCOMPARE(QFileInfo(c->modelPath(1)).fileName(), QLatin1String(wants[i].right_model));
            QCOMPARE(c->method(1), QLatin1String(wants[i].right_method));
            QCOMPARE(c->currentPreset(), i);
            QCOMPARE(picker->currentText(), QLatin1String(wants[i].name));
        }
        // The SmolLM2 pair runs where its base is downloaded; elsewhere the preset is disabled and
        // says why (the base's file and where to get it), not just "missing".
        {
            const int index = picker->findText(QStringLiteral("LightThinker vs vanilla (SmolLM2)"));
            QVERIFY(index > 0);
            auto* items = qobject_cast<QStandardItemModel*>(picker->model());
            const bool base = QFileInfo::exists(QString::fromStdString(
                (gistscope::default_user_model_dir() / "SmolLM2-135M-Instruct.Q4_1.gguf").string()));
            const QString tip = picker->itemData(index, Qt::ToolTipRole).toString();
            QCOMPARE(items->item(index)->isEnabled(), base && !demo_model(QStringLiteral("smollm2-lightthinker")).isEmpty());
            if (!base) QVERIFY2(tip.contains(QStringLiteral("SmolLM2-135M-Instruct.Q4_1.gguf")), qPrintable(tip));
            if (items->item(index)->isEnabled()) {
                QVERIFY(c->applyPreset(6));
                QCOMPARE(QFileInfo(c->modelPath(0)).fileName(), QStringLiteral("smollm2-lightthinker"));
                QCOMPARE(c->method(0), QStringLiteral("lightthinker"));
                QCOMPARE(QFileInfo(c->modelPath(1)).fileName(), QStringLiteral("smollm2-vanilla"));
                QCOMPARE(c->method(1), QStringLiteral("vanilla"));
                QCOMPARE(picker->currentText(), QStringLiteral("LightThinker vs vanilla (SmolLM2)"));
            }
        }
        // A hand change that leaves the preset shows "Custom"; going back names it again.
        QVERIFY(c->applyPreset(0));
        window_->setMethod(1, QStringLiteral("h2o"));
        QCOMPARE(picker->currentText(), QStringLiteral("LightThinker vs H2O"));
        window_->setMethod(1, QStringLiteral("vanilla"));
        QCOMPARE(picker->currentText(), QStringLiteral("LightThinker vs vanilla"));
        QVERIFY(window_->setModelDir(1, demo_model(QStringLiteral("demo-anllm"))));
        QCOMPARE(picker->currentText(), QStringLiteral("Custom"));
        // Every method says what it keeps and what it drops, in one sentence (after the reason
        // where the model cannot run it).
        QComboBox* methods = window_->methodBox(1);
        for (int i = 0; i < methods->count(); ++i) {
            const QString tip = methods->itemData(i, Qt::ToolTipRole).toString();
            const QString sentence = tip.section(QLatin1Char('\n'), -1);
            QVERIFY2(sentence.contains(QStringLiteral("keeps")) && sentence.contains(QStringLiteral("drops")), qPrintable(tip));
            QCOMPARE(sentence.count(QLatin1Char('.')), 1);
        }
        // H2O's and SepLLM's "auto" values follow the budget, by the engine's rule.
        QVERIFY(c->applyPreset(4));
        auto* budget = c->findChild<QSpinBox*>(QStringLiteral("rightBudget"));
        auto* init = c->findChild<QSpinBox*>(QStringLiteral("rightSepllmInit"));
        auto* local = c->findChild<QSpinBox*>(QStringLiteral("rightSepllmLocal"));
        QVERIFY(budget && init && local && init->isVisible());
        budget->setValue(256);
        QCOMPARE(init->value(), -1);
        QCOMPARE(init->text(), QStringLiteral("auto (96)"));
        QCOMPARE(local->text(), QStringLiteral("auto (64)"));
        QCOMPARE(c->paramsFor(1).policy.sepllm_init, -1);  // the engine derives it at run time
        QVERIFY(c->applyPreset(0));
    }

    void cudaDisabledWithoutDriver() {
        ControlPanel* c = window_->controls();
        if (c->cudaUnavailableReason().isEmpty()) QSKIP("this machine has a usable CUDA device");
        auto* box = c->backendBox();
        auto* model = qobject_cast<QStandardItemModel*>(box->model());
        const QStandardItem* cuda = model->item(box->findData(QStringLiteral("cuda")));
        QVERIFY(!cuda->isEnabled());
        QVERIFY2(cuda->toolTip().contains(c->cudaUnavailableReason()), qPrintable(cuda->toolTip()));
        QVERIFY(box->currentData().toString() != QLatin1String("cuda"));
        QVERIFY(window_->statusDevice()->text().contains(QStringLiteral("CUDA")));
    }

    void demoModelsSayWhatTheyKnow() {
        if (demo_model(QStringLiteral("demo-lightthinker")).isEmpty()) QSKIP("the demo models are not in resources/models");
        QVERIFY(window_->setModelDir(0, demo_model(QStringLiteral("demo-lightthinker"))));
        auto* note = window_->controls()->modelNote();
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("trained only on")) && note->text().contains(QStringLiteral("real model")),
                 qPrintable(note->text()));
        // A typed problem drops the example's expected answer.
        window_->setProblem(QStringLiteral("Ann has 3 pens."), QStringLiteral("9"));
        window_->problemEditor()->setPlainText(QStringLiteral("Tom has 12 apples and buys 30 more. How many?"));
        QVERIFY(window_->controls()->expected().isEmpty());
    }

    void saveTraces() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const QString dir = tmp_.filePath(QStringLiteral("saved"));
        QDir().mkpath(dir);
        const QString base = dir + QStringLiteral("/pens");
        QVERIFY(window_->saveTraces(base));
        const QString left = dir + QStringLiteral("/pens-left-lightthinker-token.trace.jsonl");
        const QString right = dir + QStringLiteral("/pens-right-vanilla.trace.jsonl");
        QVERIFY(QFile::exists(left));
        QVERIFY(QFile::exists(right));
        QVERIFY(!window_->saveTraces(QStringLiteral("/nonexistent-folder/x")));
        takeErrorDialog();
    }

    // Answers the next overwrite question with `replace`.
    void answerOverwrite(bool replace) {
        QTimer::singleShot(0, this, [this, replace] {
            auto* box = window_->findChild<QMessageBox*>(QStringLiteral("overwriteDialog"));
            QVERIFY(box);
            for (QAbstractButton* b : box->buttons())
                if ((box->buttonRole(b) == QMessageBox::AcceptRole) == replace) {
                    b->click();
                    return;
                }
        });
    }

    void savingOverExistingTracesAsks() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        const QString base = tmp_.filePath(QStringLiteral("overwrite"));
        QVERIFY(window_->saveTraces(base));
        const QString left = base + QStringLiteral("-left-lightthinker-token.trace.jsonl");
        QFile f(left);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("mine\n");
        f.close();
        answerOverwrite(false);
        QVERIFY(!window_->saveTraces(base));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("mine\n"));  // kept
        f.close();
        answerOverwrite(true);
        QVERIFY(window_->saveTraces(base));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().startsWith("{"));  // the trace again
        QVERIFY(!QFile::exists(left + QStringLiteral(".part")));
    }

    void mismatchedPairWarnsAndTitleNamesTraces() {
        // The vanilla trace with another question: a pair from two problems.
        const QString other = tmp_.filePath(QStringLiteral("other-problem.trace.jsonl"));
        QFile src(vanilla_trace);
        QVERIFY(src.open(QIODevice::ReadOnly));
        QJsonObject header = QJsonDocument::fromJson(src.readLine()).object();
        header[QStringLiteral("question")] = QStringLiteral("A different problem entirely?");
        QFile out(other);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(header).toJson(QJsonDocument::Compact) + "\n");
        out.write(src.readAll());
        out.close();
        QVERIFY(window_->openTraces({lt_trace, other}));
        QMessageBox* box = nullptr;
        for (int i = 0; i < 50 && !(box = window_->findChild<QMessageBox*>(QStringLiteral("warningDialog"))); ++i) QTest::qWait(20);
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("different problems")), qPrintable(box->text()));
        box->close();
        QVERIFY2(window_->windowTitle().contains(QStringLiteral("other-problem.trace.jsonl")), qPrintable(window_->windowTitle()));
        // The matching pair opens without a warning.
        QTest::qWait(50);
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        QTest::qWait(50);
        QVERIFY(window_->findChild<QMessageBox*>(QStringLiteral("warningDialog")) == nullptr);
        QVERIFY(window_->windowTitle().contains(QStringLiteral("vanilla.trace.jsonl")));
    }

    void unwritableExportFolderIsNeverReopened() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        FileActions* files = window_->files();
        // A folder remembered by an older version, or typed in the dialog: never offered again.
        settings_->setLastDir(QStringLiteral("export"), QStringLiteral("/proc"));
        QVERIFY(!FileActions::usableDir(QStringLiteral("/proc")));
        QVERIFY(!FileActions::usableDir(QStringLiteral("/proc/self")));
        QVERIFY(files->startDir(QStringLiteral("export")) != QLatin1String("/proc"));
        files->exportWithDialog(ViewId::occupancy);
        QFileDialog* dialog = nullptr;
        for (int i = 0; i < 50 && !(dialog = window_->findChild<QFileDialog*>(QStringLiteral("exportDialog"))); ++i) QTest::qWait(20);
        QVERIFY(dialog);
        QVERIFY2(!dialog->directory().absolutePath().startsWith(QStringLiteral("/proc")), qPrintable(dialog->directory().absolutePath()));
        // The user picks /proc/x.png: the export fails with a dialog and /proc is not remembered.
        emit dialog->fileSelected(QStringLiteral("/proc/x.png"));
        dialog->close();
        QVERIFY(!takeErrorDialog().isEmpty());
        QTest::qWait(50);
        QVERIFY(window_->findChild<QMessageBox*>(QStringLiteral("errorDialog")) == nullptr);  // one dialog only
        QVERIFY(!QFile::exists(QStringLiteral("/proc/x.png")));
        QVERIFY(!settings_->lastDir(QStringLiteral("export")).startsWith(QStringLiteral("/proc")));
        // The next export dialog opens in a usable folder, and answers.
        QTest::qWait(50);
        files->exportWithDialog(ViewId::occupancy);
        dialog = nullptr;
        for (int i = 0; i < 50 && !(dialog = window_->findChild<QFileDialog*>(QStringLiteral("exportDialog"))); ++i) QTest::qWait(20);
        QVERIFY(dialog);
        QVERIFY(FileActions::usableDir(dialog->directory().absolutePath()));
        // A successful export remembers its folder.
        const QString good = tmp_.filePath(QStringLiteral("kv-good.png"));
        emit dialog->fileSelected(good);
        dialog->close();
        QVERIFY(QFile::exists(good));
        QCOMPARE(settings_->lastDir(QStringLiteral("export")), QFileInfo(good).absolutePath());
    }

    void chipClickTogglesEvictedText() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        auto* stream = window_->pane(0)->stream();
        QVERIFY(stream->showEvicted());  // the default
        const auto& run = window_->run(0);
        QVERIFY(!run.compressions().empty());
        const auto& c = run.compressions().front();
        stream->selectPosition(c.thought_positions.front());  // scrolls the thought into view
        QVERIFY(!stream->isThoughtHidden(c.block));
        const QRect chip = stream->chipRect(c.block);
        QVERIFY(!chip.isEmpty());
        QTest::mouseClick(stream->viewport(), Qt::LeftButton, {}, chip.center());
        QVERIFY(stream->isThoughtHidden(c.block));  // the click hides the greyed text
        QTest::mouseClick(stream->viewport(), Qt::LeftButton, {}, stream->chipRect(c.block).center());
        QVERIFY(!stream->isThoughtHidden(c.block));
        // With "Show evicted text" off, a click shows one thought.
        stream->setShowEvicted(false);
        stream->refresh();
        QVERIFY(stream->isThoughtHidden(c.block));
        stream->selectPosition(c.gist_positions.front());
        QVERIFY(!stream->isThoughtHidden(c.block));
        stream->setShowEvicted(true);
    }

    void playbackCanBeStoppedAfterTheEnd() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        QVERIFY(!window_->stopButton()->isEnabled());  // nothing runs or plays
        window_->playback()->speedSlider()->setValue(3);  // 10 steps/s: long after a run ended
        window_->setStep(0);
        window_->setPlaying(true);
        QVERIFY(window_->playback()->playButton()->toolTip().contains(QStringLiteral("Pause")));
        QTRY_VERIFY(window_->stopButton()->isEnabled());
        QTest::qWait(200);
        QVERIFY(window_->step() > 0 && window_->step() < window_->lastStep());
        QTest::mouseClick(window_->stopButton(), Qt::LeftButton);
        QVERIFY(!window_->isPlaying());
        const int at = window_->step();
        QTest::qWait(200);
        QCOMPARE(window_->step(), at);
        QVERIFY(!window_->stopButton()->isEnabled());
        QVERIFY(window_->playback()->playButton()->toolTip().contains(QStringLiteral("Play")));
        window_->playback()->speedSlider()->setValue(8);
    }

    void teachingBannerGoesWithTeachingMode() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        auto* teaching = window_->playback()->teachingBox();
        teaching->setChecked(true);
        window_->setStep(0);
        window_->setPlaying(true);
        QTRY_VERIFY_WITH_TIMEOUT(window_->teachingBanner()->isVisible(), 10000);
        teaching->setChecked(false);
        QVERIFY(!window_->teachingBanner()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(window_->step() == window_->lastStep(), 10000);  // playback resumed
    }

    void dropRecentAndShortcuts() {
        FileActions* files = window_->files();
        // Dropped traces open for replay and go into the recent list.
        QVERIFY(files->acceptsDrop({lt_trace, vanilla_trace}));
        QVERIFY(files->openDropped({vanilla_trace, lt_trace}));
        QCOMPARE(QString::fromStdString(window_->run(0).header().method), QStringLiteral("lightthinker-token"));
        QVERIFY(settings_->recentTraces().contains(QFileInfo(lt_trace).absoluteFilePath()));
        // A dropped folder that is not a model: one plain dialog, nothing changes.
        const QString photos = tmp_.filePath(QStringLiteral("dropped-photos"));
        QDir().mkpath(photos);
        const QString before = window_->modelBox(0)->currentData().toString();
        QVERIFY(!files->openDropped({photos}));
        QVERIFY(takeErrorDialog().contains(QStringLiteral("config.json")));
        QCOMPARE(window_->modelBox(0)->currentData().toString(), before);
        QVERIFY(!files->acceptsDrop({tmp_.filePath(QStringLiteral("settings.ini"))}));
        // A dropped model folder becomes the left model.
        if (!demo_model(QStringLiteral("demo-anllm")).isEmpty()) {
            QVERIFY(files->openDropped({demo_model(QStringLiteral("demo-anllm"))}));
            QCOMPARE(QFileInfo(window_->modelBox(0)->currentData().toString()).fileName(), QStringLiteral("demo-anllm"));
            window_->setModelDir(0, demo_model(QStringLiteral("demo-lightthinker")));
        }
        // Help ▸ Keyboard shortcuts lists the menus' shortcuts.
        QAction* help = nullptr;
        for (QAction* a : window_->findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(QKeySequence::HelpContents)) help = a;
        QVERIFY(help);
        help->trigger();
        auto* dialog = window_->findChild<QDialog*>(QStringLiteral("shortcutsDialog"));
        QVERIFY(dialog);
        auto* table = dialog->findChild<QTableWidget*>();
        QStringList keys;
        for (int r = 0; r < table->rowCount(); ++r) keys << table->item(r, 1)->text();
        QVERIFY2(keys.contains(QKeySequence(Qt::CTRL | Qt::Key_R).toString(QKeySequence::NativeText)), qPrintable(keys.join(QLatin1Char(' '))));
        QVERIFY(keys.contains(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
        dialog->close();
    }

    void findAndCopyInStreams() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        StreamTools* tools = window_->streamTools();
        const QString text = tools->generatedText(1);
        QVERIFY(text.size() > 20);
        const QString needle = text.mid(text.size() / 2, 6);
        QVERIFY(tools->findNext(needle));
        QVERIFY(window_->pane(0)->stream()->selectedPosition() >= 0 || window_->pane(1)->stream()->selectedPosition() >= 0);
        QVERIFY(!tools->findNext(QStringLiteral("zzqqxx-not-there")));
        QVERIFY(tools->copyText(1));
        QCOMPARE(QApplication::clipboard()->text(), text);
    }

    void teachingModePausesAtCompression() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        auto* teaching = window_->findChild<QCheckBox*>(QStringLiteral("teachingMode"));
        QVERIFY(teaching);
        teaching->setChecked(true);
        window_->setStep(0);
        window_->setPlaying(true);
        const int first = window_->run(0).compressions().front().step;
        QTRY_VERIFY_WITH_TIMEOUT(window_->teachingBanner()->isVisible(), 10000);
        QCOMPARE(window_->step(), first);
        auto* label = window_->teachingBanner()->findChild<QLabel*>();
        QVERIFY(label && label->text().contains(QStringLiteral("gist")));
        auto* cont = window_->teachingBanner()->findChild<QPushButton*>();
        QTest::mouseClick(cont, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window_->step() > first, 5000);
        teaching->setChecked(false);
        window_->setPlaying(false);
    }

    // A LightThinker++ run (the engine driven by a script of actions, recorded as a trace): teaching
    // mode stops at each action and explains it, the footer counts the actions, the Memory tab
    // draws each step's states and exports them.
    void lightThinkerPlusPlusRun() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pp.trace.jsonl"));
        {
            const gistscope::Trace trace = memtest::scripted_memory_trace();
            gistscope::TraceWriter w(path.toStdString(), trace.header);
            for (const auto& e : trace.events) w.write(e);
            w.finish();
        }
        QVERIFY(window_->openTraces({path}));
        const auto& run = window_->run(0);
        QVERIFY(run.is_memory_run());
        QCOMPARE(int(run.memory_events().size()), 7);
        const QString footer = window_->pane(0)->footerText();
        QVERIFY2(footer.contains(QStringLiteral("3 commit")) && footer.contains(QStringLiteral("1 expand")) &&
                     !footer.contains(QStringLiteral("compression")),
                 qPrintable(footer));

        auto* teaching = window_->findChild<QCheckBox*>(QStringLiteral("teachingMode"));
        teaching->setChecked(true);
        window_->setStep(0);
        window_->setPlaying(true);
        auto* label = window_->teachingBanner()->findChild<QLabel*>();
        auto* cont = window_->teachingBanner()->findChild<QPushButton*>();
        QStringList seen;
        for (int i = 0; i < 7; ++i) {
            QTRY_VERIFY_WITH_TIMEOUT(window_->teachingBanner()->isVisible(), 10000);
            QCOMPARE(window_->step(), run.memory_events()[size_t(i)].step);
            seen << label->text();
            QTest::mouseClick(cont, Qt::LeftButton);
        }
        QVERIFY2(seen[0].contains(QStringLiteral("committed step 1")) && seen[0].contains(QStringLiteral("20 apples after day 1.")),
                 qPrintable(seen[0]));
        QVERIFY2(seen[2].contains(QStringLiteral("expanded step 1")), qPrintable(seen[2]));
        QVERIFY2(seen[3].contains(QStringLiteral("folded step 1")), qPrintable(seen[3]));
        QVERIFY2(seen[4].contains(QStringLiteral("refused")), qPrintable(seen[4]));
        QVERIFY2(seen[6].contains(QStringLiteral("final answer")) && seen[6].contains(QStringLiteral("23")), qPrintable(seen[6]));
        teaching->setChecked(false);
        window_->setPlaying(false);
        window_->setStep(run.last_step());

        window_->showView(ViewId::memory);
        auto* timeline = window_->findChild<gistscope::ui::MemoryTimeline*>(QStringLiteral("memoryTimeline"));
        QVERIFY(timeline);
        QTRY_VERIFY(timeline->spans().size() >= 8);  // 3 steps written and archived, step 1 expanded and archived again, the answer
        const QString csv_path = dir.filePath(QStringLiteral("memory.csv"));
        QVERIFY(window_->exportView(ViewId::memory, csv_path));
        QFile csv(csv_path);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(csv.readAll()).contains(QStringLiteral(",expanded,")));
        QVERIFY(window_->exportView(ViewId::memory, dir.filePath(QStringLiteral("memory.png"))));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("memory.png"))).isNull());
        window_->showView(ViewId::occupancy);
    }

    void switchToChinese() {
        QVERIFY(window_->openTraces({lt_trace, vanilla_trace}));
        AppShell shell(settings_);
        // The shell rebuilds only windows it created: create one, switch it, check the strings.
        MainWindow* mine = shell.createWindow();
        QVERIFY(mine->openTraces({lt_trace, vanilla_trace}));
        mine->setStep(30);
        MainWindow* zh = shell.switchLanguage(QStringLiteral("zh_CN"));
        QVERIFY(zh != mine);
        QCOMPARE(zh->runButton()->text(), QStringLiteral("运行"));
        QCOMPARE(zh->stopButton()->text(), QStringLiteral("停止"));
        QCOMPARE(QString::fromStdString(zh->run(0).header().method), QStringLiteral("lightthinker-token"));
        QCOMPARE(zh->step(), 30);
        QVERIFY(!zh->problemEditor()->toPlainText().isEmpty());
        MainWindow* en = shell.switchLanguage(QStringLiteral("en"));
        QCOMPARE(en->runButton()->text(), QStringLiteral("Run"));
        QCOMPARE(en->step(), 30);
    }

    void chineseTranslationComplete() {
        QFile ts(QStringLiteral(GISTSCOPE_GUI_TEST_DATA) + QStringLiteral("/../../../translations/gistscope_zh_CN.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        int messages = 0;
        QString source;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement) continue;
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() != QLatin1String("translation")) continue;
            ++messages;
            QVERIFY2(xml.attributes().value(QLatin1String("type")).isEmpty(), qPrintable(QStringLiteral("unfinished: ") + source));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 200);
    }

    void runDemoEndToEnd() {
        const QString lt = demo_model(QStringLiteral("demo-lightthinker"));
        const QString van = demo_model(QStringLiteral("demo-vanilla"));
        if (lt.isEmpty() || van.isEmpty()) QSKIP("the demo models are not in resources/models yet");
        window_->setModelDir(0, lt);  // preselects the model's own method (gistscope.json)
        window_->setModelDir(1, van);
        window_->setMethod(1, QStringLiteral("vanilla"));
        window_->maxTokensBox()->setValue(600);
        const QString left_method = window_->methodBox(0)->currentData().toString();
        auto* examples = window_->findChild<QComboBox*>(QStringLiteral("examples"));
        QVERIFY(examples->count() > 1);
        window_->setProblem(examples->itemData(1).toString(), examples->itemData(1, Qt::UserRole + 1).toString());
        QSignalSpy done(window_, &MainWindow::runFinished);
        QTest::mouseClick(window_->runButton(), Qt::LeftButton);
        QVERIFY(window_->isRunning());
        QVERIFY(done.wait(300000));
        if (auto* box = window_->findChild<QMessageBox*>(QStringLiteral("errorDialog"))) QFAIL(qPrintable(box->text()));
        const auto& left = window_->run(0);
        QVERIFY(left.end());
        QVERIFY(left.compressions().size() > 0);
        QVERIFY(window_->run(1).end());
        QVERIFY(window_->run(1).compressions().empty());
        QVERIFY(window_->statusDevice()->text().contains(QStringLiteral("CPU"), Qt::CaseInsensitive) ||
                window_->statusDevice()->text().contains(QStringLiteral("CUDA"), Qt::CaseInsensitive));
        QTRY_COMPARE_WITH_TIMEOUT(window_->step(), window_->lastStep(), 20000);
        const QString dir = tmp_.filePath(QStringLiteral("run-traces"));
        QDir().mkpath(dir);
        QVERIFY(window_->saveTraces(dir + QStringLiteral("/demo")));
        QVERIFY(window_->openTraces({dir + QStringLiteral("/demo-left-%1.trace.jsonl").arg(left_method),
                                     dir + QStringLiteral("/demo-right-vanilla.trace.jsonl")}));
        QCOMPARE(window_->run(0).compressions().size(), left.compressions().size());
    }

    void stopMidway() {
        const QString lt = demo_model(QStringLiteral("demo-lightthinker"));
        const QString van = demo_model(QStringLiteral("demo-vanilla"));
        if (lt.isEmpty() || van.isEmpty()) QSKIP("the demo models are not in resources/models yet");
        window_->setModelDir(0, lt);
        window_->setModelDir(1, van);
        window_->maxTokensBox()->setValue(100000);
        QSignalSpy done(window_, &MainWindow::runFinished);
        window_->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(window_->run(0).last_step() > 20, 60000);
        QTest::mouseClick(window_->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);  // (it may have ended by itself already)
        QVERIFY(!window_->isRunning());
        const auto* end = window_->run(0).end();
        QVERIFY(end);
        QVERIFY(window_->run(0).last_step() > 20);
        // A fast model may reach its end token before the stop lands; either way nothing is lost.
        qInfo("left pane stopped by %s at step %d", end->metrics.stop_reason.c_str(), window_->run(0).last_step());
        QVERIFY(end->metrics.stop_reason == "cancelled" || end->metrics.stop_reason == "eos");
        QVERIFY(window_->findChild<QMessageBox*>(QStringLiteral("errorDialog")) == nullptr);
        if (end->metrics.stop_reason == "cancelled" && !window_->run(0).metrics_at(window_->run(0).last_step()).answer) {
            window_->setStep(window_->lastStep());
            QCOMPARE(window_->pane(0)->verdict(), gistscope::ui::Verdict::stopped);
            QVERIFY2(window_->pane(0)->footerText().contains(QStringLiteral("stopped by you")), qPrintable(window_->pane(0)->footerText()));
            QVERIFY(!window_->pane(0)->footerText().contains(QStringLiteral("wrong")));
        }
    }

    void commandLineWithoutDisplay() {
        // --help and --version answer without any display; a wrong option is named, exit 2.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QLatin1String(v));
        auto run = [&](const QStringList& args, QByteArray* out, QByteArray* err) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(GISTSCOPE_WINDOW_BIN), args);
            if (!p.waitForFinished(20000)) return -1;
            *out = p.readAllStandardOutput();
            *err = p.readAllStandardError();
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        };
        QByteArray out, err;
        QCOMPARE(run({QStringLiteral("--help")}, &out, &err), 0);
        for (const char* opt : {"--replay", "--screenshot", "--view", "--step", "--language", "--size", "--theme", "--run", "--teaching",
                                "--preset", "--problem"})
            QVERIFY2(out.contains(opt), opt);
        QVERIFY(out.startsWith("Usage: gistscope"));
        QCOMPARE(run({QStringLiteral("--version")}, &out, &err), 0);
        QVERIFY(out.startsWith("gistscope "));
        QCOMPARE(run({QStringLiteral("--view"), QStringLiteral("bogus")}, &out, &err), 2);
        QVERIFY2(err.contains("--view bogus") && err.contains("kv, mask, attention, metrics or memory"), err.constData());
        QCOMPARE(run({QStringLiteral("--size"), QStringLiteral("big")}, &out, &err), 2);
        QVERIFY2(err.contains("--size big"), err.constData());
        QCOMPARE(run({QStringLiteral("--no-such-option")}, &out, &err), 2);
        QVERIFY2(err.contains("no-such-option"), err.constData());
        // Without a display the window itself cannot open: said plainly, no abort.
        QCOMPARE(run({}, &out, &err), 2);
        QVERIFY2(err.contains("no display"), err.constData());
        // A comparison is named as the Compare list names it; a wrong name gets the list.
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QCOMPARE(run({QStringLiteral("--preset"), QStringLiteral("LightThinker vs nothing")}, &out, &err), 2);
        QVERIFY2(err.contains("--preset LightThinker vs nothing: expected one of: LightThinker vs vanilla, ") &&
                     err.contains("LightThinker vs vanilla (SmolLM2)"),
                 err.constData());
    }

    void stoppedRunVerdict() {
        const QString lt = demo_model(QStringLiteral("demo-lightthinker"));
        if (lt.isEmpty()) QSKIP("the demo models are not in resources/models");
        window_->setModelDir(0, lt);
        window_->setModelDir(1, QString());
        window_->maxTokensBox()->setValue(100000);
        QSignalSpy done(window_, &MainWindow::runFinished);
        // The demo model answers in a fraction of a second on a quiet machine, so the stop can
        // arrive after the answer (or after the run has ended by itself): then that run proves
        // nothing and is repeated. A stop after the \boxed{} answer is still judged on the answer.
        for (int attempt = 0;; ++attempt) {
            done.clear();
            window_->startRun();
            QVERIFY(window_->isRunning());
            // Mid-run: a few steps shown and the progress bar counting toward max tokens (unless
            // the run has already ended by itself, in which case it is repeated).
            QTRY_VERIFY_WITH_TIMEOUT((window_->run(0).last_step() > 3 && window_->tokenProgress()->value() > 0) ||
                                         done.count() > 0,
                                     60000);
            if (done.count() == 0) {
                QCOMPARE(window_->tokenProgress()->maximum(), 100000);
                window_->stopRun();  // long before the answer
                QTRY_VERIFY_WITH_TIMEOUT(done.count() > 0, 60000);
                window_->setStep(window_->lastStep());
                if (window_->pane(0)->verdict() == gistscope::ui::Verdict::stopped) break;
            }
            QVERIFY2(attempt < 20, "every run ended (or answered) before the stop reached it");
        }
        QCOMPARE(QString::fromStdString(window_->run(0).end()->metrics.stop_reason), QStringLiteral("cancelled"));
        QCOMPARE(window_->pane(0)->verdict(), gistscope::ui::Verdict::stopped);
        const QString footer = window_->pane(0)->footerText();
        QVERIFY2(footer.contains(QStringLiteral("stopped by you")) && !footer.contains(QStringLiteral("wrong")), qPrintable(footer));
        // The Metrics tab marks it and says why it stopped in words.
        window_->showView(ViewId::metrics);
        window_->refreshViews(true);
        auto* table = window_->metricsTable()->table();
        QVERIFY2(table->horizontalHeaderItem(0)->text().contains(QStringLiteral("incomplete")), qPrintable(table->horizontalHeaderItem(0)->text()));
        int stop_row = -1;
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->verticalHeaderItem(r)->text() == QStringLiteral("Stopped by")) stop_row = r;
        QVERIFY(stop_row >= 0);
        QCOMPARE(table->item(stop_row, 0)->text(), QStringLiteral("stopped by you"));
        QVERIFY(window_->metricsTable()->csv().contains(QStringLiteral("demo-lightthinker")));
        window_->setModelDir(1, demo_model(QStringLiteral("demo-vanilla")));
    }

    void maxTokensVerdict() {
        const QString lt = demo_model(QStringLiteral("demo-lightthinker"));
        if (lt.isEmpty()) QSKIP("the demo models are not in resources/models");
        window_->setModelDir(0, lt);
        window_->setModelDir(1, QString());
        window_->maxTokensBox()->setValue(12);
        QSignalSpy done(window_, &MainWindow::runFinished);
        window_->startRun();
        QVERIFY(done.wait(60000));
        window_->setStep(window_->lastStep());
        QCOMPARE(QString::fromStdString(window_->run(0).end()->metrics.stop_reason), QStringLiteral("max_tokens"));
        QCOMPARE(window_->pane(0)->verdict(), gistscope::ui::Verdict::token_limit);
        const QString footer = window_->pane(0)->footerText();
        QVERIFY2(footer.contains(QStringLiteral("token limit (12)")) && !footer.contains(QStringLiteral("wrong")), qPrintable(footer));
        window_->setModelDir(1, demo_model(QStringLiteral("demo-vanilla")));
        window_->maxTokensBox()->setValue(1024);
    }
};

QTEST_MAIN(TestWindow)
#include "tst_window.moc"
