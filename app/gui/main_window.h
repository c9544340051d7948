// main_window.h: the GistScope window, the frame around its parts: the controls (ControlPanel),
// the runs and their engine workers (RunController), the playhead with its step bar and teaching
// banner (Playback), the two run panes, the plot tabs (ViewTabs), the File menu's work
// (FileActions) and find / copy in the streams (StreamTools). The window lays them out, builds the
// menus and the status bar, wires them together and redraws every view from a 30 Hz frame timer
// when something changed.
#pragma once
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include "view_tabs.h"
#include "widgets/run_model.h"
#include "widgets/text_strip.h"

class QComboBox;
class QDockWidget;
class QFrame;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;

namespace gistscope::ui {
class OccupancyPlot;
class MaskHeatmap;
class AttentionHeatmap;
class MetricsTable;
}  // namespace gistscope::ui

namespace gistscope::gui {

class ControlPanel;
class EngineWorker;
class FileActions;
class ModelList;
class Playback;
class RunController;
class RunPane;
class Settings;
class StreamTools;

// What survives a rebuild of the window (language switch).
struct WindowSnapshot {
    QString problem;
    QString expected;
    QStringList traces;  // recorded or opened traces, left then right
    int step = -1;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Settings* settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens one or two traces for replay. Shows a dialog and keeps the current runs on failure.
    bool openTraces(const QStringList& paths);
    // Writes a view to `path` (format by suffix). Shows a dialog on failure.
    bool exportView(ViewId view, const QString& path);
    // Writes the panes' traces under the base name `base` (see FileActions::saveTraces).
    bool saveTraces(const QString& base, bool overwrite = false);
    // Starts both panes with the current problem and choices.
    void startRun();
    // Stops the runs, or the playback when nothing runs.
    void stopRun();
    bool isRunning() const;
    // Shows every view at `step` (pauses playback).
    void setStep(int step);
    int step() const;
    int lastStep() const;
    void setPlaying(bool playing);
    bool isPlaying() const;
    // Redraws every view now (the frame timer does this at 30 Hz).
    void refreshViews(bool force = false);
    // Renders the window into a PNG; returns false with a dialog-free error.
    bool saveScreenshot(const QString& path, QString* error);
    // Shows the plot tab `view`.
    void showView(ViewId view);

    WindowSnapshot snapshot() const;
    void restore(const WindowSnapshot& snapshot);

    // Parts, for tests and the benchmark.
    ControlPanel* controls() const { return controls_; }
    FileActions* files() const { return files_; }
    Playback* playback() const { return playback_; }
    StreamTools* streamTools() const { return stream_tools_; }
    const ui::RunModel& run(int pane) const;
    RunPane* pane(int i) const { return panes_[i]; }
    ui::OccupancyPlot* occupancyPlot() const { return views_->occupancy(); }
    ui::MaskHeatmap* maskHeatmap() const { return views_->mask(); }
    ui::AttentionHeatmap* attentionHeatmap() const { return views_->attention(); }
    ui::MetricsTable* metricsTable() const { return views_->metrics(); }
    QSlider* stepSlider() const;
    QPlainTextEdit* problemEditor() const;
    QComboBox* modelBox(int pane) const;
    QComboBox* methodBox(int pane) const;
    QSpinBox* maxTokensBox() const;
    QPushButton* runButton() const;
    QPushButton* stopButton() const;
    ui::TextStrip* statusDevice() const { return status_device_; }
    QProgressBar* tokenProgress() const { return status_progress_; }
    QFrame* teachingBanner() const;
    EngineWorker* worker(int pane) const;
    // Sets a pane's model ("" = none). A folder that is not a model shows a dialog and is not kept.
    bool setModelDir(int pane, const QString& dir);
    void setMethod(int pane, const QString& method);
    void setProblem(const QString& question, const QString& expected);
    // Resources folder (models, datasets) found at start.
    static QString resourcesDir();

signals:
    void runFinished();  // both panes done
    void languageChangeRequested(const QString& language);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildUi();
    void buildMenus();
    void buildStatusBar();
    void attachRuns();
    void updateControls();
    void updateStatus();
    void updateTitle();
    void onFrame();
    void onRunFinished(const QString& title, const QString& text);
    void showError(const QString& title, const QString& text);
    void showWarning(const QString& title, const QString& text);
    void showShortcuts();
    QString paneState(int pane) const;

    Settings* settings_ = nullptr;
    ModelList* models_ = nullptr;
    RunController* runs_ = nullptr;
    ControlPanel* controls_ = nullptr;
    Playback* playback_ = nullptr;
    QDockWidget* evaluation_dock_ = nullptr;  // the Evaluation tab
    ViewTabs* views_ = nullptr;
    FileActions* files_ = nullptr;
    StreamTools* stream_tools_ = nullptr;
    RunPane* panes_[2] = {};

    ui::TextStrip* status_device_ = nullptr;
    ui::TextStrip* status_speed_ = nullptr;
    ui::TextStrip* status_cache_ = nullptr;
    QProgressBar* status_progress_ = nullptr;

    QTimer* frame_timer_ = nullptr;
    bool dirty_ = true;
    bool docks_sized_ = false;  // the plot docks got their share of the first shown size
    // tokens/s over the last half second, from token arrivals
    QElapsedTimer tps_clock_;
    int tps_tokens_ = 0;
    double tps_ = 0;
};

}  // namespace gistscope::gui
