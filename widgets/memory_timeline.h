// memory_timeline.h: LightThinker++ memory over time. One row per memory step, one bar per span of
// decoding steps coloured by what the context held of it: the raw text being written, the summary
// only (archived), or the raw text again (expanded). A bar starts at the action that put the step
// in that state (commit, expand, fold); a dashed line is the playhead. Either pane's run may be a
// LightThinker++ run; both are drawn, the left one's rows on top.
#pragma once
#include "widgets/plot_view.h"

class QCPItemStraightLine;
class QCPItemText;

namespace gistscope::ui {

// One bar of the timeline: memory step `row` was in `state` over decoding steps [from, to).
struct MemorySpan {
    enum class State { writing, archived, expanded };
    int pane = 0;
    int memory_step = 0;   // 0-based
    State state = State::writing;
    int from = 0, to = 0;
};
// The spans of a run up to `step` (the current one is cut at step + 1). Empty for other methods.
std::vector<MemorySpan> memory_spans(const RunModel& run, int pane, int step);

class MemoryTimeline : public PlotView {
    Q_OBJECT
public:
    explicit MemoryTimeline(QWidget* parent = nullptr);
    void refresh() override;
    QString csv() const override;
    QString exportName() const override { return QStringLiteral("memory"); }
    // Bars drawn at the last refresh (tests).
    const std::vector<MemorySpan>& spans() const { return spans_; }

signals:
    void stepClicked(int step);

protected:
    void applyTheme() override;

private:
    std::vector<MemorySpan> spans_;
    QString signature_;
    QCPItemStraightLine* playhead_ = nullptr;
    QCPItemText* empty_note_ = nullptr;
};

}  // namespace gistscope::ui
