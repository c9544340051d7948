// eval_import of gistscope/eval.h: LightThinker's inference output (inference.py:1632-1644, spec 7)
// scored with GistScope's rules, as records that merge like native ones.
#include <algorithm>
#include <fstream>
#include <set>

#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/session.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::string text_of(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    return v.dump();
}

}  // namespace

std::vector<EvalRecord> eval_import(const std::vector<std::filesystem::path>& files, const EvalImportOptions& opt) {
    if (files.empty()) throw Error("give at least one LightThinker inference file");
    if (opt.format != DatasetFormat::gsm8k && opt.format != DatasetFormat::mmlu && opt.format != DatasetFormat::gpqa &&
        opt.format != DatasetFormat::bbh)
        throw Error("--format is '" + dataset_format_name(opt.format) + "', expected gsm8k, mmlu, gpqa or bbh");
    EvalRecord base;
    base.dataset = opt.dataset.empty() ? dataset_format_name(opt.format) : opt.dataset;
    base.dataset_format = opt.format;
    base.model = opt.model.empty() ? files.front().stem().string() : opt.model;
    base.method = opt.method.empty() ? "lightthinker" : opt.method;
    base.source = "lightthinker";
    base.params = json::object();
    // The token the method compresses at (spec 7.3's fix: <|splitter|> for LightThinker, the
    // generated anchor for AnLLM), to count compressions in the saved text.
    const std::string trigger = base.method == "anllm" ? "<|o_0|>" : base.method == "vanilla" ? "" : "<|splitter|>";

    std::vector<EvalRecord> out;
    std::set<int64_t> seen;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw Error(file.string() + ": cannot open");
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
            const std::string where = file.string() + ":" + std::to_string(n);
            json j;
            try {
                j = json::parse(line);
            } catch (const std::exception&) {
                throw Error(where + ": not valid JSON (expected one LightThinker inference result per line)");
            }
            if (!j.is_object()) throw Error(where + ": expected a JSON object, got " + std::string(j.type_name()));
            for (const char* key : {"idx", "gt_answer"})
                if (!j.contains(key)) throw Error(where + ": missing \"" + std::string(key) + "\" (not LightThinker's inference output?)");
            if (!j.contains("output") && !j.contains("model_answer"))
                throw Error(where + ": has neither \"output\" nor \"model_answer\"");
            if (!j["idx"].is_number_integer()) throw Error(where + ": \"idx\" must be an integer");
            auto number = [&](const char* key) -> double {
                if (!j.contains(key) || j[key].is_null()) return 0;
                if (!j[key].is_number()) throw Error(where + ": \"" + std::string(key) + "\" must be a number");
                return j[key].get<double>();
            };
            EvalRecord r = base;
            r.index = j["idx"].get<int64_t>();
            if (!seen.insert(r.index).second) throw Error(where + ": idx " + std::to_string(r.index) + " appears twice");
            r.id = std::to_string(r.index);
            EvalItem item;
            item.id = r.id;
            item.answer = text_of(j["gt_answer"]);
            // MMLU / GPQA ground truth can be "B. 10^-4 eV": the letter, and the text as its choice.
            if ((opt.format == DatasetFormat::mmlu || opt.format == DatasetFormat::gpqa) && item.answer.size() > 2 &&
                item.answer[1] == '.' && item.answer[0] >= 'A' && item.answer[0] <= 'Z') {
                const std::string text = item.answer.substr(2);
                const auto b = text.find_first_not_of(' ');
                item.choices.assign(size_t(item.answer[0] - 'A') + 1, "");
                item.choices.back() = b == std::string::npos ? "" : text.substr(b);
                item.answer = item.answer.substr(0, 1);
            }
            eval_item_fill_lists(item, opt.format);
            r.expected = item.answer;
            r.accepted = item.accepted;
            r.rejected = item.rejected;
            if (j.contains("prompt") && j["prompt"].is_string()) r.question = j["prompt"].get<std::string>();
            if (j.contains("output") && j["output"].is_string()) {
                r.output = j["output"].get<std::string>();
                r.answer = extract_boxed_answer(r.output);  // any nesting depth, the last box
            } else if (j["model_answer"].is_string() && j["model_answer"] != "error") {
                r.answer = j["model_answer"].get<std::string>();
            }
            const EvalScore score = eval_score(r.answer, item);
            r.verdict = score.verdict;
            r.rule = score.rule;
            r.prompt_tokens = int(number("input_len"));
            r.generated_tokens = int(number("output_len"));
            r.seconds = number("infer_time");
            r.compressions = trigger.empty() ? 0 : count_of(r.output, trigger);
            const int max_token = int(number("max_token"));
            const bool vanilla = base.method == "vanilla";
            r.peak_tokens = !vanilla && max_token > 0 ? max_token : r.prompt_tokens + r.generated_tokens;
            if (vanilla) r.dependency = vanilla_dependency(r.prompt_tokens, r.generated_tokens);
            r.stop_reason = "";
            out.push_back(std::move(r));
        }
    }
    if (out.empty()) throw Error(files.front().string() + ": no results in it");
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    return out;
}

}  // namespace gistscope
