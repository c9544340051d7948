// JSON Lines traces: writer (temporary file + rename), reader (line-numbered errors), and the
// metrics recomputed from events so a replay does not have to trust the stored summary.
#include <cstdio>
#include <cstdlib>
#include "gistscope/trace.h"

#include <sstream>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "util/checked_json.h"

namespace gistscope {
namespace {

using json = nlohmann::json;
namespace ck = checked;

// Ranges of the numbers a trace holds. Positions and ids are int32 in the engine; counts of a run
// (steps, cache sizes) are far below 2^31 too; the dependency is a sum and gets 64 bits.
constexpr int64_t kMaxI32 = INT32_MAX;
constexpr int64_t kMaxI64 = INT64_MAX;

int int_at(const json& j, const char* key, const char* event, int64_t lo = 0) {
    return int(ck::integer(ck::field(j, key, event), lo, kMaxI32, std::string(event) + "." + key));
}

json metrics_to_json(const RunMetrics& m) {
    return {{"prompt_tokens", m.prompt_tokens},
            {"generated_tokens", m.generated_tokens},
            {"forced_tokens", m.forced_tokens},
            {"compressions", m.compressions},
            {"thoughts", m.thoughts},
            {"mean_thought_tokens", m.mean_thought_tokens},
            {"peak_tokens", m.peak_tokens},
            {"dependency", m.dependency},
            {"kv_bytes_per_token", m.kv_bytes_per_token},
            {"peak_kv_bytes", m.peak_kv_bytes},
            {"prefill_seconds", m.prefill_seconds},
            {"decode_seconds", m.decode_seconds},
            {"tokens_per_second", m.tokens_per_second},
            {"stop_reason", m.stop_reason}};
}

RunMetrics metrics_from_json(const json& j) {
    const char* e = "end.metrics";
    const std::string w = e;
    RunMetrics m;
    m.prompt_tokens = int_at(j, "prompt_tokens", e);
    m.generated_tokens = int_at(j, "generated_tokens", e);
    m.forced_tokens = int(ck::integer_or(j, "forced_tokens", 0, 0, kMaxI32, w));
    m.compressions = int_at(j, "compressions", e);
    m.thoughts = int(ck::integer_or(j, "thoughts", 0, 0, kMaxI32, w));
    m.mean_thought_tokens = ck::number_or(j, "mean_thought_tokens", 0.0, w);
    m.peak_tokens = int_at(j, "peak_tokens", e);
    m.dependency = ck::integer(ck::field(j, "dependency", w), 0, kMaxI64, w + ".dependency");
    m.kv_bytes_per_token = ck::integer_or(j, "kv_bytes_per_token", 0, 0, kMaxI64, w);
    m.peak_kv_bytes = ck::integer_or(j, "peak_kv_bytes", 0, 0, kMaxI64, w);
    m.prefill_seconds = ck::number(ck::field(j, "prefill_seconds", w), w + ".prefill_seconds");
    m.decode_seconds = ck::number(ck::field(j, "decode_seconds", w), w + ".decode_seconds");
    m.tokens_per_second = ck::number_or(j, "tokens_per_second", 0.0, w);
    m.stop_reason = ck::string_or(j, "stop_reason", std::string(), w);
    if (j.contains("memory")) m.memory = memory_metrics_from_json(j["memory"], "end.metrics.memory");
    return m;
}

// Per-head occupancy (trace 1.2, per-head H2O): {"mean", "min", "max", "stored"}; absent in older
// traces and for every other method.
json heads_to_json(const HeadOccupancy& h) {
    return {{"mean", h.mean}, {"min", h.min}, {"max", h.max}, {"stored", h.stored}};
}

std::optional<HeadOccupancy> heads_from_json(const json& j, const char* event) {
    if (!j.contains("heads") || j["heads"].is_null()) return std::nullopt;
    const std::string w = std::string(event) + ".heads";
    const json& h = j["heads"];
    if (!h.is_object()) throw Error(w + ": expected an object, got " + ck::shown(h));
    HeadOccupancy o;
    o.min = int(ck::integer(ck::field(h, "min", w), 0, kMaxI32, w + ".min"));
    o.max = int(ck::integer(ck::field(h, "max", w), o.min, kMaxI32, w + ".max"));
    o.mean = ck::number(ck::field(h, "mean", w), w + ".mean");
    if (o.mean < o.min || o.mean > o.max)
        throw Error(w + ".mean: " + std::to_string(o.mean) + " is outside [min, max] = [" + std::to_string(o.min) +
                    ", " + std::to_string(o.max) + "]");
    o.stored = int(ck::integer(ck::field(h, "stored", w), o.max, kMaxI32, w + ".stored"));
    return o;
}

std::vector<int32_t> positions_at(const json& j, const char* key, const char* event) {
    return ck::int_list(ck::field(j, key, event), 0, kMaxI32, std::string(event) + "." + key);
}

}  // namespace

json memory_metrics_to_json(const MemoryMetrics& m) {
    return {{"commits", m.commits}, {"expands", m.expands}, {"folds", m.folds}, {"final_answers", m.final_answers},
            {"invalid", m.invalid}, {"fold_without_expand", m.fold_without_expand},
            {"repeated_actions", m.repeated_actions}, {"reprefilled_tokens", m.reprefilled_tokens}};
}

MemoryMetrics memory_metrics_from_json(const json& j, const std::string& w) {
    if (!j.is_object()) throw Error(w + " is " + ck::shown(j) + ", expected an object");
    MemoryMetrics m;
    m.commits = int(ck::integer_or(j, "commits", 0, 0, kMaxI32, w));
    m.expands = int(ck::integer_or(j, "expands", 0, 0, kMaxI32, w));
    m.folds = int(ck::integer_or(j, "folds", 0, 0, kMaxI32, w));
    m.final_answers = int(ck::integer_or(j, "final_answers", 0, 0, kMaxI32, w));
    m.invalid = int(ck::integer_or(j, "invalid", 0, 0, kMaxI32, w));
    m.fold_without_expand = int(ck::integer_or(j, "fold_without_expand", 0, 0, kMaxI32, w));
    m.repeated_actions = int(ck::integer_or(j, "repeated_actions", 0, 0, kMaxI32, w));
    m.reprefilled_tokens = ck::integer_or(j, "reprefilled_tokens", 0, 0, kMaxI64, w);
    return m;
}


json event_to_json(const Event& event) {
    return std::visit(
        [](const auto& e) -> json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, TokenEvent>) {
                json j = {{"type", "token"}, {"step", e.step}, {"id", e.id}, {"text", e.text},
                          {"role", slot_role_name(e.role)}, {"position", e.position}, {"thought", e.thought},
                          {"cache", e.cache_tokens}};
                if (e.forced) j["forced"] = true;
                if (!e.fed) j["fed"] = false;
                if (e.heads) j["heads"] = heads_to_json(*e.heads);
                return j;
            } else if constexpr (std::is_same_v<T, CompressionEvent>) {
                return {{"type", "compress"}, {"step", e.step}, {"thought", e.thought},
                        {"thought_positions", e.thought_positions}, {"gist_positions", e.gist_positions},
                        {"cache_before", e.cache_before}, {"cache_after", e.cache_after}};
            } else if constexpr (std::is_same_v<T, EvictionEvent>) {
                json j = {{"type", "evict"}, {"step", e.step}, {"positions", e.positions}, {"cache", e.cache_after}};
                if (e.heads) j["heads"] = heads_to_json(*e.heads);
                return j;
            } else if constexpr (std::is_same_v<T, AttentionEvent>) {
                // Five significant digits are more than a heatmap shows and halve the line (a float
                // widened to double prints 17 digits): --attention all writes a row per head.
                std::vector<double> weights(e.weights.size());
                for (size_t i = 0; i < weights.size(); ++i) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%.5g", double(e.weights[i]));
                    weights[i] = std::strtod(buf, nullptr);
                }
                json j = {{"type", "attention"}, {"step", e.step}, {"layer", e.layer}, {"query", e.query_position},
                          {"positions", e.positions}, {"weights", weights}};
                if (e.head >= 0) j["head"] = e.head;  // trace 1.3; absent: the mean over the heads
                return j;
            } else if constexpr (std::is_same_v<T, MemoryEvent>) {
                json j = {{"type", "memory"}, {"step", e.step}, {"action", memory_action_name(e.action)},
                          {"memory_step", e.memory_step}, {"content", e.content},
                          {"context_before", e.context_before}, {"context_after", e.context_after},
                          {"kept", e.kept}, {"reprefilled", e.reprefilled}};
                if (!e.error.empty()) j["error"] = e.error;
                if (e.action == MemoryAction::commit) {
                    j["raw"] = e.raw;
                    j["raw_positions"] = e.raw_positions;
                }
                return j;
            } else {
                json metrics = metrics_to_json(e.metrics);
                if (e.metrics.memory.any()) metrics["memory"] = memory_metrics_to_json(e.metrics.memory);
                json j = {{"type", "end"}, {"metrics", metrics}, {"text", e.text}};
                j["answer"] = e.answer ? json(*e.answer) : json(nullptr);
                return j;
            }
        },
        event);
}

