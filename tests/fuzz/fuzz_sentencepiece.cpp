// A sentencepiece .model (a protobuf) through GistScope's loading path, then a few texts encoded,
// decoded, and every id's text.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("tokenizer.model", data, size);
    try {
        auto tok = gistscope::Tokenizer::load(path);
        for (const char* text : {"Hello world", "12 + 30 = 42\n\n", " caf\u00e9 \u4e2d"}) {
            const auto ids = tok->encode(text, true);
            (void)tok->decode(ids);
        }
        for (int32_t id = 0; id < std::min<int32_t>(tok->size(), 4096); ++id) (void)tok->token_text(id);
    } catch (const gistscope::Error&) {
    }
    return 0;
}
