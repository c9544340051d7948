// gistscope-cli demo: the headless version of what the window shows. One example problem through
// the bundled LightThinker model and the vanilla model; traces, a summary and the occupancy
// series (CSV, and PNG / SVG / PDF plots when built with the widgets) land in one folder.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "demo_plots.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/eval.h"
#include "gistscope/runtime.h"
#include "gistscope/session.h"
#include "gistscope/trace.h"
#include "resources.h"
#include "run_options.h"

namespace gistscope::cli {

namespace {

}  // namespace

int cmd_demo(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"demo", "[--out DIR] [--problem N]",
                          "The bundled LightThinker and vanilla models on one example problem: traces, summary, plots.",
                          {{"out", "DIR", "output folder (default out/demo)"},
                           {"problem", "N", "index of the example problem (default 0)"},
                           {"max-new-tokens", "N", "stop after N generated tokens (default 2048)"},
                           {"threads", "N", "CPU threads, 1..1024 (default 1 for the tiny demo models)"}}});
    const std::filesystem::path out = args.get("out").value_or("out/demo");
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) throw Error(out.string() + ": cannot create the output folder: " + ec.message());
    const auto res = resources_dir();
    const auto items = eval_dataset_load(res / "datasets" / "demo-test.jsonl").items;
    const size_t index = size_t(args.get_int("problem", 0, 0, long(items.size()) - 1));
    const EvalItem& item = items[index];
    std::printf("Problem %zu: %s\n(expected answer %s)\n\n", index, item.question.c_str(), item.answer.c_str());

    struct Pane { const char* model; const char* method; };
    const Pane panes[] = {{"demo-lightthinker", "lightthinker"}, {"demo-vanilla", "vanilla"}};
    std::vector<Trace> traces;
    nlohmann::json summary = nlohmann::json::array();
    for (const auto& pane : panes) {
        LoadedModel lm = load_model(res / "models" / pane.model);
        auto backend = make_cpu_backend(*lm.model, threads_option(args));
        RunSetup setup;
        setup.backend = backend.get();
        setup.tokenizer = lm.tokenizer.get();
        setup.prompt_ids = lm.chat_prompt_ids(item.question);
        setup.eos_ids = lm.eos_ids();
        setup.method_tokens = lm.method_tokens();
        SessionParams params;
        params.policy.method = pane.method;
        params.max_new_tokens = int(args.get_int("max-new-tokens", 2048, 1, 1 << 20));
        params.attention = AttentionProbeRequest::Mode::average;
        Trace trace;
        trace.header.model = pane.model;
        trace.header.method = pane.method;
        trace.header.params = {{"max_new_tokens", params.max_new_tokens}};
        trace.header.prompt_ids = setup.prompt_ids;
        trace.header.question = item.question;
        trace.header.expected_answer = item.answer;
        trace.header.backend = backend->info().name;
        trace.header.cache_tokens = lm.comp ? lm.comp->n_token : 0;
        const auto path = out / (std::string(pane.method) + ".trace.jsonl");
        TraceWriter writer(path, trace.header);
        EndEvent end = run_session(setup, params, [&](const Event& e) {
            writer.write(e);
            trace.events.push_back(e);
        });
        writer.finish();
        const auto& m = end.metrics;
        std::printf("%-13s answer %-6s %s  %4d tokens  peak %4d  dependency %7lld  %d compressions  %.0f tokens/s\n",
                    pane.method, end.answer.value_or("-").c_str(), eval_score(end.answer, item).verdict == Verdict::correct ? "correct" : "wrong  ",
                    m.generated_tokens, m.peak_tokens, static_cast<long long>(m.dependency), m.compressions,
                    m.tokens_per_second);
        auto s = run_summary(end, trace.header);
        s["trace"] = path.string();
        summary.push_back(s);
        traces.push_back(std::move(trace));
    }
    write_file_atomically(out / "summary.json", summary.dump(2) + "\n");
    std::vector<std::string> written = {"lightthinker.trace.jsonl", "vanilla.trace.jsonl", "summary.json"};
    std::string why;
    for (const char* ext : {"csv", "png", "svg", "pdf"}) {
        const auto p = out / (std::string("occupancy.") + ext);
        if (demo_export_plot(traces, p.string(), &why)) written.push_back(p.filename().string());
        else std::fprintf(stderr, "occupancy.%s not written: %s\n", ext, why.c_str());
    }
    std::printf("\nWrote to %s:\n", std::filesystem::absolute(out).string().c_str());
    for (const auto& f : written) std::printf("  %s\n", f.c_str());
    std::printf("Replay a trace: gistscope-cli replay %s\n", (out / "lightthinker.trace.jsonl").string().c_str());
    return 0;
}

}  // namespace gistscope::cli