Event event_from_json(const json& j) {
    if (!j.is_object()) throw Error("expected an event object, got " + ck::shown(j));
    const std::string type = ck::string(ck::field(j, "type", "event"), "event.type");
    if (type == "token") {
        const char* w = "token";
        TokenEvent e;
        e.step = int_at(j, "step", w);
        e.id = int_at(j, "id", w);
        e.text = ck::string(ck::field(j, "text", w), "token.text");
        const std::string role = ck::string(ck::field(j, "role", w), "token.role");
        if (!slot_role_parse(role, e.role)) throw Error("unknown role '" + role + "'");
        e.position = int_at(j, "position", w);
        e.thought = int(ck::integer_or(j, "thought", -1, -1, kMaxI32, w));
        e.cache_tokens = int_at(j, "cache", w);
        e.forced = ck::boolean_or(j, "forced", false, w);
        e.fed = ck::boolean_or(j, "fed", true, w);
        e.heads = heads_from_json(j, w);
        return e;
    }
    if (type == "compress") {
        const char* w = "compress";
        CompressionEvent e;
        e.step = int_at(j, "step", w);
        e.thought = int_at(j, "thought", w);
        e.thought_positions = positions_at(j, "thought_positions", w);
        e.gist_positions = positions_at(j, "gist_positions", w);
        e.cache_before = int_at(j, "cache_before", w);
        e.cache_after = int_at(j, "cache_after", w);
        return e;
    }
    if (type == "evict") {
        const char* w = "evict";
        EvictionEvent e;
        e.step = int_at(j, "step", w);
        e.positions = positions_at(j, "positions", w);
        e.cache_after = int_at(j, "cache", w);
        e.heads = heads_from_json(j, w);
        return e;
    }
    if (type == "attention") {
        const char* w = "attention";
        AttentionEvent e;
        e.step = int_at(j, "step", w);
        e.layer = int(ck::integer(ck::field(j, "layer", w), -1, kMaxI32, "attention.layer"));
        if (j.contains("head")) {
            e.head = int(ck::integer(j.at("head"), 0, kMaxI32, "attention.head"));
            if (e.layer < 0) throw Error("attention.head is given for the average over layers (layer -1), expected a layer");
        }
        e.query_position = int_at(j, "query", w);
        e.positions = positions_at(j, "positions", w);
        const json& weights = ck::field(j, "weights", w);
        if (!weights.is_array()) throw Error("attention.weights is " + ck::shown(weights) + ", expected a list of numbers");
        for (size_t i = 0; i < weights.size(); ++i) {
            const double x = ck::number(weights[i], "attention.weights[" + std::to_string(i) + "]");
            if (x < 0 || x > 1) throw Error("attention.weights[" + std::to_string(i) + "] is " + ck::shown(weights[i]) + ", expected a probability in [0, 1]");
            e.weights.push_back(float(x));
        }
        if (e.positions.size() != e.weights.size()) throw Error("attention positions and weights differ in length");
        return e;
    }
    if (type == "memory") {
        const char* w = "memory";
        MemoryEvent e;
        e.step = int_at(j, "step", w);
        const std::string action = ck::string(ck::field(j, "action", w), "memory.action");
        if (!memory_action_parse(action, e.action))
            throw Error("memory.action is '" + action + "', expected commit, expand, fold, final_answer or invalid");
        e.memory_step = int(ck::integer_or(j, "memory_step", -1, -1, kMaxI32, w));
        e.content = ck::string_or(j, "content", "", w);
        e.error = ck::string_or(j, "error", "", w);
        e.context_before = int_at(j, "context_before", w);
        e.context_after = int_at(j, "context_after", w);
        e.kept = int_at(j, "kept", w);
        e.reprefilled = int_at(j, "reprefilled", w);
        if (e.kept > e.context_before || e.kept > e.context_after)
            throw Error("memory.kept (" + std::to_string(e.kept) + ") is larger than the context, expected at most " +
                        std::to_string(std::min(e.context_before, e.context_after)));
        if (e.action == MemoryAction::commit) {
            e.raw = ck::string_or(j, "raw", "", w);
            if (j.contains("raw_positions")) e.raw_positions = positions_at(j, "raw_positions", w);
        }
        return e;
    }
    if (type == "end") {
        EndEvent e;
        e.metrics = metrics_from_json(ck::field(j, "metrics", "end"));
        e.text = ck::string(ck::field(j, "text", "end"), "end.text");
        if (j.contains("answer") && !j["answer"].is_null()) e.answer = ck::string(j["answer"], "end.answer");
        return e;
    }
    throw Error("unknown event type '" + type + "'");
}

