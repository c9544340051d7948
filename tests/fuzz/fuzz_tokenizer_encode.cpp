// Arbitrary text through the real Qwen2.5 byte-level BPE tokenizer (the fixture), with
// LightThinker's tokens added: encode, decode, and every token's text.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto tok = [] {
        auto t = gistscope::Tokenizer::load(std::filesystem::path(GISTSCOPE_FIXTURES_DIR) / "tokenizers" / "qwen2.5" / "tokenizer.json");
        t->add_special_tokens(gistscope::comp_config_builtin("qwen").special_tokens());
        return t;
    }();
    try {
        const auto ids = tok->encode(fuzz::as_string(data, size), true);
        (void)tok->decode(ids);
        for (int32_t id : ids) (void)tok->token_text(id);
    } catch (const gistscope::Error&) {
    }
    return 0;
}
