// memory_timeline.cpp: the LightThinker++ state timeline.
#include "widgets/memory_timeline.h"

#include <algorithm>
#include <qcustomplot.h>

namespace gistscope::ui {

namespace {
ViewRole role_of(MemorySpan::State s) {
    switch (s) {
        case MemorySpan::State::writing: return ViewRole::thought;
        case MemorySpan::State::archived: return ViewRole::gist;
        case MemorySpan::State::expanded: return ViewRole::continue_;
    }
    return ViewRole::thought;
}
QString state_name(MemorySpan::State s) {
    switch (s) {
        case MemorySpan::State::writing: return QStringLiteral("writing");
        case MemorySpan::State::archived: return QStringLiteral("archived");
        case MemorySpan::State::expanded: return QStringLiteral("expanded");
    }
    return {};
}
}  // namespace

std::vector<MemorySpan> memory_spans(const RunModel& run, int pane, int step) {
    std::vector<MemorySpan> out;
    if (!run.is_memory_run()) return out;
    // The step each display block's first generated token was fed at.
    std::vector<int> block_start(size_t(run.block_count()), -1);
    for (const auto& t : run.tokens())
        if (t.block > 0 && size_t(t.block) < block_start.size() && block_start[size_t(t.block)] < 0)
            block_start[size_t(t.block)] = t.step;
    const int end = step + 1;
    int written_blocks_end = 0;  // blocks at or below this one belong to committed steps
    for (const auto& m : run.memory_steps()) {
        if (m.committed_step > step) break;
        const int start = m.block > 0 && size_t(m.block) < block_start.size() && block_start[size_t(m.block)] >= 0
                              ? block_start[size_t(m.block)]
                              : m.committed_step;
        written_blocks_end = std::max(written_blocks_end, m.block);
        out.push_back({pane, m.index, MemorySpan::State::writing, start, m.committed_step});
        for (size_t i = 0; i < m.changes.size(); ++i) {
            const auto& c = m.changes[i];
            if (c.step > step) break;
            const int to = i + 1 < m.changes.size() ? std::min(end, m.changes[i + 1].step) : end;
            if (to <= c.step) continue;
            out.push_back({pane, m.index,
                           c.active ? MemorySpan::State::expanded : MemorySpan::State::archived, c.step, to});
        }
    }
    // The step being written: the generated tokens after the last commit.
    int first = -1;
    for (const auto& t : run.tokens()) {
        if (t.step > step) break;
        if (t.role != SlotRole::prompt && t.block > written_blocks_end) {
            first = t.step;
            break;
        }
    }
    if (first >= 0) {
        int index = 0;
        for (const auto& m : run.memory_steps())
            if (m.committed_step <= step) index = std::max(index, m.index + 1);
        out.push_back({pane, index, MemorySpan::State::writing, first, end});
    }
    return out;
}

MemoryTimeline::MemoryTimeline(QWidget* parent) : PlotView(parent) {
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    plot_->xAxis->setLabel(tr("decoding step"));
    plot_->yAxis->setLabel(tr("memory step"));
    plot_->yAxis->setRangeReversed(true);  // step 1 on top, as in the stream
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->addElement(1, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setWrap(4);
    plot_->legend->setIconSize(14, 10);
    // Legend swatches: one empty bar series per state, drawn by the items below.
    for (auto s : {MemorySpan::State::writing, MemorySpan::State::archived, MemorySpan::State::expanded}) {
        auto* swatch = new QCPBars(plot_->xAxis, plot_->yAxis);
        swatch->setProperty("state", int(s));
        swatch->setName(s == MemorySpan::State::writing    ? tr("raw text, being written")
                        : s == MemorySpan::State::archived ? tr("archived: only the summary in the context")
                                                           : tr("expanded: the raw text in the context again"));
    }
    playhead_ = new QCPItemStraightLine(plot_);
    empty_note_ = new QCPItemText(plot_);
    empty_note_->position->setType(QCPItemPosition::ptAxisRectRatio);
    empty_note_->position->setCoords(0.5, 0.5);
    empty_note_->setClipToAxisRect(true);
    empty_note_->setText(tr("The memory timeline shows LightThinker++ runs (method lightthinker-pp): which steps the "
                            "context holds as raw text and which as summaries."));
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->button() == Qt::LeftButton && plot_->axisRect()->rect().contains(e->pos()))
            emit stepClicked(std::max(0, int(plot_->xAxis->pixelToCoord(e->pos().x()) + 0.5)));
    });
    applyTheme();
    refresh();
}

