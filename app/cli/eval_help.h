// eval_help.h: `--help` for the evaluation subcommands: the usage text, on stdout, exit code 0.
#pragma once
#include <cstdio>
#include <cstring>

namespace gistscope::cli {

inline bool wants_help(int argc, char** argv) {
    for (int i = 2; i < argc; ++i)
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) return true;
    return false;
}

inline int print_help(const char* usage) {
    std::fputs(usage, stdout);
    return 0;
}

}  // namespace gistscope::cli
