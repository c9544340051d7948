// A GGUF file as a Model: the config from `<arch>.*` metadata and the tensors renamed to their
// Hugging Face names and shapes, so the backends and everything above them see the same Model as
// for a safetensors checkpoint.
//
// llama.cpp's converter permutes the rows of q_proj and k_proj of `llama` models so that its RoPE
// can rotate adjacent pairs (2i, 2i+1) instead of Hugging Face's halves (i, i + head_dim/2). We
// undo that here, once, by re-ordering those rows into an owned copy (a row of any block type is
// its own run of blocks, so this needs no dequantization). It costs the size of q and k (about 8%
// of a Llama-3-8B file) and keeps one RoPE convention in every backend.
#include <algorithm>
#include <cstring>
#include <limits>

#include "gistscope/error.h"
#include "gistscope/gguf.h"

namespace gistscope {
namespace {

std::string arch_of(const GgufFile& f) {
    const std::string arch = f.get_string("general.architecture");
    if (arch != "llama" && arch != "qwen2")
        throw Error(f.path().string() + ": architecture '" + arch + "' is not supported, expected llama or qwen2");
    return arch;
}

int positive_int(const GgufFile& f, const std::string& key, std::optional<int64_t> fallback = std::nullopt) {
    std::optional<int64_t> v = f.find_int(key);
    if (!v) v = fallback;
    if (!v) throw Error(f.path().string() + ": metadata key '" + key + "' is missing, expected a positive integer");
    if (*v <= 0 || *v > std::numeric_limits<int>::max())
        throw Error(f.path().string() + ": metadata key '" + key + "' is " + std::to_string(*v) +
                    ", expected a positive integer below 2^31");
    return int(*v);
}

std::optional<int> token_id(const GgufFile& f, const std::string& key, int vocab) {
    auto v = f.find_int(key);
    if (!v) return std::nullopt;
    if (*v < 0 || *v >= vocab)
        throw Error(f.path().string() + ": metadata key '" + key + "' is " + std::to_string(*v) +
                    ", outside the vocabulary of " + std::to_string(vocab) + " tokens");
    return int(*v);
}

// GGUF name -> Hugging Face name of the tensors the forward pass reads; "" for names we ignore.
std::string hf_name(const std::string& g) {
    if (g == "token_embd.weight") return "model.embed_tokens.weight";
    if (g == "output_norm.weight") return "model.norm.weight";
    if (g == "output.weight") return "lm_head.weight";
    if (g.rfind("blk.", 0) != 0) return "";
    const size_t dot = g.find('.', 4);
    if (dot == std::string::npos) return "";
    const std::string layer = g.substr(4, dot - 4), rest = g.substr(dot + 1);
    if (layer.empty() || !std::all_of(layer.begin(), layer.end(), ::isdigit)) return "";
    static const std::pair<const char*, const char*> names[] = {
        {"attn_norm.weight", "input_layernorm.weight"},   {"ffn_norm.weight", "post_attention_layernorm.weight"},
        {"attn_q.weight", "self_attn.q_proj.weight"},     {"attn_k.weight", "self_attn.k_proj.weight"},
        {"attn_v.weight", "self_attn.v_proj.weight"},     {"attn_output.weight", "self_attn.o_proj.weight"},
        {"attn_q.bias", "self_attn.q_proj.bias"},         {"attn_k.bias", "self_attn.k_proj.bias"},
        {"attn_v.bias", "self_attn.v_proj.bias"},         {"ffn_gate.weight", "mlp.gate_proj.weight"},
        {"ffn_up.weight", "mlp.up_proj.weight"},          {"ffn_down.weight", "mlp.down_proj.weight"},
    };
    for (const auto& [from, to] : names)
        if (rest == from) return "model.layers." + layer + "." + to;
    return "";
}

// Rows of a llama.cpp-permuted q or k projection back in Hugging Face order: within each head,
// GGUF row 2i + j holds Hugging Face row j * head_dim/2 + i.
std::shared_ptr<std::vector<uint8_t>> unpermute_rows(const TensorView& t, int heads, int head_dim) {
    const size_t row_bytes = t.bytes / size_t(t.shape[0]);
    auto out = std::make_shared<std::vector<uint8_t>>(t.bytes);
    const auto* src = static_cast<const uint8_t*>(t.data);
    const int half = head_dim / 2;
    for (int h = 0; h < heads; ++h)
        for (int j = 0; j < 2; ++j)
            for (int i = 0; i < half; ++i) {
                const size_t hf_row = size_t(h) * head_dim + size_t(j) * half + i;
                const size_t gguf_row = size_t(h) * head_dim + 2 * size_t(i) + j;
                std::memcpy(out->data() + hf_row * row_bytes, src + gguf_row * row_bytes, row_bytes);
            }
    return out;
}

}  // namespace

ModelConfig gguf_model_config(const GgufFile& f) {
    const std::string arch = arch_of(f);
    const std::string p = arch + ".";
    ModelConfig c;
    c.architecture = arch == "llama" ? "LlamaForCausalLM" : "Qwen2ForCausalLM";
    const GgufTensorInfo* embd = f.find_tensor("token_embd.weight");
    if (!embd || embd->dims.size() != 2)
        throw Error(f.path().string() + ": no 2-D tensor token_embd.weight, expected the token embedding");
    c.hidden_size = positive_int(f, p + "embedding_length");
    c.num_layers = positive_int(f, p + "block_count");
    c.intermediate_size = positive_int(f, p + "feed_forward_length");
    c.num_heads = positive_int(f, p + "attention.head_count");
    c.num_kv_heads = positive_int(f, p + "attention.head_count_kv", c.num_heads);
    if (c.num_heads % c.num_kv_heads != 0)
        throw Error(f.path().string() + ": " + std::to_string(c.num_heads) + " attention heads are not a multiple of " +
                    std::to_string(c.num_kv_heads) + " key/value heads");
    c.head_dim = positive_int(f, p + "attention.key_length", c.hidden_size / c.num_heads);
    if (positive_int(f, p + "attention.value_length", c.head_dim) != c.head_dim)
        throw Error(f.path().string() + ": key and value head sizes differ, which llama / qwen2 models never do");
    if (c.head_dim % 2 != 0) throw Error(f.path().string() + ": head size " + std::to_string(c.head_dim) + " is odd");
    if (positive_int(f, p + "rope.dimension_count", c.head_dim) != c.head_dim)
        throw Error(f.path().string() + ": RoPE over part of a head (" + p + "rope.dimension_count) is not supported");
    if (embd->dims[1] > std::numeric_limits<int>::max() || embd->dims[0] != c.hidden_size)
        throw Error(f.path().string() + ": token_embd.weight is " + std::to_string(embd->dims[1]) + " x " +
                    std::to_string(embd->dims[0]) + ", expected rows of " + std::to_string(c.hidden_size));
    c.vocab_size = int(embd->dims[1]);
    c.max_position_embeddings = positive_int(f, p + "context_length", 4096);
    c.rms_norm_eps = f.get_real(p + "attention.layer_norm_rms_epsilon");
    if (!(c.rms_norm_eps > 0.0 && c.rms_norm_eps < 1.0))
        throw Error(f.path().string() + ": " + p + "attention.layer_norm_rms_epsilon must lie in (0, 1)");
    c.rope_theta = f.find_real(p + "rope.freq_base").value_or(10000.0);
    if (!(c.rope_theta > 1.0)) throw Error(f.path().string() + ": " + p + "rope.freq_base must be above 1");
    if (auto scaling = f.find_string(p + "rope.scaling.type"); scaling && *scaling != "none")
        throw Error(f.path().string() + ": RoPE scaling '" + *scaling + "' is not supported (llama3 scaling as "
                    "rope_freqs.weight is)");
    if (const GgufTensorInfo* rf = f.find_tensor("rope_freqs.weight")) {
        if (rf->dtype != DType::f32 || rf->dims.size() != 1 || rf->dims[0] != c.head_dim / 2)
            throw Error(f.path().string() + ": rope_freqs.weight must be " + std::to_string(c.head_dim / 2) + " F32 values");
        const auto* v = static_cast<const float*>(f.tensor_data(*rf));
        c.rope_scaling.freq_factors.assign(v, v + c.head_dim / 2);
        for (float x : c.rope_scaling.freq_factors)
            if (!(x > 0.0f)) throw Error(f.path().string() + ": rope_freqs.weight holds a value that is not positive");
    }
    c.attention_bias = f.find_tensor("blk.0.attn_q.bias") != nullptr;
    c.tie_word_embeddings = f.find_tensor("output.weight") == nullptr;
    c.bos_token_id = token_id(f, "tokenizer.ggml.bos_token_id", c.vocab_size);
    for (const char* key : {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"})
        if (auto id = token_id(f, key, c.vocab_size))
            if (std::find(c.eos_token_ids.begin(), c.eos_token_ids.end(), *id) == c.eos_token_ids.end())
                c.eos_token_ids.push_back(*id);
    return c;
}

WeightStore gguf_weight_store(std::shared_ptr<const GgufFile> file, const ModelConfig& c) {
    std::map<std::string, TensorView> views;
    std::vector<std::shared_ptr<const void>> keep_alive{file};
    const bool permuted = c.architecture == "LlamaForCausalLM";
    for (const auto& t : file->tensors()) {
        const std::string name = hf_name(t.name);
        if (name.empty()) continue;
        TensorView v;
        v.dtype = t.dtype;
        v.shape = t.shape();
        v.data = file->tensor_data(t);
        v.bytes = t.bytes;
        const bool is_q = name.find("self_attn.q_proj.weight") != std::string::npos;
        const bool is_k = name.find("self_attn.k_proj.weight") != std::string::npos;
        if (permuted && (is_q || is_k) && v.shape.size() == 2) {
            const int heads = is_q ? c.num_heads : c.num_kv_heads;
            if (v.shape[0] != int64_t(heads) * c.head_dim)
                throw Error(file->path().string() + ": tensor '" + t.name + "' has " + std::to_string(v.shape[0]) +
                            " rows, expected " + std::to_string(int64_t(heads) * c.head_dim));
            auto rows = unpermute_rows(v, heads, c.head_dim);
            v.data = rows->data();
            keep_alive.push_back(std::move(rows));
        }
        views[name] = std::move(v);
    }
    return WeightStore::from_views(std::move(views), std::move(keep_alive),
                                  {WeightStore::MappedRegion{file->mapping(), size_t(file->file_size())}});
}

}  // namespace gistscope
