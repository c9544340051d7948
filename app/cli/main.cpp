// gistscope-cli: the headless face of the engine. Each subcommand is a thin program over the
// engine's public headers; bad input ends with exit code 2 and one line on stderr.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>

#include "args.h"
#include "commands.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"

namespace gistscope::cli {

std::string read_text_file(const std::string& path) { return read_text_input(path, "a text file"); }

}  // namespace gistscope::cli

namespace {

using Command = int (*)(int, char**);

struct CommandEntry {
    const char* name;
    Command run;
    const char* synopsis;  // the options that matter most; `CMD --help` lists them all
};

// Every subcommand, in the order the usage lists them.
const CommandEntry commands[] = {
    {"tokenize", gistscope::cli::cmd_tokenize, "--tokenizer PATH (--text S | --text-file F) [--lightthinker-config F|qwen|llama] [--jsonl]"},
    {"info", gistscope::cli::cmd_info, "--model DIR|FILE.gguf [--adapter DIR] [--json]"},
    {"models", gistscope::cli::cmd_models, "[--add DIR|FILE]... [--no-bundled] [--json]   (every model found, what it can run)"},
    {"generate", gistscope::cli::cmd_generate,
     "--model DIR [--adapter DIR] (--prompt S | --prompt-file F) [--method M] [--chat] [--max-new-tokens N] [--trace FILE] [--json]"},
    {"logits", gistscope::cli::cmd_logits, "--model DIR [--adapter DIR] --tokens 1,2,3 --out FILE"},
    {"bench", gistscope::cli::cmd_bench, "--model DIR [--prompt-tokens N] [--decode-tokens N] [--threads N] [--json]"},
    {"replay", gistscope::cli::cmd_replay, "TRACE [--json]"},
    {"eval", gistscope::cli::cmd_eval, "--model M --dataset F --out RESULTS [--method X] [--limit N] [--shard K/N]"},
    {"eval-merge", gistscope::cli::cmd_eval_merge, "RESULTS... [--json|--markdown]   (shards and runs into the paper-style table)"},
    {"compare", gistscope::cli::cmd_compare,
     "[--out DIR] [--limit N] [--budgets 0.3,0.5,0.7]   (every method on the demo set: Table 1 and the accuracy-peak plot)"},
    {"review", gistscope::cli::cmd_review, "RESULTS   (decide unmatched answers: y / n / e / q on stdin)"},
    {"eval-import", gistscope::cli::cmd_eval_import, "FILE... --format gsm8k|mmlu|gpqa|bbh --out RESULTS [--json]   (LightThinker's results)"},
    {"plot", gistscope::cli::cmd_plot, "--trace A [--trace B] --out FILE.{png,pdf,svg,csv} [--view V]"},
    {"selftest", gistscope::cli::cmd_selftest, "[--json]"},
    {"demo", gistscope::cli::cmd_demo, "[--out DIR] [--problem N]   (bundled models, headless: traces, summary, plots)"},
};

std::string usage() {
    std::string s = "usage: gistscope-cli <command> [options]   (gistscope-cli <command> --help: all its options)\ncommands:\n";
    for (const auto& c : commands) {
        std::string name = c.name;
        name.resize(std::max<size_t>(name.size() + 1, 9), ' ');
        s += "  " + name + c.synopsis + "\n";
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace gistscope::cli;
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        std::fputs(usage().c_str(), argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        for (const auto& c : commands)
            if (cmd == c.name) return c.run(argc, argv);
        std::fprintf(stderr, "gistscope-cli: unknown command '%s'\n%s", cmd.c_str(), usage().c_str());
        return 2;
    } catch (const HelpRequested& h) {
        std::fputs(h.text.c_str(), stdout);
        return 0;
    } catch (const gistscope::Error& e) {
        std::fprintf(stderr, "gistscope-cli %s: %s\n", cmd.c_str(), e.what());
        return 2;
    } catch (const std::filesystem::filesystem_error& e) {
        // A path the user gave that the system refused (permissions, loops): their input, not a bug.
        std::fprintf(stderr, "gistscope-cli %s: %s: %s\n", cmd.c_str(), e.path1().string().c_str(), e.code().message().c_str());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "gistscope-cli %s: out of memory\n", cmd.c_str());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gistscope-cli %s: internal error: %s\n", cmd.c_str(), e.what());
        return 4;
    }
}