json header_to_json(const TraceHeader& h) {
    json j = {{"format", "gistscope-trace"},
              {"version", std::to_string(trace_version_major) + "." + std::to_string(trace_version_minor)},
              {"model", h.model},
              {"method", h.method},
              {"params", h.params.is_null() ? json::object() : h.params},
              {"prompt_ids", h.prompt_ids},
              {"question", h.question},
              {"backend", h.backend},
              {"cache_tokens", h.cache_tokens}};
    j["expected_answer"] = h.expected_answer ? json(*h.expected_answer) : json(nullptr);
    return j;
}

TraceHeader header_from_json(const json& j) {
    if (!j.is_object() || !j.contains("format") || j["format"] != "gistscope-trace")
        throw Error("not a GistScope trace (expected \"format\": \"gistscope-trace\" on the first line)");
    const std::string w = "header";
    const std::string version = ck::string_or(j, "version", "", w);
    // Exactly MAJOR.MINOR in digits: "1abc.0" is not version 1.
    const auto dot = version.find('.');
    const bool digits = dot != std::string::npos && dot > 0 && dot + 1 < version.size() && dot <= 4 &&
                        version.size() - dot - 1 <= 4 &&
                        version.find_first_not_of("0123456789") == dot &&
                        version.find_first_not_of("0123456789", dot + 1) == std::string::npos;
    if (!digits) throw Error("trace version '" + version + "' is not MAJOR.MINOR");
    const int major = std::stoi(version.substr(0, dot));
    if (major != trace_version_major)
        throw Error("trace version " + version + " is not supported, expected " + std::to_string(trace_version_major) + ".x");
    TraceHeader h;
    h.model = ck::string_or(j, "model", "", w);
    h.method = ck::string(ck::field(j, "method", w), "header.method");
    h.params = j.contains("params") && j["params"].is_object() ? j["params"] : json::object();
    h.prompt_ids = ck::int_list(ck::field(j, "prompt_ids", w), 0, kMaxI32, "header.prompt_ids");
    h.question = ck::string_or(j, "question", "", w);
    h.backend = ck::string_or(j, "backend", "", w);
    h.cache_tokens = int(ck::integer_or(j, "cache_tokens", 0, 0, 4096, w));
    if (j.contains("expected_answer") && !j["expected_answer"].is_null())
        h.expected_answer = ck::string(j["expected_answer"], "header.expected_answer");
    return h;
}

