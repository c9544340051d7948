// engine_worker.cpp: load (cached), pick the backend, run the session, batch its events.
#include "engine_worker.h"

#include <QElapsedTimer>
#include <QThread>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "run_options.h"  // app/cli: session_params_json
#ifdef GISTSCOPE_HAVE_BACKEND_SELECT
#include "gistscope/backend_select.h"
#endif

namespace gistscope::gui {

void register_engine_types() {
    qRegisterMetaType<RunRequest>();
    qRegisterMetaType<RunStarted>();
    qRegisterMetaType<EventBatch>();
}

const LoadedModel& EngineWorker::model(const QString& dir) {
    if (!loaded_ || loaded_dir_ != dir) {
        loaded_.reset();
        loaded_ = std::make_unique<LoadedModel>(load_model(std::filesystem::path(dir.toStdString())));
        loaded_dir_ = dir;
    }
    return *loaded_;
}

namespace {

// The trace header's parameters, as `gistscope-cli generate` writes them (one definition, shared),
// plus the attention probe the window adds.
nlohmann::json params_json(const SessionParams& p, int cache_tokens) {
    nlohmann::json j = cli::session_params_json(p, cache_tokens);
    if (p.attention != AttentionProbeRequest::Mode::off)
        j["attention"] = p.attention == AttentionProbeRequest::Mode::average ? nlohmann::json("avg")
                         : p.attention == AttentionProbeRequest::Mode::heads ? nlohmann::json("all")
                                                                             : nlohmann::json(p.attention_layer);
    return j;
}

struct ChosenBackend {
    std::unique_ptr<Backend> backend;
    BackendInfo info;
};

ChosenBackend choose_backend(const Model& model, const QString& choice, int threads) {
#ifdef GISTSCOPE_HAVE_BACKEND_SELECT
    BackendChoice c = BackendChoice::auto_;
    if (!backend_choice_parse(choice.toStdString(), c)) c = BackendChoice::auto_;
    auto sel = select_backend(model, c, threads);
    return {std::move(sel.backend), sel.info};
#else
    if (choice == QLatin1String("cuda")) throw Error("this build has no CUDA backend; choose Auto or CPU");
    ChosenBackend b;
    b.backend = make_cpu_backend(model, threads);
    b.info = b.backend->info();
    if (b.info.note.empty()) b.info.note = "no CUDA backend in this build";
    return b;
#endif
}

}  // namespace

void EngineWorker::run(const RunRequest& request) {
    stop_.store(false);
    const int pane = request.pane, run_id = request.run_id;
    std::vector<Event> pending;
    QElapsedTimer since_flush;
    since_flush.start();
    auto flush = [&] {
        if (pending.empty()) return;
        emit events(pane, run_id, std::make_shared<const std::vector<Event>>(std::move(pending)));
        pending.clear();
        since_flush.restart();
    };
    QString stage = QStringLiteral("model");
    try {
        const LoadedModel& lm = model(request.model_dir);
        stage = QStringLiteral("input");
        const std::vector<int32_t> ids = lm.chat_prompt_ids(request.question);  // the comp-config or the model's own template
        const int threads = request.threads > 0 ? request.threads : std::max(1, QThread::idealThreadCount() / 2);
        stage = QStringLiteral("engine");
        ChosenBackend chosen = choose_backend(*lm.model, request.backend, threads);
        RunSetup setup;
        setup.backend = chosen.backend.get();
        setup.tokenizer = lm.tokenizer.get();
        setup.prompt_ids = ids;
        setup.eos_ids = lm.eos_ids();
        setup.method_tokens = lm.method_tokens();

        RunStarted info;
        info.pane = pane;
        info.run_id = run_id;
        const int n_token = lm.comp ? lm.comp->n_token : 0;
        info.header.model = lm.name();
        info.header.method = request.params.policy.method;
        info.header.params = params_json(request.params, n_token);
        info.header.prompt_ids = ids;
        info.header.question = request.question;
        info.header.expected_answer = request.expected_answer;
        info.header.backend = chosen.info.name + " (" + chosen.info.device + ")";
        info.header.cache_tokens = n_token;
        info.backend = QString::fromStdString(chosen.info.name);
        info.device = QString::fromStdString(chosen.info.device);
        info.note = QString::fromStdString(chosen.info.note);
        const auto& method = request.params.policy.method;
        info.capacity = (method == "h2o" || method == "h2o-global" || method == "sepllm") ? request.params.policy.cache_size
                        : request.params.max_context > 0 ? request.params.max_context
                                                         : lm.model->config.max_position_embeddings;
        info.kv_bytes_per_token = int64_t(chosen.backend->make_cache(1)->bytes_per_slot());
        emit started(info);

        std::unique_ptr<TraceWriter> trace;
        if (!request.trace_path.isEmpty())
            trace = std::make_unique<TraceWriter>(std::filesystem::path(request.trace_path.toStdString()), info.header);
        SessionParams params = request.params;
        params.memory_grammar = lm.memory_grammar();
        run_session(
            setup, params,
            [&](const Event& e) {
                if (trace) trace->write(e);
                pending.push_back(e);
                if (since_flush.elapsed() >= batch_ms_.load() || std::holds_alternative<EndEvent>(e)) flush();
            },
            &stop_);
        flush();
        if (trace) trace->finish();
        emit finished(pane, run_id, QString(), QString());
    } catch (const std::exception& e) {
        flush();
        emit finished(pane, run_id, QString::fromUtf8(e.what()), stage);
    }
}

}  // namespace gistscope::gui
