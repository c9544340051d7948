// accuracy_plot.h: accuracy against mean peak tokens per run, joined per method.
#include "widgets/accuracy_plot.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <qcustomplot.h>

namespace gistscope::ui {

std::vector<AccuracyPoint> accuracy_points(const std::vector<EvalRunSummary>& summaries) {
    std::vector<AccuracyPoint> out;
    for (const auto& s : summaries) {
        AccuracyPoint p;
        p.series = s.method + " (" + s.model + ")";
        const std::string label = eval_method_label(s.method, s.params);
        p.label = label == s.method ? s.method : label.substr(s.method.size() + 2, label.size() - s.method.size() - 3);
        p.mean_peak = s.mean_peak;
        p.accuracy = s.accuracy;
        out.push_back(std::move(p));
    }
    return out;
}

AccuracyPlot::AccuracyPlot(QWidget* parent) : PlotView(parent) {
    plot_->xAxis->setLabel(tr("mean peak tokens"));
    plot_->yAxis->setLabel(tr("accuracy (%)"));
    // The legend beside the axes, not over them: points sit anywhere in the plane.
    plot_->legend->setVisible(true);
    auto* side = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(0, 1, side);
    plot_->plotLayout()->setColumnStretchFactor(1, 0.001);
    side->addElement(0, 0, plot_->legend);
    side->addElement(1, 0, new QCPLayoutElement(plot_));  // pushes the legend to the top
    side->setRowStretchFactor(0, 0.001);
    side->setMargins(QMargins(0, 12, 8, 0));
}

void AccuracyPlot::setPoints(std::vector<AccuracyPoint> points) {
    points_ = std::move(points);
    markChanged();
    refresh();
}

void AccuracyPlot::refresh() {
    plot_->clearGraphs();
    plot_->clearItems();
    // Series in first-seen order, each point sorted by peak so the line reads left to right.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const AccuracyPoint*>> by_series;
    for (const auto& p : points_) {
        if (!by_series.count(p.series)) order.push_back(p.series);
        by_series[p.series].push_back(&p);
    }
    double max_x = 1;
    for (const auto& p : points_) max_x = std::max(max_x, p.mean_peak);
    int index = 0;
    std::vector<std::pair<double, double>> labelled;  // points that carry a label already
    for (const auto& name : order) {
        auto& pts = by_series[name];
        std::sort(pts.begin(), pts.end(), [](auto* a, auto* b) { return a->mean_peak < b->mean_peak; });
        QCPGraph* g = plot_->addGraph();
        // One hue per series, spread around the wheel.
        const QColor color = QColor::fromHsv((index++ * 137) % 360, 200, 200);
        g->setPen(QPen(color, 1.5));
        g->setLineStyle(pts.size() > 1 ? QCPGraph::lsLine : QCPGraph::lsNone);
        // A shape per series too, so runs at the same point (H2O and SepLLM at one budget) both show.
        static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssDisc, QCPScatterStyle::ssSquare,
                                                               QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangle,
                                                               QCPScatterStyle::ssTriangleInverted, QCPScatterStyle::ssCrossCircle};
        const auto shape = shapes[size_t(index - 1) % std::size(shapes)];
        g->setScatterStyle(QCPScatterStyle(shape, color, shape == QCPScatterStyle::ssCrossCircle ? Qt::white : color, 10));
        g->setName(QString::fromStdString(name));
        for (const AccuracyPoint* p : pts) g->addData(p->mean_peak, p->accuracy);
        // One label per series, at its rightmost point; the legend and the x axis say the rest.
        const AccuracyPoint* last = pts.back();
        auto* label = new QCPItemText(plot_);
        label->position->setCoords(last->mean_peak, last->accuracy);
        // A second label at the same point goes below it instead of over the first.
        const bool taken = std::any_of(labelled.begin(), labelled.end(), [&](const auto& xy) {
            return std::abs(xy.first - last->mean_peak) < max_x * 0.03 && std::abs(xy.second - last->accuracy) < 3;
        });
        labelled.emplace_back(last->mean_peak, last->accuracy);
        label->setPositionAlignment(Qt::AlignLeft | (taken ? Qt::AlignTop : Qt::AlignBottom));
        label->setText(QStringLiteral("  ") + QString::fromStdString(pts.size() > 1 ? name.substr(0, name.find(' ')) : last->label));
        label->setColor(color.darker(130));
    }
    plot_->xAxis->setRange(0, max_x * 1.2);
    plot_->yAxis->setRange(-4, 108);  // a point at 0% or 100% is not cut by the frame
    replotNow();
}

QString AccuracyPlot::csv() const {
    QString out = QStringLiteral("series,label,mean_peak_tokens,accuracy\n");
    for (const auto& p : points_)
        out += csv_cell(QString::fromStdString(p.series)) + QLatin1Char(',') + csv_cell(QString::fromStdString(p.label)) +
               QLatin1Char(',') + QString::number(p.mean_peak) + QLatin1Char(',') + QString::number(p.accuracy) + QLatin1Char('\n');
    return out;
}

}  // namespace gistscope::ui