namespace {

// What a run writes, in the order it writes it: steps never go back; token positions only grow
// (every token gets the next RoPE position); prompt tokens only at step 0; the end event last.
// A trace that breaks these was edited or stitched together, and replaying it would draw a
// history that never happened.
class EventOrder {
public:
    void check(const Event& ev) {
        if (ended_) throw Error("event after the end event, expected the end event last");
        if (std::holds_alternative<EndEvent>(ev)) {
            ended_ = true;
            return;
        }
        const int step = std::visit(
            [](const auto& e) -> int {
                if constexpr (requires { e.step; }) return e.step;
                else return 0;
            },
            ev);
        if (step < step_)
            throw Error("step " + std::to_string(step) + " after step " + std::to_string(step_) +
                        ", expected events in step order");
        step_ = step;
        if (const auto* t = std::get_if<TokenEvent>(&ev)) {
            if ((t->role == SlotRole::prompt) != (t->step == 0))
                throw Error("token at position " + std::to_string(t->position) + " has role " + slot_role_name(t->role) +
                            " at step " + std::to_string(t->step) + ", expected prompt tokens exactly at step 0");
            if (t->position <= last_position_)
                throw Error("token position " + std::to_string(t->position) + " after position " +
                            std::to_string(last_position_) + ", expected increasing positions");
            last_position_ = t->position;
        }
    }

private:
    int step_ = 0;
    int64_t last_position_ = -1;
    bool ended_ = false;
};

}  // namespace

