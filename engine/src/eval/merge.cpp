// Merging result files into the paper-style table (gistscope/eval.h), and the review decisions
// that change a verdict in place.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "gistscope/error.h"
#include "gistscope/eval.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

std::string run_label(const EvalRecord& r) { return eval_method_label(r.method, r.params) + " (" + r.model + ") on " + r.dataset; }

// A budget is part of what a run is: H2O at 180 and at 300 tokens are two rows, not a conflict.
json budget_of(const json& params) {
    return params.is_object() && params.contains("cache_size") ? params["cache_size"] : json(nullptr);
}

std::string shard_text(const EvalRecord& r) {
    return r.shards ? "shard " + std::to_string(r.shard) + "/" + std::to_string(r.shards) : std::string("a whole run");
}

EvalRunSummary summarise(const std::vector<const EvalRecord*>& recs) {
    EvalRunSummary s;
    const EvalRecord& first = *recs.front();
    s.dataset = first.dataset;
    s.model = first.model;
    s.method = first.method;
    s.source = first.source;
    s.params = first.params;
    s.shards = first.shards;
    std::set<int> seen;
    double peak = 0, gen = 0, comp = 0, dep = 0;
    bool all_dep = true;
    for (const EvalRecord* r : recs) {
        seen.insert(r->shard);
        ++s.items;
        s.correct += r->verdict == Verdict::correct;
        s.wrong += r->verdict == Verdict::wrong;
        s.unmatched += r->verdict == Verdict::unmatched;
        s.reviewed += r->reviewed;
        s.seconds += r->seconds;
        peak += r->peak_tokens;
        gen += r->generated_tokens;
        comp += r->compressions;
        if (r->dependency) dep += double(*r->dependency);
        else all_dep = false;
    }
    for (int k = 1; k <= s.shards; ++k)
        if (!seen.count(k)) s.missing_shards.push_back(k);
    const double n = double(s.items);
    s.accuracy = 100.0 * double(s.correct) / n;
    s.mean_peak = peak / n;
    s.mean_generated = gen / n;
    s.mean_compressions = comp / n;
    if (all_dep) s.mean_dependency = dep / n;
    return s;
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

}  // namespace

EvalMerged eval_merge(const std::vector<std::filesystem::path>& files) {
    if (files.empty()) throw Error("give at least one results file");
    struct Seen {
        std::string file;
        const EvalRecord* rec;
    };
    std::vector<std::pair<std::string, EvalRecord>> all;  // (file, record)
    for (const auto& f : files) {
        if (!std::filesystem::exists(f)) throw Error(f.string() + ": no such results file");
        EvalResultsFile rf = eval_results_read(f);
        if (rf.records.empty() && !rf.cut_last_line) throw Error(f.string() + ": no results in it");
        for (auto& r : rf.records) all.emplace_back(f.string(), std::move(r));
    }
    std::map<std::string, std::map<std::string, Seen>> items_by_run;  // run key -> id -> where
    std::map<std::string, Seen> first_of_run;                          // run key -> first record
    std::map<std::string, Seen> params_of;                             // dataset/model/method -> first record
    std::vector<std::string> run_order;
    for (const auto& [file, r] : all) {
        const std::string key = r.run_key();
        const json no_expand = r.params.is_object() && r.params.contains("expand") ? r.params["expand"] : json(nullptr);
        const std::string what = json::array({r.dataset, r.model, r.method, r.source, budget_of(r.params), no_expand}).dump();
        if (auto it = params_of.find(what); it == params_of.end()) {
            params_of[what] = {file, &r};
        } else if (it->second.rec->params != r.params || it->second.rec->dataset_format != r.dataset_format) {
            throw Error("inconsistent results: " + it->second.file + " ran " + run_label(r) + " with " +
                        it->second.rec->params.dump() + ", " + file + " with " + r.params.dump() +
                        "; merge runs of the same settings only");
        }
        if (auto it = first_of_run.find(key); it == first_of_run.end()) {
            first_of_run[key] = {file, &r};
            run_order.push_back(key);
        } else if (it->second.rec->shards != r.shards) {
            throw Error("inconsistent shards: " + it->second.file + " has " + run_label(r) + " as " +
                        shard_text(*it->second.rec) + ", " + file + " as " + shard_text(r) +
                        "; every shard of a run must use the same N");
        }
        auto& ids = items_by_run[key];
        if (auto it = ids.find(r.id); it != ids.end())
            throw Error("overlapping shards: item " + r.id + " of " + run_label(r) + " is in " + it->second.file + " (" +
                        shard_text(*it->second.rec) + ") and in " + file + " (" + shard_text(r) + ")");
        ids[r.id] = {file, &r};
    }

    EvalMerged merged;
    // Datasets in first-seen order, runs within a dataset in first-seen order.
    std::vector<std::string> datasets;
    for (const auto& key : run_order) {
        const auto& d = first_of_run[key].rec->dataset;
        if (std::find(datasets.begin(), datasets.end(), d) == datasets.end()) datasets.push_back(d);
    }
    for (const auto& d : datasets) {
        const size_t first_summary = merged.summaries.size();
        for (const auto& key : run_order) {
            if (first_of_run[key].rec->dataset != d) continue;
            std::vector<const EvalRecord*> recs;
            for (const auto& [id, seen] : items_by_run[key]) recs.push_back(seen.rec);
            std::sort(recs.begin(), recs.end(), [](auto* a, auto* b) { return a->index < b->index; });
            for (auto* r : recs) merged.records.push_back(*r);
            merged.summaries.push_back(summarise(recs));
        }
        // Ratios against the vanilla run of this dataset: the same model's if there is one.
        const EvalRunSummary* vanilla = nullptr;
        for (size_t i = first_summary; i < merged.summaries.size(); ++i)
            if (merged.summaries[i].method == "vanilla" && !vanilla) vanilla = &merged.summaries[i];
        for (size_t i = first_summary; i < merged.summaries.size(); ++i) {
            auto& s = merged.summaries[i];
            const EvalRunSummary* base = vanilla;
            for (size_t k = first_summary; k < merged.summaries.size(); ++k)
                if (merged.summaries[k].method == "vanilla" && merged.summaries[k].model == s.model) base = &merged.summaries[k];
            if (!base) continue;
            if (base->mean_peak > 0) s.peak_ratio = s.mean_peak / base->mean_peak;
            if (s.mean_dependency && base->mean_dependency && *base->mean_dependency > 0)
                s.dependency_ratio = *s.mean_dependency / *base->mean_dependency;
            if (base->seconds > 0) s.time_ratio = (s.seconds / double(s.items)) / (base->seconds / double(base->items));
        }
    }
    return merged;
}

