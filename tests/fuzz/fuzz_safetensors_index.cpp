// model.safetensors.index.json of a sharded checkpoint, next to one small valid shard
// ("shard.safetensors" holding tensors "a" and "b"); shard names that leave the folder must be
// refused, listed tensors must exist.
#include <cstring>

#include "fuzz_util.h"
#include "gistscope/error.h"
#include "gistscope/model.h"

namespace {

void write_shard(const std::filesystem::path& dir) {
    const std::string header =
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}})";
    const uint64_t n = header.size();
    std::string bytes(reinterpret_cast<const char*>(&n), 8);
    bytes += header;
    bytes += std::string(12, '\0');
    std::ofstream(dir / "shard.safetensors", std::ios::binary) << bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::filesystem::path dir = [] {
        auto d = fuzz::scratch() / "checkpoint";
        std::filesystem::create_directories(d);
        write_shard(d);
        return d;
    }();
    {
        std::ofstream out(dir / "model.safetensors.index.json", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    try {
        auto store = gistscope::WeightStore::open_dir(dir);
        (void)store.total_bytes();
    } catch (const gistscope::Error&) {
    }
    return 0;
}