const EndEvent* Trace::end() const {
    if (events.empty()) return nullptr;
    return std::get_if<EndEvent>(&events.back());
}

TraceWriter::TraceWriter(const std::filesystem::path& path, const TraceHeader& header)
    : log_(path, header_to_json(header).dump(-1, ' ', false, json::error_handler_t::replace)) {}

TraceWriter::~TraceWriter() = default;

void TraceWriter::write(const Event& event) {
    log_.append(event_to_json(event).dump(-1, ' ', false, json::error_handler_t::replace));
}

void TraceWriter::finish() { log_.close(); }

Trace trace_parse(const std::string& text, const std::string& source) {
    Trace t;
    size_t start = 0;
    int line_no = 0;
    bool have_header = false;
    EventOrder order;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        const bool terminated = nl != std::string::npos;
        if (!terminated) nl = text.size();
        std::string line = text.substr(start, nl - start);
        start = nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        json j;
        try {
            j = json::parse(line);
        } catch (const std::exception&) {
            // A last line without its newline is a write the run did not finish (it was killed):
            // everything before it is kept and the trace reads as cut.
            if (!terminated && have_header) {
                t.partial_last_line = line_no;
                break;
            }
            throw Error(source + ":" + std::to_string(line_no) + ": not valid JSON (corrupt or truncated trace)");
        }
        try {
            if (!have_header) {
                t.header = header_from_json(j);
                have_header = true;
            } else {
                Event ev = event_from_json(j);
                order.check(ev);
                t.events.push_back(std::move(ev));
            }
        } catch (const Error& e) {
            throw Error(source + ":" + std::to_string(line_no) + ": " + e.what());
        } catch (const std::exception& e) {
            throw Error(source + ":" + std::to_string(line_no) + ": malformed " + (have_header ? "event" : "header") +
                        " (" + ck::without_prefix(e) + ")");
        }
    }
    if (!have_header) throw Error(source + ": empty file, expected a GistScope trace");
    return t;
}

Trace trace_read(const std::filesystem::path& path) {
    return trace_parse(read_input_file(path, "a GistScope trace (.jsonl)"), path.string());
}

std::string Trace::cut_description() const {
    if (end()) return {};
    int last_step = 0;
    for (const auto& ev : events)
        if (const auto* tk = std::get_if<TokenEvent>(&ev)) last_step = tk->step;
    std::string s = "the run was cut short after step " + std::to_string(last_step) + " (no end event";
    if (partial_last_line > 0) s += "; line " + std::to_string(partial_last_line) + " was half-written and is ignored";
    return s + ")";
}

