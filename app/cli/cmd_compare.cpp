// gistscope-cli compare: the paper's Table 1 on one dataset in one command. Every method on the
// bundled demo models (or the models given): vanilla, LightThinker at thought and token level,
// AnLLM, and H2O and SepLLM on the vanilla model at budgets that are shares of vanilla's mean peak
// (measured by this very run, not assumed). Each run is an ordinary `eval` result file under
// OUT/runs/ (resumable, mergeable with eval-merge); the table and the plot of accuracy against
// mean peak tokens are written from whatever runs have results, also when a later run fails.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "demo_plots.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/file_io.h"
#include "gistscope/policy.h"
#include "gistscope/runtime.h"
#include "progress_bar.h"
#include "resources.h"
#include "run_options.h"

namespace gistscope::cli {

namespace fs = std::filesystem;

namespace {

// One row of the comparison. A budget run's cache size is `share` x vanilla's mean peak.
struct CompareRun {
    std::string model_option;  // the option that names its model (for messages)
    fs::path model;
    std::string method;
    double share = 0;  // 0: no budget
};

std::vector<double> parse_shares(const std::string& text) {
    std::vector<double> out;
    size_t at = 0;
    while (at <= text.size()) {
        const size_t comma = std::min(text.find(',', at), text.size());
        const std::string part = text.substr(at, comma - at);
        size_t used = 0;
        double v = 0;
        try {
            v = std::stod(part, &used);
        } catch (...) {
            used = 0;
        }
        if (part.empty() || used != part.size() || !(v > 0 && v <= 1))
            throw Error("option --budgets is '" + text + "', expected shares of vanilla's mean peak in (0, 1] separated by "
                        "commas, e.g. 0.3,0.5,0.7");
        out.push_back(v);
        at = comma + 1;
    }
    return out;
}

std::string share_text(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", share);
    return buf;
}

// runs/<model>-<method>[-b<budget>].jsonl: a budget is part of the name, so a budget that moved
// with vanilla's peak (more items, other settings) is a new file, never a clash with an old one.
fs::path run_file(const fs::path& out, const CompareRun& r, int budget) {
    std::string name = r.model.filename().string();
    if (name.empty()) name = r.model.parent_path().filename().string();
    name += "-" + r.method;
    if (budget > 0) name += "-b" + std::to_string(budget);
    return out / "runs" / (name + ".jsonl");
}

}  // namespace

int cmd_compare(int argc, char** argv) {
    const fs::path models = resources_dir() / "models";
    CommandHelp help{
        "compare",
        "[--out DIR] [--dataset F] [--limit N] [--budgets 0.3,0.5,0.7] [--max-new-tokens N]",
        "Every method on one dataset, as the paper's Table 1: vanilla, LightThinker (thought and token level), AnLLM, and "
        "H2O and SepLLM on the vanilla model at shares of vanilla's mean peak. Writes DIR/runs/*.jsonl (eval result "
        "files, resumed when run again), DIR/table.md, DIR/table.json and DIR/accuracy-peak.{png,svg,csv}.",
        {{"out", "DIR", "output folder (default out/compare)"},
         {"dataset", "F", "dataset (default the bundled resources/datasets/demo-test.jsonl)"},
         {"limit", "N", "the first N items only"},
         {"budgets", "LIST", "H2O / SepLLM cache sizes as shares of vanilla's mean peak (default 0.3,0.5,0.7)"},
         {"vanilla", "M", "the vanilla model, also the one H2O and SepLLM run on (default bundled demo-vanilla)"},
         {"lightthinker", "M", "the thought-level LightThinker model (default demo-lightthinker)"},
         {"lightthinker-token", "M", "the token-level model (default demo-lightthinker-token)"},
         {"anllm", "M", "the AnLLM model (default demo-anllm)"},
         {"max-new-tokens", "N", "generated tokens per item (default 1024)"},
         {"backend", "auto|cpu|cuda", "where to run (default auto)"},
         {"threads", "N", "CPU threads, 1..1024 (default: all cores; 1 for tiny models)"},
         {"quiet", "", "no progress bars on stderr"}}};
    Args args(argc, argv, 2, help);
    if (!args.positional().empty()) throw Error("unexpected argument '" + args.positional().front() + "' (see compare --help)");
    const fs::path out = args.get("out").value_or("out/compare");
    const fs::path dataset = args.get("dataset").value_or((resources_dir() / "datasets" / "demo-test.jsonl").string());
    const size_t limit = size_t(args.get_int("limit", 0, 1, 1L << 40));
    const int max_new_tokens = int(args.get_int("max-new-tokens", 1024, 1, 1 << 20));
    const std::vector<double> shares = parse_shares(args.get("budgets").value_or("0.3,0.5,0.7"));
    const bool quiet = args.flag("quiet");
    auto model_of = [&](const char* option, const char* bundled) { return fs::path(args.get(option).value_or((models / bundled).string())); };

    std::vector<CompareRun> runs = {{"--vanilla", model_of("vanilla", "demo-vanilla"), "vanilla"},
                                    {"--lightthinker", model_of("lightthinker", "demo-lightthinker"), "lightthinker"},
                                    {"--lightthinker-token", model_of("lightthinker-token", "demo-lightthinker-token"), "lightthinker-token"},
                                    {"--anllm", model_of("anllm", "demo-anllm"), "anllm"}};
    for (const char* method : {"h2o", "sepllm"})
        for (double s : shares) runs.push_back({"--vanilla", runs[0].model, method, s});

    // Every run is checked before the first item: the dataset, each model, that it can run its
    // method, and that the result files already there are readable.
    const EvalDataset ds = eval_dataset_load(dataset);
    const size_t count = limit ? std::min(limit, ds.items.size()) : ds.items.size();
    if (count == 0) throw Error(dataset.string() + ": no items");
    for (const CompareRun& r : runs) {
        if (r.share > 0 && r.method != "h2o") continue;  // the same model as H2O's, checked once
        LoadedModel lm = [&] {
            try {
                return load_model(r.model);
            } catch (const Error& e) {
                throw Error("option " + r.model_option + ": " + e.what());
            }
        }();
        if (!lm.has_chat_template())
            throw Error("option " + r.model_option + ": " + r.model.string() + " has no chat template (no gistscope.json)");
        PolicyParams p;
        p.method = r.method;
        try {
            make_policy(p, lm.method_tokens());
            if (r.share > 0) make_policy(PolicyParams{.method = "sepllm"}, lm.method_tokens());
        } catch (const Error& e) {
            throw Error("option " + r.model_option + ": " + r.model.string() + " cannot run " + r.method + ": " + e.what());
        }
        if (r.share == 0) eval_results_read(run_file(out, r, 0));  // throws on a broken file, naming it
    }
    std::error_code ec;
    fs::create_directories(out / "runs", ec);
    if (ec) throw Error(out.string() + ": cannot create the output folder: " + ec.message());

    // The runs one after another; the first failure stops them, the table keeps what is there:
    // this invocation's finished runs and the results earlier invocations left for the others.
    std::vector<fs::path> files;
    std::string failure;
    double vanilla_peak = 0;
    auto budget_of = [&](const CompareRun& r) { return r.share > 0 ? int(std::lround(r.share * vanilla_peak)) : 0; };
    auto label_of = [&](const CompareRun& r) {
        const int b = budget_of(r);
        return eval_method_label(r.method, b ? nlohmann::json{{"cache_size", b}} : nlohmann::json::object());
    };
    size_t next = 0;
    for (; next < runs.size(); ++next) {
        const CompareRun& r = runs[next];
        const int budget = budget_of(r);
        if (r.share > 0 && budget < 2) {
            failure = r.method + " at " + share_text(r.share) + " x vanilla's mean peak (" + std::to_string(vanilla_peak) +
                      " tokens) is a budget of " + std::to_string(budget) + " tokens; expected at least 2 (give larger --budgets)";
            break;
        }
        EvalRunSpec spec;
        spec.model = r.model;
        spec.method = r.method;
        spec.dataset = dataset;
        spec.limit = count;
        spec.out = run_file(out, r, budget);
        std::unique_ptr<ProgressBar> bar;
        EvalRunHooks hooks;
        hooks.configure = [&](const std::string& method, int cache_tokens, SessionParams& params) {
            params = SessionParams{};
            params.policy.method = method;
            params.max_new_tokens = max_new_tokens;
            if (budget > 0) params.policy = with_budget_defaults(PolicyParams{.method = method, .cache_size = budget});
            if (!quiet) bar = std::make_unique<ProgressBar>(label_of(r));
            return session_params_json(params, cache_tokens);
        };
        hooks.make_backend = [&](const Model& model) { return backend_from(args, model).backend; };
        hooks.progress = [&](const EvalProgress& p) {
            if (bar) bar->update(p);
        };
        hooks.note = [&](const std::string& note) { std::fprintf(stderr, "gistscope-cli compare: %s\n", note.c_str()); };
        try {
            const EvalRunResult result = eval_run(spec, hooks);
            files.push_back(spec.out);
            if (r.method == "vanilla") {
                double sum = 0;
                size_t n = 0;
                for (const auto& rec : result.records)
                    if (rec.index < int64_t(count)) sum += rec.peak_tokens, ++n;
                vanilla_peak = n ? sum / double(n) : 0;
            }
        } catch (const Error& e) {
            failure = label_of(r) + " (" + r.model.string() + "): " + e.what();
            break;
        }
    }
    // Runs not reached: their files from an earlier invocation, where the budget is known.
    for (size_t i = next + 1; i < runs.size(); ++i) {
        if (runs[i].share > 0 && vanilla_peak <= 0) continue;
        const fs::path f = run_file(out, runs[i], budget_of(runs[i]));
        try {
            if (!eval_results_read(f).records.empty()) files.push_back(f);
        } catch (const Error&) {
            // unreadable: left out of the table
        }
    }

    if (!files.empty()) {
        const EvalMerged merged = eval_merge(files);
        const std::string table = eval_summaries_markdown(merged.summaries);
        write_file_atomically(out / "table.md", table);
        write_file_atomically(out / "table.json", eval_summaries_json(merged.summaries).dump(2) + "\n");
        std::fputs(table.c_str(), stdout);
        for (const char* ext : {"png", "svg", "csv"}) {
            const fs::path p = out / (std::string("accuracy-peak.") + ext);
            std::string why;
            if (!accuracy_export_plot(merged.summaries, p.string(), &why))
                std::fprintf(stderr, "gistscope-cli compare: %s not written: %s\n", p.string().c_str(), why.c_str());
        }
    }
    if (!failure.empty()) throw Error(failure);
    std::fprintf(stderr, "gistscope-cli compare: wrote %s (table.md, table.json, accuracy-peak.*, runs/)\n", out.string().c_str());
    return 0;
}

}  // namespace gistscope::cli
