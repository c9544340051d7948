// playback.cpp: step bar, playhead and teaching mode.
#include "playback.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <algorithm>

#include "run_controller.h"
#include "settings.h"
#include "widgets/role_palette.h"

namespace gistscope::gui {

namespace {
// Playback speeds in decoding steps per second; the last one means "as fast as the run".
constexpr double speed_steps[] = {1, 2, 5, 10, 25, 50, 100, 250, 0};
constexpr int speed_count = int(sizeof(speed_steps) / sizeof(speed_steps[0]));
}  // namespace

Playback::Playback(Settings* settings, const RunController* runs, QWidget* parent_widget)
    : QObject(parent_widget), settings_(settings), runs_(runs) {
    step_bar_ = new QWidget(parent_widget);
    step_bar_->setObjectName(QStringLiteral("stepBar"));
    auto* h = new QHBoxLayout(step_bar_);
    h->setContentsMargins(0, 0, 0, 0);
    play_button_ = new QToolButton(step_bar_);
    play_button_->setObjectName(QStringLiteral("playButton"));
    play_button_->setIcon(step_bar_->style()->standardIcon(QStyle::SP_MediaPlay));
    play_button_->setToolTip(tr("Play or pause the replay (Space)."));
    // A fixed size: switching the icon (play / pause) then does not relayout the window.
    play_button_->setFixedSize(play_button_->sizeHint());
    connect(play_button_, &QToolButton::clicked, this, [this] {
        if (!playing_ && step_ >= lastStep()) setStep(0);  // replay from the start
        setPlaying(!playing_);
    });
    auto* label = new QLabel(tr("Step"), step_bar_);
    slider_ = new QSlider(Qt::Horizontal, step_bar_);
    slider_->setObjectName(QStringLiteral("stepSlider"));
    slider_->setToolTip(tr("The decoding step every view shows. Drag to replay the run."));
    slider_->setRange(0, 0);
    label->setBuddy(slider_);
    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        if (v != step_) setStep(v);
    });
    step_label_ = new ui::TextStrip(step_bar_, 130);
    step_label_->setAlignment(Qt::AlignRight);

    teaching_box_ = new QCheckBox(tr("Teaching mode"), step_bar_);
    teaching_box_->setObjectName(QStringLiteral("teachingMode"));
    teaching_box_->setToolTip(tr("Pause at each compression and explain what was kept and what was evicted."));
    teaching_box_->setChecked(settings_->teachingMode());
    connect(teaching_box_, &QCheckBox::toggled, this, [this](bool on) {
        settings_->setTeachingMode(on);
        if (!on) continueTeaching();  // no banner without teaching mode
    });
    auto* sp_label = new QLabel(tr("Speed"), step_bar_);
    speed_ = new QSlider(Qt::Horizontal, step_bar_);
    speed_->setObjectName(QStringLiteral("speed"));
    speed_->setRange(0, speed_count - 1);
    speed_->setValue(std::clamp(settings_->speed(), 0, speed_count - 1));
    speed_->setFixedWidth(100);
    speed_->setToolTip(tr("Playback speed in decoding steps per second; the rightmost follows the run as fast as it "
                          "goes."));
    sp_label->setBuddy(speed_);
    speed_label_ = new ui::TextStrip(step_bar_, 80);
    auto update_speed = [this](int v) {
        speed_label_->setText(speed_steps[v] > 0 ? tr("%1 steps/s").arg(speed_steps[v]) : tr("max"));
        settings_->setSpeed(v);
    };
    connect(speed_, &QSlider::valueChanged, this, update_speed);
    update_speed(speed_->value());
    h->addWidget(play_button_);
    h->addWidget(label);
    h->addWidget(slider_, 1);
    h->addWidget(step_label_);
    h->addSpacing(10);
    h->addWidget(teaching_box_);
    h->addSpacing(6);
    h->addWidget(sp_label);
    h->addWidget(speed_);
    h->addWidget(speed_label_);

    banner_ = new QFrame(parent_widget);
    banner_->setObjectName(QStringLiteral("teachingBanner"));
    banner_->setFrameShape(QFrame::StyledPanel);
    {
        const auto pal = ui::RolePalette::for_palette(banner_->palette());
        QColor bg = pal.fill(ui::ViewRole::gist);
        bg.setAlpha(40);
        banner_->setStyleSheet(QStringLiteral("#teachingBanner{background:rgba(%1,%2,%3,%4);border:1px solid %5;border-radius:6px;}")
                                   .arg(bg.red()).arg(bg.green()).arg(bg.blue()).arg(bg.alpha())
                                   .arg(pal.fill(ui::ViewRole::gist).name()));
    }
    auto* tb = new QHBoxLayout(banner_);
    tb->setContentsMargins(10, 6, 10, 6);
    banner_text_ = new QLabel(banner_);
    banner_text_->setWordWrap(true);
    banner_text_->setTextFormat(Qt::RichText);
    banner_continue_ = new QPushButton(tr("Continue"), banner_);
    banner_continue_->setToolTip(tr("Resume the playback until the next compression."));
    connect(banner_continue_, &QPushButton::clicked, this, &Playback::continueTeaching);
    tb->addWidget(banner_text_, 1);
    tb->addWidget(banner_continue_);
    banner_->hide();
    frame_clock_.start();
}