RunMetrics trace_recompute_metrics(const Trace& trace) {
    RunMetrics m;
    m.prompt_tokens = int(trace.header.prompt_ids.size());
    m.peak_tokens = m.prompt_tokens;
    int cache = m.prompt_tokens;
    for (const auto& ev : trace.events) {
        if (const auto* t = std::get_if<TokenEvent>(&ev)) {
            if (t->role == SlotRole::prompt) continue;
            if (!t->forced) {
                // generated now, in the context before its block plus itself
                m.dependency += cache + 1;
                m.peak_tokens = std::max(m.peak_tokens, cache + 1);
                ++m.generated_tokens;
            } else {
                ++m.forced_tokens;
            }
            if (t->fed) {
                cache = t->cache_tokens;
                m.peak_tokens = std::max(m.peak_tokens, cache);
            }
        } else if (const auto* e = std::get_if<EvictionEvent>(&ev)) {
            cache = e->cache_after;
        } else if (std::get_if<CompressionEvent>(&ev)) {
            ++m.compressions;
        } else if (const auto* mem = std::get_if<MemoryEvent>(&ev)) {
            // LightThinker++: the context is re-rendered; the next token is generated in it.
            cache = mem->context_after;
            m.peak_tokens = std::max(m.peak_tokens, mem->context_after);
            m.memory.count(mem->action);
            m.memory.reprefilled_tokens += mem->reprefilled;
        }
    }
    if (const EndEvent* end = trace.end()) {
        m.prefill_seconds = end->metrics.prefill_seconds;
        m.decode_seconds = end->metrics.decode_seconds;
        m.tokens_per_second = end->metrics.tokens_per_second;
        m.kv_bytes_per_token = end->metrics.kv_bytes_per_token;
        m.peak_kv_bytes = int64_t(m.peak_tokens) * m.kv_bytes_per_token;
        m.thoughts = end->metrics.thoughts;
        m.mean_thought_tokens = end->metrics.mean_thought_tokens;
        m.stop_reason = end->metrics.stop_reason;
        m.memory.fold_without_expand = end->metrics.memory.fold_without_expand;
        m.memory.repeated_actions = end->metrics.memory.repeated_actions;
    } else {
        m.stop_reason = "incomplete";
    }
    return m;
}

std::string memory_metrics_text(const MemoryMetrics& m) {
    auto n = [](int k, const char* one, const char* many) { return std::to_string(k) + " " + (k == 1 ? one : many); };
    std::string s = n(m.commits, "commit", "commits") + ", " + n(m.expands, "expand", "expands") + ", " +
                    n(m.folds, "fold", "folds") + ", " + std::to_string(m.invalid) + " refused";
    if (m.fold_without_expand) s += " (" + n(m.fold_without_expand, "fold", "folds") + " without an expand)";
    if (m.repeated_actions) s += ", " + n(m.repeated_actions, "repeated action", "repeated actions");
    return s + "; " + std::to_string(m.reprefilled_tokens) + " tokens re-prefilled";
}

json run_summary(const EndEvent& end, const TraceHeader& header) {
    const auto& m = end.metrics;
    json j = {{"method", header.method},
              {"model", header.model},
              {"text", end.text},
              {"prompt_tokens", m.prompt_tokens},
              {"generated_tokens", m.generated_tokens},
              {"peak_tokens", m.peak_tokens},
              {"dependency", m.dependency},
              {"compressions", m.compressions},
              {"thoughts", m.thoughts},
              {"mean_thought_tokens", m.mean_thought_tokens},
              {"prefill_seconds", m.prefill_seconds},
              {"decode_seconds", m.decode_seconds},
              {"tokens_per_second", m.tokens_per_second},
              {"peak_kv_bytes", m.peak_kv_bytes},
              {"stop_reason", m.stop_reason}};
    j["answer"] = end.answer ? json(*end.answer) : json(nullptr);
    if (m.memory.any()) j["memory"] = memory_metrics_to_json(m.memory);
    if (header.expected_answer) {
        j["expected_answer"] = *header.expected_answer;
        j["correct"] = end.answer.has_value() && *end.answer == *header.expected_answer;
    }
    return j;
}

}  // namespace gistscope
