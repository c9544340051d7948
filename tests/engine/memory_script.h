// memory_script.h: LightThinker++ runs on a real model without a model trained for it. The demo
// model gets embedding and LM-head rows for the built-in grammar's markers, and a script replaces
// the model's choices (SessionParams::script), so the engine's real decode loop, controller and
// events run on known actions. Shared by the engine's memory tests and the window's tests.
#pragma once
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gistscope/backend.h"
#include "gistscope/memory.h"
#include "gistscope/model.h"
#include "gistscope/session.h"
#include "gistscope/tokenizer.h"
#include "gistscope/trace.h"
#include "test_util.h"

namespace memtest {
using namespace gistscope;

inline std::filesystem::path demo_dir() { return testutil::resources() / "models" / "demo-vanilla"; }

// The demo tokenizer with the built-in grammar's markers added (ids 512..).
inline const Tokenizer& tokenizer() {
    static std::unique_ptr<Tokenizer> tok = [] {
        auto t = Tokenizer::load(demo_dir());
        t->add_special_tokens(MemoryGrammar::builtin().marker_tokens());
        return t;
    }();
    return *tok;
}

inline int32_t id_of(const char* piece) { return *tokenizer().token_id(piece); }

inline std::vector<int32_t> encode(const std::string& text) { return tokenizer().encode(text, false); }

// A script piece by piece: text, or a marker token.
struct Script {
    std::vector<int32_t> ids;
    Script& text(const std::string& t) {
        const auto e = encode(t);
        ids.insert(ids.end(), e.begin(), e.end());
        return *this;
    }
    Script& action(const char* open, const std::string& content, const char* close) {
        ids.push_back(id_of(open));
        text(content);
        ids.push_back(id_of(close));
        return *this;
    }
    Script& commit(const std::string& summary) { return action("<|commit|>", summary, "<|/commit|>"); }
    Script& expand(const std::string& k) { return action("<|expand|>", k, "<|/expand|>"); }
    Script& fold(const std::string& k) { return action("<|fold|>", k, "<|/fold|>"); }
    Script& answer(const std::string& a) { return action("<|answer|>", a, "<|/answer|>"); }
};

inline std::vector<int32_t> prompt() { return encode("<|im_start|>user\nAna has 12 apples.<|im_end|>\n<|im_start|>assistant\n"); }

// The demo model with embedding and LM-head rows for the grammar's markers (small, fixed values):
// a real model whose vocabulary holds the actions.
struct ExtendedDemo {
    std::unique_ptr<Model> base = Model::load(demo_dir());
    std::vector<std::shared_ptr<std::vector<float>>> rows;
    Model model;
    ExtendedDemo() {
        model.dir = base->dir;
        model.config = base->config;
        model.weight_dtype = base->weight_dtype;
        const int V = tokenizer().size(), H = base->config.hidden_size, V0 = base->config.vocab_size;
        model.config.vocab_size = V;
        std::map<std::string, TensorView> views = base->weights.tensors();
        for (const char* name : {"model.embed_tokens.weight", "lm_head.weight"}) {
            const TensorView& t = base->weights.get(name, {V0, H});
            auto data = std::make_shared<std::vector<float>>(size_t(V) * size_t(H));
            std::memcpy(data->data(), t.data, size_t(V0) * size_t(H) * sizeof(float));
            for (int r = V0; r < V; ++r)
                for (int c = 0; c < H; ++c) (*data)[size_t(r) * size_t(H) + size_t(c)] = 0.02f * std::sin(float(r * 31 + c));
            TensorView v = t;
            v.shape = {V, H};
            v.data = data->data();
            v.bytes = data->size() * sizeof(float);
            views[name] = v;
            rows.push_back(data);
        }
        std::vector<std::shared_ptr<const void>> keep;
        for (auto& r : rows) keep.push_back(r);
        model.weights = WeightStore::from_views(std::move(views), std::move(keep));
    }
};

// The worked example: three steps, an expand and fold of step 1, a refused expand, the answer.
inline std::vector<int32_t> apples_script() {
    return Script()
        .text("Day 1: she buys 8 apples. 12 + 8 = 20.")
        .commit("20 apples after day 1.")
        .text("Day 2: she sells 5. 20 - 5 = 15.")
        .commit("15 apples after day 2.")
        .text("Day 3: as many as on day 1.")
        .expand("1")
        .text(" That was 8.")
        .fold("1")
        .expand("9")  // refused: there is no step 9
        .text(" 15 + 8 = 23.")
        .commit("23 apples after day 3.")
        .answer("23")
        .ids;
}

// The engine's run of `script` on the extended demo model, recorded as a trace would be.
// What a scripted LightThinker++ run on `backend` (the extended demo model) is given.
inline RunSetup scripted_setup(Backend& backend) {
    RunSetup setup;
    setup.backend = &backend;
    setup.tokenizer = &tokenizer();
    setup.prompt_ids = prompt();
    setup.eos_ids = {*tokenizer().token_id("<|im_end|>")};
    return setup;
}
inline SessionParams scripted_params(const std::vector<int32_t>& script) {
    SessionParams params;
    params.policy.method = "lightthinker-pp";
    params.script = script;
    params.max_new_tokens = 1000;
    return params;
}

inline Trace scripted_memory_trace(const std::vector<int32_t>& script = apples_script()) {
    ExtendedDemo demo;
    auto backend = make_cpu_backend(demo.model, 1);
    const RunSetup setup = scripted_setup(*backend);
    const SessionParams params = scripted_params(script);
    Trace trace;
    trace.header.model = "demo-vanilla (scripted LightThinker++ actions)";
    trace.header.method = "lightthinker-pp";
    trace.header.prompt_ids = setup.prompt_ids;
    trace.header.question = "Ana has 12 apples.";
    trace.header.expected_answer = "23";
    trace.header.backend = "cpu";
    run_session(setup, params, [&](const Event& e) { trace.events.push_back(e); });
    return trace;
}

}  // namespace memtest
