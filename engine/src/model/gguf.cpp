// GGUF parsing over a read-only mapping. A Reader walks the header with every read bounds-checked
// against the mapping; counts that decide an allocation (strings, arrays, tensor tables) are
// checked against the bytes that are left before anything is reserved, so a claimed length of
// 2^60 is an error message, not an out-of-memory kill.
#include "gistscope/gguf.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

#include "gistscope/error.h"
#include "io/file_mapping.h"

namespace gistscope {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" read as a little-endian u32
constexpr uint32_t kMaxDims = 4;         // GGML_MAX_DIMS

// ggml's type ids (ggml.h, enum ggml_type). Ids 4 and 5 were removed formats.
struct GgmlType {
    uint32_t id;
    const char* name;
    std::optional<DType> dtype;
};
constexpr GgmlType kGgmlTypes[] = {
    {0, "F32", DType::f32},     {1, "F16", DType::f16},     {2, "Q4_0", DType::q4_0},
    {3, "Q4_1", DType::q4_1},   {6, "Q5_0", DType::q5_0},   {7, "Q5_1", DType::q5_1},
    {8, "Q8_0", DType::q8_0},   {9, "Q8_1", std::nullopt},  {10, "Q2_K", std::nullopt},
    {11, "Q3_K", std::nullopt}, {12, "Q4_K", DType::q4_k},  {13, "Q5_K", DType::q5_k},
    {14, "Q6_K", DType::q6_k},  {15, "Q8_K", std::nullopt}, {16, "IQ2_XXS", std::nullopt},
    {17, "IQ2_XS", std::nullopt}, {18, "IQ3_XXS", std::nullopt}, {19, "IQ1_S", std::nullopt},
    {20, "IQ4_NL", std::nullopt}, {21, "IQ3_S", std::nullopt}, {22, "IQ2_S", std::nullopt},
    {23, "IQ4_XS", std::nullopt}, {24, "I8", std::nullopt},    {25, "I16", std::nullopt},
    {26, "I32", std::nullopt},    {27, "I64", std::nullopt},   {28, "F64", std::nullopt},
    {29, "IQ1_M", std::nullopt},  {30, "BF16", DType::bf16},   {34, "TQ1_0", std::nullopt},
    {35, "TQ2_0", std::nullopt},  {39, "MXFP4", std::nullopt},
};

const GgmlType* ggml_type(uint32_t id) {
    for (const auto& t : kGgmlTypes)
        if (t.id == id) return &t;
    return nullptr;
}

std::string supported_types_text() {
    std::string s;
    for (const auto& t : kGgmlTypes)
        if (t.dtype) s += (s.empty() ? "" : ", ") + std::string(t.name);
    return s;
}

class Reader {
public:
    Reader(const uint8_t* base, size_t size, std::string source) : base_(base), size_(size), source_(std::move(source)) {}

    size_t pos() const { return pos_; }
    size_t left() const { return size_ - pos_; }

    template <class T>
    T read(const char* what) {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, base_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }

    std::string read_string(const char* what) {
        const uint64_t n = read<uint64_t>(what);
        if (n > left())
            fail(std::string(what) + " claims a string of " + std::to_string(n) + " bytes but only " +
                 std::to_string(left()) + " are left in the file");
        std::string s(reinterpret_cast<const char*>(base_ + pos_), size_t(n));
        pos_ += size_t(n);
        return s;
    }

    // Bounds a count read from the file by what `left()` bytes can hold at `min_bytes` each.
    void check_count(uint64_t count, size_t min_bytes, const std::string& what) const {
        if (min_bytes > 0 && count > left() / min_bytes)
            fail(what + " claims " + std::to_string(count) + " entries, more than the " + std::to_string(left()) +
                 " bytes left in the file can hold (truncated or corrupt file)");
    }

    [[noreturn]] void fail(const std::string& message) const {
        throw Error(source_ + ": " + message + " (at byte " + std::to_string(pos_) + ")");
    }

private:
    void need(size_t n, const char* what) const {
        if (n > left())
            fail(std::string("file ends inside ") + what + ": truncated GGUF file");
    }

