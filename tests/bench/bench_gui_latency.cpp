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
#include <qcustomplot.h>
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

// The mask heatmap on a long LightThinker-shaped run (events synthesised in the engine's order:
// 40-token thoughts, each folded into 4 gists + [o]): time of a live rebuild (downsampled to the
// panel) and of a full-resolution rebuild (as for export), per refresh.
static int heatmap_bench(int steps) {
    using namespace gistscope;
    TraceHeader h;
    h.method = "lightthinker";
    h.model = "synthetic";
    ui::RunModel run(h);
    int pos = 0, cache = 0, thought = 0;
    std::vector<int32_t> current;
    for (int i = 0; i < 100; ++i) {
        TokenEvent t;
        t.step = 0, t.role = SlotRole::prompt, t.position = pos++, t.cache_tokens = 100;
        run.apply(t);
    }
    cache = 100;
    for (int s = 1; s <= steps; ++s) {
        TokenEvent t;
        t.step = s, t.position = pos++, t.thought = thought, t.cache_tokens = ++cache, t.text = " x";
        const bool split = current.size() == 39;
        t.role = split ? SlotRole::splitter : SlotRole::thought;
        run.apply(t);
        current.push_back(t.position);
        if (!split) continue;
        CompressionEvent c;
        c.step = s, c.thought = thought, c.thought_positions = current, c.cache_before = cache + 5;
        for (int g = 0; g < 5; ++g) {
            TokenEvent gt;
            gt.step = s, gt.position = pos++, gt.thought = thought, gt.forced = true, gt.cache_tokens = cache + 5;
            gt.role = g < 4 ? SlotRole::gist : SlotRole::continue_;
            run.apply(gt);
            c.gist_positions.push_back(gt.position);
        }
        cache = cache + 5 - int(current.size());
        c.cache_after = cache;
        run.apply(c);
        EvictionEvent e;
        e.step = s, e.positions = current, e.cache_after = cache;
        run.apply(e);
        current.clear();
        ++thought;
    }
    gistscope::ui::MaskHeatmap mask;
    mask.resize(1400, 400);
    mask.show();
    QCoreApplication::processEvents();
    mask.setRuns(&run, &run);
    QElapsedTimer t;
    double live_ms = 0;
    const int reps = 5;
    for (int i = 0; i < reps; ++i) {
        mask.invalidate();
        t.start();
        mask.refresh();
        mask.plot()->replot(QCustomPlot::rpImmediateRefresh);
        live_ms += t.nsecsElapsed() / 1e6;
    }
    const QSize live = mask.cellGrid(0);
    t.start();
    QString error;
    const QString out = QStringLiteral("/tmp/bench_mask_full.png");
    const bool ok = mask.exportTo(out, &error, QSize(1600, 900));
    const double export_ms = t.nsecsElapsed() / 1e6;
    std::printf("Mask heatmap, %d steps x %d positions, both panels (1400x400 widget, %s):\n", steps, run.max_position() + 1,
                qPrintable(QGuiApplication::platformName()));
    std::printf("  live rebuild + replot: %.1f ms (cells %dx%d per panel, mean of %d)\n", live_ms / reps, live.width(),
                live.height(), reps);
    std::printf("  full-resolution PNG export (cells up to 4096 per side): %.0f ms%s\n", export_ms,
                ok ? "" : qPrintable(QStringLiteral(" FAILED: ") + error));
    return 0;
}

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
                  {QStringLiteral("slow-events"), QStringLiteral("name GUI-thread events over 20 ms")},
                  {QStringLiteral("heatmap-steps"), QStringLiteral("instead: time the mask heatmap on an N-step run"), QStringLiteral("N")}});
    p.process(app);
    app.report = p.isSet(QStringLiteral("slow-events"));
    if (p.isSet(QStringLiteral("heatmap-steps"))) return heatmap_bench(p.value(QStringLiteral("heatmap-steps")).toInt());
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
