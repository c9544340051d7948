// run_pane.cpp: header, stream and footer of a run pane.
#include "run_pane.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "widgets/verdict.h"

namespace gistscope::gui {

RunPane::RunPane(int pane, QWidget* parent) : QFrame(parent), pane_(pane) {
    setObjectName(pane == 0 ? QStringLiteral("leftPane") : QStringLiteral("rightPane"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* header = new QWidget(this);
    header->setObjectName(QStringLiteral("paneHeader"));
    auto* hl = new QHBoxLayout(header);
    hl->setContentsMargins(10, 6, 10, 6);
    auto* swatch = new QLabel(header);
    swatch->setFixedSize(12, 12);
    const QColor c = ui::RolePalette::for_palette(palette()).series(pane);
    swatch->setStyleSheet(QStringLiteral("background:%1;border-radius:6px;").arg(c.name()));
    // Paint-only: a new run's title must not relayout the window (latency while streaming).
    title_ = new ui::TextStrip(header, 190);
    title_->setObjectName(QStringLiteral("paneTitle"));
    QFont tf = title_->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.12);
    title_->setFont(tf);
    subtitle_ = new ui::TextStrip(header);
    subtitle_->setForegroundRole(QPalette::PlaceholderText);
    state_ = new ui::TextStrip(header, 90);
    state_->setAlignment(Qt::AlignRight);
    state_->setObjectName(QStringLiteral("paneState"));
    hl->addWidget(swatch);
    hl->addWidget(title_);
    hl->addWidget(subtitle_, 1);
    title_->setFixedHeight(QFontMetrics(tf).height() + 6);
    hl->addWidget(state_);
    layout->addWidget(header);
    stream_ = new ui::TokenStreamView(this);
    layout->addWidget(stream_, 1);
    footer_ = new ui::TextStrip(this);
    footer_->setObjectName(QStringLiteral("paneFooter"));
    footer_->setContentsMargins(10, 5, 10, 5);
    auto* fl = new QHBoxLayout;
    fl->setContentsMargins(10, 3, 10, 4);
    fl->addWidget(footer_);
    layout->addLayout(fl);
    stream_->setPlaceholder(pane == 0 ? tr("The LightThinker run appears here.\nChoose a problem and press Run, or open a trace.")
                                      : tr("The comparison run appears here."));
    refresh(QString());
}

void RunPane::setRun(const ui::RunModel* run) {
    run_ = run;
    stream_->setRun(run);
}

void RunPane::refresh(const QString& state) {
    if (!run_ || run_->empty()) {
        title_->setText(pane_ == 0 ? tr("LightThinker") : tr("Comparison"));
        subtitle_->setText(QString());
        state_->setText(state);
        footer_->setText(QStringLiteral(" "));
        verdict_ = ui::Verdict::running;
        return;
    }
    const auto& h = run_->header();
    title_->setText(QString::fromStdString(ui::RunModel::method_display_name(h.method)));
    QString sub = QString::fromStdString(h.model);
    if (h.cache_tokens > 0 && h.method != "vanilla" && h.method != "h2o" && h.method != "h2o-global" &&
        h.method != "sepllm" && h.method != "lightthinker-pp")
        sub += QStringLiteral(" · |C| = %1").arg(h.cache_tokens);
    subtitle_->setText(sub);
    state_->setText(state);
    const ui::StepMetrics m = run_->metrics_at(run_->current_step());
    const auto pal = ui::RolePalette::for_palette(palette());
    // LightThinker++ has no compressions: it counts its actions and the context they left.
    QString footer = run_->is_memory_run()
                         ? tr("%1 tokens · context %2 · peak %3 · %n commit(s)", nullptr, m.memory.commits)
                                   .arg(m.generated_tokens)
                                   .arg(m.cache_tokens)
                                   .arg(m.peak_tokens) +
                               tr(" · %n expand(s)", nullptr, m.memory.expands) +
                               tr(" · %n fold(s)", nullptr, m.memory.folds)
                         : tr("%1 tokens · cache %2 · peak %3 · %n compression(s)", nullptr, m.compressions)
                               .arg(m.generated_tokens)
                               .arg(m.cache_tokens)
                               .arg(m.peak_tokens);
    const ui::Verdict v = ui::verdict_of(*run_);
    if (v != ui::Verdict::running) {
        // Says what really happened: an answer is marked right or wrong; without one, why there is none.
        const QString text = ui::verdict_text(v, *run_).toHtmlEscaped();
        // The verdict first: a narrow pane cuts the end of the line, not what happened.
        const QString counts = footer;
        footer.clear();
        if (m.answer) footer += tr("answer <b>%1</b>").arg(QString::fromStdString(*m.answer).toHtmlEscaped()) + QLatin1Char(' ');
        if (v == ui::Verdict::right)
            footer += QStringLiteral("<span style='color:%1'>✔ %2</span>").arg(pal.fill(ui::ViewRole::gist).name(), text);
        else if (v == ui::Verdict::wrong)
            footer += QStringLiteral("<span style='color:%1'>✘ %2</span>").arg(pal.fill(ui::ViewRole::answer).name(), text);
        else if (v == ui::Verdict::unchecked)
            footer += QStringLiteral("(%1)").arg(text);
        else
            footer += QStringLiteral("<b>%1</b>").arg(text);
        footer += QStringLiteral(" &nbsp;·&nbsp; ") + counts;
    }
    verdict_ = v;
    footer_->setText(footer);
}

}  // namespace gistscope::gui