    const uint8_t* base_;
    size_t size_;
    size_t pos_ = 0;
    std::string source_;
};

size_t scalar_size(GgufType t) {
    switch (t) {
        case GgufType::uint8: case GgufType::int8: case GgufType::boolean: return 1;
        case GgufType::uint16: case GgufType::int16: return 2;
        case GgufType::uint32: case GgufType::int32: case GgufType::float32: return 4;
        case GgufType::uint64: case GgufType::int64: case GgufType::float64: return 8;
        case GgufType::string: return 8;  // at least its length field
        case GgufType::array: return 12;  // at least element type + count
    }
    return 1;
}

bool known_type(uint32_t t) { return t <= uint32_t(GgufType::float64); }

// Reads one scalar of type `t` into `v` (integer / real / boolean / text).
void read_scalar(Reader& r, GgufType t, GgufValue& v, const std::string& key) {
    switch (t) {
        case GgufType::uint8: v.integer = r.read<uint8_t>("a u8 value"); break;
        case GgufType::int8: v.integer = r.read<int8_t>("an i8 value"); break;
        case GgufType::uint16: v.integer = r.read<uint16_t>("a u16 value"); break;
        case GgufType::int16: v.integer = r.read<int16_t>("an i16 value"); break;
        case GgufType::uint32: v.integer = r.read<uint32_t>("a u32 value"); break;
        case GgufType::int32: v.integer = r.read<int32_t>("an i32 value"); break;
        case GgufType::int64: v.integer = r.read<int64_t>("an i64 value"); break;
        case GgufType::uint64: {
            const uint64_t u = r.read<uint64_t>("a u64 value");
            if (u > uint64_t(std::numeric_limits<int64_t>::max()))
                r.fail("metadata key '" + key + "' holds " + std::to_string(u) + ", beyond the range GistScope reads");
            v.integer = int64_t(u);
            break;
        }
        case GgufType::float32: v.real = r.read<float>("an f32 value"); break;
        case GgufType::float64: v.real = r.read<double>("an f64 value"); break;
        case GgufType::boolean: {
            const uint8_t b = r.read<uint8_t>("a bool value");
            if (b > 1) r.fail("metadata key '" + key + "' is a bool holding " + std::to_string(b) + ", expected 0 or 1");
            v.boolean = b != 0;
            v.integer = b;
            break;
        }
        case GgufType::string: v.text = r.read_string("a string value"); break;
        case GgufType::array: r.fail("metadata key '" + key + "' is an array of arrays, which GistScope does not read");
    }
}

GgufValue read_value(Reader& r, GgufType t, const std::string& key) {
    GgufValue v;
    v.type = t;
    if (t != GgufType::array) {
        read_scalar(r, t, v, key);
        return v;
    }
    const uint32_t et = r.read<uint32_t>("an array's element type");
    if (!known_type(et)) r.fail("metadata key '" + key + "' is an array of unknown type " + std::to_string(et));
    v.element_type = GgufType(et);
    if (v.element_type == GgufType::array)
        r.fail("metadata key '" + key + "' is an array of arrays, which GistScope does not read");
    const uint64_t n = r.read<uint64_t>("an array's length");
    r.check_count(n, scalar_size(v.element_type), "metadata array '" + key + "'");
    GgufValue e;
    if (v.element_type == GgufType::string) {
        v.strings.reserve(size_t(n));
        for (uint64_t i = 0; i < n; ++i) v.strings.push_back(r.read_string("a string in an array"));
    } else if (v.element_type == GgufType::float32 || v.element_type == GgufType::float64) {
        v.reals.reserve(size_t(n));
        for (uint64_t i = 0; i < n; ++i) {
            read_scalar(r, v.element_type, e, key);
            v.reals.push_back(e.real);
        }
    } else {
        v.integers.reserve(size_t(n));
        for (uint64_t i = 0; i < n; ++i) {
            read_scalar(r, v.element_type, e, key);
            v.integers.push_back(e.integer);
        }
    }
    return v;
}

std::string value_kind(const GgufValue& v) {
    if (v.type == GgufType::array) return std::string("an array of ") + gguf_type_name(v.element_type);
    return std::string("a ") + gguf_type_name(v.type);
}

}  // namespace

const char* gguf_type_name(GgufType type) {
    switch (type) {
        case GgufType::uint8: return "uint8";
        case GgufType::int8: return "int8";
        case GgufType::uint16: return "uint16";
        case GgufType::int16: return "int16";
        case GgufType::uint32: return "uint32";
        case GgufType::int32: return "int32";
        case GgufType::float32: return "float32";
        case GgufType::boolean: return "bool";
        case GgufType::string: return "string";
        case GgufType::array: return "array";
        case GgufType::uint64: return "uint64";
        case GgufType::int64: return "int64";
        case GgufType::float64: return "float64";
    }
    return "?";
}

bool GgufValue::is_integer() const {
    switch (type) {
        case GgufType::uint8: case GgufType::int8: case GgufType::uint16: case GgufType::int16:
        case GgufType::uint32: case GgufType::int32: case GgufType::uint64: case GgufType::int64: return true;
        default: return false;
    }
}

