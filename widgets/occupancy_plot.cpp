// occupancy_plot.cpp: the KV occupancy curves.
#include "widgets/occupancy_plot.h"

#include <QLocale>
#include <algorithm>
#include <qcustomplot.h>

namespace gistscope::ui {

namespace {
constexpr double mib = 1024.0 * 1024.0;

QString format_dependency(int64_t dep) {
    if (dep >= 1000000) return QString::number(double(dep) / 1e6, 'f', 2) + QLatin1String(" M");
    if (dep >= 1000) return QString::number(double(dep) / 1e3, 'f', 1) + QLatin1String(" k");
    return QString::number(dep);
}
}  // namespace

OccupancyPlot::OccupancyPlot(QWidget* parent) : PlotView(parent) {
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    plot_->xAxis->setLabel(tr("decoding step"));
    plot_->yAxis->setLabel(tr("KV cache (tokens)"));
    plot_->yAxis2->setVisible(true);
    plot_->yAxis2->setLabel(tr("KV cache (MiB)"));
    plot_->xAxis->setRange(0, 100);
    plot_->yAxis->setRange(0, 100);
    // The legend sits in its own row under the axes, so it never covers a curve or a peak label.
    plot_->legend->setVisible(false);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->addElement(1, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->plotLayout()->setRowSpacing(2);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setWrap(2);  // both runs on one row: more height for the curves
    plot_->legend->setMargins(QMargins(4, 2, 4, 2));
    // Integer ticks only: steps and tokens are counts.
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(1);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(ticker);
    }
    empty_note_ = new QCPItemText(plot_);
    empty_note_->position->setType(QCPItemPosition::ptAxisRectRatio);
    empty_note_->position->setCoords(0.5, 0.5);
    empty_note_->setText(tr("No run yet: press Run, or open a trace (File ▸ Open traces)."));
    empty_note_->setClipToAxisRect(true);
    empty_note_->setColor(palette().color(QPalette::PlaceholderText));
    for (int pane = 0; pane < 2; ++pane) {
        auto& s = series_[pane];
        s.line = plot_->addGraph();
        s.line->setLineStyle(QCPGraph::lsStepLeft);
        s.line->setAdaptiveSampling(true);
        s.marks = plot_->addGraph();
        s.marks->setLineStyle(QCPGraph::lsNone);
        s.marks->removeFromLegend();
        s.head_min = plot_->addGraph();
        s.head_min->setLineStyle(QCPGraph::lsStepLeft);
        s.head_min->setChannelFillGraph(s.line);
        s.head_min->removeFromLegend();
        s.stored = plot_->addGraph();
        s.stored->setLineStyle(QCPGraph::lsStepLeft);
        s.stored->removeFromLegend();
        s.peak_label = new QCPItemText(plot_);
        s.peak_label->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
        s.peak_label->setPadding(QMargins(4, 1, 4, 1));
        s.peak_label->setVisible(false);
        s.peak_arrow = new QCPItemLine(plot_);
        s.peak_arrow->setHead(QCPLineEnding::esSpikeArrow);
        s.peak_arrow->start->setParentAnchor(s.peak_label->bottom);
        s.peak_arrow->setVisible(false);
    }
    hover_ = new QCPItemStraightLine(plot_);
    hover_->setVisible(false);
    connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& r) {
        double bytes = 0;
        for (const auto* run : runs_)
            if (run) bytes = std::max(bytes, double(run->kv_bytes_per_token()));
        plot_->yAxis2->setRange(bytes > 0 ? r.lower * bytes / mib : 0, bytes > 0 ? r.upper * bytes / mib : 1);
    });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent*) { user_view_ = true; });
    connect(plot_, &QCustomPlot::mouseWheel, this, [this](QWheelEvent*) { user_view_ = true; });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent* e) {
        user_view_ = false;
        emit stepClicked(int(std::lround(plot_->xAxis->pixelToCoord(e->position().x()))));
        updateAxes();
        replotNow();
    });
    applyTheme();
}

void OccupancyPlot::applyTheme() {
    PlotView::applyTheme();
    for (int pane = 0; pane < 2; ++pane) {
        auto& s = series_[pane];
        const QColor c = palette_.series(pane);
        s.line->setPen(QPen(c, pane == 0 ? 2.0 : 1.6));
        QColor area = c;
        area.setAlpha(palette_.is_dark() ? 40 : 28);
        s.line->setBrush(area);
        s.marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.5), palette_.background(), 7));
        s.peak_label->setColor(c);
        s.peak_label->setBrush(palette_.background());
        s.peak_label->setPen(QPen(c, 1));
        s.peak_arrow->setPen(QPen(c, 1));
        QColor band = c;
        band.setAlpha(palette_.is_dark() ? 90 : 70);
        s.head_min->setPen(QPen(band, 1));
        s.head_min->setBrush(band);
        s.stored->setPen(QPen(c, 1.2, Qt::DashLine));
    }
    QPen hp(palette_.foreground(), 1, Qt::DashLine);
    hover_->setPen(hp);
    if (empty_note_) empty_note_->setColor(palette().color(QPalette::PlaceholderText));
    plot_->legend->setBrush(QColor(palette_.background().red(), palette_.background().green(),
                                   palette_.background().blue(), 220));
}

