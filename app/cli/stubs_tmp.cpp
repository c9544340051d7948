#include "commands.h"
#include "gistscope/error.h"
namespace gistscope::cli {


int cmd_selftest(int, char**) { throw Error("not built yet"); }
}
