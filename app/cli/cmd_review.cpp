// gistscope-cli review / eval-import: a person decides the answers no rule could (LightThinker's
// `--interaction`, but every decision is saved at once); and LightThinker's own inference files
// scored with GistScope's rules.
#include <cstdio>
#include <iostream>

#include "args.h"
#include "commands.h"
#include "eval_help.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"

namespace gistscope::cli {

namespace {

const char* review_usage =
    "usage: gistscope-cli review RESULTS.jsonl\n"
    "Shows each answer no rule decided as \"model answer <=> reference answer\" and reads one\n"
    "decision per line from stdin: y (correct), n (wrong), e (print the whole output, then ask\n"
    "again), q (stop). Every decision is written into RESULTS at once (temporary file + rename), so\n"
    "a review stopped or killed anywhere resumes with the next undecided answer. eval-merge counts\n"
    "the reviewed verdicts.\n"
    "options: none\n";

const char* import_usage =
    "usage: gistscope-cli eval-import FILE... --format gsm8k|mmlu|gpqa|bbh --out RESULTS.jsonl [options]\n"
    "Reads LightThinker's inference output (JSON Lines with idx, model_answer, gt_answer, output,\n"
    "input_len, output_len, infer_time, max_token), scores every line with GistScope's rules (the\n"
    "answer taken again from the output's last \\boxed{}) and writes GistScope result lines that\n"
    "merge and review like native ones.\n"
    "options:\n"
    "  --format gsm8k|mmlu|gpqa|bbh   the dataset the files answer (required)\n"
    "  --out RESULTS.jsonl      the results file, replaced (required)\n"
    "  --method M               the method that produced the files (default lightthinker; vanilla,\n"
    "                           anllm, h2o, sepllm as the paper's baselines)\n"
    "  --model-name NAME        recorded as the model (default the first file's name)\n"
    "  --dataset NAME           recorded as the dataset (default the format's name)\n"
    "  --json                   print the summary (items, correct, accuracy, ...) as JSON\n";

std::string shown(const std::optional<std::string>& s) { return s ? "\"" + *s + "\"" : "(no \\boxed{} answer)"; }

}  // namespace

int cmd_review(int argc, char** argv) {
    if (wants_help(argc, argv)) return print_help(review_usage);
    Args args(argc, argv, 2, {}, {});
    if (args.positional().size() != 1) throw Error("give exactly one results file (see review --help)");
    const std::filesystem::path file = args.positional().front();
    if (!std::filesystem::exists(file)) throw Error(file.string() + ": no such results file");
    EvalResultsFile rf = eval_results_read(file);
    if (rf.cut_last_line)
        throw Error(file.string() + ": the last line is cut (is an eval still writing it?); resume that eval first");
    std::vector<EvalRecord>& records = rf.records;
    const auto pending = eval_review_pending(records);
    size_t decided = 0;
    bool quit = false;
    for (size_t k = 0; k < pending.size() && !quit; ++k) {
        const EvalRecord& r = records[pending[k]];
        std::printf("\n[%zu/%zu] %s item %s (%s, %s)\n  %s  <=>  \"%s\"\n", k + 1, pending.size(), r.dataset.c_str(),
                    r.id.c_str(), r.model.c_str(), r.method.c_str(), shown(r.answer).c_str(), r.expected.c_str());
        for (;;) {
            std::printf("correct? y / n / e (whole output) / q (stop): ");
            std::fflush(stdout);
            std::string line;
            if (!std::getline(std::cin, line)) {
                quit = true;  // end of input: stop, every decision so far is saved
                break;
            }
            const auto b = line.find_first_not_of(" \t\r");
            const char c = b == std::string::npos ? '\0' : char(std::tolower(static_cast<unsigned char>(line[b])));
            if (c == 'y' || c == 'n') {
                eval_review_decide(file, records, pending[k], c == 'y');
                ++decided;
                break;
            }
            if (c == 'e') {
                std::printf("---- question\n%s\n---- output\n%s\n---- end\n", r.question.c_str(), r.output.c_str());
                continue;
            }
            if (c == 'q') {
                quit = true;
                break;
            }
            std::printf("please answer y, n, e or q\n");
        }
    }
    const size_t left = eval_review_pending(records).size();
    std::printf("\n%zu decided now, %zu still to review in %s\n", decided, left, file.string().c_str());
    return 0;
}

int cmd_eval_import(int argc, char** argv) {
    if (wants_help(argc, argv)) return print_help(import_usage);
    Args args(argc, argv, 2, {"format", "out", "method", "model-name", "dataset"}, {"json"});
    if (args.positional().empty()) throw Error("give LightThinker inference files to import (see eval-import --help)");
    EvalImportOptions opt;
    const std::string format = args.require("format");
    if (!dataset_format_parse(format, opt.format) || opt.format == DatasetFormat::auto_detect || opt.format == DatasetFormat::jsonl)
        throw Error("option --format is '" + format + "', expected gsm8k, mmlu, gpqa or bbh");
    const std::filesystem::path out = args.require("out");
    opt.method = args.get("method").value_or("lightthinker");
    opt.model = args.get("model-name").value_or("");
    opt.dataset = args.get("dataset").value_or("");
    std::vector<std::filesystem::path> files(args.positional().begin(), args.positional().end());
    const auto records = eval_import(files, opt);
    eval_results_write_atomic(out, records);
    const EvalMerged merged = eval_merge({out});
    if (args.flag("json")) std::printf("%s\n", eval_summaries_json(merged.summaries).at(0).dump(2).c_str());
    else std::fputs(eval_summaries_markdown(merged.summaries).c_str(), stdout);
    return 0;
}

}  // namespace gistscope::cli