int OccupancyPlot::pointCount(int pane) const { return series_[pane].line->dataCount(); }

void OccupancyPlot::rebuild(int pane) {
    auto& s = series_[pane];
    s.line->data()->clear();
    s.marks->data()->clear();
    s.head_min->data()->clear();
    s.stored->data()->clear();
    s.published = 0;
    s.marks_published = 0;
    s.shown_step = -1;
}

void OccupancyPlot::updateSeries(int pane) {
    auto& s = series_[pane];
    const RunModel* run = runs_[pane];
    if (run != s.run || runs_changed_) {
        s.run = run;
        rebuild(pane);
    }
    if (!run || run->empty()) {
        s.line->setVisible(false);
        s.marks->setVisible(false);
        s.head_min->setVisible(false);
        s.stored->setVisible(false);
        s.stored->removeFromLegend();
        s.peak_label->setVisible(false);
        s.peak_arrow->setVisible(false);
        s.line->removeFromLegend();
        return;
    }
    s.line->setVisible(true);
    s.marks->setVisible(true);
    const int step = run->current_step();
    if (step < s.shown_step) rebuild(pane);  // replay went backwards
    const auto& pts = run->occupancy();
    // Points of the last published step may have changed (max of its block): re-add that step.
    if (s.published > 0) {
        const int last_key = pts[s.published - 1].step;
        size_t first = s.published - 1;
        while (first > 0 && pts[first - 1].step == last_key) --first;
        s.line->data()->removeAfter(last_key - 0.5);
        s.head_min->data()->removeAfter(last_key - 0.5);
        s.stored->data()->removeAfter(last_key - 0.5);
        s.published = first;
    }
    QVector<double> keys, values, head_keys, head_min, stored;
    for (size_t i = s.published; i < pts.size() && pts[i].step <= step; ++i) {
        keys.push_back(pts[i].step);
        values.push_back(pts[i].tokens);
        if (const auto& h = pts[i].heads) {
            head_keys.push_back(pts[i].step);
            head_min.push_back(h->min);
            stored.push_back(h->stored);
        }
        s.published = i + 1;
    }
    if (!keys.isEmpty()) s.line->addData(keys, values, true);
    if (!head_keys.isEmpty()) {
        s.head_min->addData(head_keys, head_min, true);
        s.stored->addData(head_keys, stored, true);
    }
    const bool per_head = !s.stored->data()->isEmpty();
    s.head_min->setVisible(per_head);
    s.stored->setVisible(per_head);
    if (per_head) {
        s.stored->setName(tr("%1 — KV slots stored (union of the heads' caches; the band: smallest to largest head)")
                              .arg(QString::fromStdString(RunModel::method_display_name(run->header().method))));
    }
    // Compression markers at the transient peak of each compression step.
    const auto& comps = run->compressions();
    QVector<double> mk, mv;
    while (s.marks_published < comps.size() && comps[s.marks_published].step <= step) {
        mk.push_back(comps[s.marks_published].step);
        mv.push_back(comps[s.marks_published].cache_before);
        ++s.marks_published;
    }
    if (!mk.isEmpty()) s.marks->addData(mk, mv, true);
    // If there are no compressions but evictions (H2O, SepLLM), no markers: the line shows the cap.
    s.shown_step = step;

    const StepMetrics m = run->metrics_at(step);
    const QString name = QString::fromStdString(RunModel::method_display_name(run->header().method));
    s.line->setName(tr("%1 — peak %2 tokens, dependency %3 (area)")
                        .arg(name)
                        .arg(m.peak_tokens)
                        .arg(format_dependency(m.dependency)) +
                    (m.compressions > 0 ? tr(", %n compression(s)", nullptr, m.compressions) : QString()));
    // Peak: the highest occupancy point drawn so far.
    int peak_step = 0, peak = -1;
    for (size_t i = 0; i < s.published; ++i)
        if (pts[i].tokens > peak) peak = pts[i].tokens, peak_step = pts[i].step;
    if (peak >= 0) {
        s.peak_arrow->end->setCoords(peak_step, peak);
        s.peak_label->position->setParentAnchor(nullptr);
        s.peak_label->position->setType(QCPItemPosition::ptPlotCoords);
        s.peak_label->position->setCoords(peak_step, peak);
        s.peak_label->setText(tr("peak %1").arg(std::max(peak, m.peak_tokens)));
        s.peak_label->setVisible(true);
        s.peak_arrow->setVisible(true);
    }
}

