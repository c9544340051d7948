// JSON Lines traces: writer (temporary file + rename), reader (line-numbered errors), and the
// metrics recomputed from events so a replay does not have to trust the stored summary.
#include "gistscope/trace.h"

#include <sstream>

#include "gistscope/error.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

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
    RunMetrics m;
    m.prompt_tokens = j.at("prompt_tokens").get<int>();
    m.generated_tokens = j.at("generated_tokens").get<int>();
    m.forced_tokens = j.value("forced_tokens", 0);
    m.compressions = j.at("compressions").get<int>();
    m.thoughts = j.value("thoughts", 0);
    m.mean_thought_tokens = j.value("mean_thought_tokens", 0.0);
    m.peak_tokens = j.at("peak_tokens").get<int>();
    m.dependency = j.at("dependency").get<int64_t>();
    m.kv_bytes_per_token = j.value("kv_bytes_per_token", int64_t(0));
    m.peak_kv_bytes = j.value("peak_kv_bytes", int64_t(0));
    m.prefill_seconds = j.at("prefill_seconds").get<double>();
    m.decode_seconds = j.at("decode_seconds").get<double>();
    m.tokens_per_second = j.value("tokens_per_second", 0.0);
    m.stop_reason = j.value("stop_reason", std::string());
    return m;
}

}  // namespace

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
                return j;
            } else if constexpr (std::is_same_v<T, CompressionEvent>) {
                return {{"type", "compress"}, {"step", e.step}, {"thought", e.thought},
                        {"thought_positions", e.thought_positions}, {"gist_positions", e.gist_positions},
                        {"cache_before", e.cache_before}, {"cache_after", e.cache_after}};
            } else if constexpr (std::is_same_v<T, EvictionEvent>) {
                return {{"type", "evict"}, {"step", e.step}, {"positions", e.positions}, {"cache", e.cache_after}};
            } else if constexpr (std::is_same_v<T, AttentionEvent>) {
                return {{"type", "attention"}, {"step", e.step}, {"layer", e.layer}, {"query", e.query_position},
                        {"positions", e.positions}, {"weights", e.weights}};
            } else {
                json j = {{"type", "end"}, {"metrics", metrics_to_json(e.metrics)}, {"text", e.text}};
                j["answer"] = e.answer ? json(*e.answer) : json(nullptr);
                return j;
            }
        },
        event);
}