json eval_summaries_json(const std::vector<EvalRunSummary>& summaries) {
    json out = json::array();
    for (const auto& s : summaries) {
        json j = {{"dataset", s.dataset}, {"model", s.model}, {"method", s.method}, {"source", s.source},
                  {"params", s.params}, {"items", s.items}, {"correct", s.correct}, {"wrong", s.wrong},
                  {"unmatched", s.unmatched}, {"reviewed", s.reviewed}, {"accuracy", s.accuracy},
                  {"seconds", s.seconds}, {"hours", s.seconds / 3600.0}, {"mean_peak_tokens", s.mean_peak},
                  {"mean_generated_tokens", s.mean_generated}, {"mean_compressions", s.mean_compressions}};
        j["mean_dependency"] = s.mean_dependency ? json(*s.mean_dependency) : json(nullptr);
        j["shards"] = s.shards;
        j["missing_shards"] = s.missing_shards;
        for (const auto& [name, v] : {std::pair{"peak_ratio", s.peak_ratio}, {"dependency_ratio", s.dependency_ratio},
                                      {"time_ratio", s.time_ratio}})
            j[name] = v ? json(*v) : json(nullptr);
        out.push_back(j);
    }
    return out;
}

std::string eval_method_label(const std::string& method, const json& params) {
    const json b = budget_of(params);
    std::string label = b.is_number_integer() ? method + " (budget " + std::to_string(b.get<int64_t>()) + ")" : method;
    if (params.is_object() && params.contains("expand") && params["expand"] == false) label += " (no expand)";
    return label;
}

std::string eval_summaries_markdown(const std::vector<EvalRunSummary>& summaries) {
    std::string out =
        "| Dataset | Method | Model | Items | Acc (%) | Unmatched | Time (s) | Peak | Dep | Peak / vanilla | "
        "Dep / vanilla | Time / vanilla | Gen. tokens | Compressions |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    auto ratio = [](const std::optional<double>& v) { return v ? fmt("%.2fx", *v) : std::string("-"); };
    for (const auto& s : summaries) {
        out += "| " + s.dataset + " | " + eval_method_label(s.method, s.params) + " | " + s.model + " | " + std::to_string(s.items) + " | " +
               fmt("%.1f", s.accuracy) + " | " + std::to_string(s.unmatched) + " | " + fmt("%.1f", s.seconds) + " | " +
               fmt("%.1f", s.mean_peak) + " | " + (s.mean_dependency ? fmt("%.0f", *s.mean_dependency) : "-") + " | " +
               ratio(s.peak_ratio) + " | " + ratio(s.dependency_ratio) + " | " + ratio(s.time_ratio) + " | " +
               fmt("%.1f", s.mean_generated) + " | " + fmt("%.2f", s.mean_compressions) + " |\n";
    }
    return out;
}

std::vector<size_t> eval_review_pending(const std::vector<EvalRecord>& records) {
    std::vector<size_t> out;
    for (size_t i = 0; i < records.size(); ++i)
        if (records[i].verdict == Verdict::unmatched && !records[i].reviewed) out.push_back(i);
    return out;
}

void eval_review_decide(const std::filesystem::path& file, std::vector<EvalRecord>& records, size_t i, bool correct) {
    if (i >= records.size()) throw Error("review: no record " + std::to_string(i));
    EvalRecord& r = records[i];
    const EvalRecord before = r;
    r.verdict = correct ? Verdict::correct : Verdict::wrong;
    r.rule = "review";
    r.reviewed = true;
    try {
        eval_results_write_atomic(file, records);
    } catch (...) {
        r = before;  // not saved: the record stays pending
        throw;
    }
}

}  // namespace gistscope