size_t GgufValue::array_size() const { return strings.size() + integers.size() + reals.size(); }

std::vector<int64_t> GgufTensorInfo::shape() const { return {dims.rbegin(), dims.rend()}; }

std::string ggml_type_name(uint32_t id) {
    const GgmlType* t = ggml_type(id);
    return t ? t->name : "type " + std::to_string(id);
}

std::optional<DType> dtype_from_ggml(uint32_t id) {
    const GgmlType* t = ggml_type(id);
    return t ? t->dtype : std::nullopt;
}

bool GgufFile::looks_like_gguf(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && std::memcmp(magic, "GGUF", 4) == 0;
}

std::shared_ptr<const GgufFile> GgufFile::open(const std::filesystem::path& path) {
    std::shared_ptr<GgufFile> f(new GgufFile());
    f->path_ = path;
    const std::string source = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error(source + ": is a directory, expected a .gguf file");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(source + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(source + ": not a regular file, expected a .gguf file");
    }
    f->size_ = size_t(st.st_size);
    if (f->size_ < 24) {
        ::close(fd);
        throw Error(source + ": " + std::to_string(f->size_) + " bytes, too short for a GGUF header (24 bytes)");
    }
    void* p = io::map_file_aligned(fd, f->size_);
    ::close(fd);
    if (!p) throw Error(source + ": cannot map the file: " + std::strerror(errno));
    f->base_ = static_cast<const uint8_t*>(p);
    f->parse();
    return f;
}

GgufFile::~GgufFile() {
    if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
}

void GgufFile::parse() {
    Reader r(base_, size_, path_.string());
    const uint32_t magic = r.read<uint32_t>("the magic");
    if (magic != kMagic) r.fail("not a GGUF file (the first 4 bytes are not \"GGUF\")");
    version_ = r.read<uint32_t>("the version");
    if (version_ == 1) r.fail("GGUF version 1 is obsolete and not supported, expected version 2 or 3");
    if (version_ != 2 && version_ != 3) {
        // A big-endian file reads as a byte-swapped small number.
        const uint32_t swapped = __builtin_bswap32(version_);
        if (swapped == 2 || swapped == 3) r.fail("big-endian GGUF files are not supported, expected little-endian");
        r.fail("GGUF version " + std::to_string(version_) + " is unknown, expected 2 or 3");
    }
    const uint64_t n_tensors = r.read<uint64_t>("the tensor count");
    const uint64_t n_kv = r.read<uint64_t>("the metadata count");
    r.check_count(n_kv, 8 + 1 + 4, "the metadata table");
    for (uint64_t i = 0; i < n_kv; ++i) {
        std::string key = r.read_string("a metadata key");
        const uint32_t t = r.read<uint32_t>("a metadata type");
        if (!known_type(t)) r.fail("metadata key '" + key + "' has unknown type " + std::to_string(t));
        GgufValue v = read_value(r, GgufType(t), key);
        if (metadata_.count(key)) r.fail("metadata key '" + key + "' appears twice");
        metadata_.emplace(std::move(key), std::move(v));
    }
    if (const GgufValue* a = find("general.alignment")) {
        if (!a->is_integer() || a->integer <= 0 || (a->integer & (a->integer - 1)) != 0)
            r.fail("general.alignment must be a positive power of two");
        alignment_ = uint64_t(a->integer);
    }

    r.check_count(n_tensors, 8 + 4 + 4 + 8, "the tensor table");
    tensors_.reserve(size_t(n_tensors));
    for (uint64_t i = 0; i < n_tensors; ++i) {
        GgufTensorInfo t;
        t.name = r.read_string("a tensor name");
        const std::string where = "tensor '" + t.name + "'";
        const uint32_t n_dims = r.read<uint32_t>("a tensor's dimension count");
        if (n_dims == 0 || n_dims > kMaxDims)
            r.fail(where + " has " + std::to_string(n_dims) + " dimensions, expected 1 to 4");
        uint64_t numel = 1;
        for (uint32_t d = 0; d < n_dims; ++d) {
            const uint64_t ne = r.read<uint64_t>("a tensor dimension");
            if (ne == 0 || ne > uint64_t(INT64_MAX) / numel)
                r.fail(where + " has dimension " + std::to_string(ne) + ", which is zero or overflows the element count");
            numel *= ne;
            t.dims.push_back(int64_t(ne));
        }
        t.ggml_type = r.read<uint32_t>("a tensor type");
        t.offset = r.read<uint64_t>("a tensor offset");
        const GgmlType* gt = ggml_type(t.ggml_type);
        if (!gt || !gt->dtype)
            r.fail(where + " has type " + ggml_type_name(t.ggml_type) + ", which GistScope cannot compute with (supported: " +
                   supported_types_text() + ")");
        t.dtype = *gt->dtype;
        const int64_t block = dtype_block_elems(t.dtype);
        if (t.dims[0] % block != 0)
            r.fail(where + " has rows of " + std::to_string(t.dims[0]) + " elements, not a multiple of the " +
                   ggml_type_name(t.ggml_type) + " block of " + std::to_string(block));
        const uint64_t rows = numel / uint64_t(t.dims[0]);
        const uint64_t row_bytes = dtype_row_bytes(t.dtype, t.dims[0]);
        if (rows > 0 && row_bytes > UINT64_MAX / rows) r.fail(where + ": its size overflows");
        t.bytes = rows * row_bytes;
        if (t.offset % alignment_ != 0)
            r.fail(where + " starts at offset " + std::to_string(t.offset) + ", not a multiple of the alignment " +
                   std::to_string(alignment_));
        if (tensor_index_.count(t.name)) r.fail(where + " appears twice in the tensor table");
        tensor_index_[t.name] = tensors_.size();
        tensors_.push_back(std::move(t));
    }
    data_offset_ = (uint64_t(r.pos()) + alignment_ - 1) / alignment_ * alignment_;
    if (data_offset_ > size_ && !tensors_.empty())
        throw Error(path_.string() + ": the data section would start at byte " + std::to_string(data_offset_) +
                    ", past the end of the file (" + std::to_string(size_) + " bytes): truncated file");
    const uint64_t data_size = size_ > data_offset_ ? size_ - data_offset_ : 0;
    // Tensors must lie inside the data section and must not overlap (an aliased tensor would make
    // two weights silently share bytes).
    std::vector<const GgufTensorInfo*> by_offset;
    for (const auto& t : tensors_) {
        if (t.offset > data_size || t.bytes > data_size - t.offset)
            throw Error(path_.string() + ": tensor '" + t.name + "' (" + std::to_string(t.bytes) + " bytes at data offset " +
                        std::to_string(t.offset) + ") runs past the end of the file, whose data section has " +
                        std::to_string(data_size) + " bytes: truncated file");
        by_offset.push_back(&t);
    }
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->offset < b->offset; });
    for (size_t i = 1; i < by_offset.size(); ++i)
        if (by_offset[i - 1]->offset + by_offset[i - 1]->bytes > by_offset[i]->offset)
            throw Error(path_.string() + ": tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name +
                        "' overlap in the data section");
}

