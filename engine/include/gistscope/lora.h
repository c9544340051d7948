// gistscope/lora.h: a LoRA adapter in Hugging Face PEFT's layout (adapter_config.json +
// adapter_model.safetensors), checked against the base it is applied to. The CPU backend adds
// scale * B (A x) to each adapted projection at run time; the base weights stay as they are
// mapped (quantized for GGUF), which is why the adapter is not merged into them.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gistscope {

struct ModelConfig;

// The seven projections of a Qwen2 / Llama layer, in PEFT's target_modules names.
enum class LoraModule : uint8_t { q_proj = 0, k_proj = 1, v_proj = 2, o_proj = 3, gate_proj = 4, up_proj = 5, down_proj = 6 };
constexpr int kLoraModuleCount = 7;
const char* lora_module_name(LoraModule module);  // "q_proj", ...

// One adapted projection: out += B (A x), with the adapter's scale already folded into B.
struct LoraPair {
    int rank = 0;     // 0: this projection is not adapted
    int in = 0, out = 0;
    std::vector<float> a;  // (rank, in), float32 whatever the file stored
    std::vector<float> b;  // (out, rank), float32, times scale
};

struct LoraAdapter {
    std::filesystem::path dir;               // the adapter folder
    int rank = 0;                            // r
    double alpha = 0.0;                      // lora_alpha
    bool rslora = false;                     // use_rslora: scale = alpha / sqrt(r), else alpha / r
    double scale = 0.0;
    std::vector<std::string> target_modules; // the config's, in the layer's order (q, k, v, o, gate, up, down)
    std::string base_model_name_or_path;     // information only; the base is whatever it is applied to
    std::vector<std::array<LoraPair, kLoraModuleCount>> layers;  // (num_layers) x module

    // PEFT's trainable tokens (LoraConfig.trainable_token_indices): whole rows of the embedding
    // and the LM head that replace the base's, for ids inside its vocabulary, or that extend it
    // (LightThinker's added tokens, ids base_vocab .. vocab_size - 1, every one given). Row k
    // belongs to token_ids[k]; with tied embeddings the LM head's rows are the embedding's.
    std::vector<int32_t> token_ids;
    std::vector<float> embed_rows;    // (token_ids, hidden), float32
    std::vector<float> lm_head_rows;  // (token_ids, hidden); empty: the base's LM head is unchanged
    int base_vocab = 0;               // the base's embedding rows
    int vocab_size = 0;               // with the added tokens

    // The adapter's embedding / LM head row for `id`, or null where the base's row stands.
    const float* embed_row(int32_t id) const { return row_of(id, embed_rows); }
    const float* lm_head_row(int32_t id) const { return row_of(id, lm_head_rows); }

    // Reads adapter_config.json and adapter_model.safetensors in `dir` and checks every tensor
    // against `base` (layer count, projection shapes, hidden size of the token rows). Throws Error
    // naming the file and the field for anything it cannot apply exactly (fan_in_fan_out, a bias,
    // modules_to_save, LoRA on the embedding, regex target_modules, a rank that differs from r,
    // added ids with a gap, an added token without its LM head row).
    static LoraAdapter load(const std::filesystem::path& dir, const ModelConfig& base);

    const LoraPair& pair(int layer, LoraModule module) const { return layers[size_t(layer)][size_t(module)]; }

private:
    const float* row_of(int32_t id, const std::vector<float>& rows) const;
    void check_token_rows(const ModelConfig& base, const std::string& cfile, const std::string& wfile);
    int hidden_ = 0;
    std::vector<int32_t> row_index_;  // (vocab_size): row of each id in *_rows, or -1
};

}  // namespace gistscope
