// gistscope-cli plot: one view of one or two traces written headless, by the window's own export.
//   gistscope-cli plot --trace A [--trace B] --out FILE.{png,pdf,svg,csv} [--view occupancy|mask|attention|metrics]
// The first trace is the left pane, the second the right. Without a display the offscreen Qt
// platform is used. Built without the widgets, only the occupancy CSV is available.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "demo_plots.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/trace.h"
#ifdef GISTSCOPE_CLI_WITH_WIDGETS
#include <QApplication>
#include <QString>
#include <cstdlib>

#include "widgets/export.h"
#endif

namespace gistscope::cli {

int cmd_plot(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"plot", "--trace A [--trace B] --out FILE.{png,pdf,svg,csv} [--view V]",
                          "One view of one or two traces written headless (the first trace is the left pane).",
                          {{"trace", "FILE", "a trace; give it twice to compare two runs"},
                           {"out", "FILE", "output file: .png, .pdf, .svg or .csv"},
                           {"view", "V", "occupancy (default), mask, attention or metrics"}}});
    const auto paths = args.all("trace");
    if (paths.empty() || paths.size() > 2)
        throw Error("usage: gistscope-cli plot --trace A [--trace B] --out FILE.{png,pdf,svg,csv} "
                    "[--view occupancy|mask|attention|metrics]");
    const std::string out = args.require("out");
    const std::string view = args.get("view").value_or("occupancy");
    require_output_path(out);
    std::vector<Trace> traces;
    for (const auto& p : paths) traces.push_back(trace_read(p));
#ifdef GISTSCOPE_CLI_WITH_WIDGETS
    gistscope::ui::ExportView v;
    if (!gistscope::ui::export_view_parse(QString::fromStdString(view), v))
        throw Error("--view is '" + view + "', expected occupancy, mask, attention or metrics");
    // The application lives on this stack frame: destroyed before Qt's own statics at exit.
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int qt_argc = 1;
    char* qt_argv[] = {argv[0], nullptr};
    QApplication app(qt_argc, qt_argv);
    QString error;
    if (!gistscope::ui::export_view(v, traces, QString::fromStdString(out), &error)) throw Error(error.toStdString());
#else
    if (view != "occupancy") throw Error("built without the Qt widgets: only --view occupancy (CSV)");
    std::string error;
    if (!demo_export_plot(traces, out, &error)) throw Error(error);
#endif
    std::printf("%s\n", out.c_str());
    return 0;
}

}  // namespace gistscope::cli
