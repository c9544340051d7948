// An eval results file (JSON Lines of EvalRecord, written incrementally): read, every record
// written back out as JSON and read again.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("results.jsonl", data, size);
    try {
        const auto results = gistscope::eval_results_read(path);
        for (const auto& r : results.records) {
            (void)r.run_key();
            (void)gistscope::eval_record_from_json(r.to_json(), "round trip");
        }
    } catch (const gistscope::Error&) {
    }
    return 0;
}
