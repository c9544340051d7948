// gistscope/memory.h: LightThinker++ (spec 10): the model manages a textual memory with actions.
// Every reasoning step is kept twice, as its raw text R_k and as the summary Z_k the model wrote
// for it, and is either archived (Z_k visible) or active (R_k visible). The model writes
// `commit` (close the step, archive it with its summary), `expand(k)` (show R_k again), `fold(k)`
// (back to Z_k) and `final_answer`. After every action the runtime re-renders the context:
//
//   context = prompt, render(step 1), ..., render(step K), the current step's text so far
//
// and keeps the KV cache up to the first token that changed: a commit swaps only the tail, an
// expand / fold of an inner step re-prefills from that step on. No special attention is needed.
//
// How actions are written and steps rendered is a grammar, kept in a file beside gistscope.json
// (memory_grammar.json, docs/memory-grammar.md). The LightThinker++ authors' own serialisation is
// not public; GistScope's grammar is the default, and another model is driven by writing its file.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gistscope/tokenizer.h"

namespace gistscope {

struct MemoryGrammar {
    // An action is written as open, content, close: "<|commit|>summary<|/commit|>",
    // "<|expand|>2<|/expand|>". Open and close are plain strings (special tokens or text).
    struct Marker {
        std::string open, close;
    };
    Marker commit, expand, fold, final_answer;
    // How a step is shown in the context. "{k}" is the step's number, "{summary}" its summary
    // (archived), "{raw}" its raw text (active).
    std::string archived = "<|summary|>{k}: {summary}<|/summary|>\n";
    std::string active = "<|raw|>{k}: {raw}<|/raw|>\n";
    int first_number = 1;  // the number of the first step, as the model writes it in expand / fold

    // GistScope's own grammar (the one the demo model is trained with).
    static MemoryGrammar builtin();
    // memory_grammar.json; throws Error naming the file and the field on a malformed grammar.
    static MemoryGrammar load(const std::filesystem::path& file);
    static MemoryGrammar from_json(const nlohmann::json& j, const std::string& source);
    nlohmann::json to_json() const;
    // The special tokens the grammar's markers use (strings that look like "<|...|>"), for a
    // tokenizer that needs them added.
    std::vector<std::string> marker_tokens() const;
};

enum class MemoryAction : uint8_t { commit = 0, expand = 1, fold = 2, final_answer = 3, invalid = 4 };
// A refused action written this many times in a row ends the run (stop reason
// "repeated_refusal"): the refused text is taken out, so the context is as before the action and
// a greedy model would write it again until the token budget.
inline constexpr int memory_refusal_limit = 3;
const char* memory_action_name(MemoryAction action);
bool memory_action_parse(const std::string& name, MemoryAction& action);

struct MemoryStep {
    std::string raw;       // R_k: what the model wrote for the step, actions taken out
    std::string summary;   // Z_k
    bool active = false;   // false: archived (only the summary is visible)
    std::vector<int32_t> raw_addresses;  // generation addresses of the tokens R_k was written with
};

// What one completed action did to the context.
struct MemoryUpdate {
    MemoryAction action = MemoryAction::invalid;
    MemoryAction written = MemoryAction::invalid;  // the action as the model wrote it (also when refused)
    bool fold_without_expand = false;               // a fold of a step that was not expanded (refused)
    int step = -1;             // index into steps() the action touched (-1: none)
    std::string error;         // invalid: why the action was refused (it is then taken out of the text)
    std::string content;       // what was inside the markers (summary, step number, answer)
    int context_before = 0;    // visible tokens just before the action was acted on
    int context_after = 0;
    int first_changed = 0;     // the first index where the new context differs: the KV kept below it
};

// Parses actions out of the generated tokens and keeps the steps and the rendered context.
// Pure bookkeeping: no model, so tests can drive it with a script of tokens.
class MemoryController {
public:
    MemoryController(MemoryGrammar grammar, const Tokenizer& tokenizer, std::vector<int32_t> prompt_ids);

    // The model chose `id`; `address` is the token's address in the run (unique, increasing).
    // The token joins the context; when it completes an action the context is re-rendered and
    // the update says how.
    std::optional<MemoryUpdate> on_token(int32_t id, int32_t address);

    // What the model sees now: prompt, rendered steps, the current step's tokens.
    const std::vector<int32_t>& context() const { return context_; }
    const std::vector<MemoryStep>& steps() const { return steps_; }
    const MemoryGrammar& grammar() const { return grammar_; }
    bool finished() const { return answer_.has_value(); }
    const std::optional<std::string>& answer() const { return answer_; }
    // The context a fresh render gives (prompt + steps + the current step), for checks.
    std::vector<int32_t> render() const;
    // false: every expand is refused ("expand is turned off"), the ablation of spec 10.4.
    void set_expand_allowed(bool allowed) { expand_allowed_ = allowed; }

private:
    std::vector<int32_t> render_step(int index) const;
    // Cuts the pending tokens at text offset `chars`: the ids of the text before it.
    std::vector<int32_t> pending_prefix(size_t chars, const std::string& pending_text) const;
    MemoryUpdate apply(MemoryAction action, const std::string& content, size_t marker_at, const std::string& pending_text);

    MemoryGrammar grammar_;
    const Tokenizer& tok_;
    std::vector<int32_t> prompt_;
    std::vector<MemoryStep> steps_;
    std::vector<int32_t> tail_;           // the current step's tokens before the pending ones
    std::vector<int32_t> tail_addresses_;
    std::vector<int32_t> pending_;        // tokens since the last action: where an action is looked for
    std::vector<int32_t> pending_addresses_;
    std::vector<int32_t> context_;
    std::optional<std::string> answer_;
    bool expand_allowed_ = true;
};

}  // namespace gistscope
