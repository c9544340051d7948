// commands.h: gistscope-cli's subcommands, one function each; they return the process exit code
// and throw gistscope::Error for bad input (main prints it as one line).
#pragma once

namespace gistscope::cli {

int cmd_tokenize(int argc, char** argv);
int cmd_info(int argc, char** argv);
int cmd_logits(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_replay(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_eval_merge(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_eval_import(int argc, char** argv);
int cmd_review(int argc, char** argv);
int cmd_plot(int argc, char** argv);
int cmd_selftest(int argc, char** argv);
int cmd_demo(int argc, char** argv);
int cmd_models(int argc, char** argv);

}  // namespace gistscope::cli