void OccupancyPlot::updateAxes() {
    int max_step = 1, max_tokens = 1;
    for (const auto* run : runs_) {
        if (!run || run->empty()) continue;
        max_step = std::max(max_step, run->last_step());
        for (const auto& p : run->occupancy()) max_tokens = std::max(max_tokens, p.tokens);
    }
    if (!user_view_) {
        plot_->xAxis->setRange(0, max_step * 1.02 + 1);
        plot_->yAxis->setRange(0, max_tokens * 1.3 + 4);  // room for the peak labels
    }
    // Peak labels sit a little above their point, in pixels; offset the arrow start upward.
    const double dy = plot_->yAxis->range().size() * 0.07;
    for (auto& s : series_) {
        if (!s.peak_label->visible()) continue;
        const QPointF at = s.peak_arrow->end->coords();
        s.peak_label->position->setCoords(at.x(), at.y() + dy);
    }
    // Labels near an edge grow inwards, so none is clipped ("eak 51").
    const QCPRange xr = plot_->xAxis->range();
    for (auto& s : series_) {
        if (!s.peak_label->visible()) continue;
        const double f = (s.peak_label->position->coords().x() - xr.lower) / std::max(1e-9, xr.size());
        s.peak_label->setPositionAlignment(Qt::AlignBottom | (f < 0.12 ? Qt::AlignLeft : f > 0.88 ? Qt::AlignRight : Qt::AlignHCenter));
    }
    // Keep the two labels from overlapping when the peaks are close: the lower one goes below its
    // point's label row, the higher one above.
    if (series_[0].peak_label->visible() && series_[1].peak_label->visible()) {
        const QPointF a = series_[0].peak_label->position->coords(), b = series_[1].peak_label->position->coords();
        if (std::abs(a.y() - b.y()) < dy * 1.2 && std::abs(a.x() - b.x()) < xr.size() * 0.2) {
            const int hi = a.y() >= b.y() ? 0 : 1;
            const QPointF h = series_[hi].peak_label->position->coords();
            series_[hi].peak_label->position->setCoords(h.x(), std::max(a.y(), b.y()) + dy * 1.1);
        }
    }
    emit plot_->yAxis->rangeChanged(plot_->yAxis->range());
}

void OccupancyPlot::refresh() {
    // Back off when replots are slow (small machine, big window): at most one replot per three
    // replot times, and never more than ~30 per second.
    const double min_gap_ms = std::max(30.0, 3.0 * plot_->replotTime(true));
    if (!runs_changed_ && since_replot_.isValid() && since_replot_.elapsed() < min_gap_ms) {
        deferred_ = true;
        return;
    }
    deferred_ = false;
    since_replot_.restart();
    for (int pane = 0; pane < 2; ++pane) updateSeries(pane);
    // Legend in pane order, whichever run started first.
    for (auto& s : series_) {
        s.line->removeFromLegend();
        s.stored->removeFromLegend();
    }
    bool any = false;
    for (auto& s : series_) {
        if (s.line->visible()) s.line->addToLegend(), any = true;
        if (s.line->visible() && s.stored->visible()) s.stored->addToLegend();
    }
    plot_->legend->setVisible(any);
    empty_note_->setVisible(!any);
    runs_changed_ = false;
    updateAxes();
    replotNow();
}

void OccupancyPlot::setHoverStep(int step) {
    hover_->setVisible(step >= 0);
    if (step >= 0) {
        hover_->point1->setCoords(step, 0);
        hover_->point2->setCoords(step, 1);
    }
    replotNow();
}

QString OccupancyPlot::csv() const {
    // head_* / stored: per-head runs only (largest head = cache_tokens), empty otherwise.
    QString out = QStringLiteral("pane,method,step,cache_tokens,after_eviction,kv_mib,compression,head_mean,head_min,stored\n");
    for (int pane = 0; pane < 2; ++pane) {
        const RunModel* run = runs_[pane];
        if (!run) continue;
        const QString method = QString::fromStdString(run->header().method);
        const int step = run->current_step();
        const double bytes = double(run->kv_bytes_per_token());
        std::vector<int> comp_steps;
        for (const auto& c : run->compressions()) comp_steps.push_back(c.step);
        for (const auto& p : run->occupancy()) {
            if (p.step > step) break;
            const bool comp = std::binary_search(comp_steps.begin(), comp_steps.end(), p.step) && !p.after_eviction;
            out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10\n")
                       .arg(pane == 0 ? QLatin1String("left") : QLatin1String("right"), method)
                       .arg(p.step)
                       .arg(p.tokens)
                       .arg(p.after_eviction ? 1 : 0)
                       .arg(QString::number(p.tokens * bytes / mib, 'f', 4))
                       .arg(comp ? 1 : 0)
                       .arg(p.heads ? QString::number(p.heads->mean, 'f', 2) : QString())
                       .arg(p.heads ? QString::number(p.heads->min) : QString())
                       .arg(p.heads ? QString::number(p.heads->stored) : QString());
        }
    }
    return out;
}

}  // namespace gistscope::ui
