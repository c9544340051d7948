// run_options.h: the method and session options shared by `generate` and `eval`.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "args.h"
#include "gistscope/backend_select.h"
#include "gistscope/model.h"
#include "gistscope/policy.h"
#include "gistscope/session.h"

namespace gistscope::cli {

// The run options with their help, in the order `--help` lists them.
inline const std::vector<OptionHelp>& run_option_help() {
    static const std::vector<OptionHelp> list = {
        {"method", "M", "vanilla, lightthinker, lightthinker-token, anllm, h2o, h2o-global, sepllm or lightthinker-pp (default: the model's)"},
        {"max-new-tokens", "N", "stop after N generated tokens (default 1024)"},
        {"max-context", "N", "positions a run may use (default and at most: the model's)"},
        {"cache-size", "N", "h2o / sepllm: KV budget in tokens, per KV head for h2o (default 1024)"},
        {"h2o-recent", "N", "h2o, h2o-global: recent tokens kept (default cache-size / 2; the heavy hitters get the rest)"},
        {"h2o-score", "first|group", "h2o, h2o-global: a KV head's score from its group's first query head (default, as the paper's reference) or all of them"},
        {"sepllm-init", "N", "sepllm: initial tokens kept (default 3/8 of cache-size: 384 of 1024)"},
        {"sepllm-separators", "N", "sepllm: separator tokens kept (default 1/16 of cache-size: 64)"},
        {"sepllm-local", "N", "sepllm: local window (default 1/4 of cache-size: 256)"},
        {"token-step", "N", "lightthinker-token: compress every N tokens (default 6)"},
        {"memory-grammar", "F", "lightthinker-pp: the action grammar (default: the model's memory_grammar.json, else GistScope's)"},
        {"temperature", "T", "0 (default): greedy; else sampling temperature"},
        {"top-p", "P", "nucleus sampling mass in (0, 1] (default 1)"},
        {"seed", "N", "sampling seed (default 0)"},
        {"threads", "N", "CPU threads, 1..1024 (default: all cores; 1 for tiny models)"},
        {"attention", "LAYER|avg|all", "record attention rows in the trace: one layer, the average, or all (every layer and head)"},
        {"lightthinker-config", "F|qwen|llama", "comp-config file or built-in, instead of the model's gistscope.json"},
        {"backend", "auto|cpu|cuda", "where to run (default auto)"},
    };
    return list;
}

inline const std::set<std::string> run_valued_options = [] {
    std::set<std::string> names;
    for (const auto& o : run_option_help()) names.insert(o.name);
    return names;
}();

inline SessionParams session_params_from(const Args& a, const std::string& default_method) {
    SessionParams p;
    p.policy.method = a.get("method").value_or(default_method);
    p.max_new_tokens = int(a.get_int("max-new-tokens", 1024, 1, 1 << 20));
    p.policy.cache_size = int(a.get_int("cache-size", 1024, 2, 1 << 24));
    // Unset (-1): a share of --cache-size (with_budget_defaults, below).
    p.policy.h2o_recent = int(a.get_int("h2o-recent", -1, 0, 1 << 24));
    p.policy.sepllm_init = int(a.get_int("sepllm-init", -1, 0, 1 << 24));
    p.policy.sepllm_separators = int(a.get_int("sepllm-separators", -1, 0, 1 << 24));
    p.policy.sepllm_local = int(a.get_int("sepllm-local", -1, 1, 1 << 24));
    p.policy.token_step = int(a.get_int("token-step", 6, 1, 1 << 20));
    if (auto score = a.get("h2o-score")) {
        if (*score != "first" && *score != "group")
            throw Error("option --h2o-score is '" + *score + "', expected first or group");
        p.policy.h2o_group_score = *score == "group";
    }
    p.policy = with_budget_defaults(p.policy);  // a misfit stops here, before any model or item
    p.temperature = float(a.get_double("temperature", 0.0, 0.0, 100.0));
    p.top_p = float(a.get_double("top-p", 1.0, 1e-6, 1.0));
    p.seed = uint64_t(a.get_int("seed", 0, 0, LONG_MAX));
    p.max_context = int(a.get_int("max-context", 0, 0, 1 << 24));
    if (auto g = a.get("memory-grammar")) p.memory_grammar = MemoryGrammar::load(*g);
    if (a.flag("memory-no-expand")) p.memory_expand = false;
    if (auto att = a.get("attention")) {
        if (*att == "avg") {
            p.attention = AttentionProbeRequest::Mode::average;
        } else if (*att == "all") {
            p.attention = AttentionProbeRequest::Mode::heads;
        } else if (att->empty() || att->find_first_not_of("0123456789") != std::string::npos) {
            throw Error("option --attention is '" + *att + "', expected a layer number, avg or all");
        } else {
            p.attention = AttentionProbeRequest::Mode::layer;
            p.attention_layer = int(a.get_int("attention", 0, 0, 4096));
        }
    }
    return p;
}

inline OptionHelp adapter_option_help() {
    return {"adapter", "DIR", "a PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors) applied on --model (CPU backend)"};
}

// --model, with --adapter attached when given.
inline std::unique_ptr<Model> load_model_with_adapter(const Args& a) {
    auto m = Model::load(a.require("model"));
    if (auto dir = a.get("adapter")) m->attach_adapter(*dir);
    return m;
}

// --threads N: 1..1024, 0 or absent for the backend's default.
inline int threads_option(const Args& a) { return int(a.get_int("threads", 0, 0, 1024)); }

// --backend auto|cpu|cuda (default auto): the CUDA plugin when it can be used, else the CPU, with
// the reason in info.note.
inline BackendSelection backend_from(const Args& a, const Model& model) {
    BackendChoice choice = BackendChoice::auto_;
    if (auto b = a.get("backend"); b && !backend_choice_parse(*b, choice))
        throw Error("option --backend is '" + *b + "', expected auto, cpu or cuda");
    return select_backend(model, choice, threads_option(a));
}

inline nlohmann::json session_params_json(const SessionParams& p, int cache_tokens) {
    nlohmann::json j = {{"max_new_tokens", p.max_new_tokens}, {"temperature", p.temperature}, {"top_p", p.top_p},
                        {"seed", p.seed}};
    const auto& m = p.policy.method;
    if (m == "lightthinker" || m == "lightthinker-token" || m == "anllm") j["cache_tokens"] = cache_tokens;
    if (m == "lightthinker-token") j["token_step"] = p.policy.token_step;
    if (m == "lightthinker-pp" && !p.memory_expand) j["expand"] = false;  // the ablation is its own run
    if (m == "h2o" || m == "h2o-global") {
        j["cache_size"] = p.policy.cache_size;
        j["recent"] = with_budget_defaults(p.policy).h2o_recent;
        if (p.policy.h2o_group_score) j["score"] = "group";
    }
    if (m == "sepllm") {
        const PolicyParams r = with_budget_defaults(p.policy);
        j["cache_size"] = r.cache_size;
        j["init"] = r.sepllm_init;
        j["separators"] = r.sepllm_separators;
        j["local"] = r.sepllm_local;
    }
    return j;
}

}  // namespace gistscope::cli
