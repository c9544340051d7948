// run_controller.h: the two runs of the window and the engine workers behind them. Starts both
// panes, feeds the workers' event batches into the RunModels the views read, stops them, and opens
// traces for replay. A run that fails before it produced a token (model, input, backend) gives the
// previous runs back, so a failed start never wipes what was on screen; its errors are reported
// once, together, when both panes are done.
#pragma once
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <QThread>
#include <memory>
#include <vector>

#include "engine_worker.h"
#include "widgets/run_model.h"

namespace gistscope::gui {

struct PaneRequest {
    bool use = false;  // false: the pane stays empty (right pane "none")
    QString model_dir;
    SessionParams params;
};

class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Starts the panes with `use`; the traces are recorded in this controller's temporary folder.
    void start(const PaneRequest panes[2], const QString& question, const QString& expected, const QString& backend,
               int threads);
    void stop();
    // Replaces both runs by traces (one or two); `files` are their paths.
    void openTraces(std::vector<Trace> traces, const QStringList& files);

    bool isRunning() const { return running_[0] || running_[1]; }
    bool isRunning(int pane) const { return running_[pane]; }
    bool isStopping() const { return stopping_; }
    const ui::RunModel& run(int pane) const { return runs_[pane]; }
    // The step the views draw, on both runs (the playhead).
    void setDisplayStep(int step) {
        for (auto& r : runs_) r.set_current_step(step);
    }
    QString traceFile(int pane) const { return trace_files_[pane]; }
    bool hasStarted(int pane) const { return have_started_[pane]; }
    const RunStarted& startInfo(int pane) const { return started_[pane]; }
    QString error(int pane) const { return run_errors_[pane]; }
    // Tokens the models chose since the last call (for tokens/s).
    int takeTokenCount() {
        const int n = tokens_;
        tokens_ = 0;
        return n;
    }
    EngineWorker* worker(int pane) const { return workers_[pane]; }

signals:
    void runsReplaced();   // new RunModels: the views must re-attach
    void eventsArrived();  // runs grew
    // Both panes ended. `title`/`text` are empty when nothing failed; else one message for all.
    void finished(const QString& title, const QString& text);

private:
    void onStarted(const RunStarted& info);
    void onEvents(int pane, int run_id, const EventBatch& batch);
    void onFinished(int pane, int run_id, const QString& error, const QString& kind);

    QThread threads_[2];
    EngineWorker* workers_[2] = {};
    ui::RunModel runs_[2];
    QString trace_files_[2];
    // What was on screen before the current start, given back when it fails before any token.
    ui::RunModel previous_runs_[2];
    QString previous_files_[2];
    int run_ids_[2] = {0, 0};
    bool running_[2] = {false, false};
    bool stopping_ = false;
    RunStarted started_[2];
    bool have_started_[2] = {false, false};
    QString run_errors_[2];
    QString error_kinds_[2];
    int tokens_ = 0;
    std::unique_ptr<QTemporaryDir> temp_;  // this window's recorded traces
};

}  // namespace gistscope::gui
