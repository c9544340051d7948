// demo_plots.h: the occupancy plot of traces and the accuracy-peak plot of evaluation runs written
// to PNG / SVG / PDF / CSV. The CSV is always
// available; the images need the Qt widgets (GISTSCOPE_WITH_GUI).
#pragma once
#include <string>
#include <vector>

#include "gistscope/eval.h"
#include "gistscope/trace.h"

namespace gistscope::cli {

bool demo_export_plot(const std::vector<Trace>& traces, const std::string& path, std::string* error);
// Accuracy against mean peak tokens, one point per run (the window's Evaluation plot).
bool accuracy_export_plot(const std::vector<EvalRunSummary>& runs, const std::string& path, std::string* error);

// Creates the QApplication the widgets need (offscreen without a display); no-op without Qt.
void ensure_qapplication();

}  // namespace gistscope::cli
