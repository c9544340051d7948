// run_model.cpp: folds engine events into per-token records, the occupancy series and per-step
// metric prefixes, so that any view can draw the run as it was at any step.
#include "widgets/run_model.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace gistscope::ui {

namespace {

bool compressing_method(const std::string& m) {
    return m == "lightthinker" || m == "lightthinker-token" || m == "anllm";
}

std::string trimmed(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

}  // namespace

RunModel::RunModel(TraceHeader header) : header_(std::move(header)) {}

RunModel RunModel::from_trace(const Trace& trace) {
    RunModel m(trace.header);
    for (const auto& e : trace.events) m.apply(e);
    return m;
}

std::string RunModel::method_display_name(const std::string& method) {
    if (method == "lightthinker") return "LightThinker";
    if (method == "lightthinker-token") return "LightThinker (token)";
    if (method == "anllm") return "AnLLM";
    if (method == "h2o") return "H2O";
    if (method == "h2o-global") return "H2O (global)";
    if (method == "sepllm") return "SepLLM";
    if (method == "lightthinker-pp") return "LightThinker++";
    if (method == "vanilla") return "Vanilla";
    return method;
}

int RunModel::token_at_position(int32_t position) const {
    if (position < 0 || size_t(position) >= index_of_position_.size()) return -1;
    return index_of_position_[size_t(position)];
}

int RunModel::block_compressed_step(int block) const {
    return block >= 0 && size_t(block) < block_fold_step_.size() ? block_fold_step_[size_t(block)] : -1;
}

bool RunModel::block_folded_at(int block, int step) const {
    if (is_memory_run()) {
        const RunMemoryStep* m = memory_step_of_block(block);
        return m && !m->active_at(step);
    }
    const int fold = block_compressed_step(block);
    return fold >= 0 && fold <= step;
}

const RunMemoryStep* RunModel::memory_step_of_block(int block) const {
    if (block < 0 || size_t(block) >= memory_step_of_block_.size()) return nullptr;
    const int i = memory_step_of_block_[size_t(block)];
    return i >= 0 ? &memory_steps_[size_t(i)] : nullptr;
}

const RunCompression* RunModel::compression_of_block(int block) const {
    for (const auto& c : compressions_)
        if (c.block == block) return &c;
    return nullptr;
}

void RunModel::add_token(const TokenEvent& e) {
    RunToken t;
    t.id = e.id;
    t.text = e.text;
    t.role = e.role;
    t.position = e.position;
    t.step = e.step;
    t.thought = e.thought;
    t.forced = e.forced;
    t.fed = e.fed;
    if (e.role == SlotRole::prompt) {
        t.block = 0;
        t.view_role = ViewRole::prompt;
        ++prompt_tokens_;
    } else {
        const bool generated = !e.forced;
        // Blocks: one per thought for the compressing methods, one per memory step (closed by its
        // commit) for LightThinker++, one per paragraph (and the answer) for the others.
        const bool by_thought = compressing_method(header_.method), by_memory_step = is_memory_run();
        bool new_block = false;
        if (current_block_ == 0) new_block = true;
        if (generated && by_thought && e.thought != current_thought_ && current_thought_ >= 0) new_block = true;
        if (generated && by_memory_step && split_after_commit_) new_block = true;
        if (generated && !by_thought && !by_memory_step && split_after_) new_block = true;
        // The answer starts its own block; with a compressing method it stays in the thought that
        // holds it, so that the thought still folds as one block.
        if (generated && in_answer_ && !by_thought && !by_memory_step && !tokens_.empty() &&
            tokens_.back().view_role != ViewRole::answer)
            new_block = true;
        if (generated) split_after_commit_ = false;
        if (new_block) {
            current_block_ = block_count_++;
            block_fold_step_.resize(size_t(block_count_), -1);
            memory_step_of_block_.resize(size_t(block_count_), -1);
        }
        if (generated) current_thought_ = e.thought;
        t.block = current_block_;
        switch (e.role) {
        case SlotRole::gist:
        case SlotRole::anchor: t.view_role = ViewRole::gist; break;
        case SlotRole::continue_: t.view_role = ViewRole::continue_; break;
        case SlotRole::answer: t.view_role = ViewRole::answer; break;
        default: t.view_role = in_answer_ ? ViewRole::answer : ViewRole::thought; break;
        }
        if (generated) {
            split_after_ = e.text.find("\n\n") != std::string::npos;
            if (e.text.find("end_of_thought") != std::string::npos ||
                e.text.find("begin_of_solution") != std::string::npos)
                in_answer_ = true;
        }
    }
    if (e.position >= 0) {
        if (size_t(e.position) >= index_of_position_.size()) index_of_position_.resize(size_t(e.position) + 1, -1);
        index_of_position_[size_t(e.position)] = int(tokens_.size());
        max_position_ = std::max(max_position_, int(e.position));
    }
    tokens_.push_back(std::move(t));
}

void RunModel::apply_memory(const MemoryEvent& e) {
    if (size_t(e.step) < step_accum_.size()) {
        auto& acc = step_accum_[size_t(e.step)];
        acc.memory.count(e.action);
        acc.memory.reprefilled_tokens += e.reprefilled;
    }
    if (e.action == MemoryAction::commit) {
        RunMemoryStep m;
        m.index = e.memory_step;
        m.summary = e.content;
        m.committed_step = e.step;
        m.raw_tokens = int(e.raw_positions.size());
        // R_k's block: the block of its first token (the commit closes the block being written).
        m.block = current_block_;
        for (int32_t p : e.raw_positions)
            if (int i = token_at_position(p); i >= 0 && tokens_[size_t(i)].block > 0) {
                m.block = tokens_[size_t(i)].block;
                break;
            }
        m.changes.push_back({e.step, false, e.reprefilled});
        if (m.block > 0 && size_t(m.block) < memory_step_of_block_.size()) {
            memory_step_of_block_[size_t(m.block)] = int(memory_steps_.size());
            if (block_fold_step_[size_t(m.block)] < 0) block_fold_step_[size_t(m.block)] = e.step;
        }
        memory_steps_.push_back(std::move(m));
        split_after_commit_ = true;
        return;
    }
    if (e.action != MemoryAction::expand && e.action != MemoryAction::fold) return;
    for (auto& m : memory_steps_)
        if (m.index == e.memory_step) {
            m.changes.push_back({e.step, e.action == MemoryAction::expand, e.reprefilled});
            return;
        }
}

void RunModel::apply(const Event& event) {
    if (const auto* t = std::get_if<TokenEvent>(&event)) {
        // The context a model-chosen token is generated in: the cache before its block, plus itself.
        if (size_t(t->step) >= step_accum_.size()) {
            StepAccum prev = step_accum_.empty() ? StepAccum{} : step_accum_.back();
            step_accum_.resize(size_t(t->step) + 1, prev);
        }
        auto& acc = step_accum_[size_t(t->step)];
        if (t->role != SlotRole::prompt && !t->forced) {
            acc.generated += 1;
            acc.dependency += cache_now_ + 1;
            acc.peak = std::max(acc.peak, cache_now_ + 1);
        }
        if (t->fed) {
            cache_now_ = t->cache_tokens;
            acc.peak = std::max(acc.peak, cache_now_);
            if (!occupancy_.empty() && occupancy_.back().step == t->step && !occupancy_.back().after_eviction) {
                occupancy_.back().tokens = std::max(occupancy_.back().tokens, t->cache_tokens);
                if (t->heads) occupancy_.back().heads = t->heads;
            } else {
                occupancy_.push_back({t->step, t->cache_tokens, false, t->heads});
            }
        }
        last_step_ = std::max(last_step_, t->step);
        add_token(*t);
        acc.blocks = block_count_;
    } else if (const auto* c = std::get_if<CompressionEvent>(&event)) {
        RunCompression rc;
        rc.step = c->step;
        rc.thought = c->thought;
        rc.thought_positions = c->thought_positions;
        rc.gist_positions = c->gist_positions;
        rc.cache_before = c->cache_before;
        rc.cache_after = c->cache_after;
        rc.block = -1;
        for (int32_t p : c->thought_positions)
            if (int i = token_at_position(p); i >= 0 && tokens_[size_t(i)].block > 0) {
                rc.block = tokens_[size_t(i)].block;
                break;
            }
        if (rc.block > 0) block_fold_step_[size_t(rc.block)] = c->step;
        compressions_.push_back(std::move(rc));
        if (size_t(c->step) < step_accum_.size()) step_accum_[size_t(c->step)].compressions += 1;
    } else if (const auto* ev = std::get_if<EvictionEvent>(&event)) {
        for (int32_t p : ev->positions)
            if (int i = token_at_position(p); i >= 0 && tokens_[size_t(i)].evicted_step < 0)
                tokens_[size_t(i)].evicted_step = ev->step;
        occupancy_.push_back({ev->step, ev->cache_after, true, ev->heads});
        cache_now_ = ev->cache_after;
        last_step_ = std::max(last_step_, ev->step);
    } else if (const auto* mem = std::get_if<MemoryEvent>(&event)) {
        // LightThinker++: the context was re-rendered; the curve drops (commit) or rises (expand)
        // to the visible context the next token is generated in.
        memory_.push_back(*mem);
        apply_memory(*mem);
        occupancy_.push_back({mem->step, mem->context_after, true, std::nullopt});
        cache_now_ = mem->context_after;
        last_step_ = std::max(last_step_, mem->step);
    } else if (const auto* a = std::get_if<AttentionEvent>(&event)) {
        attention_.push_back({a->step, a->layer, a->head, a->query_position, a->positions, a->weights});
    } else if (const auto* end = std::get_if<EndEvent>(&event)) {
        end_ = *end;
        if (end->metrics.kv_bytes_per_token > 0) kv_bytes_per_token_ = end->metrics.kv_bytes_per_token;
    }
}

int RunModel::cache_tokens_at(int step) const {
    // The last point at or before `step` (occupancy is sorted by step).
    auto it = std::upper_bound(occupancy_.begin(), occupancy_.end(), step,
                               [](int s, const OccupancyPoint& p) { return s < p.step; });
    return it == occupancy_.begin() ? 0 : std::prev(it)->tokens;
}

std::vector<int> RunModel::attention_layers() const {
    std::vector<int> layers;
    for (const auto& r : attention_)
        if (std::find(layers.begin(), layers.end(), r.layer) == layers.end()) layers.push_back(r.layer);
    std::sort(layers.begin(), layers.end());
    return layers;
}

std::vector<int> RunModel::attention_heads(int layer) const {
    std::vector<int> heads;
    for (const auto& r : attention_)
        if (r.layer == layer && std::find(heads.begin(), heads.end(), r.head) == heads.end()) heads.push_back(r.head);
    std::sort(heads.begin(), heads.end());
    return heads;
}

StepMetrics RunModel::metrics_at(int step) const {
    StepMetrics m;
    if (step_accum_.empty()) return m;
    const auto& acc = step_accum_[size_t(std::clamp(step, 0, int(step_accum_.size()) - 1))];
    m.generated_tokens = acc.generated;
    m.dependency = acc.dependency;
    m.peak_tokens = acc.peak;
    m.cache_tokens = cache_tokens_at(step);
    int compressions = 0;
    for (const auto& c : compressions_)
        if (c.step <= step) ++compressions;
    m.compressions = compressions;
    m.memory = acc.memory;
    m.thoughts = std::max(0, acc.blocks - 1);
    m.mean_thought_tokens = m.thoughts > 0 ? double(m.generated_tokens) / m.thoughts : 0;
    if (end_ && step >= last_step_) {
        const auto& e = end_->metrics;
        m.generated_tokens = e.generated_tokens;
        m.compressions = e.compressions;
        m.thoughts = e.thoughts;
        m.mean_thought_tokens = e.mean_thought_tokens;
        m.peak_tokens = e.peak_tokens;
        m.dependency = e.dependency;
        m.seconds = e.prefill_seconds + e.decode_seconds;
        m.tokens_per_second = e.tokens_per_second;
        m.answer = end_->answer;
        if (e.memory.any()) m.memory = e.memory;
        if (header_.expected_answer)
            m.correct = end_->answer && answers_match(*end_->answer, *header_.expected_answer);
    }
    return m;
}

bool answers_match(const std::string& model_answer, const std::string& expected) {
    const std::string a = trimmed(model_answer), b = trimmed(expected);
    if (a == b) return true;
    auto numeric = [](std::string s, double& out) {
        s.erase(std::remove(s.begin(), s.end(), ','), s.end());
        if (s.empty()) return false;
        char* endp = nullptr;
        out = std::strtod(s.c_str(), &endp);
        return endp && *endp == '\0';
    };
    double x = 0, y = 0;
    return numeric(a, x) && numeric(b, y) && x == y;
}

}  // namespace gistscope::ui
