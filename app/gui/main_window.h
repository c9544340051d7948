// main_window.h: the GistScope window. Problem editor with bundled examples; two run panes (left
// LightThinker, right the comparison method); model / method pickers with their parameters; Run /
// Stop; a step bar (slider, play / pause, speed) that drives every view, live or on opened traces;
// teaching mode that pauses at each compression; plots in dockable tabs; a status bar with device,
// backend (and why CPU), tokens/s and cache use. The engine runs in two EngineWorkers on their own
// threads; views redraw from a 30 Hz frame timer when something changed.
#pragma once
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>
#include <QThread>
#include <set>

#include "engine_worker.h"
#include "widgets/run_model.h"
#include "widgets/text_strip.h"

class QCheckBox;
class QComboBox;
class QDockWidget;
class QFrame;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;
class QToolButton;
class QMessageBox;
class QMenu;

namespace gistscope::ui {
class TokenStreamView;
class OccupancyPlot;
class MaskHeatmap;
class AttentionHeatmap;
class MetricsTable;
class PlotView;
}  // namespace gistscope::ui

namespace gistscope::gui {

class RunPane;
class Settings;

// Which view a File ▸ Export action writes.
enum class ViewId { occupancy = 0, mask = 1, attention = 2, metrics = 3 };

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
    // Copies the traces of the panes into `dir`. Shows a dialog on failure.
    bool saveTraces(const QString& dir);
    // Starts both panes with the current problem and choices.
    void startRun();
    void stopRun();
    bool isRunning() const { return running_[0] || running_[1]; }
    // Shows every view at `step` (pauses playback).
    void setStep(int step);
    int step() const { return display_step_; }
    int lastStep() const;
    void setPlaying(bool playing);
    bool isPlaying() const { return playing_; }
    // Redraws every view now (the frame timer does this at 30 Hz).
    void refreshViews(bool force = false);
    // Renders the window into a PNG; returns false with a dialog-free error.
    bool saveScreenshot(const QString& path, QString* error);
    // Shows the plot tab `view`.
    void showView(ViewId view);

    WindowSnapshot snapshot() const;
    void restore(const WindowSnapshot& snapshot);

    // For tests and the benchmark.
    const ui::RunModel& run(int pane) const { return runs_[pane]; }
    RunPane* pane(int i) const { return panes_[i]; }
    ui::OccupancyPlot* occupancyPlot() const { return occupancy_; }
    ui::MaskHeatmap* maskHeatmap() const { return mask_; }
    ui::AttentionHeatmap* attentionHeatmap() const { return attention_; }
    ui::MetricsTable* metricsTable() const { return metrics_; }
    QSlider* stepSlider() const { return slider_; }
    QPlainTextEdit* problemEditor() const { return problem_; }
    QComboBox* modelBox(int pane) const { return model_box_[pane]; }
    QComboBox* methodBox(int pane) const { return method_box_[pane]; }
    QSpinBox* maxTokensBox() const { return max_tokens_; }
    QPushButton* runButton() const { return run_button_; }
    QPushButton* stopButton() const { return stop_button_; }
    ui::TextStrip* statusDevice() const { return status_device_; }
    QFrame* teachingBanner() const { return teach_banner_; }
    EngineWorker* worker(int pane) const { return workers_[pane]; }
    // Sets a pane's model folder (added to the picker if it is not listed).
    void setModelDir(int pane, const QString& dir);
    void setMethod(int pane, const QString& method);
    void setProblem(const QString& question, const QString& expected);
    // Resources folder (models, datasets) found at start.
    static QString resourcesDir();

signals:
    void runFinished();  // both panes done
    void languageChangeRequested(const QString& language);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void buildMenus();
    QWidget* buildControls();
    QWidget* buildStepBar();
    void buildDocks();
    void loadExamples();
    void populateModels();
    void updateMethodParams(int pane);
    void updateControls();
    void updateStatus();
    void onFrame();
    void onStarted(const RunStarted& info);
    void onEvents(int pane, int run_id, const EventBatch& batch);
    void onFinished(int pane, int run_id, const QString& error, const QString& kind);
    void showError(const QString& title, const QString& text);
    void continueTeaching();
    void exportWithDialog(ViewId view);
    void openWithDialog();
    void saveWithDialog();
    void attachRuns();
    SessionParams paramsFor(int pane) const;
    double speedStepsPerSecond() const;
    QString methodOf(int pane) const;

    Settings* settings_ = nullptr;
    ui::RunModel runs_[2];
    QString trace_files_[2];
    RunPane* panes_[2] = {};
    ui::OccupancyPlot* occupancy_ = nullptr;
    ui::MaskHeatmap* mask_ = nullptr;
    ui::AttentionHeatmap* attention_ = nullptr;
    ui::MetricsTable* metrics_ = nullptr;
    QDockWidget* docks_[4] = {};

    QPlainTextEdit* problem_ = nullptr;
    QComboBox* examples_ = nullptr;
    QLineEdit* expected_ = nullptr;
    QComboBox* model_box_[2] = {};
    QComboBox* method_box_[2] = {};
    QWidget* param_rows_[2] = {};
    QSpinBox* token_step_[2] = {};
    QSpinBox* cache_size_[2] = {};
    QSpinBox* h2o_recent_[2] = {};
    QSpinBox* sep_init_[2] = {};
    QSpinBox* sep_separators_[2] = {};
    QSpinBox* sep_local_[2] = {};
    QLabel* param_labels_[2][6] = {};
    QSpinBox* max_tokens_ = nullptr;
    QComboBox* backend_box_ = nullptr;
    QComboBox* attention_box_ = nullptr;
    QPushButton* run_button_ = nullptr;
    QPushButton* stop_button_ = nullptr;
    QCheckBox* teaching_box_ = nullptr;
    QSlider* speed_ = nullptr;
    ui::TextStrip* speed_label_ = nullptr;

    QWidget* step_bar_ = nullptr;
    QToolButton* play_button_ = nullptr;
    QSlider* slider_ = nullptr;
    ui::TextStrip* step_label_ = nullptr;

    QFrame* teach_banner_ = nullptr;
    QLabel* teach_text_ = nullptr;
    QPushButton* teach_continue_ = nullptr;

    ui::TextStrip* status_device_ = nullptr;
    ui::TextStrip* status_speed_ = nullptr;
    ui::TextStrip* status_cache_ = nullptr;
    ui::TextStrip* status_step_ = nullptr;

    QThread threads_[2];
    EngineWorker* workers_[2] = {};
    int run_ids_[2] = {0, 0};
    bool running_[2] = {false, false};
    bool stopping_ = false;
    RunStarted started_[2];
    bool have_started_[2] = {false, false};
    QString run_errors_[2];
    std::unique_ptr<QTemporaryDir> temp_;  // this window's recorded traces
    QString temp_dir_;

    QTimer* frame_timer_ = nullptr;
    QElapsedTimer frame_clock_;
    QElapsedTimer metrics_clock_;
    bool dirty_ = true;
    int display_step_ = 0;
    double display_pos_ = 0;  // fractional playhead
    bool playing_ = false;
    bool teach_paused_ = false;
    std::set<std::pair<int, int>> explained_;  // (pane, compression index)
    // tokens/s over the last second, from token arrivals
    QElapsedTimer tps_clock_;
    int tps_tokens_ = 0;
    double tps_ = 0;
};

}  // namespace gistscope::gui
