// run_model.h: what every view reads. A RunModel is a value that consumes the engine's events (live,
// from the engine worker) or a whole Trace (replay), keeps one record per token with the step it
// entered and left the cache, the occupancy series and the attention rows, and carries the
// "current step" the views draw (replay slider, teaching-mode playhead). Plain C++, no QObject.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/session.h"
#include "gistscope/trace.h"
#include "widgets/role_palette.h"

namespace gistscope::ui {

struct RunToken {
    int32_t id = 0;
    std::string text;
    SlotRole role = SlotRole::prompt;
    ViewRole view_role = ViewRole::prompt;  // display role (answer detected from the solution markers)
    int32_t position = 0;
    int step = 0;          // step that fed it (0 = prefill)
    int thought = -1;      // engine's thought index
    int block = 0;         // display block: prompt = 0, then one per thought (blank lines split vanilla)
    bool forced = false;
    bool fed = true;
    int evicted_step = -1; // step at which it left the cache; -1: never (or not fed)
};

struct RunCompression {
    int step = 0;
    int thought = 0;
    int block = 0;                       // display block that was folded
    std::vector<int32_t> thought_positions;
    std::vector<int32_t> gist_positions;
    int cache_before = 0, cache_after = 0;
};

// One point of the occupancy curve. Each step has its largest occupancy (right after its block was
// appended) and, when something was evicted, a second point at the same step with the size after.
struct OccupancyPoint {
    int step = 0;
    int tokens = 0;
    bool after_eviction = false;
    // Per-head H2O: how the (layer, KV head)s' caches spread (mean, min, max; tokens is the max)
    // and the slots storage holds for their union. Empty for every other method.
    std::optional<HeadOccupancy> heads;
};

struct AttentionRow {
    int step = 0;
    int layer = -1;                   // -1: average over layers
    int head = -1;                    // -1: mean over the layer's heads
    int32_t query_position = 0;
    std::vector<int32_t> positions;   // (slots) in the cache at that step
    std::vector<float> weights;       // (slots) probabilities
};

// LightThinker++: one memory step, its raw text R_k (the tokens of display block `block`) and the
// summary Z_k, and when the context showed which. Before its commit the step is being written
// (active); the commit archives it; an expand opens it again, a fold archives it again.
struct RunMemoryStep {
    int index = 0;               // the engine's 0-based memory step
    int block = -1;              // display block holding R_k's tokens
    int committed_step = -1;     // decoding step of the commit
    std::string summary;         // Z_k as the model wrote it
    int raw_tokens = 0;          // tokens R_k was written with
    struct Change {
        int step = 0;
        bool active = false;     // false: archived (Z_k shown), true: expanded (R_k shown)
        int reprefilled = 0;     // tokens the re-render fed again
    };
    std::vector<Change> changes; // the commit first, then expands and folds in order
    // True while R_k is in the visible context at `step` (being written, or expanded).
    bool active_at(int step) const {
        bool active = true;
        for (const auto& c : changes) {
            if (c.step > step) break;
            active = c.active;
        }
        return active;
    }
};

// Metrics as far as the current step (exact engine figures once the run ended and the step is the
// last one).
struct StepMetrics {
    int generated_tokens = 0;
    int compressions = 0;
    int thoughts = 0;
    double mean_thought_tokens = 0;
    int cache_tokens = 0;
    int peak_tokens = 0;
    int64_t dependency = 0;
    double seconds = 0;            // prefill + decode (only known at the end)
    double tokens_per_second = 0;  // only known at the end
    std::optional<std::string> answer;
    std::optional<bool> correct;   // when the expected answer is known
    MemoryMetrics memory;          // LightThinker++: actions so far and the tokens they re-fed
};

class RunModel {
public:
    RunModel() = default;
    // An empty run about to receive events.
    explicit RunModel(TraceHeader header);
    static RunModel from_trace(const Trace& trace);

    void apply(const Event& event);
    void apply(const std::vector<Event>& events) {
        for (const auto& e : events) apply(e);
    }

    bool empty() const { return tokens_.empty(); }
    const TraceHeader& header() const { return header_; }
    const std::vector<RunToken>& tokens() const { return tokens_; }
    const std::vector<RunCompression>& compressions() const { return compressions_; }
    const std::vector<OccupancyPoint>& occupancy() const { return occupancy_; }
    const std::vector<AttentionRow>& attention() const { return attention_; }
    // LightThinker++ actions in the order they happened.
    const std::vector<MemoryEvent>& memory_events() const { return memory_; }
    const EndEvent* end() const { return end_ ? &*end_ : nullptr; }
    int prompt_tokens() const { return prompt_tokens_; }
    int last_step() const { return last_step_; }
    int max_position() const { return max_position_; }
    int block_count() const { return block_count_; }
    // Index into tokens() of the token at `position`, or -1.
    int token_at_position(int32_t position) const;
    // Step at which display block `block` was folded into gists (LightThinker++: committed); -1 if not (yet).
    int block_compressed_step(int block) const;
    const RunCompression* compression_of_block(int block) const;

