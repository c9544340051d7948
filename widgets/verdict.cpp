// verdict.cpp: verdicts and stop reasons in words.
#include "widgets/verdict.h"

#include <QCoreApplication>

namespace gistscope::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("gistscope::ui::Verdict", text); }
}  // namespace

Verdict verdict_of(const RunModel& run) {
    if (!run.end() || !run.at_end()) return Verdict::running;
    const StepMetrics m = run.metrics_at(run.current_step());
    if (m.answer) return !m.correct ? Verdict::unchecked : *m.correct ? Verdict::right : Verdict::wrong;
    const std::string& why = run.end()->metrics.stop_reason;
    if (why == "cancelled") return Verdict::stopped;
    if (why == "max_tokens") return Verdict::token_limit;
    if (why == "context_full") return Verdict::context_full;
    return Verdict::no_answer;
}

bool verdict_incomplete(Verdict v) { return v == Verdict::stopped || v == Verdict::token_limit || v == Verdict::context_full; }

QString verdict_text(Verdict v, const RunModel& run) {
    switch (v) {
    case Verdict::running: return tr("running");
    case Verdict::stopped: return tr("stopped by you before an answer");
    case Verdict::token_limit: {
        const auto& p = run.header().params;
        const int limit = p.is_object() && p.contains("max_new_tokens") && p["max_new_tokens"].is_number_integer()
                              ? p["max_new_tokens"].get<int>()
                              : run.end()->metrics.generated_tokens;
        return tr("token limit (%1) reached before an answer").arg(limit);
    }
    case Verdict::context_full: return tr("context full before an answer");
    case Verdict::no_answer:
        if (run.is_memory_run() && run.end()->metrics.stop_reason == "repeated_refusal")
            return tr("stopped: the model repeated a refused action");
        return run.is_memory_run() ? tr("finished without a final answer") : tr("finished without a \\boxed{} answer");
    case Verdict::right: return tr("correct");
    case Verdict::wrong: return tr("wrong");
    case Verdict::unchecked: return tr("no expected answer");
    }
    return {};
}

QString stop_reason_text(const std::string& reason) {
    if (reason == "eos") return tr("end token");
    if (reason == "max_tokens") return tr("token limit");
    if (reason == "cancelled") return tr("stopped by you");
    if (reason == "context_full") return tr("context full");
    if (reason == "script_end") return tr("end of the script");
    if (reason == "incomplete") return tr("trace cut off");
    if (reason == "final_answer") return tr("final answer");
    if (reason == "repeated_refusal") return tr("the same refused action three times");
    return QString::fromStdString(reason);
}

}  // namespace gistscope::ui
