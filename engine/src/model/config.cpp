// config.json of Qwen2ForCausalLM and LlamaForCausalLM. Both the transformers 4.x keys
// (rope_theta, rope_scaling) and the 5.x ones (rope_parameters) are read.
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "util/checked_json.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

int require_int(const json& j, const char* key, const std::string& source) {
    if (!j.contains(key)) throw Error(source + ": missing field '" + key + "', expected a positive integer");
    return int(checked::integer(j[key], 1, INT32_MAX, source + ": field '" + key + "'"));
}

double number_or(const json& j, const char* key, double fallback, const std::string& source) {
    return checked::number_or(j, key, fallback, source);
}

bool bool_or(const json& j, const char* key, bool fallback, const std::string& source) {
    return checked::boolean_or(j, key, fallback, source);
}

void read_rope(const json& j, ModelConfig& c, const std::string& source) {
    c.rope_theta = number_or(j, "rope_theta", 10000.0, source);
    json scaling;
    if (j.contains("rope_scaling") && !j["rope_scaling"].is_null()) scaling = j["rope_scaling"];
    if (j.contains("rope_parameters") && j["rope_parameters"].is_object()) {
        // transformers >= 5 keeps theta and the scaling in one object.
        scaling = j["rope_parameters"];
        c.rope_theta = number_or(scaling, "rope_theta", c.rope_theta, source + ": rope_parameters");
    }
    if (scaling.is_null()) return;
    if (!scaling.is_object()) throw Error(source + ": rope_scaling must be an object or null");
    std::string type = "default";
    if (scaling.contains("rope_type") && scaling["rope_type"].is_string()) type = scaling["rope_type"];
    else if (scaling.contains("type") && scaling["type"].is_string()) type = scaling["type"];
    if (type == "default") return;
    if (type != "llama3")
        throw Error(source + ": rope scaling type '" + type + "' is not supported, expected none or llama3");
    const std::string where = source + ": rope_scaling";
    c.rope_scaling.type = RopeScalingType::llama3;
    c.rope_scaling.factor = number_or(scaling, "factor", 8.0, where);
    c.rope_scaling.low_freq_factor = number_or(scaling, "low_freq_factor", 1.0, where);
    c.rope_scaling.high_freq_factor = number_or(scaling, "high_freq_factor", 4.0, where);
    c.rope_scaling.original_max_position_embeddings =
        int(checked::integer_or(scaling, "original_max_position_embeddings", 8192, 1, INT32_MAX, where));
    if (c.rope_scaling.factor <= 0 || c.rope_scaling.high_freq_factor <= c.rope_scaling.low_freq_factor ||
        c.rope_scaling.original_max_position_embeddings <= 0)
        throw Error(where + ": expected factor > 0, high_freq_factor > low_freq_factor and original_max_position_embeddings > 0");
}

}  // namespace

