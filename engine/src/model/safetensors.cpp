// Memory-mapped safetensors files: an 8-byte little-endian header length, a JSON header mapping
// tensor names to dtype / shape / [begin, end) byte offsets, then the data. Every offset is checked
// against the file size before a pointer is handed out, so a truncated shard is an Error, not a
// SIGBUS.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <cstring>
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "io/file_mapping.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "util/checked_json.h"
#include "util/checked_math.h"

namespace gistscope {

// Shapes are checked at load (every element count fits in int64), so this product cannot wrap.
int64_t TensorView::numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

namespace {
// safetensors' reference implementation (the Rust crate) refuses headers above 100 MB.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
}  // namespace

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path) : path_(path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw Error(path.string() + ": cannot open safetensors file: " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            ::close(fd);
            throw Error(path.string() + ": cannot stat: " + std::strerror(errno));
        }
        if (!S_ISREG(st.st_mode)) {
            ::close(fd);
            throw Error(path.string() + ": is not a regular file, expected a safetensors file");
        }
        size_ = static_cast<size_t>(st.st_size);
        if (size_ < 8) {
            ::close(fd);
            throw Error(path.string() + ": file is " + std::to_string(size_) +
                        " bytes, expected at least the 8-byte safetensors header length");
        }
        void* p = io::map_file_aligned(fd, size_);
        ::close(fd);
        if (!p) throw Error(path.string() + ": mmap failed: " + std::strerror(errno));
        base_ = static_cast<const uint8_t*>(p);
    }
    ~SafetensorsFile() {
        if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
    }
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    // Parses the header and adds every tensor to `out`. Unsupported dtypes are recorded in
    // `unsupported` and only become an error if the model asks for that tensor.
    void read_tensors(std::map<std::string, TensorView>& out, std::map<std::string, std::string>& unsupported) const {
        uint64_t header_len = 0;
        std::memcpy(&header_len, base_, 8);  // little-endian on every platform we build for
        if (header_len > kMaxHeaderBytes)
            throw Error(path_.string() + ": safetensors header claims " + std::to_string(header_len) +
                        " bytes, expected at most 100000000 (the format's limit; not a safetensors file?)");
        if (header_len > size_ - 8) {
            throw Error(path_.string() + ": safetensors header claims " + std::to_string(header_len) +
                        " bytes but the file has only " + std::to_string(size_ - 8) +
                        " after the length field (truncated or not a safetensors file)");
        }
        const char* hdr = reinterpret_cast<const char*>(base_ + 8);
        const nlohmann::json header = checked::parse(std::string(hdr, header_len), path_.string() + ": safetensors header");
        if (!header.is_object()) throw Error(path_.string() + ": safetensors header must be a JSON object");
        const size_t data_start = 8 + header_len;
        const size_t data_size = size_ - data_start;
        struct Extent {
            uint64_t begin, end;
            std::string name;
        };
        std::vector<Extent> extents;  // every tensor's bytes, to check they tile the data section
        for (auto it = header.begin(); it != header.end(); ++it) {
            if (it.key() == "__metadata__") continue;
            const auto& t = it.value();
            const std::string where = path_.string() + ": tensor '" + it.key() + "'";
            if (!t.is_object() || !t.contains("dtype") || !t.contains("shape") || !t.contains("data_offsets"))
                throw Error(where + ": expected an object with dtype, shape and data_offsets");
            const auto& offs = t["data_offsets"];
            if (!offs.is_array() || offs.size() != 2 || !offs[0].is_number_unsigned() || !offs[1].is_number_unsigned())
                throw Error(where + ": data_offsets must be two non-negative integers");
            const uint64_t b = offs[0].get<uint64_t>(), e = offs[1].get<uint64_t>();
            if (b > e)
                throw Error(where + ": data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                            ") are reversed, expected begin <= end");
            if (e > data_size)
                throw Error(where + ": data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                            ") run past the end of the data (" + std::to_string(data_size) +
                            " bytes): truncated file?");
            extents.push_back({b, e, it.key()});
            TensorView v;
            if (!t["shape"].is_array()) throw Error(where + ": shape must be an array");
            uint64_t numel = 1;
            for (const auto& d : t["shape"]) {
                if (!d.is_number_unsigned()) throw Error(where + ": shape entries must be non-negative integers");
                const uint64_t dim = d.get<uint64_t>();
                const auto n = checked::mul(numel, dim);
                if (!n || *n > uint64_t(INT64_MAX))
                    throw Error(where + ": shape " + t["shape"].dump() + " has more elements than fit in 64 bits");
                numel = *n;
                v.shape.push_back(int64_t(dim));
            }
            const std::string dt = t["dtype"].is_string() ? t["dtype"].get<std::string>() : "?";
            if (dt == "F32") v.dtype = DType::f32;
            else if (dt == "F16") v.dtype = DType::f16;
            else if (dt == "BF16") v.dtype = DType::bf16;
            else {
                unsupported[it.key()] = where + " has dtype " + dt + ", expected F32, F16 or BF16";
                continue;
            }
            v.data = base_ + data_start + b;
            v.bytes = e - b;
            const auto bytes = checked::mul(numel, dtype_block_bytes(v.dtype));
            if (!bytes || *bytes != v.bytes)
                throw Error(where + ": " + std::to_string(v.bytes) + " bytes of data for shape " + t["shape"].dump() +
                            " of " + std::to_string(numel) + " " + dt + " elements, expected " +
                            (bytes ? std::to_string(*bytes) : std::string("more than 2^64")));
            if (out.count(it.key())) throw Error(where + ": appears in more than one shard");
            out[it.key()] = std::move(v);
        }
        // As the reference implementation: sorted by offset, the tensors must cover the data
        // section exactly, each starting where the previous ended. An overlap would alias two
        // tensors (an lm_head reading the embedding's bytes); a gap is bytes nobody owns.
        std::sort(extents.begin(), extents.end(),
                  [](const Extent& a, const Extent& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
        uint64_t at = 0;
        for (const auto& x : extents) {  // overlaps first: they are the harmful case
            if (x.begin < at)
                throw Error(path_.string() + ": tensor '" + x.name + "' starts at byte " + std::to_string(x.begin) +
                            " of the data, inside the previous tensor (overlapping tensors), expected tensors "
                            "stored back to back");
            at = x.end;
        }
        at = 0;
        for (const auto& x : extents) {
            if (x.begin != at)
                throw Error(path_.string() + ": tensor '" + x.name + "' starts at byte " + std::to_string(x.begin) +
                            " of the data but the previous tensor ends at " + std::to_string(at) +
                            " (a gap between tensors), expected tensors stored back to back");
            at = x.end;
        }
        if (at != data_size)
            throw Error(path_.string() + ": the tensors end at byte " + std::to_string(at) + " but the data section has " +
                        std::to_string(data_size) + " bytes (a gap after the last tensor), expected them to fill it");
    }

    WeightStore::MappedRegion region() const { return {base_, size_}; }

private:
    std::filesystem::path path_;
    const uint8_t* base_ = nullptr;
    size_t size_ = 0;
};

WeightStore::WeightStore() = default;
WeightStore::~WeightStore() = default;
WeightStore::WeightStore(WeightStore&&) noexcept = default;
WeightStore& WeightStore::operator=(WeightStore&&) noexcept = default;

WeightStore WeightStore::open_file(const std::filesystem::path& file) {
    WeightStore store;
    auto f = std::make_unique<SafetensorsFile>(file);
    std::map<std::string, std::string> unsupported;
    f->read_tensors(store.tensors_, unsupported);
    store.mapped_.push_back(f->region());
    store.files_.push_back(std::move(f));
    for (auto& [name, reason] : unsupported) store.unsupported_[name] = reason;
    return store;
}

WeightStore WeightStore::open_dir(const std::filesystem::path& dir) {
    const auto single = dir / "model.safetensors";
    const auto index = dir / "model.safetensors.index.json";
    if (path_exists(single)) return open_file(single);
    if (!path_exists(index))
        throw Error(dir.string() + ": no model.safetensors or model.safetensors.index.json, expected a "
                    "Hugging Face checkpoint directory");
    const std::string index_text = read_input_file(index, "a safetensors index (JSON)");
    const nlohmann::json j = checked::parse(index_text, index.string());
    if (!j.contains("weight_map") || !j["weight_map"].is_object())
        throw Error(index.string() + ": expected an object 'weight_map' from tensor names to shard files");
    std::vector<std::string> shards;
    for (auto& [name, shard] : j["weight_map"].items()) {
        if (!shard.is_string()) throw Error(index.string() + ": weight_map['" + name + "'] must be a file name");
        const auto s = shard.get<std::string>();
        // A shard is a file next to the index: "../x" or "/etc/x" would read outside the checkpoint.
        const std::filesystem::path sp(s);
        if (s.empty() || sp.has_parent_path() || sp.is_absolute() || s == "." || s == "..")
            throw Error(index.string() + ": weight_map['" + name + "'] is '" + s +
                        "', expected a file name in the checkpoint folder (no folders, no '..')");
        if (std::find(shards.begin(), shards.end(), s) == shards.end()) shards.push_back(s);
    }
    WeightStore store;
    for (const auto& s : shards) {
        const auto path = dir / s;
        if (!path_exists(path))
            throw Error(index.string() + ": shard " + s + " is listed but missing from " + dir.string());
        auto f = std::make_unique<SafetensorsFile>(path);
        std::map<std::string, std::string> unsupported;
        f->read_tensors(store.tensors_, unsupported);
        for (auto& [name, reason] : unsupported) store.unsupported_[name] = reason;
        store.mapped_.push_back(f->region());
        store.files_.push_back(std::move(f));
    }
    for (auto& [name, shard] : j["weight_map"].items()) {
        if (!store.tensors_.count(name) && !store.unsupported_.count(name))
            throw Error(index.string() + ": tensor '" + name + "' is listed for " + shard.get<std::string>() +
                        " but that shard does not contain it");
    }
    return store;
}

WeightStore WeightStore::from_views(std::map<std::string, TensorView> tensors,
                                    std::vector<std::shared_ptr<const void>> keep_alive,
                                    std::vector<MappedRegion> mapped) {
    WeightStore store;
    store.tensors_ = std::move(tensors);
    store.keep_alive_ = std::move(keep_alive);
    store.mapped_ = std::move(mapped);
    return store;
}

void WeightStore::make_resident_if_it_fits() const {
    static std::mutex lock;  // process-wide: rare, and a store must stay movable
    std::lock_guard<std::mutex> hold(lock);
    uint64_t bytes = 0;
    for (const auto& r : mapped_) bytes += r.bytes;
    if (bytes == 0) return;  // nothing mapped, or moved already
    const io::ResidencyChoice choice = io::choose_residency(bytes);
    residency_ = choice.why;
    if (choice.where != io::WeightResidency::resident) {
        for (auto& r : mapped_) r.addr = nullptr, r.bytes = 0;  // decided: mapped
        return;
    }
    bool moved_any = false;
    for (auto& r : mapped_) {
        if (!r.addr) continue;
        if (!io::make_resident(r.addr, r.bytes)) {
            // The files already moved stay resident: the same bytes either way.
            residency_ = moved_any ? "resident in part (no memory for a copy of the other files)"
                                   : "mapped (no memory for a resident copy)";
            return;
        }
        r.addr = nullptr, r.bytes = 0;  // done: a second call does not copy again
        moved_any = true;
    }
}

bool WeightStore::contains(const std::string& name) const { return tensors_.count(name) > 0; }

static std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

const TensorView& WeightStore::get(const std::string& name, const std::vector<int64_t>& expected_shape) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) {
        auto u = unsupported_.find(name);
        if (u != unsupported_.end()) throw Error(u->second);
        throw Error("checkpoint has no tensor '" + name + "', expected shape " + shape_text(expected_shape));
    }
    if (it->second.shape != expected_shape)
        throw Error("tensor '" + name + "' has shape " + shape_text(it->second.shape) + ", expected " +
                    shape_text(expected_shape));
    return it->second;
}

size_t WeightStore::total_bytes() const {
    size_t n = 0;
    for (const auto& [name, t] : tensors_) n += t.bytes;
    return n;
}

}  // namespace gistscope