int Playback::lastStep() const { return std::max(runs_->run(0).last_step(), runs_->run(1).last_step()); }

double Playback::speedStepsPerSecond() const { return speed_steps[speed_->value()]; }

void Playback::setPlaying(bool playing) {
    const bool changed = playing != playing_;
    playing_ = playing;
    pos_ = step_;
    play_button_->setIcon(step_bar_->style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    play_button_->setToolTip(playing ? tr("Pause (Space).") : tr("Play the replay (Space)."));
    frame_clock_.restart();
    if (changed) emit playingChanged(playing);
}

void Playback::setStep(int step) {
    step = std::clamp(step, 0, lastStep());
    if (playing_ && !runs_->isRunning()) setPlaying(false);
    if (runs_->isRunning() && step < lastStep()) setPlaying(false);
    step_ = step;
    pos_ = step;
    emit stepChanged();
}

void Playback::restart() {
    continueTeaching();
    explained_.clear();
    step_ = 0;
    pos_ = 0;
    setPlaying(true);
}

void Playback::showEnd() {
    continueTeaching();
    explained_.clear();
    step_ = lastStep();
    setPlaying(false);
}

void Playback::continueTeaching() {
    banner_->hide();
    teach_paused_ = false;
    frame_clock_.restart();
}

bool Playback::advance() {
    const double dt = std::min(0.25, frame_clock_.restart() / 1000.0);
    if (!playing_ || teach_paused_) return false;
    const int latest = lastStep();
    const double sps = speedStepsPerSecond();
    const bool teaching = teaching_box_->isChecked();
    int next = latest;
    if (sps > 0 || teaching) {
        pos_ = std::min(double(latest), pos_ + (sps > 0 ? sps : 400.0) * dt);
        next = int(pos_);
    } else {
        pos_ = latest;
    }
    if (teaching) stopAtCompression(next);
    const bool changed = next != step_;
    step_ = next;
    if (!runs_->isRunning() && step_ >= latest && !teach_paused_) setPlaying(false);
    return changed;
}

// The earliest compression or LightThinker++ action in (step_, next] not yet explained stops the
// playhead there.
bool Playback::stopAtCompression(int& next) {
    int stop_step = -1, stop_pane = -1, stop_index = -1;
    bool stop_memory = false;
    auto consider = [&](int pane, bool memory, int i, int s) {
        if (s <= step_ || s > next || explained_.count({pane, memory ? -1 - i : i})) return false;
        if (stop_step < 0 || s < stop_step) stop_step = s, stop_pane = pane, stop_index = i, stop_memory = memory;
        return true;
    };
    for (int pane = 0; pane < 2; ++pane) {
        const auto& run = runs_->run(pane);
        const auto& comps = run.compressions();
        for (int i = 0; i < int(comps.size()); ++i)
            if (consider(pane, false, i, comps[size_t(i)].step)) break;
        const auto& mem = run.memory_events();
        for (int i = 0; i < int(mem.size()); ++i)
            if (consider(pane, true, i, mem[size_t(i)].step)) break;
    }
    if (stop_step < 0) return false;
    next = stop_step;
    pos_ = stop_step;
    explained_.insert({stop_pane, stop_memory ? -1 - stop_index : stop_index});
    const auto& run = runs_->run(stop_pane);
    if (stop_memory) {
        const MemoryEvent& e = run.memory_events()[size_t(stop_index)];
        banner_text_->setText(memoryActionText(e));
        banner_->show();
        teach_paused_ = true;
        // Show the step the action is about: its raw text in the stream.
        int32_t at = e.raw_positions.empty() ? -1 : e.raw_positions.front();
        for (const auto& m : run.memory_steps())
            if (m.index == e.memory_step && at < 0)
                for (const auto& t : run.tokens())
                    if (t.block == m.block) {
                        at = t.position;
                        break;
                    }
        if (at >= 0) emit explainAt(stop_pane, at);
        return true;
    }
    const auto& c = run.compressions()[size_t(stop_index)];
    int32_t lo = 0, hi = 0;
    if (!c.thought_positions.empty())
        lo = *std::min_element(c.thought_positions.begin(), c.thought_positions.end()),
        hi = *std::max_element(c.thought_positions.begin(), c.thought_positions.end());
    int gists = 0, conts = 0;
    for (int32_t p : c.gist_positions) {
        const int ti = run.token_at_position(p);
        if (ti >= 0 && run.tokens()[size_t(ti)].view_role == ui::ViewRole::continue_) ++conts;
        else ++gists;
    }
    banner_text_->setText(
        tr("<b>Step %1 — %2 compressed thought %3.</b> The thought's %4 tokens (positions %5–%6, its "
           "splitter included) were written into %7 gist token(s)%8, then evicted from the KV cache. "
           "Kept: the prompt (%9 tokens), the gists of earlier thoughts and the new gists. The cache went "
           "from %10 to %11 tokens; the next token sees only what was kept.")
            .arg(stop_step)
            .arg(QString::fromStdString(ui::RunModel::method_display_name(run.header().method)))
            .arg(c.thought + 1)
            .arg(c.thought_positions.size())
            .arg(lo)
            .arg(hi)
            .arg(gists)
            .arg(conts > 0 ? tr(" and the continue token [o]") : QString())
            .arg(run.prompt_tokens())
            .arg(c.cache_before)
            .arg(c.cache_after));
    banner_->show();
    teach_paused_ = true;
    emit explainAt(stop_pane, c.gist_positions.empty() ? lo : c.gist_positions.front());
    return true;
}

QString Playback::memoryActionText(const MemoryEvent& e) {
    const QString content = QString::fromStdString(e.content).toHtmlEscaped();
    const int k = e.memory_step + 1;
    switch (e.action) {
        case MemoryAction::commit:
            return tr("<b>Step %1 — LightThinker++ committed step %2.</b> The model closed the step and summarised its "
                      "%3 raw tokens as “%4”. From now on the context holds only that summary: %5 → %6 tokens, of "
                      "which the first %7 kept their KV entries and %8 were fed again.")
                .arg(e.step).arg(k).arg(e.raw_positions.size()).arg(content)
                .arg(e.context_before).arg(e.context_after).arg(e.kept).arg(e.reprefilled);
        case MemoryAction::expand:
            return tr("<b>Step %1 — LightThinker++ expanded step %2.</b> The model needs a detail that only the step's "
                      "raw text holds, so the raw text replaces its summary in the context: %3 → %4 tokens. Everything "
                      "from step %2 on was fed again (%5 tokens): that is the price of an expand.")
                .arg(e.step).arg(k).arg(e.context_before).arg(e.context_after).arg(e.reprefilled);
        case MemoryAction::fold:
            return tr("<b>Step %1 — LightThinker++ folded step %2.</b> The model has read what it needed; the step's "
                      "raw text leaves the context again and its summary stays: %3 → %4 tokens, %5 fed again.")
                .arg(e.step).arg(k).arg(e.context_before).arg(e.context_after).arg(e.reprefilled);
        case MemoryAction::final_answer:
            return tr("<b>Step %1 — final answer.</b> The model wrote its answer “%2” with the final_answer action, "
                      "which ends the run.")
                .arg(e.step).arg(content);
        case MemoryAction::invalid: break;
    }
    return tr("<b>Step %1 — an action the runtime refused.</b> %2 The action was taken out of the text and the context "
              "did not change.")
        .arg(e.step)
        .arg(QString::fromStdString(e.error).toHtmlEscaped());
}

void Playback::updateBar() {
    const int latest = lastStep();
    slider_->blockSignals(true);
    slider_->setRange(0, latest);
    slider_->setValue(step_);
    slider_->blockSignals(false);
    step_label_->setText(tr("step %1 / %2").arg(step_).arg(latest));
}

}  // namespace gistscope::gui
