// run_pane.h: one side of the window: a header naming the method and model, the reasoning stream,
// and a footer with the answer and whether it is correct.
#pragma once
#include <QFrame>

#include "widgets/run_model.h"
#include "widgets/text_strip.h"
#include "widgets/token_stream_view.h"
#include "widgets/verdict.h"

class QLabel;

namespace gistscope::gui {

class RunPane : public QFrame {
    Q_OBJECT
public:
    explicit RunPane(int pane, QWidget* parent = nullptr);
    ui::TokenStreamView* stream() const { return stream_; }
    void setRun(const ui::RunModel* run);
    // Header and footer from the run at its current step; `state` is "running", "stopped", ...
    void refresh(const QString& state);
    // The verdict the footer shows (running while the run is not at its end).
    ui::Verdict verdict() const { return verdict_; }
    QString footerText() const { return footer_->text(); }

private:
    int pane_ = 0;
    ui::Verdict verdict_ = ui::Verdict::running;
    const ui::RunModel* run_ = nullptr;
    ui::TextStrip* title_ = nullptr;
    ui::TextStrip* subtitle_ = nullptr;
    ui::TextStrip* state_ = nullptr;
    ui::TextStrip* footer_ = nullptr;
    ui::TokenStreamView* stream_ = nullptr;
};

}  // namespace gistscope::gui
