// gistscope-cli: the headless face of the engine. Each subcommand is a thin program over the
// engine's public headers; bad input ends with exit code 2 and one line on stderr.
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "args.h"
#include "commands.h"
#include "gistscope/error.h"

namespace gistscope::cli {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error(path + ": read error");
    return ss.str();
}

}  // namespace gistscope::cli

namespace {

const char* usage =
    "usage: gistscope-cli <command> [options]\n"
    "commands:\n"
    "  tokenize --tokenizer PATH (--text S | --text-file F) [--lightthinker-config F|qwen|llama] [--jsonl]\n"
    "  info     --model DIR|FILE.gguf [--json]\n"
    "  models   [--add DIR|FILE]... [--no-bundled] [--json]   (every model found, what it can run)\n"
    "  generate --model DIR (--prompt S | --prompt-file F) [--method M] [--chat] [--max-new-tokens N]\n"
    "           [--trace FILE] [--attention LAYER|avg] [--json]   (see `generate --help`)\n"
    "  logits   --model DIR --tokens 1,2,3 --out FILE\n"
    "  bench    --model DIR [--prompt-tokens N] [--decode-tokens N] [--threads N] [--json]\n"
    "  replay   TRACE [--json]\n"
    "  eval     --model M --dataset F --out RESULTS [--method X] [--limit N] [--shard K/N]   (see `eval --help`)\n"
    "  eval-merge RESULTS... [--json|--markdown]   (shards and runs into the paper-style table)\n"
    "  review   RESULTS   (decide unmatched answers: y / n / e / q on stdin)\n"
    "  eval-import FILE... --format gsm8k|mmlu|gpqa|bbh --out RESULTS [--json]   (LightThinker's results)\n"
    "  plot     --trace A [--trace B] --out FILE.{png,pdf,svg,csv}\n"
    "  selftest [--json]\n"
    "  demo     [--out DIR] [--problem N]   (bundled models, headless: traces, summary, plots)\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace gistscope::cli;
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "tokenize") return cmd_tokenize(argc, argv);
        if (cmd == "info") return cmd_info(argc, argv);
        if (cmd == "logits") return cmd_logits(argc, argv);
        if (cmd == "bench") return cmd_bench(argc, argv);
        if (cmd == "generate") return cmd_generate(argc, argv);
        if (cmd == "replay") return cmd_replay(argc, argv);
        if (cmd == "eval") return cmd_eval(argc, argv);
        if (cmd == "eval-merge") return cmd_eval_merge(argc, argv);
        if (cmd == "eval-import") return cmd_eval_import(argc, argv);
        if (cmd == "review") return cmd_review(argc, argv);
        if (cmd == "plot") return cmd_plot(argc, argv);
        if (cmd == "selftest") return cmd_selftest(argc, argv);
        if (cmd == "demo") return cmd_demo(argc, argv);
        if (cmd == "models") return cmd_models(argc, argv);
        std::fprintf(stderr, "gistscope-cli: unknown command '%s'\n%s", cmd.c_str(), usage);
        return 2;
    } catch (const gistscope::Error& e) {
        std::fprintf(stderr, "gistscope-cli %s: %s\n", cmd.c_str(), e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "gistscope-cli %s: out of memory\n", cmd.c_str());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gistscope-cli %s: internal error: %s\n", cmd.c_str(), e.what());
        return 4;
    }
}
