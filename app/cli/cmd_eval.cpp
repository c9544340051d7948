// gistscope-cli eval: every item of a dataset through one or more (model, method) runs, and a
// table like the paper's Table 1: accuracy, time, mean peak tokens, mean dependency, and the
// ratios to the vanilla run.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "run_options.h"

namespace gistscope::cli {

namespace {

struct RunTotals {
    std::string label, model, method;
    int items = 0, correct = 0;
    double seconds = 0, peak = 0, dependency = 0, generated = 0, compressions = 0, thought_tokens = 0;
};

}  // namespace

int cmd_eval(int argc, char** argv) {
    auto valued = run_valued_options;
    valued.insert({"dataset", "run", "limit", "offset", "items-out"});
    Args args(argc, argv, 2, valued, {"markdown", "json", "with-ids", "quiet"});
    const auto items_all = eval_dataset_load(args.require("dataset"));
    const size_t offset = size_t(args.get_int("offset", 0, 0, 1 << 30));
    const size_t limit = size_t(args.get_int("limit", long(items_all.size()), 1, 1 << 30));
    if (offset >= items_all.size()) throw Error("--offset is past the end of the dataset");
    std::vector<EvalItem> items(items_all.begin() + long(offset), items_all.begin() + long(std::min(items_all.size(), offset + limit)));
    const auto runs = args.all("run");
    if (runs.empty()) throw Error("give at least one --run MODEL_DIR[:METHOD]");

    std::ofstream items_out;
    std::string items_tmp;
    if (auto p = args.get("items-out")) {
        items_tmp = *p + ".tmp";
        items_out.open(items_tmp, std::ios::trunc);
        if (!items_out) throw Error(*p + ": cannot write (directory missing or not writable)");
    }
    const bool quiet = args.flag("quiet");
    std::vector<RunTotals> totals;
    for (const auto& spec : runs) {
        const auto colon = spec.rfind(':');
        std::string dir = spec, method;
        if (colon != std::string::npos && colon > 0 && spec.find('/', colon) == std::string::npos) {
            dir = spec.substr(0, colon);
            method = spec.substr(colon + 1);
        }
        LoadedModel lm = load_model(dir);
        if (!lm.comp) throw Error(dir + ": no chat template (gistscope.json); eval needs one");
        if (method.empty()) method = lm.comp->method.empty() ? "vanilla" : lm.comp->method;
        SessionParams params = session_params_from(args, method);
        params.policy.method = method;
        BackendSelection selected = backend_from(args, *lm.model);
        auto& backend = selected.backend;
        RunSetup setup;
        setup.backend = backend.get();
        setup.tokenizer = lm.tokenizer.get();
        setup.eos_ids = lm.eos_ids();
        setup.method_tokens = lm.method_tokens();
        RunTotals t;
        t.model = lm.name();
        t.method = method;
        t.label = method + " (" + t.model + ")";
        for (const auto& item : items) {
            setup.prompt_ids = lm.chat_prompt_ids(item.question);
            std::vector<int32_t> generated;
            const auto t0 = std::chrono::steady_clock::now();
            EndEvent end = run_session(setup, params, [&](const Event& e) {
                if (const auto* tok = std::get_if<TokenEvent>(&e); tok && tok->role != SlotRole::prompt && !tok->forced)
                    generated.push_back(tok->id);
            });
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const bool ok = eval_answer_matches(end.answer, item);
            ++t.items;
            t.correct += ok;
            t.seconds += secs;
            t.peak += end.metrics.peak_tokens;
            t.dependency += double(end.metrics.dependency);
            t.generated += end.metrics.generated_tokens;
            t.compressions += end.metrics.compressions;
            t.thought_tokens += end.metrics.mean_thought_tokens;
            if (items_out) {
                nlohmann::json j = {{"run", t.label}, {"id", item.id}, {"expected", item.answer}, {"correct", ok},
                                    {"generated_tokens", end.metrics.generated_tokens},
                                    {"peak_tokens", end.metrics.peak_tokens}, {"dependency", end.metrics.dependency},
                                    {"compressions", end.metrics.compressions}, {"seconds", secs},
                                    {"stop_reason", end.metrics.stop_reason}};
                j["answer"] = end.answer ? nlohmann::json(*end.answer) : nlohmann::json(nullptr);
                if (args.flag("with-ids")) j["ids"] = generated;
                items_out << j.dump() << '\n';
            }
            if (!quiet)
                std::fprintf(stderr, "\r%-40s %4d/%zu  acc %.1f%%", t.label.c_str(), t.items, items.size(),
                             100.0 * t.correct / t.items);
        }
        if (!quiet) std::fprintf(stderr, "\n");
        totals.push_back(t);
    }
    if (items_out) {
        items_out.close();
        std::filesystem::rename(items_tmp, *args.get("items-out"));
    }

    const RunTotals* base = nullptr;
    for (const auto& t : totals)
        if (t.method == "vanilla") { base = &t; break; }
    nlohmann::json table = nlohmann::json::array();
    for (const auto& t : totals) {
        const double n = t.items;
        nlohmann::json row = {{"run", t.label}, {"model", t.model}, {"method", t.method}, {"items", t.items},
                              {"accuracy", 100.0 * t.correct / n}, {"seconds", t.seconds},
                              {"mean_peak_tokens", t.peak / n}, {"mean_dependency", t.dependency / n},
                              {"mean_generated_tokens", t.generated / n}, {"mean_compressions", t.compressions / n},
                              {"mean_thought_tokens", t.thought_tokens / n}};
        if (base) {
            row["peak_ratio"] = t.peak / base->peak;
            row["dependency_ratio"] = t.dependency / base->dependency;
            row["time_ratio"] = t.seconds / base->seconds;
        }
        table.push_back(row);
    }
    if (args.flag("json")) {
        std::printf("%s\n", table.dump(2).c_str());
        return 0;
    }
    std::printf("| Method | Model | Acc (%%) | Time (s) | Peak | Dep | Peak / vanilla | Dep / vanilla | Gen. tokens | Compressions |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : table)
        std::printf("| %s | %s | %.1f | %.1f | %.0f | %.0f | %s | %s | %.0f | %.1f |\n", r["method"].get<std::string>().c_str(),
                    r["model"].get<std::string>().c_str(), r["accuracy"].get<double>(), r["seconds"].get<double>(),
                    r["mean_peak_tokens"].get<double>(), r["mean_dependency"].get<double>(),
                    r.contains("peak_ratio") ? (std::to_string(r["peak_ratio"].get<double>()).substr(0, 4) + "x").c_str() : "-",
                    r.contains("dependency_ratio") ? (std::to_string(r["dependency_ratio"].get<double>()).substr(0, 4) + "x").c_str() : "-",
                    r["mean_generated_tokens"].get<double>(), r["mean_compressions"].get<double>());
    std::printf("\n%zu items of %s\n", items.size(), args.require("dataset").c_str());
    return 0;
}

}  // namespace gistscope::cli
