// accuracy_plot.h: accuracy (y) against mean peak tokens (x), one point per evaluation run, the
// runs of one method (and model) joined by a line in their own colour: H2O or SepLLM at several
// budgets make a curve, like the paper's trade-off. The window's Evaluation tab and
// `gistscope-cli compare` draw and export the same view.
#pragma once
#include <string>
#include <vector>

#include "gistscope/eval.h"
#include "widgets/plot_view.h"

namespace gistscope::ui {

struct AccuracyPoint {
    std::string series;  // one colour and line per series: "h2o (demo-vanilla)"
    std::string label;   // next to the point: the method, or "budget 180" within a series
    double mean_peak = 0, accuracy = 0;  // tokens, percent
};

// One point per summary; the series is the method and model, the label its budget when it has one.
std::vector<AccuracyPoint> accuracy_points(const std::vector<EvalRunSummary>& summaries);

class AccuracyPlot : public PlotView {
    Q_OBJECT
public:
    explicit AccuracyPlot(QWidget* parent = nullptr);
    void setPoints(std::vector<AccuracyPoint> points);
    void setSummaries(const std::vector<EvalRunSummary>& s) { setPoints(accuracy_points(s)); }
    void refresh() override;
    QString csv() const override;
    QString exportName() const override { return QStringLiteral("accuracy-peak"); }
    int pointCount() const { return int(points_.size()); }

private:
    std::vector<AccuracyPoint> points_;
};

}  // namespace gistscope::ui
