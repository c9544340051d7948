// LightThinker comp-configs and gistscope.json; the special tokens they name are built too.
#include "fuzz_util.h"
#include "gistscope/chat.h"
#include "gistscope/error.h"
#include "gistscope/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto c = gistscope::comp_config_parse(fuzz::as_string(data, size), "gistscope.json");
        (void)c.special_tokens();
        (void)gistscope::chat_prompt(c, "What is 2 + 3?");
    } catch (const gistscope::Error&) {
    }
    return 0;
}
