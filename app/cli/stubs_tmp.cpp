#include "commands.h"
#include "gistscope/error.h"
namespace gistscope::cli {


int cmd_plot(int, char**) { throw Error("not built yet"); }
int cmd_selftest(int, char**) { throw Error("not built yet"); }
}
