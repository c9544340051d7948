// broken_inputs.h: deliberately broken inputs, each with one defect, made from copies of the good
// fixtures (checkpoints, tokenizers, traces, datasets) for the bad-input matrix of tst_cli.
// Files a case does not change are symlinked to the original, not copied.
#pragma once
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "test_util.h"

namespace testutil {

namespace fs = std::filesystem;

// A copy of model folder `src` at `dst`: every file symlinked except those in `copied`.
inline fs::path shadow_model(const fs::path& src, const fs::path& dst, const std::vector<std::string>& copied = {}) {
    fs::create_directories(dst);
    for (const auto& e : fs::directory_iterator(src)) {
        const auto name = e.path().filename().string();
        if (std::find(copied.begin(), copied.end(), name) != copied.end()) fs::copy_file(e.path(), dst / name);
        else fs::create_symlink(fs::absolute(e.path()), dst / name);
    }
    return dst;
}

// Edits a JSON file in place.
inline void edit_json(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
    auto j = read_json(file);
    edit(j);
    write_file(file, j.dump());
}

// Rewrites the safetensors header of `file`; the data section is kept as it is.
inline void edit_safetensors_header(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
    const std::string bytes = read_file(file);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    auto header = nlohmann::json::parse(bytes.substr(8, n));
    edit(header);
    const std::string h = header.dump();
    const uint64_t len = h.size();
    std::string out(reinterpret_cast<const char*>(&len), 8);
    out += h;
    out += bytes.substr(8 + n);
    write_file(file, out);
}

// Overwrites the first float32 of tensor `name` in `file` with `value` (NaN weights).
inline void poke_tensor(const fs::path& file, const std::string& name, float value) {
    std::string bytes = read_file(file);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    const uint64_t at = 8 + n + header[name]["data_offsets"][0].get<uint64_t>();
    std::memcpy(bytes.data() + at, &value, sizeof value);
    write_file(file, bytes);
}

// Lines of a JSON Lines file, edited one by one; `edit` gets the line index.
inline void edit_jsonl(const fs::path& src, const fs::path& dst,
                       const std::function<void(std::vector<nlohmann::json>&)>& edit) {
    auto lines = read_jsonl(src);
    edit(lines);
    std::string out;
    for (const auto& l : lines) out += l.dump() + "\n";
    write_file(dst, out);
}

}  // namespace testutil
