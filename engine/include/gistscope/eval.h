// gistscope/eval.h: evaluation as LightThinker's paper ran it (spec 2, 3.2, 7).
//
// - Datasets: LightThinker's GSM8K / MMLU / GPQA / BBH files ({group: [item, ...]}, spec 3.2) and
//   plain JSON Lines ({"question", "answer", optional "choices"} per line).
// - Scoring (spec 7.4): the last \boxed{}, the item's accepted / rejected answer lists, a strict
//   numeric comparison; what no rule decides is "unmatched" until a person reviews it. The
//   reference evaluator's bugs (spec 7.4, 12) are fixed; each has a test.
// - Results: one JSON line per item (EvalRecord), written and flushed as each item ends, so a
//   killed run loses nothing finished and resumes; shards (K/N) are independent processes whose
//   files merge into the paper-style table (EvalSummary). Imported LightThinker inference files
//   become the same records.
#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/model.h"
#include "gistscope/session.h"  // MemoryMetrics

namespace gistscope {

class Backend;
struct SessionParams;

// ---- Datasets ---------------------------------------------------------------------------------

enum class DatasetFormat { auto_detect, jsonl, gsm8k, mmlu, gpqa, bbh };
std::string dataset_format_name(DatasetFormat f);
// "auto", "jsonl", "gsm8k", "mmlu", "gpqa", "bbh"; false for anything else.
bool dataset_format_parse(const std::string& name, DatasetFormat& out);

struct EvalItem {
    std::string id;        // "group/index" (LightThinker files) or the line number (JSON Lines)
    std::string question;  // as given; the prompt adds spec 2's "Return your final response within \boxed{}. "
    std::string answer;    // the reference answer as the file gives it ("18", "B", "Yes", "(C)" -> "C")
    std::vector<std::string> choices;  // multiple choice texts, in letter order, when given
    // Spec 7.4's lists: model answers (after normalisation) counted correct / wrong without a person.
    std::vector<std::string> accepted;
    std::vector<std::string> rejected;
};

struct EvalDataset {
    std::string name;  // the file name without extension ("gsm8k", "demo-test")
    DatasetFormat format = DatasetFormat::jsonl;
    std::vector<EvalItem> items;  // file order
};

// Reads FILE. With auto_detect, a whole-file JSON object is LightThinker's schema and its kind is
// told by the items (choices_list + answer_content: GPQA, choices_list: MMLU, a "domain" without
// choices: BBH, else GSM8K); anything else is JSON Lines. Error naming the file and line / item.
EvalDataset eval_dataset_load(const std::filesystem::path& file, DatasetFormat format = DatasetFormat::auto_detect);

// The accepted / rejected lists of spec 7.4 for an item of `format` (used by the readers and by
// eval-import, which gets only the reference answer).
void eval_item_fill_lists(EvalItem& item, DatasetFormat format);

// ---- Scoring ----------------------------------------------------------------------------------

enum class Verdict { correct, wrong, unmatched };
std::string verdict_name(Verdict v);
bool verdict_parse(const std::string& name, Verdict& out);

struct EvalScore {
    Verdict verdict = Verdict::unmatched;
    std::string rule;  // "accepted", "rejected", "numeric", "no_answer", "none"
};

// Spec 7.4 without the reference evaluator's bugs: no \boxed{} -> wrong; an accepted / rejected
// answer (case-insensitive, \text{} and $ stripped) decides; else both sides as numbers (thousands
// commas, currency, %, trailing units and "x =" dropped; parsed strictly, never evaluated as an
// expression) decide; else unmatched.
EvalScore eval_score(const std::optional<std::string>& model_answer, const EvalItem& item);

// The number an answer states, if it states exactly one ("1,450,000" -> 1450000, "\$18.50" ->
// 18.5, "25\%" -> 25, "18 dollars" -> 18, "x = -3" -> -3, "\frac{3}{4}" -> 0.75); nullopt otherwise.
std::optional<double> eval_answer_number(const std::string& answer);

// ---- Per-item results -------------------------------------------------------------------------

struct EvalRecord {
    // Which run: the same dataset + model + method + params is one run, whatever shard wrote it.
    std::string dataset;
    DatasetFormat dataset_format = DatasetFormat::jsonl;
    std::string model;
    std::string method;
    nlohmann::json params = nlohmann::json::object();
    std::string source = "gistscope";  // or "lightthinker" (eval-import)
    int shard = 0, shards = 0;         // K of N (1-based); 0 / 0 for a whole run

    // The item.
    std::string id;
    int64_t index = 0;  // position in the dataset; merged tables list items in this order
    std::string question, expected;
    std::vector<std::string> accepted, rejected;

    // The model's run.
    std::string output;                 // generated text
    std::optional<std::string> answer;  // last \boxed{} content
    Verdict verdict = Verdict::unmatched;
    std::string rule;
    bool reviewed = false;  // verdict set by a person (review)
    int prompt_tokens = 0, generated_tokens = 0, peak_tokens = 0, compressions = 0, thoughts = 0;
    std::optional<int64_t> dependency;  // unknown for some imported methods
    double mean_thought_tokens = 0, seconds = 0;
    std::string stop_reason;
    std::optional<MemoryMetrics> memory;  // LightThinker++: its actions and re-prefilled tokens

