// A GGUF file: header, metadata and tensor table parsed, then what a load builds from it (the
// model config, the weight store with its Hugging Face names, the tokenizer, which encodes a
// text); every tensor's bytes are read end to end.
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "gistscope/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("model.gguf", data, size);
    try {
        auto file = gistscope::GgufFile::open(path);
        volatile uint8_t sum = 0;
        for (const auto& t : file->tensors()) {
            const auto* p = static_cast<const uint8_t*>(file->tensor_data(t));
            for (uint64_t i = 0; i < t.bytes; ++i) sum = uint8_t(sum + p[i]);
        }
        try {
            const auto config = gistscope::gguf_model_config(*file);
            (void)gistscope::gguf_weight_store(file, config);
        } catch (const gistscope::Error&) {
        }
        auto tok = gistscope::gguf_tokenizer(*file);
        const auto ids = tok->encode("Hello world, 12 + 30 = 42", true);
        (void)tok->decode(ids);
    } catch (const gistscope::Error&) {
    }
    return 0;
}
