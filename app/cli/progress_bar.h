// progress_bar.h: the progress line of the evaluation commands (eval, compare) on stderr: redrawn
// in place on a terminal, one line per ~5% on a log (Slurm), with rate, ETA, accuracy and peak.
#pragma once
#include <algorithm>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "gistscope/eval.h"

namespace gistscope::cli {

inline std::string clock_text(double s) {
    if (!(s >= 0) || s > 1e8) return "?";
    const long t = long(s + 0.5);
    char buf[32];
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

// The progress bar: redrawn in place on a terminal; on a log (Slurm) one line per ~5% instead.
class ProgressBar {
public:
    explicit ProgressBar(std::string label) : label_(std::move(label)), tty_(isatty(2) != 0) {}
    void update(const EvalProgress& p) {
        const bool finished = p.done == p.total;
        if (!tty_ && !finished && p.ran != 0) {
            const size_t step = std::max<size_t>(1, p.total / 20);
            if (p.done % step != 0) return;
        }
        const double rate = p.seconds > 0 ? double(p.ran) / p.seconds : 0;
        const double eta = rate > 0 ? double(p.total - p.done) / rate : -1;
        constexpr int width = 24;
        const int filled = p.total ? int(width * p.done / p.total) : width;
        std::string bar(size_t(filled), '#');
        bar += std::string(size_t(width - filled), '-');
        std::fprintf(stderr, "%s%s [%s] %zu/%zu items  %.2f items/s  ETA %s  acc %.1f%%  peak %.1f%s", tty_ ? "\r" : "",
                     label_.c_str(), bar.c_str(), p.done, p.total, rate, clock_text(eta).c_str(),
                     p.done ? 100.0 * double(p.correct) / double(p.done) : 0.0, p.mean_peak, tty_ ? "  " : "\n");
        if (tty_ && finished) std::fputc('\n', stderr);
        std::fflush(stderr);
    }

private:
    std::string label_;
    bool tty_;
};

}  // namespace gistscope::cli