    std::string run_key() const;  // dataset, format, model, method, params: equal for one run
    nlohmann::json to_json() const;
};
EvalRecord eval_record_from_json(const nlohmann::json& j, const std::string& where);

struct EvalResultsFile {
    std::vector<EvalRecord> records;
    bool cut_last_line = false;  // the last line had no newline and did not parse (a killed writer)
    int64_t good_bytes = 0;      // bytes up to the end of the last complete line
};
// Reads a results file; a missing file is an empty one. A broken line in the middle is an Error
// naming the file and line; a cut last line is dropped and reported in cut_last_line.
EvalResultsFile eval_results_read(const std::filesystem::path& file);
// Writes all records to FILE through a temporary and a rename (review, eval-import).
void eval_results_write_atomic(const std::filesystem::path& file, const std::vector<EvalRecord>& records);

// ---- Running a dataset ------------------------------------------------------------------------

struct EvalRunSpec {
    std::filesystem::path model;    // a checkpoint folder or a .gguf file
    std::optional<CompConfig> comp_override;  // --lightthinker-config
    std::string method;             // empty: the model's own (gistscope.json), else vanilla
    std::filesystem::path dataset;
    DatasetFormat format = DatasetFormat::auto_detect;
    size_t limit = 0;               // first N items; 0: all
    int shard = 0, shards = 0;      // K of N, 1-based; 0 / 0: every item
    std::filesystem::path out;      // results JSON Lines; appended to, resumed
};

struct EvalProgress {
    size_t done = 0, total = 0;     // items of this shard, the resumed ones included
    size_t resumed = 0;             // items found in `out` at the start
    size_t correct = 0;             // verdict correct
    double mean_peak = 0;           // over the done items
    double seconds = 0;             // wall time of this process so far
    size_t ran = 0;                 // items run by this process
};

struct EvalRunResult {
    std::vector<EvalRecord> records;  // this shard's, resumed ones included, in item order
    bool cut_line_dropped = false;
    bool stopped = false;             // `stop` was set
};

// Items [begin, end) of shard K of N over `count` items: contiguous blocks, as the reference's
// split_size; sizes differ by at most one.
std::pair<size_t, size_t> eval_shard_range(size_t count, int shard, int shards);

// Runs every item of the shard not already in spec.out, appending one flushed line per item;
// `stop` is polled between items and inside a run (a stopped item is not written).
struct EvalRunHooks {
    // Fills the session parameters for `method` (the CLI's method options, the window's
    // controls) and returns the JSON recorded with each line; `cache_tokens` is the model's |C|.
    std::function<nlohmann::json(const std::string& method, int cache_tokens, SessionParams& params)> configure;
    // The backend for the loaded model (select_backend with the user's choice).
    std::function<std::unique_ptr<Backend>(const Model& model)> make_backend;
    std::function<void(const EvalProgress&)> progress;
    std::function<void(const std::string&)> note;  // "resuming: 12 of 50 done", "dropped a cut line"
};
EvalRunResult eval_run(const EvalRunSpec& spec, const EvalRunHooks& hooks, const std::atomic<bool>* stop = nullptr);

// ---- Merging ------------------------------------------------------------------------------------

struct EvalRunSummary {
    std::string dataset, model, method, source;
    nlohmann::json params;
    int shards = 0;             // N of the shards merged (0: whole runs)
    std::vector<int> missing_shards;
    size_t items = 0, correct = 0, wrong = 0, unmatched = 0, reviewed = 0;
    double accuracy = 0;        // correct / items * 100 (unmatched counts as wrong, as the reference)
    double seconds = 0;         // summed over items (the paper's Time is this, in hours)
    double mean_peak = 0, mean_generated = 0, mean_compressions = 0;
    std::optional<double> mean_dependency;
    // Against the vanilla run of the same dataset (same model if there is one).
    std::optional<double> peak_ratio, dependency_ratio, time_ratio;
};

struct EvalMerged {
    std::vector<EvalRecord> records;        // every run, each in item order
    std::vector<EvalRunSummary> summaries;  // per dataset, then in the order runs were first seen
};

// Merges result files. Error (naming both files) when two files hold the same item of one run
// (overlapping shards), when one run's files disagree on the shard count, or when the same
// dataset, model, method and budget ran with different parameters. Runs of one method at
// different cache budgets (H2O, SepLLM: params "cache_size") are different rows.
EvalMerged eval_merge(const std::vector<std::filesystem::path>& files);
nlohmann::json eval_summaries_json(const std::vector<EvalRunSummary>& s);
// The method as tables and plots name a run: "h2o (budget 180)" where params has a cache_size,
// else the method.
std::string eval_method_label(const std::string& method, const nlohmann::json& params);
std::string eval_summaries_markdown(const std::vector<EvalRunSummary>& s);

// ---- Review -----------------------------------------------------------------------------------

// Indices of the records a person still has to decide (unmatched, not reviewed), in file order.
std::vector<size_t> eval_review_pending(const std::vector<EvalRecord>& records);
// Sets record i's verdict from a person and rewrites FILE atomically, so the decision survives.
void eval_review_decide(const std::filesystem::path& file, std::vector<EvalRecord>& records, size_t i, bool correct);

// ---- The reference implementation's results -----------------------------------------------------

struct EvalImportOptions {
    DatasetFormat format = DatasetFormat::gsm8k;  // gsm8k, mmlu, gpqa or bbh
    std::string model;    // recorded model name; default: the first file's name without extension
    std::string method;   // recorded method; default lightthinker
    std::string dataset;  // recorded dataset name; default the format's name
};
// Reads LightThinker's inference output (JSON Lines with idx, model_answer, gt_answer, output,
// input_len, output_len, infer_time, max_token; spec 7) and scores every line with eval_score,
// the answer re-extracted from `output` when it is there. Peak: max_token (anchor methods) or
// input_len + output_len (vanilla); dependency: spec 7.3's closed form for vanilla, else unknown.
std::vector<EvalRecord> eval_import(const std::vector<std::filesystem::path>& files, const EvalImportOptions& opt);

}  // namespace gistscope
