// mask_heatmap.cpp: categorical cells of the cache state per step.
#include "widgets/mask_heatmap.h"

#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace gistscope::ui {

namespace {
// Which category wins when several positions share a downsampled cell: the rare ones.
int priority(ViewRole r) {
    switch (r) {
    case ViewRole::gist: return 6;
    case ViewRole::continue_: return 5;
    case ViewRole::thought: return 4;
    case ViewRole::answer: return 3;
    case ViewRole::prompt: return 2;
    case ViewRole::evicted: return 1;
    case ViewRole::never_seen: return 0;
    }
    return 0;
}
const ViewRole legend_roles[] = {ViewRole::prompt,  ViewRole::thought, ViewRole::gist,      ViewRole::continue_,
                                 ViewRole::answer,  ViewRole::evicted, ViewRole::never_seen};
}  // namespace

MaskHeatmap::MaskHeatmap(QWidget* parent) : HeatmapView(parent) {
    legend_ = new QCPLegend;
    bottomRow()->addElement(0, 0, legend_);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setWrap(view_role_count);
    legend_->setIconSize(14, 10);
    legend_->setLayer(QStringLiteral("legend"));
    bottomRow()->setMargins(QMargins(0, 0, 0, 4));
    for (ViewRole role : legend_roles) {
        auto* swatch = new QCPBars(panels_[0].rect->axis(QCPAxis::atBottom), panels_[0].rect->axis(QCPAxis::atLeft));
        swatch->setName(view_role_label(role));
        swatch->addToLegend(legend_);
        swatch->setProperty("role", int(role));
    }
    for (auto& p : panels_) {
        p.map->setDataRange(QCPRange(0, view_role_count - 1));
    }
    applyTheme();
}

void MaskHeatmap::applyTheme() {
    HeatmapView::applyTheme();
    QCPColorGradient g;
    g.clearColorStops();
    for (int i = 0; i < view_role_count; ++i) g.setColorStopAt(double(i) / (view_role_count - 1), palette_.fill(ViewRole(i)));
    g.setLevelCount(view_role_count);
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(palette_.fill(ViewRole::evicted));
    for (auto& p : panels_) p.map->setGradient(g);
    if (!legend_) return;
    legend_->setBrush(palette_.background());
    legend_->setBorderPen(Qt::NoPen);
    legend_->setTextColor(palette_.foreground());
    for (int i = 0; i < legend_->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend_->item(i));
        if (!item) continue;
        auto* bars = qobject_cast<QCPBars*>(item->plottable());
        const ViewRole role = ViewRole(bars->property("role").toInt());
        bars->setBrush(palette_.fill(role));
        bars->setPen(QPen(palette_.grid(), 1));
    }
}

void MaskHeatmap::fillCells(const RunModel& run, int step, QCPColorMapData& data, int cols, int rows, int positions,
                            int steps) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto& tokens = run.tokens();
    const int samples = std::clamp(positions / cols, 1, 4);  // sub-samples per downsampled cell
    for (int v = 0; v < rows; ++v) {
        const int row_from_top = rows - 1 - v;
        const int s = int((int64_t(row_from_top) * steps + steps / 2 / rows) / rows);
        for (int k = 0; k < cols; ++k) {
            ViewRole best = ViewRole::never_seen;
            if (s <= step) {
                const int64_t p0 = int64_t(k) * positions / cols, p1 = std::max(p0 + 1, int64_t(k + 1) * positions / cols);
                for (int j = 0; j < samples; ++j) {
                    const int32_t p = int32_t(p0 + (p1 - p0) * (2 * j + 1) / (2 * samples));
                    const int ti = run.token_at_position(p);
                    if (ti < 0) continue;
                    const ViewRole r = run.role_at(tokens[size_t(ti)], s);
                    if (priority(r) > priority(best)) best = r;
                }
            }
            data.setCell(k, v, best == ViewRole::evicted ? nan : double(int(best)));
        }
    }
}

QString MaskHeatmap::csv() const {
    // One line per token: the mask at step s is "in the cache" for entered_step <= s < evicted_step
    // (evicted_step empty: never evicted). The full step x position grid of a long run would be
    // 100M cells; these lines rebuild it exactly.
    QString out = QStringLiteral("pane,method,position,token_id,role,entered_step,evicted_step\n");
    static const char* names[] = {"prompt", "thought", "gist", "continue", "answer", "evicted", "never_seen"};
    for (int pane = 0; pane < 2; ++pane) {
        const RunModel* run = runs_[pane];
        if (!run) continue;
        const QString method = QString::fromStdString(run->header().method);
        const int last = run->current_step();
        for (const auto& t : run->tokens()) {
            if (t.step > last) break;
            if (!t.fed) continue;
            const bool evicted = t.evicted_step >= 0 && t.evicted_step <= last;
            out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                       .arg(pane == 0 ? QLatin1String("left") : QLatin1String("right"), method)
                       .arg(t.position)
                       .arg(t.id)
                       .arg(QLatin1String(names[int(t.view_role)]))
                       .arg(t.step)
                       .arg(evicted ? QString::number(t.evicted_step) : QString());
        }
    }
    return out;
}

}  // namespace gistscope::ui
