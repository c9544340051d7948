// Arbitrary text through the real Qwen2.5 byte-level BPE tokenizer (the fixture), with
// LightThinker's tokens added: encode, decode, and every token's text.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/tokenizer.h"

namespace {
std::unique_ptr<gistscope::Tokenizer> tokenizer;
}

// Loaded once before fuzzing starts (the 7 MB tokenizer.json takes seconds under ASan, which
// would otherwise count against the first input's time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    tokenizer = gistscope::Tokenizer::load(std::filesystem::path(GISTSCOPE_FIXTURES_DIR) / "tokenizers" / "qwen2.5" / "tokenizer.json");
    tokenizer->add_special_tokens(gistscope::comp_config_builtin("qwen").special_tokens());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto ids = tokenizer->encode(fuzz::as_string(data, size), true);
        (void)tokenizer->decode(ids);
        for (int32_t id : ids) (void)tokenizer->token_text(id);
    } catch (const gistscope::Error&) {
    }
    return 0;
}
