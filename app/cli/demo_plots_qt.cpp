// Occupancy plots of traces through the widgets' headless export (PNG / SVG / PDF / CSV). A
// QApplication is created on first use, offscreen when there is no display.
#include <QApplication>
#include <cstdlib>
#include <memory>

#include "demo_plots.h"
#include "widgets/accuracy_plot.h"
#include "widgets/export.h"

namespace gistscope::cli {

void ensure_qapplication() {
    // Deliberately never destroyed: ~QApplication after main() returns (static destruction order)
    // crashes; the process is ending anyway.
    if (QCoreApplication::instance()) return;
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "gistscope-cli";
    static char* argv[] = {name, nullptr};
    new QApplication(argc, argv);  // registers itself as QCoreApplication::instance()
}

bool demo_export_plot(const std::vector<Trace>& traces, const std::string& path, std::string* error) {
    ensure_qapplication();
    QString why;
    const bool ok = gistscope::ui::export_occupancy(traces, QString::fromStdString(path), &why);
    if (!ok && error) *error = why.toStdString();
    return ok;
}

bool accuracy_export_plot(const std::vector<EvalRunSummary>& runs, const std::string& path, std::string* error) {
    ensure_qapplication();
    gistscope::ui::AccuracyPlot plot;
    plot.setSummaries(runs);
    QString why;
    const bool ok = plot.exportTo(QString::fromStdString(path), &why, QSize(1200, 800));
    if (!ok && error) *error = why.toStdString();
    return ok;
}

}  // namespace gistscope::cli
