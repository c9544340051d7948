// gistscope/model.h: a Hugging Face checkpoint directory (Qwen2 / Llama) loaded for inference:
// config.json, memory-mapped safetensors (single file or sharded), and the optional LightThinker
// comp-config (gistscope.json or a comp-config file) that names the gist tokens and the template.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gistscope/lora.h"
#include "gistscope/memory.h"

namespace gistscope {

// Element types of stored weights. f32 / f16 / bf16 are plain arrays; the q* types are GGUF's
// block formats (ggml's byte layouts), kept quantized in the file mapping: a row of n elements is
// n / dtype_block_elems blocks of dtype_block_bytes bytes each.
enum class DType : uint8_t {
    f32 = 0, f16 = 1, bf16 = 2,
    q8_0 = 3, q4_0 = 4, q4_1 = 5, q5_0 = 6, q5_1 = 7,  // 32-element blocks
    q4_k = 8, q5_k = 9, q6_k = 10,                     // 256-element super-blocks
};
const char* dtype_name(DType dtype);    // "F32", "BF16", "Q4_K", ...
bool dtype_is_quantized(DType dtype);
int dtype_block_elems(DType dtype);     // 1 for plain types
size_t dtype_block_bytes(DType dtype);  // the element size for plain types
// Bytes of `n` consecutive elements; n must be a multiple of dtype_block_elems.
size_t dtype_row_bytes(DType dtype, int64_t n);

enum class RopeScalingType : uint8_t { none = 0, llama3 = 1 };

struct RopeScaling {
    RopeScalingType type = RopeScalingType::none;
    // Per-frequency divisors as GGUF files carry llama3 scaling (tensor rope_freqs.weight,
    // head_dim / 2 values): inv_freq[i] /= freq_factors[i]. Empty otherwise.
    std::vector<float> freq_factors;
    double factor = 1.0;
    double low_freq_factor = 1.0;
    double high_freq_factor = 4.0;
    int original_max_position_embeddings = 8192;
};

// The fields of config.json the forward pass depends on, checked for consistency at load.
struct ModelConfig {
    std::string architecture;  // "Qwen2ForCausalLM" or "LlamaForCausalLM"
    int vocab_size = 0;
    int hidden_size = 0;
    int intermediate_size = 0;
    int num_layers = 0;
    int num_heads = 0;
    int num_kv_heads = 0;
    int head_dim = 0;
    int max_position_embeddings = 0;
    double rms_norm_eps = 1e-6;
    double rope_theta = 10000.0;
    RopeScaling rope_scaling;
    bool attention_bias = false;  // Qwen2: q/k/v carry a bias
    bool tie_word_embeddings = false;
    std::optional<int> bos_token_id;
    std::vector<int> eos_token_ids;
};

// Parses config.json text; `source` names the file in error messages.
ModelConfig config_parse(const std::string& json_text, const std::string& source);
ModelConfig config_load(const std::filesystem::path& config_json);

// A tensor inside a memory-mapped safetensors or GGUF file: row-major, `shape` in Hugging Face
// order (a projection is (out, in)); a row of a quantized 2-D tensor is
// dtype_row_bytes(dtype, shape[1]) bytes.
struct TensorView {
    DType dtype = DType::f32;
    std::vector<int64_t> shape;
    const void* data = nullptr;
    size_t bytes = 0;
    int64_t numel() const;
};

class SafetensorsFile;  // one mapped file

// Every tensor of a checkpoint, bound by its Hugging Face name.
class WeightStore {
public:
    WeightStore();
    ~WeightStore();
    WeightStore(WeightStore&&) noexcept;
    WeightStore& operator=(WeightStore&&) noexcept;

    // Opens model.safetensors or model.safetensors.index.json (sharded) in `dir`.
    static WeightStore open_dir(const std::filesystem::path& dir);
    // Opens one safetensors file (used by tests on hand-made files).
    static WeightStore open_file(const std::filesystem::path& file);
    // A store over tensors whose memory is owned elsewhere (a GGUF mapping, re-ordered copies);
    // `keep_alive` holds that memory for as long as the store lives.
    // `mapped` names the file mappings the views point into (for make_resident_if_it_fits).
    struct MappedRegion {
        const void* addr = nullptr;
        size_t bytes = 0;
    };
    static WeightStore from_views(std::map<std::string, TensorView> tensors,
                                  std::vector<std::shared_ptr<const void>> keep_alive,
                                  std::vector<MappedRegion> mapped = {});

    // Moves the mapped files into anonymous memory (2 MiB pages where the kernel gives them) when
    // they take at most half of the memory available, or as GISTSCOPE_WEIGHTS says; every view
    // stays where it is and holds the same bytes. Decode streams all weights once per token and
    // reads huge pages faster. The CPU backend calls it when it is made for a model (a model only
    // inspected, as discovery does, stays mapped; a GPU backend has its own copy); the first call
    // decides, later ones return at once. Thread-safe.
    void make_resident_if_it_fits() const;
    // Where the weights are, in words ("mapped" or "resident (...)" once the above has run).
    const std::string& residency() const { return residency_; }

