// gistscope/policy.h: how a compression method decides what to feed and what to evict. Policies
// see slot metadata (and, for H2O, accumulated attention per slot) and never touch tensors.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gistscope/backend.h"
#include "gistscope/kv_cache.h"

namespace gistscope {

// Special token ids a policy may need; -1 where the vocabulary has none.
struct MethodTokens {
    int32_t splitter = -1;
    int32_t continue_ = -1;
    std::vector<int32_t> cache;  // <|o_0|> .. <|o_{n-1}|>
    std::vector<int32_t> separators;  // SepLLM: punctuation and whitespace tokens
};

struct PolicyParams {
    std::string method = "vanilla";  // vanilla, lightthinker, lightthinker-token, anllm, h2o, h2o-global, sepllm
    int cache_tokens = 0;            // |C|; 0: from the model's comp-config
    int token_step = 6;              // lightthinker-token: compress every S generated tokens
    int cache_size = 1024;           // h2o / h2o-global / sepllm budget in tokens (per KV head for h2o)
    // -1 (unset): the paper's share of cache_size, see with_budget_defaults.
    int h2o_recent = -1;             // h2o(-global) recent window
    // h2o(-global): a KV head's score is the attention of its group's first query head (false, as
    // meta-llama's HHCache and so the paper ran it) or the sum over the group's query heads (true).
    bool h2o_group_score = false;
    int sepllm_init = -1;            // sepllm: initial tokens kept
    int sepllm_separators = -1;      // sepllm: separator tokens kept at most
    int sepllm_local = -1;           // sepllm: recent window
};

// The H2O and SepLLM parameters as shares of the budget c = cache_size, as LightThinker ran the
// baselines (spec section 8, [paper] App. C.2):
//   H2O:    recent = c / 2 (the heavy hitters get the other half; llama-cookbook's H2O default too)
//   SepLLM: init = 3c/8, separators = c/16, local = c/4, i.e. 384 / 64 / 256 of 1024; the rest
//           (5c/16) is the window the separators are picked from between two compressions
// Rounded down, local at least 1.
struct BudgetShares {
    static constexpr int h2o_recent_num = 1, h2o_recent_den = 2;
    static constexpr int sepllm_init_num = 3, sepllm_init_den = 8;
    static constexpr int sepllm_separators_num = 1, sepllm_separators_den = 16;
    static constexpr int sepllm_local_num = 1, sepllm_local_den = 4;
};

// `p` with every unset (-1) H2O / SepLLM parameter of its method derived from p.cache_size by
// BudgetShares. Checks what was set: throws Error with one message naming the options (as the
// CLI spells them: --cache-size, --h2o-recent, --sepllm-init, --sepllm-separators, --sepllm-local)
// and saying which values were derived, when they cannot work together. Other methods pass
// through unchanged. make_policy calls it; the CLI and the window call it to show and record the
// values a run uses.
PolicyParams with_budget_defaults(PolicyParams p);

// The block to feed after the model chose `token`.
struct PlannedBlock {
    std::vector<int32_t> tokens;
    std::vector<SlotRole> roles;
    std::vector<std::vector<SlotRange>> visible;  // empty: causal
    bool compression = false;                     // a LightThinker / AnLLM compression block
};

// What to drop after the block was fed.
struct Eviction {
    int range_begin = 0, range_end = 0;  // [begin, end), contiguous (LightThinker, AnLLM)
    std::vector<int> slot_list;          // arbitrary slots (H2O global, SepLLM)
    std::vector<HeadEviction> heads;     // slots single (layer, KV head)s stop attending to (per-head H2O)
    bool empty() const { return range_begin == range_end && slot_list.empty() && heads.empty(); }
};

class Policy {
public:
    virtual ~Policy() = default;
    virtual std::string name() const = 0;
    // True when on_prefill / after_forward need ForwardOutput::attention_head_sums.
    virtual bool needs_attention_sums() const { return false; }
    // With needs_attention_sums: sum every query head of a KV group (AttentionProbeRequest::head_sum_group).
    virtual bool attention_sums_over_group() const { return false; }
    // True when the policy evicts per (layer, KV head): the cache must have head validity on
    // (KvCache::enable_head_validity) before the prefill.
    virtual bool evicts_per_head() const { return false; }
    // After the prompt's forward; what to drop then (H2O evicts the prompt too once it is over budget).
    virtual Eviction on_prefill(const KvCache& cache, const ForwardOutput& out) {
        (void)cache;
        (void)out;
        return {};
    }
    // `cache` is the cache before the block; `thought` the index of the current thought.
    virtual PlannedBlock plan(int32_t token, const KvCache& cache) = 0;
    virtual Eviction after_forward(const KvCache& cache, const PlannedBlock& block, const ForwardOutput& out) = 0;
    // Index of the thought new generated tokens belong to (number of compressions so far).
    int thought() const { return thought_; }

protected:
    int thought_ = 0;
};

// Throws Error for an unknown method or parameters the method cannot work with.
std::unique_ptr<Policy> make_policy(const PolicyParams& params, const MethodTokens& tokens);

const std::vector<std::string>& policy_names();

}  // namespace gistscope
