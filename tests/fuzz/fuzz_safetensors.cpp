// A safetensors file: the 8-byte header length, the JSON header, the data; every tensor the
// header names is then read end to end (a view past the mapping would be an ASan report).
#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::write_input("model.safetensors", data, size);
    try {
        auto store = gistscope::WeightStore::open_file(path);
        volatile uint8_t sum = 0;
        for (const auto& [name, t] : store.tensors()) {
            const auto* p = static_cast<const uint8_t*>(t.data);
            for (size_t i = 0; i < t.bytes; ++i) sum = uint8_t(sum + p[i]);
            (void)t.numel();
        }
        (void)store.total_bytes();
    } catch (const gistscope::Error&) {
    }
    return 0;
}
