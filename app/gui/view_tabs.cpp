// view_tabs.cpp: the plot docks.
#include "view_tabs.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QMainWindow>
#include <qcustomplot.h>

#include "widgets/attention_heatmap.h"
#include "widgets/mask_heatmap.h"
#include "widgets/memory_timeline.h"
#include "widgets/metrics_table.h"
#include "widgets/occupancy_plot.h"
#include "widgets/plot_view.h"

namespace gistscope::gui {

ViewTabs::ViewTabs(QMainWindow* window) : QObject(window) {
    occupancy_ = new ui::OccupancyPlot(window);
    occupancy_->setObjectName(QStringLiteral("occupancyPlot"));
    mask_ = new ui::MaskHeatmap(window);
    mask_->setObjectName(QStringLiteral("maskHeatmap"));
    attention_ = new ui::AttentionHeatmap(window);
    attention_->setObjectName(QStringLiteral("attentionHeatmap"));
    metrics_ = new ui::MetricsTable(window);
    metrics_->setObjectName(QStringLiteral("metricsTable"));
    memory_ = new ui::MemoryTimeline(window);
    memory_->setObjectName(QStringLiteral("memoryTimeline"));
    const QString titles[view_count] = {tr("KV cache"), tr("Attention mask"), tr("Attention weights"), tr("Metrics"),
                                        tr("Memory")};
    QWidget* widgets[view_count] = {occupancy_, mask_, attention_, metrics_, memory_};
    const char* names[view_count] = {"occupancyDock", "maskDock", "attentionDock", "metricsDock", "memoryDock"};
    window->setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    for (int i = 0; i < view_count; ++i) {
        docks_[i] = new QDockWidget(titles[i], window);
        docks_[i]->setObjectName(QString::fromLatin1(names[i]));
        docks_[i]->setWidget(widgets[i]);
        docks_[i]->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        window->addDockWidget(Qt::BottomDockWidgetArea, docks_[i]);
        if (i > 0) window->tabifyDockWidget(docks_[0], docks_[i]);
        connect(docks_[i], &QDockWidget::visibilityChanged, this, [this](bool shown) {
            if (!shown) return;
            invalidateHeatmaps();
            emit viewShown();
        });
    }
    docks_[0]->raise();
    window->resizeDocks({docks_[0]}, {360}, Qt::Vertical);
    connect(mask_, &ui::HeatmapView::cellClicked, this, [this](int pane, int32_t position, int) { emit cellClicked(pane, position); });
    connect(attention_, &ui::HeatmapView::cellClicked, this, [this](int pane, int32_t position, int) { emit cellClicked(pane, position); });
    connect(occupancy_, &ui::OccupancyPlot::stepClicked, this, &ViewTabs::stepClicked);
    connect(memory_, &ui::MemoryTimeline::stepClicked, this, &ViewTabs::stepClicked);
    metrics_clock_.start();
}

void ViewTabs::setRuns(const ui::RunModel* left, const ui::RunModel* right) {
    occupancy_->setRuns(left, right);
    mask_->setRuns(left, right);
    attention_->setRuns(left, right);
    metrics_->setRuns(left, right);
    memory_->setRuns(left, right);
    invalidateHeatmaps();
}

void ViewTabs::invalidateHeatmaps() {
    mask_->invalidate();
    attention_->invalidate();
}

bool ViewTabs::visible(ViewId view) const {
    const QDockWidget* d = docks_[int(view)];
    return !d->visibleRegion().isEmpty() || d->isFloating();
}

bool ViewTabs::refresh(bool force, bool running) {
    if (force) {
        occupancy_->markChanged();
        invalidateHeatmaps();
    }
    occupancy_->refresh();
    if (force || visible(ViewId::mask)) mask_->refresh();
    if (force || visible(ViewId::attention)) attention_->refresh();
    if (force) memory_->markChanged();
    if (force || visible(ViewId::memory)) memory_->refresh();
    if (force || (visible(ViewId::metrics) && (metrics_clock_.elapsed() > 250 || !running))) {
        metrics_->refresh();
        metrics_clock_.restart();
    }
    return occupancy_->deferred() || mask_->deferred() || attention_->deferred();
}

void ViewTabs::show(ViewId view) {
    docks_[int(view)]->show();
    docks_[int(view)]->raise();
    emit viewShown();
}

bool ViewTabs::exportView(ViewId view, const QString& path, QString* error) const {
    if (view == ViewId::metrics) {
        if (QFileInfo(path).suffix().toLower() != QLatin1String("csv")) {
            if (error) *error = tr("Cannot export the metrics to %1: the table is written as CSV, use a .csv file.").arg(path);
            return false;
        }
        metrics_->refresh();
        return ui::write_text_file(path, metrics_->csv(), error);
    }
    ui::PlotView* plot = view == ViewId::occupancy ? static_cast<ui::PlotView*>(occupancy_)
                         : view == ViewId::mask    ? static_cast<ui::PlotView*>(mask_)
                         : view == ViewId::memory  ? static_cast<ui::PlotView*>(memory_)
                                                   : static_cast<ui::PlotView*>(attention_);
    return plot->exportTo(path, error);
}

void ViewTabs::replotAll() {
    for (ui::PlotView* plot : {static_cast<ui::PlotView*>(occupancy_), static_cast<ui::PlotView*>(mask_),
                               static_cast<ui::PlotView*>(attention_), static_cast<ui::PlotView*>(memory_)})
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace gistscope::gui