Event event_from_json(const json& j) {
    const std::string type = j.at("type").get<std::string>();
    if (type == "token") {
        TokenEvent e;
        e.step = j.at("step").get<int>();
        e.id = j.at("id").get<int32_t>();
        e.text = j.at("text").get<std::string>();
        if (!slot_role_parse(j.at("role").get<std::string>(), e.role))
            throw Error("unknown role '" + j.at("role").get<std::string>() + "'");
        e.position = j.at("position").get<int32_t>();
        e.thought = j.value("thought", -1);
        e.cache_tokens = j.at("cache").get<int>();
        e.forced = j.value("forced", false);
        e.fed = j.value("fed", true);
        return e;
    }
    if (type == "compress") {
        CompressionEvent e;
        e.step = j.at("step").get<int>();
        e.thought = j.at("thought").get<int>();
        e.thought_positions = j.at("thought_positions").get<std::vector<int32_t>>();
        e.gist_positions = j.at("gist_positions").get<std::vector<int32_t>>();
        e.cache_before = j.at("cache_before").get<int>();
        e.cache_after = j.at("cache_after").get<int>();
        return e;
    }
    if (type == "evict") {
        EvictionEvent e;
        e.step = j.at("step").get<int>();
        e.positions = j.at("positions").get<std::vector<int32_t>>();
        e.cache_after = j.at("cache").get<int>();
        return e;
    }
    if (type == "attention") {
        AttentionEvent e;
        e.step = j.at("step").get<int>();
        e.layer = j.at("layer").get<int>();
        e.query_position = j.at("query").get<int32_t>();
        e.positions = j.at("positions").get<std::vector<int32_t>>();
        e.weights = j.at("weights").get<std::vector<float>>();
        if (e.positions.size() != e.weights.size()) throw Error("attention positions and weights differ in length");
        return e;
    }
    if (type == "end") {
        EndEvent e;
        e.metrics = metrics_from_json(j.at("metrics"));
        e.text = j.at("text").get<std::string>();
        if (j.contains("answer") && j["answer"].is_string()) e.answer = j["answer"].get<std::string>();
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
    if (!j.is_object() || j.value("format", "") != "gistscope-trace")
        throw Error("not a GistScope trace (expected \"format\": \"gistscope-trace\" on the first line)");
    const std::string version = j.value("version", "");
    const auto dot = version.find('.');
    int major = -1;
    try {
        major = std::stoi(version.substr(0, dot));
    } catch (...) {
        throw Error("trace version '" + version + "' is not MAJOR.MINOR");
    }
    if (major != trace_version_major)
        throw Error("trace version " + version + " is not supported, expected " + std::to_string(trace_version_major) + ".x");
    TraceHeader h;
    h.model = j.value("model", "");
    h.method = j.at("method").get<std::string>();
    h.params = j.value("params", json::object());
    h.prompt_ids = j.at("prompt_ids").get<std::vector<int32_t>>();
    h.question = j.value("question", "");
    h.backend = j.value("backend", "");
    h.cache_tokens = j.value("cache_tokens", 0);
    if (j.contains("expected_answer") && j["expected_answer"].is_string()) h.expected_answer = j["expected_answer"].get<std::string>();
    return h;
}

const EndEvent* Trace::end() const {
    if (events.empty()) return nullptr;
    return std::get_if<EndEvent>(&events.back());
}

TraceWriter::TraceWriter(const std::filesystem::path& path, const TraceHeader& header)
    : path_(path), tmp_(path.string() + ".tmp") {
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw Error(path.string() + ": cannot write the trace (directory missing or not writable)");
    out_ << header_to_json(header).dump() << '\n';
}

TraceWriter::~TraceWriter() {
    if (!finished_) {
        out_.close();
        std::error_code ec;
        std::filesystem::remove(tmp_, ec);
    }
}

void TraceWriter::write(const Event& event) {
    out_ << event_to_json(event).dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

void TraceWriter::finish() {
    out_.flush();
    if (!out_) throw Error(path_.string() + ": write failed (disk full?)");
    out_.close();
    std::error_code ec;
    std::filesystem::rename(tmp_, path_, ec);
    if (ec) throw Error(path_.string() + ": cannot move the finished trace into place: " + ec.message());
    finished_ = true;
}

Trace trace_parse(const std::string& text, const std::string& source) {
    Trace t;
    std::istringstream in(text);
    std::string line;
    int line_no = 0;
    bool have_header = false;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line == "\r") continue;
        json j;
        try {
            j = json::parse(line);
        } catch (const std::exception&) {
            throw Error(source + ":" + std::to_string(line_no) + ": not valid JSON (corrupt or truncated trace)");
        }
        try {
            if (!have_header) {
                t.header = header_from_json(j);
                have_header = true;
            } else {
                t.events.push_back(event_from_json(j));
            }
        } catch (const Error& e) {
            throw Error(source + ":" + std::to_string(line_no) + ": " + e.what());
        } catch (const std::exception& e) {
            throw Error(source + ":" + std::to_string(line_no) + ": malformed " + (have_header ? "event" : "header") +
                        " (" + e.what() + ")");
        }
    }
    if (!have_header) throw Error(source + ": empty file, expected a GistScope trace");
    return t;
}

Trace trace_read(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open trace");
    std::stringstream ss;
    ss << in.rdbuf();
    return trace_parse(ss.str(), path.string());
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
    } else {
        m.stop_reason = "incomplete";
    }
    return m;
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
    if (header.expected_answer) {
        j["expected_answer"] = *header.expected_answer;
        j["correct"] = end.answer.has_value() && *end.answer == *header.expected_answer;
    }
    return j;
}

}  // namespace gistscope
