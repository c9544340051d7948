// run_controller.cpp: starting, feeding and stopping the two engine workers.
#include "run_controller.h"

#include <QCoreApplication>
#include <QDir>

namespace gistscope::gui {

RunController::RunController(QObject* parent) : QObject(parent) {
    register_engine_types();
    for (int i = 0; i < 2; ++i) {
        workers_[i] = new EngineWorker;
        workers_[i]->moveToThread(&threads_[i]);
        connect(&threads_[i], &QThread::finished, workers_[i], &QObject::deleteLater);
        connect(workers_[i], &EngineWorker::started, this, &RunController::onStarted, Qt::QueuedConnection);
        connect(workers_[i], &EngineWorker::events, this, &RunController::onEvents, Qt::QueuedConnection);
        connect(workers_[i], &EngineWorker::finished, this, &RunController::onFinished, Qt::QueuedConnection);
        threads_[i].setObjectName(QStringLiteral("engine-%1").arg(i));
        threads_[i].start();
    }
    temp_ = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("gistscope-XXXXXX")));
}

RunController::~RunController() {
    for (auto* w : workers_)
        if (w) w->requestStop();
    for (auto& t : threads_) {
        t.quit();
        t.wait();
    }
}

void RunController::start(const PaneRequest panes[2], const QString& question, const QString& expected,
                          const QString& backend, int threads) {
    if (isRunning()) return;
    stopping_ = false;
    QDir().mkpath(temp_->path());
    for (int pane = 0; pane < 2; ++pane) {
        previous_runs_[pane] = std::move(runs_[pane]);
        previous_files_[pane] = trace_files_[pane];
        ++run_ids_[pane];
        runs_[pane] = ui::RunModel();
        have_started_[pane] = false;
        run_errors_[pane].clear();
        error_kinds_[pane].clear();
        trace_files_[pane].clear();
        if (!panes[pane].use) continue;
        RunRequest req;
        req.pane = pane;
        req.run_id = run_ids_[pane];
        req.model_dir = panes[pane].model_dir;
        req.question = question.toStdString();
        if (!expected.isEmpty()) req.expected_answer = expected.toStdString();
        req.params = panes[pane].params;
        req.backend = backend;
        req.threads = threads;
        req.trace_path = QDir(temp_->path())
                             .filePath(QStringLiteral("%1-%2-%3.trace.jsonl")
                                           .arg(pane == 0 ? QStringLiteral("left") : QStringLiteral("right"))
                                           .arg(run_ids_[pane])
                                           .arg(QString::fromStdString(req.params.policy.method)));
        trace_files_[pane] = req.trace_path;
        running_[pane] = true;
        EngineWorker* w = workers_[pane];
        QMetaObject::invokeMethod(w, [w, req] { w->run(req); }, Qt::QueuedConnection);
    }
    tokens_ = 0;
    emit runsReplaced();
}

void RunController::stop() {
    if (!isRunning()) return;
    stopping_ = true;
    for (int pane = 0; pane < 2; ++pane)
        if (running_[pane]) workers_[pane]->requestStop();
}

void RunController::openTraces(std::vector<Trace> traces, const QStringList& files) {
    for (int i = 0; i < 2; ++i) {
        ++run_ids_[i];
        have_started_[i] = false;
        run_errors_[i].clear();
        runs_[i] = size_t(i) < traces.size() ? ui::RunModel::from_trace(traces[size_t(i)]) : ui::RunModel();
        trace_files_[i] = i < files.size() ? files[i] : QString();
    }
    emit runsReplaced();
}

void RunController::onStarted(const RunStarted& info) {
    if (info.run_id != run_ids_[info.pane]) return;
    started_[info.pane] = info;
    have_started_[info.pane] = true;
    runs_[info.pane] = ui::RunModel(info.header);
    runs_[info.pane].set_kv_bytes_per_token(info.kv_bytes_per_token);
    emit runsReplaced();
}

void RunController::onEvents(int pane, int run_id, const EventBatch& batch) {
    if (run_id != run_ids_[pane] || !batch) return;
    for (const auto& e : *batch) {
        if (const auto* t = std::get_if<TokenEvent>(&e); t && t->role != SlotRole::prompt && !t->forced) ++tokens_;
        runs_[pane].apply(e);
    }
    emit eventsArrived();
}

void RunController::onFinished(int pane, int run_id, const QString& error, const QString& kind) {
    if (run_id != run_ids_[pane]) return;
    running_[pane] = false;
    run_errors_[pane] = error;
    error_kinds_[pane] = kind;
    if (!error.isEmpty() && isRunning()) workers_[1 - pane]->requestStop();  // one failed: the pair is not comparable
    if (isRunning()) return;
    stopping_ = false;
    QString title, text;
    bool failed_before_tokens = false;
    for (int i = 0; i < 2; ++i) {
        if (run_errors_[i].isEmpty()) continue;
        failed_before_tokens = failed_before_tokens || runs_[i].empty();
        const QString side = i == 0 ? tr("left") : tr("right");
        const QString& k = error_kinds_[i];
        if (title.isEmpty())
            title = k == QLatin1String("model") ? tr("Cannot load the model")
                    : k == QLatin1String("input") ? tr("Cannot run this problem")
                                                  : tr("The run failed");
        const QString line = k == QLatin1String("model")   ? tr("The model of the %1 pane could not be loaded:\n%2").arg(side, run_errors_[i])
                             : k == QLatin1String("input") ? tr("The %1 pane cannot run this problem:\n%2").arg(side, run_errors_[i])
                                                           : tr("The %1 pane stopped with an error:\n%2").arg(side, run_errors_[i]);
        // Both panes failing for one reason (no CUDA driver) is said once.
        if (i == 1 && run_errors_[0] == run_errors_[1])
            text = tr("Both panes failed:\n%1").arg(run_errors_[1]);
        else
            text += (text.isEmpty() ? QString() : QStringLiteral("\n\n")) + line;
    }
    if (failed_before_tokens) {
        // Give back what was on screen; say so.
        for (int i = 0; i < 2; ++i) {
            runs_[i] = std::move(previous_runs_[i]);
            trace_files_[i] = previous_files_[i];
            previous_runs_[i] = ui::RunModel();
            ++run_ids_[i];
        }
        text += QStringLiteral("\n\n") + tr("The previous results are shown again.");
        emit runsReplaced();
    }
    emit finished(title, text);
}

}  // namespace gistscope::gui
