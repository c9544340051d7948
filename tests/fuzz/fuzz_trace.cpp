// A JSON Lines trace: parsed, its metrics recomputed, its summary built.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto t = gistscope::trace_parse(fuzz::as_string(data, size), "trace.jsonl");
        const auto m = gistscope::trace_recompute_metrics(t);
        (void)m;
        (void)t.cut_description();
        if (const auto* end = t.end()) (void)gistscope::run_summary(*end, t.header);
    } catch (const gistscope::Error&) {
    }
    return 0;
}
