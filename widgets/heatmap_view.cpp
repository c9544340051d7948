// heatmap_view.cpp: panels, downsampled rebuilds and hit testing shared by the heatmaps.
#include "widgets/heatmap_view.h"

#include <QToolTip>
#include <cmath>
#include <qcustomplot.h>

namespace gistscope::ui {

namespace {
// Step 0 is at the top: the value coordinate of step s is -s; labels show s.
class StepTicker : public QCPAxisTicker {
protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar format, int precision) override {
        return QCPAxisTicker::getTickLabel(std::abs(tick) < 1e-9 ? 0.0 : -tick, locale, format, precision);
    }
};
constexpr int max_cells = 4096;
}  // namespace

HeatmapView::HeatmapView(QWidget* parent) : PlotView(parent) {
    plot_->plotLayout()->clear();
    plot_->legend = nullptr;
    auto* top = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(0, 0, top);
    bottom_ = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(1, 0, bottom_);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    auto* group = new QCPMarginGroup(plot_);
    for (int pane = 0; pane < 2; ++pane) {
        auto& p = panels_[pane];
        p.title = new QCPTextElement(plot_, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
        top->addElement(0, pane, p.title);
        p.rect = new QCPAxisRect(plot_);
        top->addElement(1, pane, p.rect);
        p.rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
        p.rect->axis(QCPAxis::atBottom)->setLabel(tr("token position"));
        p.rect->axis(QCPAxis::atLeft)->setLabel(tr("decoding step"));
        p.rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTicker>(new StepTicker));
        p.map = new QCPColorMap(p.rect->axis(QCPAxis::atBottom), p.rect->axis(QCPAxis::atLeft));
        p.map->setInterpolate(false);
        p.map->setTightBoundary(false);
        p.rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
        p.rect->axis(QCPAxis::atLeft)->grid()->setVisible(false);
    }
    top->setRowStretchFactor(0, 0.001);
    // Zoom with the wheel, pan by dragging; a double click shows the whole run again.
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    for (auto& p : panels_) {
        p.rect->setRangeDrag(Qt::Horizontal | Qt::Vertical);
        p.rect->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    }
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { zoomed_ = true; });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {
        zoomed_ = false;
        invalidate();
        refresh();
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        int pane = 0, step = 0;
        int32_t pos = 0;
        if (e->button() == Qt::LeftButton && hit(e->position(), pane, pos, step)) emit cellClicked(pane, pos, step);
    });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        int pane = 0, step = 0;
        int32_t pos = 0;
        if (hit(e->position(), pane, pos, step) && runs_[pane])
            QToolTip::showText(e->globalPosition().toPoint(), describeCell(*runs_[pane], pos, step), plot_);
        else
            QToolTip::hideText();
    });
    since_rebuild_.start();
}

void HeatmapView::applyTheme() {
    PlotView::applyTheme();
    for (auto& p : panels_) p.title->setTextColor(palette_.foreground());
}

QSize HeatmapView::cellGrid(int pane) const {
    const auto* d = panels_[pane].map->data();
    return QSize(d->keySize(), d->valueSize());
}

QString HeatmapView::describeCell(const RunModel& run, int32_t position, int step) const {
    const int ti = run.token_at_position(position);
    if (ti < 0) return tr("step %1, position %2").arg(step).arg(position);
    const RunToken& t = run.tokens()[size_t(ti)];
    return tr("step %1, position %2: %3 '%4'")
        .arg(step)
        .arg(position)
        .arg(view_role_label(run.role_at(t, step)), QString::fromStdString(t.text).toHtmlEscaped());
}

bool HeatmapView::hit(const QPointF& pixel, int& pane, int32_t& position, int& step) const {
    for (int i = 0; i < 2; ++i) {
        const auto& p = panels_[i];
        if (!runs_[i] || !p.rect->rect().contains(pixel.toPoint())) continue;
        const double x = p.rect->axis(QCPAxis::atBottom)->pixelToCoord(pixel.x());
        const double y = p.rect->axis(QCPAxis::atLeft)->pixelToCoord(pixel.y());
        position = int32_t(std::lround(x));
        step = int(std::lround(-y));
        if (position < 0 || position >= p.positions || step < 0 || step >= p.steps) return false;
        pane = i;
        return true;
    }
    return false;
}

void HeatmapView::rebuildPanel(int pane, bool full) {
    auto& p = panels_[pane];
    const RunModel* run = runs_[pane];
    if (!run || run->empty()) {
        p.map->setVisible(false);
        p.title->setText(pane == 0 ? tr("left pane: no run") : tr("right pane: no run"));
        p.signature.clear();
        return;
    }
    p.map->setVisible(true);
    const int positions = std::max(2, run->max_position() + 1);
    const int steps = std::max(2, run->last_step() + 1);
    const int step = run->current_step();
    const QRect r = p.rect->rect();
    const int px_w = int(r.width() * live_scale_), px_h = int(r.height() * live_scale_);
    const int cols = full ? std::min(positions, max_cells) : std::clamp(std::min(positions, px_w), 2, max_cells);
    const int rows = full ? std::min(steps, max_cells) : std::clamp(std::min(steps, px_h), 2, max_cells);
    const QString sig = QStringLiteral("%1/%2/%3/%4/%5/%6/%7")
                            .arg(quintptr(run))
                            .arg(run->tokens().size())
                            .arg(step)
                            .arg(cols)
                            .arg(rows)
                            .arg(extraSignature())
                            .arg(palette_.is_dark());
    p.title->setText(QString::fromStdString(RunModel::method_display_name(run->header().method)) +
                     QStringLiteral("  ·  ") + QString::fromStdString(run->header().model));
    if (sig == p.signature) return;
    p.signature = sig;
    p.positions = positions;
    p.steps = steps;
    // (rows x cols) cells, value index 0 = the bottom row = the last step bin.
    auto* data = new QCPColorMapData(cols, rows, QCPRange(0, positions - 1), QCPRange(-(steps - 1), 0));
    fillCells(*run, step, *data, cols, rows, positions, steps);
    p.map->setData(data, false);  // takes ownership, no copy
    if (!zoomed_) {
        p.rect->axis(QCPAxis::atBottom)->setRange(-0.5, positions - 0.5);
        p.rect->axis(QCPAxis::atLeft)->setRange(-(steps - 0.5), 0.5);
    }
}

void HeatmapView::refresh() {
    if (!full_resolution_ && since_rebuild_.isValid() && since_rebuild_.elapsed() < live_interval_ms_ && !runs_changed_) {
        // Rate limit: the window's frame timer calls again; the last frame of a run is forced by invalidate().
        bool pending = false;
        for (int i = 0; i < 2; ++i)
            if (runs_[i] && panels_[i].signature.isEmpty()) pending = true;
        if (!pending) {
            deferred_ = true;
            return;
        }
    }
    deferred_ = false;
    since_rebuild_.restart();
    runs_changed_ = false;
    for (int pane = 0; pane < 2; ++pane) rebuildPanel(pane, full_resolution_);
    replotNow();
}

void HeatmapView::prepareExport(bool full) {
    full_resolution_ = full;
    invalidate();
    for (int pane = 0; pane < 2; ++pane) rebuildPanel(pane, full);
    if (!full) {
        invalidate();
        plot_->replot();
    }
}

}  // namespace gistscope::ui
