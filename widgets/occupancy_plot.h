// occupancy_plot.h: KV cache tokens per decoding step for both panes on one plot. Step line, so a
// compression is a vertical drop; a marker at each compression; the peak annotated; the dependency
// (the area under the curve) in the legend; MiB on the right axis. Drag to pan, wheel to zoom,
// double-click to go back to following the run. Data is appended incrementally while streaming.
// Per-head H2O: the line is the largest (layer, KV head) cache, a band down to the smallest shows
// the spread across heads, and a dashed line the slots storage holds for the union of the heads.
#pragma once
#include <QElapsedTimer>

#include "widgets/plot_view.h"

class QCPGraph;
class QCPItemText;
class QCPItemLine;
class QCPItemStraightLine;

namespace gistscope::ui {

class OccupancyPlot : public PlotView {
    Q_OBJECT
public:
    explicit OccupancyPlot(QWidget* parent = nullptr);
    void refresh() override;
    QString csv() const override;
    QString exportName() const override { return QStringLiteral("occupancy"); }
    // A vertical guide at `step` (hovered token), -1 hides it.
    void setHoverStep(int step);
    // Points currently drawn for a pane (tests).
    int pointCount(int pane) const;

signals:
    void stepClicked(int step);

protected:
    void applyTheme() override;

private:
    struct Series {
        QCPGraph* line = nullptr;
        QCPGraph* marks = nullptr;   // compressions
        QCPGraph* head_min = nullptr;  // per-head runs: the smallest head, filled up to `line` (the largest)
        QCPGraph* stored = nullptr;    // per-head runs: slots in storage (union of the heads)
        QCPItemText* peak_label = nullptr;  // above the peak, kept inside the axes
        QCPItemLine* peak_arrow = nullptr;
        const RunModel* run = nullptr;
        size_t published = 0;        // occupancy points handed to the graph
        int shown_step = -1;
        size_t marks_published = 0;
    };
    void rebuild(int pane);
    void updateSeries(int pane);
    void updateAxes();
    Series series_[2];
    QCPItemStraightLine* hover_ = nullptr;
    QCPItemText* empty_note_ = nullptr;  // shown while there is no run
    bool user_view_ = false;  // the user zoomed or panned: stop auto-ranging
    QElapsedTimer since_replot_;
};

}  // namespace gistscope::ui
