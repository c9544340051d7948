// engine_worker.h: one run of the engine off the GUI thread. An EngineWorker lives on its own
// QThread; the window talks to it only through queued signals carrying value types, and stops it
// through an atomic flag the engine polls between steps. Events reach the GUI in batches, at most
// ~30 per second, whatever the decode speed.
#pragma once
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "gistscope/trace.h"

namespace gistscope::gui {

struct RunRequest {
    int pane = 0;                       // 0 left, 1 right
    int run_id = 0;                     // events of older runs are dropped by the window
    QString model_dir;
    std::string question;
    std::optional<std::string> expected_answer;
    SessionParams params;
    QString backend = QStringLiteral("auto");  // auto, cpu, cuda
    int threads = 0;                    // CPU threads; <= 0: the worker's share of the cores
    QString trace_path;                 // the run is recorded here while it runs
};

struct RunStarted {
    int pane = 0;
    int run_id = 0;
    TraceHeader header;
    QString backend;        // "cpu", "cuda"
    QString device;         // "AMD EPYC, 1 thread", "NVIDIA ..."
    QString note;           // why this backend (reason for a CPU fallback)
    int capacity = 0;       // cache capacity in tokens (context, or the H2O / SepLLM budget)
    int64_t kv_bytes_per_token = 0;
};

using EventBatch = std::shared_ptr<const std::vector<Event>>;

class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(QObject* parent = nullptr) : QObject(parent) {}
    // Thread-safe: asks the running session to stop after its current step.
    void requestStop() { stop_.store(true); }
    // Minimum time between two batches (ms); the benchmark lowers it to stress the GUI.
    void setBatchInterval(int ms) { batch_ms_ = ms; }

public slots:
    void run(const gistscope::gui::RunRequest& request);

signals:
    void started(const gistscope::gui::RunStarted& info);
    void events(int pane, int run_id, const gistscope::gui::EventBatch& batch);
    // `error` empty: the run ended (EOS, budget or stop). `kind`: "model", "input", "engine".
    void finished(int pane, int run_id, const QString& error, const QString& kind);

private:
    const LoadedModel& model(const QString& dir);
    std::atomic<bool> stop_{false};
    std::atomic<int> batch_ms_{33};
    QString loaded_dir_;
    std::unique_ptr<LoadedModel> loaded_;
};

// Registers the types above for queued connections. Call once before connecting.
void register_engine_types();

}  // namespace gistscope::gui

Q_DECLARE_METATYPE(gistscope::gui::RunRequest)
Q_DECLARE_METATYPE(gistscope::gui::RunStarted)
Q_DECLARE_METATYPE(gistscope::gui::EventBatch)
