// gistscope-cli eval / eval-merge: one (model, method) over a dataset or one shard of it, one
// result line per item as it ends (resumable); and the paper-style table of merged result files.
// The logic is the engine's (gistscope/eval.h); these are its command-line faces.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "eval_help.h"
#include "progress_bar.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "run_options.h"

namespace gistscope::cli {

CompConfig comp_config_from_option(const std::string& spec);  // cmd_tokenize.cpp

namespace {

const char* eval_usage =
    "usage: gistscope-cli eval --model M --dataset F --out RESULTS.jsonl [options]\n"
    "Runs every item of F (or of one shard of it) through model M with one method and appends one\n"
    "JSON line per item to RESULTS as it ends. Run it again with the same options to resume: items\n"
    "already in RESULTS are skipped. Merge result files with `eval-merge`.\n"
    "options:\n"
    "  --model M                a checkpoint folder or a .gguf file (required)\n"
    "  --dataset F              LightThinker's gsm8k/mmlu/gpqa/bbh JSON, or JSON Lines with question,\n"
    "                           answer and optional choices (required)\n"
    "  --out RESULTS.jsonl      the results file, appended to and resumed (required)\n"
    "  --format auto|jsonl|gsm8k|mmlu|gpqa|bbh   the dataset's kind (default auto: told by its items)\n"
    "  --limit N                the first N items only\n"
    "  --shard K/N              the K-th of N contiguous blocks (1 <= K <= N), e.g. $SLURM_ARRAY_TASK_ID/N\n"
    "  --method M               vanilla, lightthinker, lightthinker-token, anllm, h2o, h2o-global, sepllm,\n"
    "                           lightthinker-pp\n"
    "                           (default: the model's own method, else vanilla)\n"
    "  --lightthinker-config F|qwen|llama   the comp-config, when the model has none\n"
    "  --max-new-tokens N       generated tokens per item (default 1024; the paper used 10240)\n"
    "  --cache-size N --h2o-recent N        H2O / SepLLM budget (default 1024) and H2O's recent window\n"
    "                           (default half the budget; the heavy hitters get the rest)\n"
    "  --sepllm-init N --sepllm-separators N --sepllm-local N   SepLLM (defaults 3/8, 1/16 and 1/4 of\n"
    "                           the budget, as the paper ran it: 384, 64, 256 of 1024); set ones are\n"
    "                           checked against the budget before the first item\n"
    "  --token-step S           lightthinker-token's step (default 6)\n"
    "  --memory-grammar F       lightthinker-pp's action grammar (default: the model's, else GistScope's)\n"
    "  --memory-no-expand       lightthinker-pp: refuse every expand (the ablation)\n"
    "  --temperature T --top-p P --seed S   sampling (default greedy, as the paper)\n"
    "  --max-context N          positions (default the model's)\n"
    "  --backend auto|cpu|cuda  --threads N\n"
    "  --quiet                  no progress bar on stderr\n"
    "  --json                   print this run's summary as JSON (default a Markdown row)\n";

const char* merge_usage =
    "usage: gistscope-cli eval-merge RESULTS.jsonl... [--json] [--markdown]\n"
    "Merges result files (shards of one run, several runs, imported ones) and prints the table per\n"
    "dataset and method with ratios to vanilla: accuracy, unmatched answers (wrong until reviewed),\n"
    "total time, mean peak tokens, mean dependency, generated tokens, compressions. Refuses files\n"
    "that hold the same item of a run twice (overlapping shards) or that disagree on the shard count\n"
    "or on the parameters of one dataset, model and method.\n"
    "options:\n"
    "  --json                   the table as JSON\n"
    "  --markdown               the table as Markdown (the default)\n";

bool parse_shard(const std::string& s, int& k, int& n) {
    const auto slash = s.find('/');
    if (slash == std::string::npos) return false;
    try {
        size_t a = 0, b = 0;
        k = std::stoi(s.substr(0, slash), &a);
        n = std::stoi(s.substr(slash + 1), &b);
        return a == slash && b == s.size() - slash - 1 && n >= 1 && k >= 1 && k <= n;
    } catch (...) {
        return false;
    }
}

void print_table(const std::vector<EvalRunSummary>& s, bool json) {
    if (json) std::printf("%s\n", eval_summaries_json(s).dump(2).c_str());
    else std::fputs(eval_summaries_markdown(s).c_str(), stdout);
}

}  // namespace

int cmd_eval(int argc, char** argv) {
    if (wants_help(argc, argv)) return print_help(eval_usage);
    auto valued = run_valued_options;
    valued.erase("attention");  // eval records no attention
    valued.insert({"model", "dataset", "format", "limit", "shard", "out"});
    Args args(argc, argv, 2, valued, {"quiet", "json", "memory-no-expand"});
    if (!args.positional().empty()) throw Error("unexpected argument '" + args.positional().front() + "' (see eval --help)");

    EvalRunSpec spec;
    spec.model = args.require("model");
    spec.dataset = args.require("dataset");
    spec.out = args.require("out");
    spec.method = args.get("method").value_or("");
    if (auto f = args.get("format"); f && !dataset_format_parse(*f, spec.format))
        throw Error("option --format is '" + *f + "', expected auto, jsonl, gsm8k, mmlu, gpqa or bbh");
    spec.limit = size_t(args.get_int("limit", 0, 1, 1L << 40));
    if (auto s = args.get("shard"); s && !parse_shard(*s, spec.shard, spec.shards))
        throw Error("option --shard is '" + *s + "', expected K/N with 1 <= K <= N (e.g. 2/4)");
    if (auto lt = args.get("lightthinker-config")) spec.comp_override = comp_config_from_option(*lt);

    const bool quiet = args.flag("quiet");
    std::unique_ptr<ProgressBar> bar;
    EvalRunHooks hooks;
    hooks.configure = [&](const std::string& method, int cache_tokens, SessionParams& params) {
        const MemoryGrammar model_grammar = params.memory_grammar;  // the model's (the runner set it)
        params = session_params_from(args, method);
        params.policy.method = method;
        if (!args.get("memory-grammar")) params.memory_grammar = model_grammar;
        if (!quiet) {
            std::string label = spec.model.filename().string() + " " + method;
            if (spec.shards) label += " shard " + std::to_string(spec.shard) + "/" + std::to_string(spec.shards);
            bar = std::make_unique<ProgressBar>(label);
        }
        return session_params_json(params, cache_tokens);
    };
    hooks.make_backend = [&](const Model& model) { return backend_from(args, model).backend; };
    hooks.progress = [&](const EvalProgress& p) {
        if (bar) bar->update(p);
    };
    hooks.note = [&](const std::string& note) { std::fprintf(stderr, "gistscope-cli eval: %s\n", note.c_str()); };
    try {
        eval_run(spec, hooks);
    } catch (const Error&) {
        // A run that fails midway: the table of the items it finished, then the error.
        try {
            if (!eval_results_read(spec.out).records.empty()) print_table(eval_merge({spec.out}).summaries, args.flag("json"));
        } catch (const Error&) {
            // the file itself is what failed; the error below says so
        }
        throw;
    }
    const EvalMerged merged = eval_merge({spec.out});
    print_table(merged.summaries, args.flag("json"));
    return 0;
}

int cmd_eval_merge(int argc, char** argv) {
    if (wants_help(argc, argv)) return print_help(merge_usage);
    Args args(argc, argv, 2, {}, {"json", "markdown"});
    if (args.positional().empty()) throw Error("give the result files to merge (see eval-merge --help)");
    if (args.flag("json") && args.flag("markdown")) throw Error("give one of --json or --markdown");
    std::vector<std::filesystem::path> files(args.positional().begin(), args.positional().end());
    const EvalMerged merged = eval_merge(files);
    for (const auto& s : merged.summaries)
        if (!s.missing_shards.empty()) {
            std::string list;
            for (int k : s.missing_shards) list += (list.empty() ? "" : ", ") + std::to_string(k);
            std::fprintf(stderr, "gistscope-cli eval-merge: %s (%s) on %s: shard %s of %d not given; the table covers the rest\n",
                         s.method.c_str(), s.model.c_str(), s.dataset.c_str(), list.c_str(), s.shards);
        }
    print_table(merged.summaries, args.flag("json"));
    return 0;
}

}  // namespace gistscope::cli