void MemoryTimeline::applyTheme() {
    PlotView::applyTheme();
    for (int i = 0; i < plot_->plottableCount(); ++i)
        if (auto* bars = qobject_cast<QCPBars*>(plot_->plottable(i))) {
            bars->setBrush(palette_.fill(role_of(MemorySpan::State(bars->property("state").toInt()))));
            bars->setPen(Qt::NoPen);
        }
    if (playhead_) playhead_->setPen(QPen(palette_.foreground(), 1, Qt::DashLine));
    if (empty_note_) empty_note_->setColor(palette_.foreground());
    signature_.clear();
}

void MemoryTimeline::refresh() {
    QString sig;
    for (int pane = 0; pane < 2; ++pane)
        if (runs_[pane])
            sig += QStringLiteral("%1:%2:%3:%4;")
                       .arg(pane)
                       .arg(runs_[pane]->current_step())
                       .arg(runs_[pane]->memory_events().size())
                       .arg(runs_[pane]->tokens().size());
    if (sig == signature_ && !runs_changed_) return;
    signature_ = sig;
    runs_changed_ = false;

    // Rows: the left run's memory steps, then the right run's.
    spans_.clear();
    int rows[2] = {0, 0}, last_step = 0;
    for (int pane = 0; pane < 2; ++pane) {
        if (!runs_[pane]) continue;
        const int step = runs_[pane]->current_step();
        last_step = std::max(last_step, step);
        for (const auto& s : memory_spans(*runs_[pane], pane, step)) {
            rows[pane] = std::max(rows[pane], s.memory_step + 1);
            spans_.push_back(s);
        }
    }
    const bool both = rows[0] > 0 && rows[1] > 0;
    for (int i = plot_->itemCount() - 1; i >= 0; --i)
        if (plot_->item(i) != playhead_ && plot_->item(i) != empty_note_) plot_->removeItem(i);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int pane = 0; pane < 2; ++pane)
        for (int r = 0; r < rows[pane]; ++r) {
            const QString name = QString::fromStdString(RunModel::method_display_name(runs_[pane]->header().method));
            ticker->addTick(pane == 0 ? r : rows[0] + r,
                            both ? tr("%1 (%2) · %3").arg(pane == 0 ? tr("left") : tr("right"), name).arg(r + 1)
                                 : tr("step %1").arg(r + 1));
        }
    plot_->yAxis->setTicker(ticker);
    for (const auto& s : spans_) {
        const double row = s.pane == 0 ? s.memory_step : rows[0] + s.memory_step;
        auto* rect = new QCPItemRect(plot_);
        rect->topLeft->setCoords(s.from, row - 0.36);
        rect->bottomRight->setCoords(std::max(s.to, s.from + 1), row + 0.36);
        QColor fill = palette_.fill(role_of(s.state));
        rect->setBrush(fill);
        rect->setPen(QPen(fill.darker(130), 1));
        rect->setClipToAxisRect(true);
    }
    const int total_rows = rows[0] + rows[1];
    empty_note_->setVisible(total_rows == 0);
    plot_->yAxis->setRange(-0.7, std::max(1, total_rows) - 0.3);
    plot_->xAxis->setRange(0, std::max(10, last_step + 2));
    playhead_->point1->setCoords(last_step, 0);
    playhead_->point2->setCoords(last_step, 1);
    playhead_->setVisible(total_rows > 0);
    replotNow();
}

QString MemoryTimeline::csv() const {
    QString out = QStringLiteral("pane,method,memory_step,state,from_step,to_step,summary\n");
    for (const auto& s : spans_) {
        const RunModel* run = runs_[s.pane];
        std::string summary;
        for (const auto& m : run->memory_steps())
            if (m.index == s.memory_step) summary = m.summary;
        out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                   .arg(s.pane == 0 ? QLatin1String("left") : QLatin1String("right"),
                        QString::fromStdString(run->header().method))
                   .arg(s.memory_step + 1)
                   .arg(state_name(s.state))
                   .arg(s.from)
                   .arg(s.to)
                   .arg(csv_cell(QString::fromStdString(summary)));
    }
    return out;
}

}  // namespace gistscope::ui
