#include "commands.h"
#include "gistscope/error.h"
namespace gistscope::cli {


}
