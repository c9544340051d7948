// gistscope/gguf.h: GGUF files (llama.cpp's single-file model format, versions 2 and 3), read
// through a read-only memory mapping: the metadata key/value table, the tensor table, and
// pointers into the aligned data section. Every count, offset and size is checked against the
// file before it is used, so a truncated or hostile file is one Error naming the file and the
// field, never a crash.
//
// Layout (little-endian): "GGUF", u32 version, u64 tensor count, u64 metadata count, metadata
// (key string, u32 type, value), tensor infos (name, u32 n_dims, u64 dims[n_dims] innermost
// first, u32 ggml type, u64 offset into the data section), padding to `general.alignment`
// (default 32), data. A string is a u64 length and that many bytes.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/model.h"

namespace gistscope {

class Tokenizer;

// The metadata value types, numbered as the format numbers them.
enum class GgufType : uint32_t {
    uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, boolean = 7,
    string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12,
};
const char* gguf_type_name(GgufType type);

// One metadata value. Integers of every width are held in `integer` (uint64 values above
// INT64_MAX are rejected at parse time: no key we read needs them), floats in `real`. An array
// holds its elements in the vector of its element kind.
struct GgufValue {
    GgufType type = GgufType::uint8;
    GgufType element_type = GgufType::uint8;  // arrays only
    int64_t integer = 0;
    double real = 0.0;
    bool boolean = false;
    std::string text;
    std::vector<std::string> strings;  // array of string
    std::vector<int64_t> integers;     // array of any integer type or of bool
    std::vector<double> reals;         // array of float32 / float64

    bool is_integer() const;
    bool is_real() const { return type == GgufType::float32 || type == GgufType::float64; }
    size_t array_size() const;
};

// One entry of the tensor table. `dims` as stored (innermost first, ggml's ne[]);
// `shape()` gives them in Hugging Face order (outermost first).
struct GgufTensorInfo {
    std::string name;
    std::vector<int64_t> dims;
    uint32_t ggml_type = 0;
    DType dtype = DType::f32;
    uint64_t offset = 0;  // from the start of the data section
    uint64_t bytes = 0;
    std::vector<int64_t> shape() const;
};

// ggml's name of a tensor type id ("Q4_K", "IQ2_XXS", ...), or "type N" when unknown.
std::string ggml_type_name(uint32_t ggml_type);
// The DType of a ggml type id, if GistScope computes with it.
std::optional<DType> dtype_from_ggml(uint32_t ggml_type);

class GgufFile {
public:
    // Maps and parses `path`. Throws Error for anything that is not a well-formed GGUF v2/v3 file
    // or that uses a tensor type GistScope cannot compute with.
    static std::shared_ptr<const GgufFile> open(const std::filesystem::path& path);
    // True when the file starts with the GGUF magic (cheap: reads 4 bytes).
    static bool looks_like_gguf(const std::filesystem::path& path);

    ~GgufFile();
    GgufFile(const GgufFile&) = delete;
    GgufFile& operator=(const GgufFile&) = delete;

    const std::filesystem::path& path() const { return path_; }
    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    uint64_t data_offset() const { return data_offset_; }
    uint64_t file_size() const { return size_; }
    // The whole file's mapping (file_size() bytes).
    const void* mapping() const { return base_; }

    const std::map<std::string, GgufValue>& metadata() const { return metadata_; }
    const GgufValue* find(const std::string& key) const;
    // Typed reads that throw an Error naming the file and the key when it is missing or of
    // another type.
    int64_t get_int(const std::string& key) const;
    double get_real(const std::string& key) const;  // float or integer
    bool get_bool(const std::string& key) const;
    const std::string& get_string(const std::string& key) const;
    std::optional<int64_t> find_int(const std::string& key) const;
    std::optional<double> find_real(const std::string& key) const;
    std::optional<bool> find_bool(const std::string& key) const;
    std::optional<std::string> find_string(const std::string& key) const;

    const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
    const GgufTensorInfo* find_tensor(const std::string& name) const;
    const void* tensor_data(const GgufTensorInfo& t) const { return base_ + data_offset_ + t.offset; }

private:
    GgufFile() = default;
    void parse();

    std::filesystem::path path_;
    const uint8_t* base_ = nullptr;
    size_t size_ = 0;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    uint64_t data_offset_ = 0;
    std::map<std::string, GgufValue> metadata_;
    std::vector<GgufTensorInfo> tensors_;
    std::map<std::string, size_t> tensor_index_;  // name -> position in tensors_
};

// The model structures of a GGUF file (architectures `llama` and `qwen2`): the config from the
// metadata, and every tensor bound by its Hugging Face name with its Hugging Face shape, so the
// backends see the same Model as for a safetensors checkpoint.
ModelConfig gguf_model_config(const GgufFile& file);
WeightStore gguf_weight_store(std::shared_ptr<const GgufFile> file, const ModelConfig& config);

// The tokenizer the file describes (tokenizer.ggml.*): `gpt2` byte-level BPE with the
// pre-tokenizers llama-bpe, qwen2, smollm and the default one, or `llama` sentencepiece.
std::unique_ptr<Tokenizer> gguf_tokenizer(const GgufFile& file);

}  // namespace gistscope
