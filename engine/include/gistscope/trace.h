// gistscope/trace.h: a run as JSON Lines. Line 1 is the header (format "gistscope-trace", version
// "MAJOR.MINOR", model, method and its parameters, prompt ids); every further line is one event of
// session.h. Traces replay without a model. Readers reject an unknown major version, events out
// of order, and name the line of anything corrupt; a half-written last line (a killed run) is
// dropped and the trace reads as cut.
//
// Size: token events are ~120 bytes each. Attention rows (opt-in, --attention) add one entry per
// slot in the cache at each step, ~20 bytes each, so a trace with attention is at most about
// 20 bytes x dependency (the sum of context sizes) larger: ~2 MB for a 400-token vanilla run.
#pragma once
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gistscope/file_io.h"
#include "gistscope/session.h"

namespace gistscope {

inline constexpr int trace_version_major = 1;
inline constexpr int trace_version_minor = 3;  // 1.1: LightThinker++ memory events; 1.2: per-head occupancy ("heads");
                                               // 1.3: attention rows per head ("head")

struct TraceHeader {
    std::string model;            // model directory or name
    std::string method;           // policy name
    nlohmann::json params;        // method and session parameters
    std::vector<int32_t> prompt_ids;
    std::string question;         // the problem text, when known
    std::optional<std::string> expected_answer;
    std::string backend;          // "cpu", "cuda", with device
    int cache_tokens = 0;         // |C| of the method (0 if none)
};

struct Trace {
    TraceHeader header;
    std::vector<Event> events;
    int partial_last_line = 0;    // line number of a half-written last line that was dropped; 0: none
    const EndEvent* end() const;  // null for a trace cut short
    // "" for a finished run; else one sentence saying the run was cut and where.
    std::string cut_description() const;
};

// Records a run as it happens: FILE appears once the header is written (an existing FILE is
// replaced only then) and every event is one line flushed to the operating system, so a run that
// is killed leaves a trace that opens, up to its last complete line, and reads as cut (no end
// event). finish() checks that everything was written.
class TraceWriter {
public:
    TraceWriter(const std::filesystem::path& path, const TraceHeader& header);
    ~TraceWriter();
    void write(const Event& event);
    void finish();

private:
    LineLog log_;
};

nlohmann::json event_to_json(const Event& event);
Event event_from_json(const nlohmann::json& j);  // throws Error on a malformed event
nlohmann::json header_to_json(const TraceHeader& header);
TraceHeader header_from_json(const nlohmann::json& j);

Trace trace_read(const std::filesystem::path& path);
Trace trace_parse(const std::string& text, const std::string& source);

// Metrics recomputed from the token and eviction events (not copied from the end event).
RunMetrics trace_recompute_metrics(const Trace& trace);

// LightThinker++ counts as JSON (trace end events, eval results); `where` names the field in errors.
nlohmann::json memory_metrics_to_json(const MemoryMetrics& m);
MemoryMetrics memory_metrics_from_json(const nlohmann::json& j, const std::string& where);

// "3 commits, 1 expand, 1 fold, 0 refused; 41 tokens re-prefilled" (LightThinker++ runs).
std::string memory_metrics_text(const MemoryMetrics& m);

// The JSON summary `generate --json` and `replay --json` print.
nlohmann::json run_summary(const EndEvent& end, const TraceHeader& header);

}  // namespace gistscope
