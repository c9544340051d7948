// mask_heatmap.h: what each decoding step could attend to. Row = step, column = token position;
// categorical colours from the role palette (prompt, live thought, gist, continue, answer), evicted
// slots as the NaN colour (grey), positions not generated yet in the background colour. A legend of
// the categories sits under the panels.
#pragma once
#include "widgets/heatmap_view.h"

class QCPLegend;

namespace gistscope::ui {

class MaskHeatmap : public HeatmapView {
    Q_OBJECT
public:
    explicit MaskHeatmap(QWidget* parent = nullptr);
    QString csv() const override;
    QString exportName() const override { return QStringLiteral("attention-mask"); }

protected:
    void fillCells(const RunModel& run, int step, QCPColorMapData& data, int cols, int rows, int positions,
                   int steps) const override;
    void applyTheme() override;

private:
    QCPLegend* legend_ = nullptr;
};

}  // namespace gistscope::ui
