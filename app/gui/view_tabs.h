// view_tabs.h: the plot tabs under the panes (KV cache, attention mask, attention weights,
// metrics, and the LightThinker++ memory timeline), each in a dock a speaker can float onto a second screen. Redraws only what is visible
// (the hidden tabs catch up when shown) and writes a view to a file.
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QDockWidget;
class QMainWindow;

namespace gistscope::ui {
class OccupancyPlot;
class MaskHeatmap;
class AttentionHeatmap;
class MetricsTable;
class MemoryTimeline;
class PlotView;
class RunModel;
}  // namespace gistscope::ui

namespace gistscope::gui {

// Which view a File ▸ Export action writes.
enum class ViewId { occupancy = 0, mask = 1, attention = 2, metrics = 3, memory = 4 };
inline constexpr int view_count = 5;

class ViewTabs : public QObject {
    Q_OBJECT
public:
    explicit ViewTabs(QMainWindow* window);
    void setRuns(const ui::RunModel* left, const ui::RunModel* right);
    // Redraws the visible views; `force` redraws all of them now; metrics at most 4 times a second
    // while `running`. Returns true when a view skipped this frame (rate limit) and wants the next.
    bool refresh(bool force, bool running);
    void invalidateHeatmaps();
    void show(ViewId view);
    QDockWidget* dock(ViewId view) const { return docks_[int(view)]; }
    // Writes `view` to `path` (format by suffix); false with `error` set.
    bool exportView(ViewId view, const QString& path, QString* error) const;
    // Redraw and replot every plot right now (screenshots).
    void replotAll();

    ui::OccupancyPlot* occupancy() const { return occupancy_; }
    ui::MaskHeatmap* mask() const { return mask_; }
    ui::AttentionHeatmap* attention() const { return attention_; }
    ui::MetricsTable* metrics() const { return metrics_; }
    ui::MemoryTimeline* memory() const { return memory_; }

signals:
    void viewShown();                       // a tab became visible: redraw
    void stepClicked(int step);             // on the KV plot
    void cellClicked(int pane, int position);  // on a heatmap

private:
    bool visible(ViewId view) const;
    ui::OccupancyPlot* occupancy_ = nullptr;
    ui::MaskHeatmap* mask_ = nullptr;
    ui::AttentionHeatmap* attention_ = nullptr;
    ui::MetricsTable* metrics_ = nullptr;
    ui::MemoryTimeline* memory_ = nullptr;
    QDockWidget* docks_[view_count] = {};
    QElapsedTimer metrics_clock_;
};

}  // namespace gistscope::gui
