// gistscope/trace.h: a run as JSON Lines. Line 1 is the header (format "gistscope-trace", version
// "MAJOR.MINOR", model, method and its parameters, prompt ids); every further line is one event of
// session.h. Traces replay without a model. Readers reject an unknown major version and name the
// line of anything corrupt.
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

#include "gistscope/session.h"

namespace gistscope {

inline constexpr int trace_version_major = 1;
inline constexpr int trace_version_minor = 0;

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
    const EndEvent* end() const;  // null for a trace cut short
};

// Writes to FILE.tmp and renames on finish(), so a crash never leaves a half-written trace.
class TraceWriter {
public:
    TraceWriter(const std::filesystem::path& path, const TraceHeader& header);
    ~TraceWriter();
    void write(const Event& event);
    void finish();

private:
    std::filesystem::path path_, tmp_;
    std::ofstream out_;
    bool finished_ = false;
};

nlohmann::json event_to_json(const Event& event);
Event event_from_json(const nlohmann::json& j);  // throws Error on a malformed event
nlohmann::json header_to_json(const TraceHeader& header);
TraceHeader header_from_json(const nlohmann::json& j);

Trace trace_read(const std::filesystem::path& path);
Trace trace_parse(const std::string& text, const std::string& source);

// Metrics recomputed from the token and eviction events (not copied from the end event).
RunMetrics trace_recompute_metrics(const Trace& trace);

// The JSON summary `generate --json` and `replay --json` print.
nlohmann::json run_summary(const EndEvent& end, const TraceHeader& header);

}  // namespace gistscope
