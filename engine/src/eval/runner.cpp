// eval_run of gistscope/eval.h: one (model, method) over one shard of a dataset, one flushed
// result line per item, resuming from what the results file already holds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"

namespace gistscope {
namespace {

// Appends lines with one write() each and flushes it to the kernel at once: a SIGKILL after the
// flush leaves the line in the file (the page cache outlives the process); only a power loss
// could cut it, and the reader drops a cut last line.
class LineAppender {
public:
    explicit LineAppender(const std::filesystem::path& file) : name_(file.string()) {
        f_ = std::fopen(name_.c_str(), "ab");
        if (!f_) throw Error(name_ + ": cannot write (directory missing or not writable)");
    }
    ~LineAppender() {
        if (f_) std::fclose(f_);
    }
    LineAppender(const LineAppender&) = delete;
    LineAppender& operator=(const LineAppender&) = delete;
    void write_line(const std::string& line) {
        const std::string data = line + "\n";
        if (std::fwrite(data.data(), 1, data.size(), f_) != data.size() || std::fflush(f_) != 0)
            throw Error(name_ + ": write failed (disk full?)");
    }

private:
    std::string name_;
    std::FILE* f_ = nullptr;
};

}  // namespace

std::pair<size_t, size_t> eval_shard_range(size_t count, int shard, int shards) {
    if (shards <= 0) return {0, count};
    const size_t n = size_t(shards), k = size_t(shard - 1);
    const size_t base = count / n, extra = count % n;
    const size_t begin = k * base + std::min(k, extra);
    return {begin, begin + base + (k < extra ? 1 : 0)};
}

EvalRunResult eval_run(const EvalRunSpec& spec, const EvalRunHooks& hooks, const std::atomic<bool>* stop) {
    if (spec.shards < 0 || (spec.shards > 0 && (spec.shard < 1 || spec.shard > spec.shards)))
        throw Error("--shard " + std::to_string(spec.shard) + "/" + std::to_string(spec.shards) + ": expected K/N with 1 <= K <= N");
    if (spec.out.empty()) throw Error("missing required option --out (the results file)");
    const EvalDataset ds = eval_dataset_load(spec.dataset, spec.format);
    const size_t count = spec.limit > 0 ? std::min(spec.limit, ds.items.size()) : ds.items.size();
    const auto [begin, end] = eval_shard_range(count, spec.shard, spec.shards);

    LoadedModel lm = load_model(spec.model, spec.comp_override);
    if (!lm.has_chat_template())
        throw Error(spec.model.string() + ": no chat template (no gistscope.json and no template of its own); eval "
                    "builds the paper's prompt from one: give --lightthinker-config FILE|qwen|llama");
    const std::string method = !spec.method.empty()                      ? spec.method
                               : lm.comp && !lm.comp->method.empty() ? lm.comp->method
                                                                     : "vanilla";
    const int cache_tokens = lm.comp ? lm.comp->n_token : 0;
    SessionParams params;
    params.policy.method = method;
    params.memory_grammar = lm.memory_grammar();
    nlohmann::json params_json = hooks.configure ? hooks.configure(method, cache_tokens, params) : nlohmann::json::object();
    params.policy.method = method;

    EvalRecord base;
    base.dataset = ds.name;
    base.dataset_format = ds.format;
    base.model = lm.name();
    base.method = method;
    base.params = params_json;
    base.shard = spec.shard;
    base.shards = spec.shards;
    const std::string key = base.run_key();

    // Resume: what the file holds must be this run and this shard.
    EvalRunResult result;
    EvalResultsFile existing = eval_results_read(spec.out);
    if (existing.cut_last_line) {
        std::filesystem::resize_file(spec.out, uintmax_t(existing.good_bytes));
        result.cut_line_dropped = true;
        if (hooks.note) hooks.note(spec.out.string() + ": dropped a cut last line (a killed run); that item runs again");
    }
    std::set<std::string> done;
    for (auto& r : existing.records) {
        if (r.run_key() != key)
            throw Error(spec.out.string() + ": holds results of another run (" + r.model + ", " + r.method + ", " + r.dataset +
                        ", params " + r.params.dump() + "); give another --out");
        if (r.shards != spec.shards || r.shard != spec.shard)
            throw Error(spec.out.string() + ": holds shard " + (r.shards ? std::to_string(r.shard) + "/" + std::to_string(r.shards) : "none") +
                        ", this run is shard " + (spec.shards ? std::to_string(spec.shard) + "/" + std::to_string(spec.shards) : "none") +
                        "; give another --out");
        if (!done.insert(r.id).second) throw Error(spec.out.string() + ": item " + r.id + " appears twice");
        result.records.push_back(std::move(r));
    }
    // A complete last line without its newline: end it before appending.
    if (existing.good_bytes > 0) {
        std::FILE* f = std::fopen(spec.out.string().c_str(), "rb");
        if (f && std::fseek(f, -1, SEEK_END) == 0 && std::fgetc(f) != '\n') {
            std::fclose(f);
            LineAppender(spec.out).write_line("");
        } else if (f) {
            std::fclose(f);
        }
    }

    EvalProgress progress;
    progress.total = end - begin;
    // Only items of this shard's range count (the file may hold more, from a larger --limit).
    double peak_sum = 0;
    for (const auto& r : result.records) {
        if (r.index < int64_t(begin) || r.index >= int64_t(end)) continue;
        ++progress.resumed;
        progress.correct += r.verdict == Verdict::correct;
        peak_sum += r.peak_tokens;
    }
    progress.done = progress.resumed;
    progress.mean_peak = progress.done ? peak_sum / double(progress.done) : 0;
    if (progress.resumed && hooks.note)
        hooks.note("resuming " + spec.out.string() + ": " + std::to_string(progress.resumed) + " of " +
                   std::to_string(progress.total) + " items done");
    if (hooks.progress) hooks.progress(progress);
    if (progress.resumed == progress.total) {
        std::sort(result.records.begin(), result.records.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
        return result;
    }

    std::unique_ptr<Backend> backend = hooks.make_backend ? hooks.make_backend(*lm.model) : nullptr;
    if (!backend) throw Error("eval: no backend for " + spec.model.string());
    RunSetup setup;
    setup.backend = backend.get();
    setup.tokenizer = lm.tokenizer.get();
    setup.eos_ids = lm.eos_ids();
    setup.method_tokens = lm.method_tokens();
    LineAppender out(spec.out);
    const auto t_start = std::chrono::steady_clock::now();
    for (size_t i = begin; i < end; ++i) {
        const EvalItem& item = ds.items[i];
        if (done.count(item.id)) continue;
        if (stop && stop->load()) {
            result.stopped = true;
            break;
        }
        // A model's own template gets the paper's instruction in the question, as the comp-config
        // template adds it (spec 2).
        setup.prompt_ids = lm.chat_prompt_ids(lm.comp ? item.question : "Return your final response within \\boxed{}. " + item.question);
        const auto t0 = std::chrono::steady_clock::now();
        // An item that cannot run stops the run; say which (the items before it are written).
        const EndEvent run = [&] {
            try {
                return run_session(setup, params, [](const Event&) {}, stop);
            } catch (const Error& e) {
                throw Error("item " + item.id + " of " + spec.dataset.string() + ": " + e.what() + "; " +
                            std::to_string(result.records.size()) + (result.records.size() == 1 ? " finished item is" : " finished items are") +
                            " kept in " + spec.out.string());
            }
        }();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (run.metrics.stop_reason == "cancelled") {
            result.stopped = true;
            break;
        }
        EvalRecord r = base;
        r.id = item.id;
        r.index = int64_t(i);
        r.question = item.question;
        r.expected = item.answer;
        r.accepted = item.accepted;
        r.rejected = item.rejected;
        r.output = run.text;
        r.answer = run.answer;
        const EvalScore score = eval_score(run.answer, item);
        r.verdict = score.verdict;
        r.rule = score.rule;
        const RunMetrics& m = run.metrics;
        r.prompt_tokens = m.prompt_tokens;
        r.generated_tokens = m.generated_tokens;
        r.peak_tokens = m.peak_tokens;
        r.dependency = m.dependency;
        r.compressions = m.compressions;
        r.thoughts = m.thoughts;
        r.mean_thought_tokens = m.mean_thought_tokens;
        r.seconds = secs;
        r.stop_reason = m.stop_reason;
        if (m.memory.any()) r.memory = m.memory;
        out.write_line(r.to_json().dump());

        progress.correct += r.verdict == Verdict::correct;
        peak_sum += r.peak_tokens;
        ++progress.done;
        ++progress.ran;
        progress.mean_peak = peak_sum / double(progress.done);
        progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
        result.records.push_back(std::move(r));
        if (hooks.progress) hooks.progress(progress);
    }
    std::sort(result.records.begin(), result.records.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    return result;
}

}  // namespace gistscope
