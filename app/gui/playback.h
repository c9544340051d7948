// playback.h: the playhead every view draws. The step bar (play / pause, step slider, teaching
// mode, speed) and the teaching banner; advancing the playhead each frame at the chosen speed,
// following a live run or replaying a finished one, and pausing at each compression in teaching
// mode with an explanation of what was kept and what was evicted (LightThinker++: of each memory
// action).
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <set>
#include <utility>

#include "gistscope/session.h"
#include "widgets/text_strip.h"

class QCheckBox;
class QFrame;
class QLabel;
class QPushButton;
class QSlider;
class QToolButton;
class QWidget;

namespace gistscope::gui {

class RunController;
class Settings;

class Playback : public QObject {
    Q_OBJECT
public:
    Playback(Settings* settings, const RunController* runs, QWidget* parent_widget);

    QWidget* stepBar() const { return step_bar_; }
    QFrame* banner() const { return banner_; }
    QSlider* slider() const { return slider_; }
    QToolButton* playButton() const { return play_button_; }
    QCheckBox* teachingBox() const { return teaching_box_; }
    QSlider* speedSlider() const { return speed_; }

    int step() const { return step_; }
    int lastStep() const;
    bool isPlaying() const { return playing_; }
    void setPlaying(bool playing);
    // Moves the playhead (pauses a replay; pauses a live run's playback unless at its newest step).
    void setStep(int step);
    // A new run starts: playhead at 0, playing, nothing explained yet.
    void restart();
    // New runs opened from traces: playhead at their end, paused.
    void showEnd();
    // Advances by the time since the last frame; true when the step changed.
    bool advance();
    // Updates the slider's range and the step label.
    void updateBar();
    double speedStepsPerSecond() const;
    // Hides the banner and resumes.
    void continueTeaching();
    bool teachingPaused() const { return teach_paused_; }

signals:
    void stepChanged();
    void playingChanged(bool playing);
    // Teaching mode stopped at a compression: show `position` of `pane`.
    void explainAt(int pane, int position);

private:
    bool stopAtCompression(int& next);
    // Teaching mode's explanation of a LightThinker++ action, in one or two sentences.
    static QString memoryActionText(const MemoryEvent& e);

    Settings* settings_ = nullptr;
    const RunController* runs_ = nullptr;
    QWidget* step_bar_ = nullptr;
    QToolButton* play_button_ = nullptr;
    QSlider* slider_ = nullptr;
    ui::TextStrip* step_label_ = nullptr;
    QCheckBox* teaching_box_ = nullptr;
    QSlider* speed_ = nullptr;
    ui::TextStrip* speed_label_ = nullptr;
    QFrame* banner_ = nullptr;
    QLabel* banner_text_ = nullptr;
    QPushButton* banner_continue_ = nullptr;

    QElapsedTimer frame_clock_;
    int step_ = 0;
    double pos_ = 0;  // fractional playhead
    bool playing_ = false;
    bool teach_paused_ = false;
    std::set<std::pair<int, int>> explained_;  // (pane, compression index, or -1 - memory event index)
};

}  // namespace gistscope::gui
