// A tokenizer.json loaded, then a few texts encoded and decoded with it (added tokens, digits,
// spaces, non-ASCII, the post-processor).
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("tokenizer.json", data, size);
    try {
        auto tok = gistscope::Tokenizer::load(path);
        for (const char* text : {"Hello world", "12 + 30 = 42\n\n", " \u00fcber caf\u00e9 \u4e2d\u6587", "<|im_start|>a<|im_end|>", ""}) {
            const auto ids = tok->encode(text, true);
            (void)tok->decode(ids);
            for (int32_t id : ids) (void)tok->token_text(id);
        }
        tok->add_special_tokens({"<|splitter|>", "<|o_0|>"});
        (void)tok->encode("a<|splitter|>b", false);
        (void)tok->size();
    } catch (const gistscope::Error&) {
    }
    return 0;
}