ModelConfig config_parse(const std::string& text, const std::string& source) {
    const json j = checked::parse(text, source);
    if (!j.is_object()) throw Error(source + ": expected a JSON object");
    ModelConfig c;
    if (!j.contains("architectures") || !j["architectures"].is_array() || j["architectures"].empty() ||
        !j["architectures"][0].is_string())
        throw Error(source + ": missing 'architectures', expected [\"Qwen2ForCausalLM\"] or [\"LlamaForCausalLM\"]");
    c.architecture = j["architectures"][0].get<std::string>();
    const bool qwen2 = c.architecture == "Qwen2ForCausalLM";
    const bool llama = c.architecture == "LlamaForCausalLM";
    if (!qwen2 && !llama)
        throw Error(source + ": architecture '" + c.architecture +
                    "' is not supported, expected Qwen2ForCausalLM or LlamaForCausalLM");
    c.vocab_size = require_int(j, "vocab_size", source);
    c.hidden_size = require_int(j, "hidden_size", source);
    c.intermediate_size = require_int(j, "intermediate_size", source);
    c.num_layers = require_int(j, "num_hidden_layers", source);
    c.num_heads = require_int(j, "num_attention_heads", source);
    c.num_kv_heads = j.contains("num_key_value_heads") && !j["num_key_value_heads"].is_null()
                         ? require_int(j, "num_key_value_heads", source)
                         : c.num_heads;
    c.head_dim = j.contains("head_dim") && !j["head_dim"].is_null() ? require_int(j, "head_dim", source)
                                                                      : c.hidden_size / c.num_heads;
    c.max_position_embeddings = j.contains("max_position_embeddings")
                                    ? require_int(j, "max_position_embeddings", source)
                                    : 32768;
    c.rms_norm_eps = number_or(j, "rms_norm_eps", 1e-6, source);
    read_rope(j, c, source);
    c.attention_bias = qwen2 ? true : bool_or(j, "attention_bias", false, source);
    c.tie_word_embeddings = bool_or(j, "tie_word_embeddings", false, source);
    if (llama && bool_or(j, "mlp_bias", false, source))
        throw Error(source + ": mlp_bias = true is not supported, expected false");
    if (qwen2 && bool_or(j, "use_sliding_window", false, source))
        throw Error(source + ": use_sliding_window = true is not supported, expected false");
    if (j.contains("hidden_act") && j["hidden_act"] != "silu")
        throw Error(source + ": hidden_act " + j["hidden_act"].dump() + " is not supported, expected \"silu\"");

    if (c.num_heads % c.num_kv_heads != 0)
        throw Error(source + ": num_attention_heads (" + std::to_string(c.num_heads) +
                    ") must be a multiple of num_key_value_heads (" + std::to_string(c.num_kv_heads) + ")");
    if (c.head_dim % 2 != 0) throw Error(source + ": head_dim must be even for RoPE");
    // The backends index rows of heads x head_dim with int: those products must fit.
    if (int64_t(c.num_heads) * c.head_dim > INT32_MAX || int64_t(c.num_kv_heads) * c.head_dim > INT32_MAX)
        throw Error(source + ": num_attention_heads x head_dim = " + std::to_string(int64_t(c.num_heads) * c.head_dim) +
                    ", expected at most " + std::to_string(INT32_MAX));
    if (c.head_dim * c.num_heads != c.hidden_size && !(j.contains("head_dim")))
        throw Error(source + ": hidden_size must be num_attention_heads * head_dim");
    if (!(c.rms_norm_eps > 0)) throw Error(source + ": rms_norm_eps must be positive");
    if (!(c.rope_theta > 0)) throw Error(source + ": rope_theta must be positive");

    // Token ids must name a row of the embedding; a wrong type or a stray id would silently
    // never match (no EOS: runs never stop) or be truncated.
    const int64_t last_id = int64_t(c.vocab_size) - 1;
    const std::string id_range = "a token id in 0.." + std::to_string(last_id);
    if (j.contains("bos_token_id") && !j["bos_token_id"].is_null())
        c.bos_token_id = int(checked::integer(j["bos_token_id"], 0, last_id, source + ": field 'bos_token_id'"));
    if (j.contains("eos_token_id") && !j["eos_token_id"].is_null()) {
        const auto& e = j["eos_token_id"];
        const std::string what = source + ": field 'eos_token_id'";
        if (e.is_array()) {
            for (size_t i = 0; i < e.size(); ++i)
                c.eos_token_ids.push_back(int(checked::integer(e[i], 0, last_id, what + "[" + std::to_string(i) + "]")));
        } else if (e.is_number()) {
            c.eos_token_ids.push_back(int(checked::integer(e, 0, last_id, what)));
        } else {
            throw Error(what + " is " + checked::shown(e) + ", expected " + id_range + " or a list of them");
        }
    }
    return c;
}

ModelConfig config_load(const std::filesystem::path& path) {
    return config_parse(read_input_file(path, "a Hugging Face config.json"), path.string());
}

std::string layer_tensor_name(int layer, const char* suffix) {
    return "model.layers." + std::to_string(layer) + "." + suffix;
}

}  // namespace gistscope
