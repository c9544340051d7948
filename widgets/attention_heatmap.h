// attention_heatmap.h: the model's real attention probabilities, from the engine's probe
// (AttentionEvents: the last query row of each step over the slots then in the cache). Row = step,
// column = key position; max-pooled when downsampled so the sink and the gist columns stay visible.
// Selectors pick the layer (or the average over layers) and the head (or the mean of the layer's
// heads) among those recorded; log scale option.
#pragma once
#include "widgets/heatmap_view.h"

class QComboBox;
class QCheckBox;
class QCPColorScale;
class QLabel;

namespace gistscope::ui {

class AttentionHeatmap : public HeatmapView {
    Q_OBJECT
public:
    explicit AttentionHeatmap(QWidget* parent = nullptr);
    void refresh() override;
    QString csv() const override;
    QString exportName() const override { return QStringLiteral("attention-weights"); }
    void setLogScale(bool on);
    // The layer drawn (-1 = average), among the recorded ones.
    int layer() const { return layer_; }
    void setLayer(int layer);
    // The head drawn (-1 = mean over the layer's heads), among those recorded for the layer.
    int head() const { return head_; }
    void setHead(int head);

protected:
    void fillCells(const RunModel& run, int step, QCPColorMapData& data, int cols, int rows, int positions,
                   int steps) const override;
    QString extraSignature() const override;
    QString describeCell(const RunModel& run, int32_t position, int step) const override;
    void applyTheme() override;

private:
    void updateLayers();
    void updateLinearRange();
    QComboBox* layer_box_ = nullptr;
    QComboBox* head_box_ = nullptr;
    QCheckBox* log_box_ = nullptr;
    QLabel* empty_note_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    int layer_ = -1;
    int head_ = -1;
    bool log_ = true;
};

}  // namespace gistscope::ui
