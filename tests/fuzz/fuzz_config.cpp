// config.json of a Qwen2 / Llama checkpoint.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto c = gistscope::config_parse(fuzz::as_string(data, size), "config.json");
        // What the loader computes from a parsed config must not overflow.
        volatile int64_t q_dim = int64_t(c.num_heads) * c.head_dim;
        (void)q_dim;
    } catch (const gistscope::Error&) {
    }
    return 0;
}
