// resources.h: where the bundled demo models and datasets are at run time: $GISTSCOPE_RESOURCES,
// else next to the build tree (build/bin/../../resources), else the installed share directory.
#pragma once
#include <filesystem>
#include <string>

namespace gistscope::cli {

std::filesystem::path resources_dir();

}  // namespace gistscope::cli
