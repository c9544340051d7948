// Occupancy series as CSV without Qt: one row per step and trace (the same columns the window's
// CSV export writes). Images are left to the widgets build.
#include "demo_plots.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"

namespace gistscope::cli {

bool demo_export_plot(const std::vector<Trace>& traces, const std::string& path, std::string* error) {
    if (path.size() < 4 || path.substr(path.size() - 4) != ".csv") {
        if (error) *error = "built without the Qt widgets (GISTSCOPE_WITH_GUI=OFF): only CSV";
        return false;
    }
    try {
        AtomicFile file(path, false);
        std::ostream& out = file.stream();
        out << "run,method,step,cache_tokens\n";
        for (size_t r = 0; r < traces.size(); ++r) {
            int cache = int(traces[r].header.prompt_ids.size());
            int step = 0;
            out << r << ',' << traces[r].header.method << ",0," << cache << '\n';
            for (const auto& e : traces[r].events) {
                if (const auto* t = std::get_if<TokenEvent>(&e); t && t->role != SlotRole::prompt && t->fed) cache = t->cache_tokens;
                else if (const auto* v = std::get_if<EvictionEvent>(&e)) cache = v->cache_after;
                else continue;
                const int s = std::holds_alternative<TokenEvent>(e) ? std::get<TokenEvent>(e).step : std::get<EvictionEvent>(e).step;
                if (s != step || std::holds_alternative<EvictionEvent>(e)) {
                    step = s;
                    out << r << ',' << traces[r].header.method << ',' << step << ',' << cache << '\n';
                }
            }
        }
        file.commit();
    } catch (const Error& e) {
        if (error) *error = e.what();
        return false;
    }
    return true;
}

bool accuracy_export_plot(const std::vector<EvalRunSummary>& runs, const std::string& path, std::string* error) {
    if (path.size() < 4 || path.substr(path.size() - 4) != ".csv") {
        if (error) *error = "built without the Qt widgets (GISTSCOPE_WITH_GUI=OFF): only CSV";
        return false;
    }
    try {
        std::string out = "series,label,mean_peak_tokens,accuracy\n";
        for (const auto& s : runs) {
            const std::string label = eval_method_label(s.method, s.params);
            out += "\"" + s.method + " (" + s.model + ")\",\"" + label + "\"," + std::to_string(s.mean_peak) + "," +
                   std::to_string(s.accuracy) + "\n";
        }
        write_file_atomically(path, out);
    } catch (const Error& e) {
        if (error) *error = e.what();
        return false;
    }
    return true;
}

void ensure_qapplication() {}

}  // namespace gistscope::cli
