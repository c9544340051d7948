// Per-item result lines of gistscope/eval.h: the JSON of one EvalRecord, reading a results file
// that a killed writer may have cut, and atomic rewrites.
#include <fstream>
#include <limits>
#include <sstream>

#include "gistscope/error.h"
#include "util/checked_json.h"
#include "gistscope/eval.h"
#include "gistscope/trace.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

constexpr const char* kFormat = "gistscope-eval";
constexpr int kVersion = 1;

template <class T>
T field(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key)) throw Error(where + ": missing \"" + key + "\"");
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // get<int>() of 4.4e122 is a float-to-int cast out of range (undefined behaviour).
        return T(checked::integer(j[key], std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                                  where + ": \"" + key + "\""));
    } else {
        try {
            return j[key].get<T>();
        } catch (const std::exception&) {
            throw Error(where + ": \"" + key + "\" has the wrong type (" + std::string(j[key].type_name()) + ")");
        }
    }
}

template <class T>
T field_or(const json& j, const char* key, T fallback, const std::string& where) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    return field<T>(j, key, where);
}

}  // namespace

std::string EvalRecord::run_key() const {
    return json::array({dataset, dataset_format_name(dataset_format), model, method, source, params}).dump();
}

json EvalRecord::to_json() const {
    json j = {{"format", kFormat}, {"version", kVersion}, {"dataset", dataset},
              {"dataset_format", dataset_format_name(dataset_format)}, {"model", model}, {"method", method},
              {"params", params}, {"source", source}};
    j["shard"] = shards > 0 ? json(std::to_string(shard) + "/" + std::to_string(shards)) : json(nullptr);
    j["id"] = id;
    j["index"] = index;
    j["question"] = question;
    j["expected"] = expected;
    j["accepted"] = accepted;
    j["rejected"] = rejected;
    j["answer"] = answer ? json(*answer) : json(nullptr);
    j["verdict"] = verdict_name(verdict);
    j["rule"] = rule;
    j["reviewed"] = reviewed;
    j["prompt_tokens"] = prompt_tokens;
    j["generated_tokens"] = generated_tokens;
    j["peak_tokens"] = peak_tokens;
    j["dependency"] = dependency ? json(*dependency) : json(nullptr);
    j["compressions"] = compressions;
    j["thoughts"] = thoughts;
    j["mean_thought_tokens"] = mean_thought_tokens;
    j["seconds"] = seconds;
    j["stop_reason"] = stop_reason;
    if (memory) j["memory"] = memory_metrics_to_json(*memory);
    j["output"] = output;
    return j;
}

EvalRecord eval_record_from_json(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected a JSON object, got " + std::string(j.type_name()));
    if (!j.contains("format") || j["format"] != kFormat)
        throw Error(where + ": not a GistScope results line (\"format\" is not \"" + kFormat +
                    "\"); LightThinker's inference files go through eval-import");
    if (field<int>(j, "version", where) != kVersion)
        throw Error(where + ": results version " + j["version"].dump() + ", this build reads " + std::to_string(kVersion));
    EvalRecord r;
    r.dataset = field<std::string>(j, "dataset", where);
    if (!dataset_format_parse(field<std::string>(j, "dataset_format", where), r.dataset_format))
        throw Error(where + ": unknown \"dataset_format\" " + j["dataset_format"].dump());
    r.model = field<std::string>(j, "model", where);
    r.method = field<std::string>(j, "method", where);
    r.params = j.contains("params") ? j["params"] : json::object();
    r.source = field_or<std::string>(j, "source", "gistscope", where);
    if (auto shard = field_or<std::string>(j, "shard", "", where); !shard.empty()) {
        const auto slash = shard.find('/');
        try {
            if (slash == std::string::npos) throw std::invalid_argument("no slash");
            r.shard = std::stoi(shard.substr(0, slash));
            r.shards = std::stoi(shard.substr(slash + 1));
        } catch (const std::exception&) {
            throw Error(where + ": \"shard\" is \"" + shard + "\", expected K/N");
        }
        if (r.shards < 1 || r.shard < 1 || r.shard > r.shards) throw Error(where + ": \"shard\" " + shard + " is out of range");
    }
    r.id = field<std::string>(j, "id", where);
    r.index = field<int64_t>(j, "index", where);
    r.question = field_or<std::string>(j, "question", "", where);
    r.expected = field<std::string>(j, "expected", where);
    r.accepted = field_or<std::vector<std::string>>(j, "accepted", {}, where);
    r.rejected = field_or<std::vector<std::string>>(j, "rejected", {}, where);
    if (j.contains("answer") && !j["answer"].is_null()) r.answer = field<std::string>(j, "answer", where);
    if (!verdict_parse(field<std::string>(j, "verdict", where), r.verdict))
        throw Error(where + ": \"verdict\" is " + j["verdict"].dump() + ", expected correct, wrong or unmatched");
    r.rule = field_or<std::string>(j, "rule", "", where);
    r.reviewed = field_or<bool>(j, "reviewed", false, where);
    r.prompt_tokens = field_or<int>(j, "prompt_tokens", 0, where);
    r.generated_tokens = field_or<int>(j, "generated_tokens", 0, where);
    r.peak_tokens = field_or<int>(j, "peak_tokens", 0, where);
    if (j.contains("dependency") && !j["dependency"].is_null()) r.dependency = field<int64_t>(j, "dependency", where);
    r.compressions = field_or<int>(j, "compressions", 0, where);
    r.thoughts = field_or<int>(j, "thoughts", 0, where);
    r.mean_thought_tokens = field_or<double>(j, "mean_thought_tokens", 0.0, where);
    r.seconds = field_or<double>(j, "seconds", 0.0, where);
    r.stop_reason = field_or<std::string>(j, "stop_reason", "", where);
    if (j.contains("memory") && !j["memory"].is_null()) r.memory = memory_metrics_from_json(j["memory"], where + ": memory");
    r.output = field_or<std::string>(j, "output", "", where);
    return r;
}

EvalResultsFile eval_results_read(const std::filesystem::path& file) {
    EvalResultsFile out;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return out;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file.string() + ": cannot open the results file");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
        ++line_no;
        const size_t nl = text.find('\n', pos);
        const bool complete = nl != std::string::npos;
        const std::string line = text.substr(pos, complete ? nl - pos : std::string::npos);
        const std::string where = file.string() + ":" + std::to_string(line_no);
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            json j;
            bool parsed = true;
            try {
                j = json::parse(line);
            } catch (const std::exception&) {
                parsed = false;
            }
            if (!parsed && !complete) {  // the writer was killed inside this line
                out.cut_last_line = true;
                break;
            }
            if (!parsed) throw Error(where + ": not valid JSON");
            out.records.push_back(eval_record_from_json(j, where));
        }
        if (!complete) {
            // A whole JSON object without its newline: keep it, and count it as good.
            out.good_bytes = int64_t(text.size());
            break;
        }
        pos = nl + 1;
        out.good_bytes = int64_t(pos);
    }
    return out;
}

void eval_results_write_atomic(const std::filesystem::path& file, const std::vector<EvalRecord>& records) {
    const std::filesystem::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(file.string() + ": cannot write (directory missing or not writable)");
        for (const auto& r : records) out << r.to_json().dump() << '\n';
        out.flush();
        if (!out) {
            out.close();
            std::filesystem::remove(tmp);
            throw Error(file.string() + ": write failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw Error(file.string() + ": cannot replace: " + ec.message());
    }
}

}  // namespace gistscope