const GgufValue* GgufFile::find(const std::string& key) const {
    auto it = metadata_.find(key);
    return it == metadata_.end() ? nullptr : &it->second;
}

const GgufTensorInfo* GgufFile::find_tensor(const std::string& name) const {
    auto it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

namespace {
[[noreturn]] void wrong_type(const GgufFile& f, const std::string& key, const GgufValue& v, const char* expected) {
    throw Error(f.path().string() + ": metadata key '" + key + "' is " + value_kind(v) + ", expected " + expected);
}
[[noreturn]] void missing(const GgufFile& f, const std::string& key, const char* expected) {
    throw Error(f.path().string() + ": metadata key '" + key + "' is missing, expected " + expected);
}
}  // namespace

std::optional<int64_t> GgufFile::find_int(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_integer()) wrong_type(*this, key, *v, "an integer");
    return v->integer;
}
std::optional<double> GgufFile::find_real(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_real()) return v->real;
    if (v->is_integer()) return double(v->integer);
    wrong_type(*this, key, *v, "a number");
}
std::optional<bool> GgufFile::find_bool(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->type != GgufType::boolean) wrong_type(*this, key, *v, "a bool");
    return v->boolean;
}
std::optional<std::string> GgufFile::find_string(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) return std::nullopt;
    if (v->type != GgufType::string) wrong_type(*this, key, *v, "a string");
    return v->text;
}
int64_t GgufFile::get_int(const std::string& key) const {
    if (auto v = find_int(key)) return *v;
    missing(*this, key, "an integer");
}
double GgufFile::get_real(const std::string& key) const {
    if (auto v = find_real(key)) return *v;
    missing(*this, key, "a number");
}
bool GgufFile::get_bool(const std::string& key) const {
    if (auto v = find_bool(key)) return *v;
    missing(*this, key, "a bool");
}
const std::string& GgufFile::get_string(const std::string& key) const {
    const GgufValue* v = find(key);
    if (!v) missing(*this, key, "a string");
    if (v->type != GgufType::string) wrong_type(*this, key, *v, "a string");
    return v->text;
}

}  // namespace gistscope
