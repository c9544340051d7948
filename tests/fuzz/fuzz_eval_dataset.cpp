// An evaluation set (JSON Lines or LightThinker's grouped JSON, every format), and the scoring of
// its own answers against it.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/eval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("dataset.jsonl", data, size);
    try {
        const auto ds = gistscope::eval_dataset_load(path);
        for (const auto& item : ds.items) {
            (void)gistscope::eval_score(item.answer, item);
            (void)gistscope::eval_score(std::string("B"), item);
        }
    } catch (const gistscope::Error&) {
    }
    return 0;
}
