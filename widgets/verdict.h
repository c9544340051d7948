// verdict.h: what really happened to a run, said the same way in the pane footer and the Metrics
// tab: still running, stopped by the user, cut by the token limit or the context, finished without
// a \boxed{} answer, or an answer that is right, wrong or not checkable (no expected answer).
#pragma once
#include <QString>
#include <string>

#include "widgets/run_model.h"

namespace gistscope::ui {

enum class Verdict { running, stopped, token_limit, context_full, no_answer, right, wrong, unchecked };

// The verdict at the run's current step (running until the last step of an ended run is shown).
Verdict verdict_of(const RunModel& run);
// True when the run ended before its model did (stopped, token limit, context full): its figures
// are not those of a complete run.
bool verdict_incomplete(Verdict v);
// Short translated phrase: "stopped by you", "token limit (1024) reached", "correct" ...
QString verdict_text(Verdict v, const RunModel& run);
// The engine's stop reason in words: eos, max_tokens, cancelled, context_full, script_end, incomplete.
QString stop_reason_text(const std::string& reason);

}  // namespace gistscope::ui