    // The step the views show; -1 follows the last step.
    int current_step() const { return current_step_ < 0 ? last_step_ : std::min(current_step_, last_step_); }
    void set_current_step(int step) { current_step_ = step; }
    bool at_end() const { return current_step() >= last_step_; }

    bool visible_at(const RunToken& t, int step) const { return t.step <= step; }
    // Out of the cache at `step`: evicted (LightThinker, H2O ...) or, for LightThinker++, part of a
    // step archived at that step (it may come back on expand).
    bool out_at(const RunToken& t, int step) const {
        if (t.evicted_step >= 0 && t.evicted_step <= step) return true;
        return is_memory_run() && t.block > 0 && block_folded_at(t.block, step);
    }
    bool in_cache_at(const RunToken& t, int step) const { return t.fed && t.step <= step && !out_at(t, step); }
    // The category of `t` at `step` for the mask heatmap.
    ViewRole role_at(const RunToken& t, int step) const {
        if (t.step > step) return ViewRole::never_seen;
        if (!t.fed) return ViewRole::never_seen;
        if (out_at(t, step)) return ViewRole::evicted;
        return t.view_role;
    }
    // Whether display block `block` is shown folded at `step`: compressed into gists (for good), or a
    // LightThinker++ step archived then (a later expand opens it again).
    bool block_folded_at(int block, int step) const;
    // LightThinker++ run (memory actions instead of gist compression).
    bool is_memory_run() const { return header_.method == "lightthinker-pp"; }
    // LightThinker++ steps in the order they were committed.
    const std::vector<RunMemoryStep>& memory_steps() const { return memory_steps_; }
    // The memory step whose raw text is display block `block`, or null.
    const RunMemoryStep* memory_step_of_block(int block) const;
    int cache_tokens_at(int step) const;
    StepMetrics metrics_at(int step) const;
    // Bytes of KV cache per token (from the end event or set by the worker when the run starts).
    int64_t kv_bytes_per_token() const { return kv_bytes_per_token_; }
    void set_kv_bytes_per_token(int64_t b) { kv_bytes_per_token_ = b; }
    // Attention layers present in the run (-1 = average).
    std::vector<int> attention_layers() const;
    // Heads recorded for `layer` (-1 = the mean over its heads, listed first).
    std::vector<int> attention_heads(int layer) const;

    // Short display name: "LightThinker", "Vanilla", "H2O" ...
    static std::string method_display_name(const std::string& method);

private:
    void add_token(const TokenEvent& e);
    void apply_memory(const MemoryEvent& e);
    // Running totals at the end of each step (index = step), for metrics_at().
    struct StepAccum {
        int generated = 0;
        int64_t dependency = 0;
        int peak = 0;
        int compressions = 0;
        int blocks = 1;
        MemoryMetrics memory;
    };
    TraceHeader header_;
    std::vector<StepAccum> step_accum_;         // (steps)
    int cache_now_ = 0;                         // cache size after the last event
    std::vector<RunToken> tokens_;              // (tokens) in event order
    std::vector<int32_t> index_of_position_;    // (max position + 1) -> token index or -1
    std::vector<RunCompression> compressions_;
    std::vector<int> block_fold_step_;          // (blocks) step folded, -1
    std::vector<OccupancyPoint> occupancy_;
    std::vector<MemoryEvent> memory_;
    std::vector<RunMemoryStep> memory_steps_;
    std::vector<int> memory_step_of_block_;     // (blocks) index into memory_steps_, -1
    bool split_after_commit_ = false;           // LightThinker++: the next generated token starts a step
    std::vector<AttentionRow> attention_;
    std::optional<EndEvent> end_;
    int prompt_tokens_ = 0;
    int last_step_ = 0;
    int max_position_ = -1;
    int block_count_ = 1;
    int current_block_ = 0;
    int current_thought_ = -1;
    bool in_answer_ = false;
    bool split_after_ = false;  // the last token ended a paragraph (vanilla thought boundary)
    int current_step_ = -1;
    int64_t kv_bytes_per_token_ = 0;
};

// Accuracy check of spec 7.4, reduced to what needs no person: exact string after trimming, or equal
// numbers when both parse as numbers (commas removed).
bool answers_match(const std::string& model_answer, const std::string& expected);

}  // namespace gistscope::ui