    bool contains(const std::string& name) const;
    // Throws Error naming the tensor and the expected shape when it is missing or mis-shaped.
    const TensorView& get(const std::string& name, const std::vector<int64_t>& expected_shape) const;
    const std::map<std::string, TensorView>& tensors() const { return tensors_; }
    size_t total_bytes() const;

private:
    std::vector<std::unique_ptr<SafetensorsFile>> files_;
    std::map<std::string, TensorView> tensors_;
    std::map<std::string, std::string> unsupported_;  // name -> why it cannot be used (dtype)
    std::vector<std::shared_ptr<const void>> keep_alive_;
    // Written once by make_resident_if_it_fits (under its lock): which bytes moved is not
    // something a reader of the views can see.
    mutable std::vector<MappedRegion> mapped_;
    mutable std::string residency_ = "mapped";
};

enum class CompressionLevel : uint8_t { none = 0, thought = 1, token = 2 };

// LightThinker's comp-config (configs/LightThinker/<model>/v1.json) plus GistScope's own keys
// (gistscope.json in a model directory). Everything a session needs to build the prompt and to
// recognise the method's special tokens.
struct CompConfig {
    std::string method;               // "lightthinker", "lightthinker-token", "anllm", "vanilla", "" (unknown)
    std::string template_model;       // "qwen" or "llama"
    std::string template_complete;    // with {system} and {question}
    std::string bos_token;            // text put in front of the template
    std::string eos_token;
    std::string system_prompt;
    std::string question_prefix;      // put before the question ("Return your final response within \boxed{}. ")
    CompressionLevel level = CompressionLevel::none;
    int step = 1;                     // token level: compress every `step` generated tokens
    int n_token = 0;                  // |C|: cache (gist) tokens per compression
    std::string token_name = "<|o_{t_id}|>";

    // LightThinker's added tokens in the order of spec 1.1 (splitter, continue, recover, the four
    // thought/solution markers, "\n\n", then the n cache tokens).
    std::vector<std::string> special_tokens() const;
    std::string cache_token(int index) const;
};

CompConfig comp_config_parse(const std::string& json_text, const std::string& source);
CompConfig comp_config_load(const std::filesystem::path& file);
// The built-in comp-configs of the released checkpoints: "qwen" (n = 9) and "llama" (n = 7).
CompConfig comp_config_builtin(const std::string& model_family);

// A loaded checkpoint: a Hugging Face directory or a GGUF file. Weights are memory-mapped at load
// (the CPU backend may then move them into memory: WeightStore::make_resident_if_it_fits);
// backends bind them by their Hugging Face names.
struct Model {
    std::filesystem::path dir;       // the checkpoint directory, or the .gguf file
    ModelConfig config;
    WeightStore weights;
    std::optional<CompConfig> comp;  // from gistscope.json, or chosen by the caller
    // LightThinker++: how the model writes its memory actions (memory_grammar.json beside
    // gistscope.json); none: GistScope's built-in grammar.
    std::optional<MemoryGrammar> memory_grammar;
    DType weight_dtype = DType::f32; // dtype of the projection weights
    // The model's own Jinja chat template (GGUF metadata `tokenizer.chat_template`, or the
    // folder's chat_template.jinja / tokenizer_config.json); empty when it has none.
    std::string chat_template;

    // Loads config.json and the safetensors of a directory, or a .gguf file; checks every tensor
    // the forward needs is there with the right shape. Reads gistscope.json (or lightthinker.json)
    // when present in the directory. A PEFT adapter folder (adapter_config.json +
    // adapter_model.safetensors) with a base.json {"base": PATH, "sha256": optional hex} loads
    // that base (PATH relative to the adapter folder) with the adapter attached; `dir` is then
    // the base's.
    static std::unique_ptr<Model> load(const std::filesystem::path& path);
    // The LoRA adapter the CPU backend applies over `weights`; null without one.
    std::shared_ptr<const LoraAdapter> adapter;
    // Loads a PEFT adapter folder checked against this model; Error when one is attached already.
    // Its added tokens extend config.vocab_size; its gistscope.json, if any, replaces `comp`.
    void attach_adapter(const std::filesystem::path& adapter_dir);
    bool from_gguf = false;           // `dir` is a .gguf file
    size_t parameter_count() const;
    // "BF16", or for a GGUF file with mixed types the projections' types by share of bytes,
    // e.g. "Q4_K 71%, Q6_K 29%".
    std::string weight_types() const;
    // K and V of every layer for one token, as the CPU backend stores them (float32).
    size_t kv_bytes_per_token() const;
};

// Hugging Face tensor names of layer `layer` (model.layers.N.<suffix>).
std::string layer_tensor_name(int layer, const char* suffix);

}  // namespace gistscope
