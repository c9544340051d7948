// heatmap_view.h: the base of the two heatmaps: one panel per run pane (title, colour map, axes),
// rows = decoding steps (step 0 at the top, written flipped rather than with a reversed axis, which
// costs a mirror per replot), columns = token positions. Live, the cells are downsampled to the
// panel's pixel size and rebuilt at most ~10 times a second; on export at full resolution (up to
// 4096 per side). Clicking a cell emits the token position and step.
#pragma once
#include <QElapsedTimer>

#include "widgets/plot_view.h"

class QCPAxisRect;
class QCPColorMap;
class QCPColorMapData;
class QCPTextElement;
class QCPLayoutGrid;

namespace gistscope::ui {

class HeatmapView : public PlotView {
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);
    void refresh() override;
    // Forces the next refresh() to rebuild even within the rate limit.
    void invalidate() { for (auto& p : panels_) p.signature.clear(); }
    // Cells of the colour map currently shown for a pane (key x value), for tests and the benchmark.
    QSize cellGrid(int pane) const;
    QCPColorMap* colorMap(int pane) const { return panels_[pane].map; }

signals:
    void cellClicked(int pane, int32_t position, int step);

protected:
    // Fills `data` (cols x rows cells; row index 0 = the last step bin) from `run` as at `step`.
    // Cell (k, v) covers positions [k * positions / cols, ...) and steps likewise.
    virtual void fillCells(const RunModel& run, int step, QCPColorMapData& data, int cols, int rows, int positions,
                           int steps) const = 0;
    // Extra parts of the signature (layer, scale): a change forces a rebuild.
    virtual QString extraSignature() const { return {}; }
    virtual QString describeCell(const RunModel& run, int32_t position, int step) const;
    void prepareExport(bool full) override;
    void applyTheme() override;
    QCPLayoutGrid* bottomRow() const { return bottom_; }
    // Live level of detail: cells per screen pixel (<= 1) and the least time between rebuilds.
    void setLiveDetail(double cells_per_pixel, int interval_ms) {
        live_scale_ = cells_per_pixel;
        live_interval_ms_ = interval_ms;
    }

    struct Panel {
        QCPAxisRect* rect = nullptr;
        QCPColorMap* map = nullptr;
        QCPTextElement* title = nullptr;
        QString signature;
        int positions = 0, steps = 0;
    };
    Panel panels_[2];

private:
    void rebuildPanel(int pane, bool full);
    bool hit(const QPointF& pixel, int& pane, int32_t& position, int& step) const;
    QCPLayoutGrid* bottom_ = nullptr;
    QElapsedTimer since_rebuild_;
    bool full_resolution_ = false;
    double live_scale_ = 1.0;
    int live_interval_ms_ = 100;
    bool zoomed_ = false;  // the user zoomed or panned: rebuilds keep the view
};

}  // namespace gistscope::ui
