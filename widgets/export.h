// export.h: headless export of runs, for `gistscope-cli plot` and the demo script. Needs a
// QApplication (any platform, offscreen included); builds the views off screen and writes through
// their export (PNG / PDF / SVG / CSV by suffix, temporary file renamed into place).
#pragma once
#include <QString>
#include <vector>

#include "gistscope/trace.h"

namespace gistscope::ui {

enum class ExportView { occupancy, mask, attention, metrics };

// Up to two traces: the first is the left pane, the second the right. Returns false with `error`
// set (one sentence naming the file and the reason) on failure.
bool export_view(ExportView view, const std::vector<gistscope::Trace>& traces, const QString& path, QString* error);
inline bool export_occupancy(const std::vector<gistscope::Trace>& traces, const QString& path, QString* error) {
    return export_view(ExportView::occupancy, traces, path, error);
}
// Parses "occupancy", "mask", "attention", "metrics".
bool export_view_parse(const QString& name, ExportView& view);

}  // namespace gistscope::ui
