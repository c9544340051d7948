// export.cpp: views built off screen from traces and written to a file.
#include "widgets/export.h"

#include <QCoreApplication>
#include <QFileInfo>

#include "widgets/attention_heatmap.h"
#include "widgets/mask_heatmap.h"
#include "widgets/metrics_table.h"
#include "widgets/occupancy_plot.h"
#include "widgets/plot_view.h"

namespace gistscope::ui {

bool export_view_parse(const QString& name, ExportView& view) {
    if (name == QLatin1String("occupancy")) view = ExportView::occupancy;
    else if (name == QLatin1String("mask")) view = ExportView::mask;
    else if (name == QLatin1String("attention")) view = ExportView::attention;
    else if (name == QLatin1String("metrics")) view = ExportView::metrics;
    else return false;
    return true;
}

bool export_view(ExportView view, const std::vector<gistscope::Trace>& traces, const QString& path, QString* error) {
    if (traces.empty() || traces.size() > 2) {
        if (error) *error = QCoreApplication::translate("gistscope::ui", "Give one or two traces, got %1.").arg(traces.size());
        return false;
    }
    std::vector<RunModel> runs;
    for (const auto& t : traces) runs.push_back(RunModel::from_trace(t));
    const RunModel* left = &runs[0];
    const RunModel* right = runs.size() > 1 ? &runs[1] : nullptr;
    if (view == ExportView::metrics) {
        if (QFileInfo(path).suffix().toLower() != QLatin1String("csv")) {
            if (error) *error = QCoreApplication::translate("gistscope::ui", "The metrics export is a table: use a .csv file, not %1.").arg(path);
            return false;
        }
        MetricsTable table;
        table.setRuns(left, right);
        table.refresh();
        return write_text_file(path, table.csv(), error);
    }
    std::unique_ptr<PlotView> plot;
    if (view == ExportView::occupancy) plot = std::make_unique<OccupancyPlot>();
    else if (view == ExportView::mask) plot = std::make_unique<MaskHeatmap>();
    else plot = std::make_unique<AttentionHeatmap>();
    plot->resize(1400, 800);
    plot->setRuns(left, right);
    plot->refresh();
    return plot->exportTo(path, error, view == ExportView::occupancy ? QSize(1400, 800) : QSize(1600, 900));
}

}  // namespace gistscope::ui
