// demo_plots.h: the occupancy plot of traces written to PNG / SVG / PDF / CSV. The CSV is always
// available; the images need the Qt widgets (GISTSCOPE_WITH_GUI).
#pragma once
#include <string>
#include <vector>

#include "gistscope/trace.h"

namespace gistscope::cli {

bool demo_export_plot(const std::vector<Trace>& traces, const std::string& path, std::string* error);

// Creates the QApplication the widgets need (offscreen without a display); no-op without Qt.
void ensure_qapplication();

}  // namespace gistscope::cli
