#include "resources.h"

#include <unistd.h>

#include <cstdlib>

#include "gistscope/error.h"

namespace gistscope::cli {

std::filesystem::path resources_dir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("GISTSCOPE_RESOURCES"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path& candidate : {exe.parent_path() / ".." / ".." / "resources",
                                          exe.parent_path() / ".." / "share" / "gistscope" / "resources"})
            if (fs::exists(candidate / "models")) return fs::weakly_canonical(candidate);
    }
    throw Error("cannot find the bundled resources (models, datasets); set GISTSCOPE_RESOURCES to the resources folder");
}

}  // namespace gistscope::cli
