// gistscope-cli generate / replay: one run of a method on a prompt, streamed to stdout or
// summarised as JSON, optionally recorded as a trace; and the same summary from a trace.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "gistscope/chat.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "gistscope/trace.h"
#include "run_options.h"

namespace gistscope::cli {

CompConfig comp_config_from_option(const std::string& spec);  // cmd_tokenize.cpp

namespace {
bool json_out_requested(const Args& a) { return a.flag("json"); }
}  // namespace

int cmd_generate(int argc, char** argv) {
    CommandHelp help{"generate", "--model DIR [--adapter DIR] (--prompt S | --prompt-file F) [options]",
                     "One run of a method on a prompt: the text streams to stdout, a summary to stderr.",
                     {{"model", "DIR", "checkpoint folder (config.json, safetensors, tokenizer), a .gguf file, or a LoRA adapter folder with base.json"},
                      adapter_option_help(),
                      {"prompt", "S", "the prompt text"},
                      {"prompt-file", "F", "read the prompt from a UTF-8 file"},
                      {"chat", "", "wrap the prompt in the model's chat template"},
                      {"trace", "FILE", "record the run as a JSON Lines trace (written as it runs)"},
                      {"expected-answer", "A", "stored in the trace; the summary says whether the answer matches"},
                      {"json", "", "print a JSON summary instead of streaming"},
                      {"no-stream", "", "do not stream the text"},
                      {"memory-no-expand", "", "lightthinker-pp: refuse every expand (the ablation: what the model loses without it)"}}};
    help.options.insert(help.options.end(), run_option_help().begin(), run_option_help().end());
    Args args(argc, argv, 2, help);
    if (auto path = args.get("trace")) require_output_path(*path);  // before the model is loaded
    std::optional<CompConfig> comp;
    if (auto lt = args.get("lightthinker-config")) comp = comp_config_from_option(*lt);
    std::optional<std::filesystem::path> adapter;
    if (auto dir = args.get("adapter")) adapter = *dir;
    LoadedModel lm = load_model(args.require("model"), comp, adapter);

    const auto prompt = args.get("prompt");
    const auto prompt_file = args.get("prompt-file");
    if (prompt.has_value() == prompt_file.has_value()) throw Error("give exactly one of --prompt or --prompt-file");
    if (prompt && first_invalid_utf8(*prompt) != std::string_view::npos)
        throw Error("--prompt: not valid UTF-8 at byte " + std::to_string(first_invalid_utf8(*prompt)));
    const std::string question = prompt ? *prompt : read_text_file(*prompt_file);
    if (question.empty()) throw Error("the prompt is empty");
    std::vector<int32_t> ids;
    if (args.flag("chat")) {
        if (!lm.has_chat_template())
            throw Error(lm.model->dir.string() + " has no chat template (no chat_template.jinja, no chat_template in "
                        "tokenizer_config.json): give --lightthinker-config FILE|qwen|llama, or drop --chat");
        ids = lm.chat_prompt_ids(question);
    } else {
        ids = lm.tokenizer->encode(question, true);
    }

    const std::string default_method = lm.comp && !lm.comp->method.empty() ? lm.comp->method : "vanilla";
    SessionParams params = session_params_from(args, default_method);
    if (!args.get("memory-grammar")) params.memory_grammar = lm.memory_grammar();
    BackendSelection selected = backend_from(args, *lm.model);
    Backend* backend = selected.backend.get();

    RunSetup setup;
    setup.backend = backend;
    setup.tokenizer = lm.tokenizer.get();
    setup.prompt_ids = ids;
    setup.eos_ids = lm.eos_ids();
    setup.method_tokens = lm.method_tokens();

    TraceHeader header;
    header.model = lm.name();
    header.method = params.policy.method;
    header.params = session_params_json(params, lm.comp ? lm.comp->n_token : 0);
    header.prompt_ids = ids;
    header.question = question;
    header.backend = selected.info.name + " (" + selected.info.device + ")";
    if (!json_out_requested(args) && !selected.info.note.empty())
        std::fprintf(stderr, "[backend %s: %s]\n", selected.info.name.c_str(), selected.info.note.c_str());
    header.cache_tokens = lm.comp ? lm.comp->n_token : 0;
    header.expected_answer = args.get("expected-answer");

    std::unique_ptr<TraceWriter> trace;
    if (auto path = args.get("trace")) trace = std::make_unique<TraceWriter>(*path, header);
    const bool json_out = args.flag("json");
    const bool stream = !json_out && !args.flag("no-stream");
    EndEvent end = run_session(setup, params, [&](const Event& e) {
        if (trace) trace->write(e);
        if (stream)
            if (const auto* t = std::get_if<TokenEvent>(&e); t && t->role != SlotRole::prompt && !t->forced) {
                std::fputs(t->text.c_str(), stdout);
                std::fflush(stdout);
            }
    });
    if (trace) trace->finish();
    if (json_out) {
        std::printf("%s\n", run_summary(end, header).dump(2).c_str());
    } else {
        const auto& m = end.metrics;
        std::printf("\n");
        // LightThinker++ compresses nothing: its [memory] line below counts what it did.
        const std::string compressions =
            header.method == "lightthinker-pp" ? "" : std::to_string(m.compressions) + " compressions, ";
        std::fprintf(stderr,
                     "[%s] %d generated tokens, %speak %d tokens, dependency %lld, %.1f tokens/s, "
                     "stop: %s, answer: %s\n",
                     header.method.c_str(), m.generated_tokens, compressions.c_str(), m.peak_tokens,
                     static_cast<long long>(m.dependency), m.tokens_per_second, m.stop_reason.c_str(),
                     end.answer ? end.answer->c_str() : "(none)");
        if (m.memory.any()) std::fprintf(stderr, "[memory] %s\n", memory_metrics_text(m.memory).c_str());
    }
    return 0;
}

int cmd_replay(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"replay", "TRACE [--json]", "The summary of a recorded run, checked against its events.",
                          {{"json", "", "print the summary as JSON"}}});
    if (args.positional().size() != 1) throw Error("usage: gistscope-cli replay TRACE [--json]");
    const std::string& path = args.positional()[0];
    const Trace trace = trace_read(path);
    const RunMetrics recomputed = trace_recompute_metrics(trace);
    const EndEvent* stored = trace.end();
    if (!stored) {
        // A cut run (killed, crashed): what was recorded, recomputed from the events, and said so.
        std::fprintf(stderr, "%s: %s\n", path.c_str(), trace.cut_description().c_str());
        EndEvent partial;
        partial.metrics = recomputed;
        partial.metrics.stop_reason = "cut";
        for (const auto& ev : trace.events)
            if (const auto* t = std::get_if<TokenEvent>(&ev); t && t->role != SlotRole::prompt && !t->forced) partial.text += t->text;
        partial.answer = extract_boxed_answer(partial.text);
        if (args.flag("json")) {
            std::printf("%s\n", run_summary(partial, trace.header).dump(2).c_str());
        } else {
            std::printf("%s\n", partial.text.c_str());
            std::printf("[%s on %s, cut] %d generated tokens, %d compressions, peak %d, dependency %lld\n",
                        trace.header.method.c_str(), trace.header.model.c_str(), recomputed.generated_tokens,
                        recomputed.compressions, recomputed.peak_tokens, static_cast<long long>(recomputed.dependency));
        }
        return 0;
    }
    EndEvent end = *stored;
    if (recomputed.peak_tokens != end.metrics.peak_tokens || recomputed.dependency != end.metrics.dependency ||
        recomputed.generated_tokens != end.metrics.generated_tokens || recomputed.compressions != end.metrics.compressions ||
        recomputed.memory.commits != end.metrics.memory.commits || recomputed.memory.expands != end.metrics.memory.expands ||
        recomputed.memory.folds != end.metrics.memory.folds ||
        recomputed.memory.reprefilled_tokens != end.metrics.memory.reprefilled_tokens)
        throw Error(path + ": the events do not add up to the stored metrics (edited or corrupt trace)");
    if (args.flag("json")) {
        std::printf("%s\n", run_summary(end, trace.header).dump(2).c_str());
        return 0;
    }
    std::printf("%s\n", end.text.c_str());
    std::printf("[%s on %s] %d generated tokens, %d compressions, peak %d, dependency %lld, answer %s\n",
                trace.header.method.c_str(), trace.header.model.c_str(), end.metrics.generated_tokens,
                end.metrics.compressions, end.metrics.peak_tokens, static_cast<long long>(end.metrics.dependency),
                end.answer ? end.answer->c_str() : "(none)");
    if (end.metrics.memory.any()) std::printf("[memory] %s\n", memory_metrics_text(end.metrics.memory).c_str());
    return 0;
}

}  // namespace gistscope::cli
