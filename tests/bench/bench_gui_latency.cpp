// bench_gui_latency: how responsive the window stays while the engine streams. Runs real problems
// back to back in both panes (engine threads, batched events, 30 Hz frame timer, all as in the
// app) and measures on the GUI thread:
//   - event-loop latency: a 5 ms QTimer; latency = gap between two timeouts minus 5 ms; worst and p99;
//   - plot frame rate: replots of the KV plot (and the visible heatmap) per second of streaming.
// Usage: bench_gui_latency [--left DIR] [--right DIR] [--runs N] [--max-tokens N] [--view kv|mask|attention]
//        [--attention off|avg] (defaults: the demo models, 5 runs, 2000 tokens, kv, avg).
// Prints the figures and how they were measured. Not a test: no pass/fail, but the target is
// worst latency <= 50 ms.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "main_window.h"
#include "settings.h"
#include "widgets/attention_heatmap.h"
#include "widgets/mask_heatmap.h"
#include "widgets/occupancy_plot.h"

using namespace gistscope::gui;

namespace {
// With --slow-events: names every event delivery on the GUI thread that takes over 20 ms.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool report = false;
    bool notify(QObject* receiver, QEvent* event) override {
        if (!report) return QApplication::notify(receiver, event);
        QElapsedTimer t;
        t.start();
        const int type = int(event->type());
        const bool ok = QApplication::notify(receiver, event);
        const double ms = t.nsecsElapsed() / 1e6;
        if (ms > 20)
            std::fprintf(stderr, "slow event: %.1f ms, type %d, receiver %s %s\n", ms, type,
                         receiver->metaObject()->className(), qPrintable(receiver->objectName()));
        return ok;
    }
};
}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QString res = MainWindow::resourcesDir();
    p.addOptions({{QStringLiteral("left"), QStringLiteral("left model"), QStringLiteral("DIR"), res + QStringLiteral("/models/demo-lightthinker")},
                  {QStringLiteral("right"), QStringLiteral("right model"), QStringLiteral("DIR"), res + QStringLiteral("/models/demo-vanilla")},
                  {QStringLiteral("left-method"), QStringLiteral("left method"), QStringLiteral("M"), QString()},
                  {QStringLiteral("runs"), QStringLiteral("problems run back to back"), QStringLiteral("N"), QStringLiteral("5")},
                  {QStringLiteral("max-tokens"), QStringLiteral("max tokens per run"), QStringLiteral("N"), QStringLiteral("2000")},
                  {QStringLiteral("view"), QStringLiteral("plot tab shown"), QStringLiteral("V"), QStringLiteral("kv")},
                  {QStringLiteral("attention"), QStringLiteral("attention probe"), QStringLiteral("A"), QStringLiteral("avg")},
                  {QStringLiteral("slow-events"), QStringLiteral("name GUI-thread events over 20 ms")}});
    p.process(app);
    app.report = p.isSet(QStringLiteral("slow-events"));
    for (const QString& side : {QStringLiteral("left"), QStringLiteral("right")})
        if (!QFileInfo::exists(p.value(side) + QStringLiteral("/config.json"))) {
            std::fprintf(stderr, "bench_gui_latency: %s is not a model folder (give --%s DIR)\n", qPrintable(p.value(side)), qPrintable(side));
            return 2;
        }

    QFile ini(QStringLiteral("/tmp/bench_gui_latency.ini"));
    ini.remove();
    Settings settings(ini.fileName(), nullptr);
    MainWindow w(&settings);
    w.resize(1600, 1000);
    w.show();
    w.setModelDir(0, p.value(QStringLiteral("left")));
    if (!p.value(QStringLiteral("left-method")).isEmpty()) w.setMethod(0, p.value(QStringLiteral("left-method")));
    w.setModelDir(1, p.value(QStringLiteral("right")));
    w.setMethod(1, QStringLiteral("vanilla"));
    w.maxTokensBox()->setValue(p.value(QStringLiteral("max-tokens")).toInt());
    auto* probe = w.findChild<QComboBox*>(QStringLiteral("attentionProbe"));
    probe->setCurrentIndex(std::max(0, probe->findData(p.value(QStringLiteral("attention")))));
    const QString v = p.value(QStringLiteral("view"));
    w.showView(v == QLatin1String("mask") ? ViewId::mask : v == QLatin1String("attention") ? ViewId::attention : ViewId::occupancy);
    auto* examples = w.findChild<QComboBox*>(QStringLiteral("examples"));

    // Latency probe.
    std::vector<double> lat;
    std::vector<std::pair<double, double>> worst_at;  // (latency, ms since the run started)
    QElapsedTimer tick, run_clock;
    bool measuring = false;
    QTimer probe_timer;
    probe_timer.setTimerType(Qt::PreciseTimer);
    probe_timer.setInterval(5);
    QObject::connect(&probe_timer, &QTimer::timeout, [&] {
        if (measuring) {
            lat.push_back(std::max(0.0, tick.nsecsElapsed() / 1e6 - 5.0));
            worst_at.push_back({lat.back(), run_clock.nsecsElapsed() / 1e6});
        }
        tick.restart();
    });
    int kv_frames = 0, heat_frames = 0;
    QObject::connect(w.occupancyPlot(), &gistscope::ui::PlotView::replotted, [&] { if (measuring) ++kv_frames; });
    QObject::connect(w.maskHeatmap(), &gistscope::ui::PlotView::replotted, [&] { if (measuring) ++heat_frames; });
    QObject::connect(w.attentionHeatmap(), &gistscope::ui::PlotView::replotted,
                     [&] { if (measuring) ++heat_frames; });

    const int runs = p.value(QStringLiteral("runs")).toInt();
    double stream_seconds = 0;
    long tokens = 0, events_steps = 0;
    for (int r = 0; r < runs; ++r) {
        const int ex = 1 + r % std::max(1, examples->count() - 1);
        w.setProblem(examples->itemData(ex).toString(), examples->itemData(ex, Qt::UserRole + 1).toString());
        QSignalSpy done(&w, &MainWindow::runFinished);
        QElapsedTimer t;
        t.start();
        tick.restart();
        probe_timer.start();
        measuring = true;
        run_clock.start();
        w.startRun();
        if (!done.wait(600000)) {
            std::fprintf(stderr, "run %d did not finish in 10 minutes\n", r);
            return 1;
        }
        measuring = false;
        probe_timer.stop();
        stream_seconds += t.nsecsElapsed() / 1e9;
        for (int pane = 0; pane < 2; ++pane)
            if (const auto* end = w.run(pane).end()) tokens += end->metrics.generated_tokens;
        events_steps += w.lastStep();
    }
    std::sort(lat.begin(), lat.end());
    std::sort(worst_at.rbegin(), worst_at.rend());
    const double worst = lat.empty() ? 0 : lat.back();
    const double p99 = lat.empty() ? 0 : lat[size_t(double(lat.size() - 1) * 0.99)];
    const double median = lat.empty() ? 0 : lat[lat.size() / 2];
    std::printf("GUI event-loop latency while streaming (5 ms probe timer on the GUI thread, %zu samples, "
                "%d runs, both panes, attention probe %s, view %s, platform %s):\n",
                lat.size(), runs, qPrintable(p.value(QStringLiteral("attention"))), qPrintable(v),
                qPrintable(QGuiApplication::platformName()));
    std::printf("  worst %.1f ms   p99 %.1f ms   median %.2f ms   (target: worst <= 50 ms)\n", worst, p99, median);
    std::printf("  the 3 worst: ");
    for (size_t i = 0; i < std::min<size_t>(3, worst_at.size()); ++i)
        std::printf("%.1f ms at %.0f ms into a run%s", worst_at[i].first, worst_at[i].second, i < 2 ? ", " : "\n");
    std::printf("Plot updates: KV plot %.1f frames/s, heatmap %.1f frames/s over %.1f s of streaming\n",
                kv_frames / stream_seconds, heat_frames / stream_seconds, stream_seconds);
    std::printf("Engine: %ld generated tokens in both panes (%.0f tokens/s together), %ld steps\n", tokens,
                tokens / stream_seconds, events_steps);
    return 0;
}
