// LoraAdapter::load: PEFT's adapter_config.json and adapter_model.safetensors, with every field the
// forward depends on checked, and every tensor checked against the base's shapes, so that an
// adapter for another model fails at load with one message naming the file and the field.
#include "gistscope/lora.h"

#include <algorithm>
#include <cmath>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "gistscope/quant.h"
#include "util/checked_json.h"

namespace gistscope {

const char* lora_module_name(LoraModule module) {
    switch (module) {
        case LoraModule::q_proj: return "q_proj";
        case LoraModule::k_proj: return "k_proj";
        case LoraModule::v_proj: return "v_proj";
        case LoraModule::o_proj: return "o_proj";
        case LoraModule::gate_proj: return "gate_proj";
        case LoraModule::up_proj: return "up_proj";
        case LoraModule::down_proj: return "down_proj";
    }
    return "?";
}

namespace {

bool module_from_name(const std::string& name, LoraModule& module) {
    for (int i = 0; i < kLoraModuleCount; ++i)
        if (name == lora_module_name(LoraModule(i))) {
            module = LoraModule(i);
            return true;
        }
    return false;
}

// PEFT's sub-module of a layer: self_attn.q_proj, mlp.down_proj, ...
const char* module_parent(LoraModule module) { return int(module) <= int(LoraModule::o_proj) ? "self_attn" : "mlp"; }

// (out, in) of a projection of the base.
std::pair<int64_t, int64_t> projection_shape(const ModelConfig& c, LoraModule module) {
    const int64_t H = c.hidden_size, I = c.intermediate_size;
    const int64_t q_dim = int64_t(c.num_heads) * c.head_dim, kv_dim = int64_t(c.num_kv_heads) * c.head_dim;
    switch (module) {
        case LoraModule::q_proj: return {q_dim, H};
        case LoraModule::k_proj:
        case LoraModule::v_proj: return {kv_dim, H};
        case LoraModule::o_proj: return {H, q_dim};
        case LoraModule::gate_proj:
        case LoraModule::up_proj: return {I, H};
        case LoraModule::down_proj: return {H, I};
    }
    return {0, 0};
}

std::string dims(const std::vector<int64_t>& shape) {
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
    return s.empty() ? "a scalar" : s;
}

// The keys of adapter_config.json that change what the adapter computes and that GistScope does
// not implement: refused rather than ignored, as ignoring them would give different logits.
void refuse_unsupported(const nlohmann::json& j, const std::string& file) {
    if (j.contains("peft_type") && !j["peft_type"].is_null() &&
        checked::string(j["peft_type"], file + ": peft_type") != "LORA")
        throw Error(file + ": peft_type is '" + j["peft_type"].get<std::string>() + "', expected LORA");
    if (checked::boolean_or(j, "fan_in_fan_out", false, file + ": fan_in_fan_out"))
        throw Error(file + ": fan_in_fan_out is true (weights stored (in, out), as GPT-2's Conv1D), expected false "
                    "for Qwen2 / Llama projections");
    const std::string bias = checked::string_or(j, "bias", "none", file + ": bias");
    if (bias != "none")
        throw Error(file + ": bias is '" + bias + "', expected \"none\" (GistScope does not apply trained biases)");
    if (checked::boolean_or(j, "use_dora", false, file + ": use_dora"))
        throw Error(file + ": use_dora is true, expected false (DoRA is not supported)");
    if (j.contains("modules_to_save") && !j["modules_to_save"].is_null() &&
        !(j["modules_to_save"].is_array() && j["modules_to_save"].empty()))
        throw Error(file + ": modules_to_save is " + checked::shown(j["modules_to_save"]) +
                    ", expected null: whole trained modules are not supported (token rows go in trainable_token_indices)");
    if (j.contains("layer_replication") && !j["layer_replication"].is_null())
        throw Error(file + ": layer_replication is " + checked::shown(j["layer_replication"]) +
                    ", expected null (an adapter that repeats the base's layers is not supported)");
    for (const char* key : {"rank_pattern", "alpha_pattern"})
        if (j.contains(key) && !j[key].is_null() && !(j[key].is_object() && j[key].empty()))
            throw Error(file + ": " + key + " is " + checked::shown(j[key]) +
                        ", expected {}: per-module ranks and alphas are not supported, one r and lora_alpha for all");
}

// trainable_token_indices: a list of ids, or {"embed_tokens": [ids]} (PEFT's two forms).
std::vector<int32_t> trainable_token_ids(const nlohmann::json& j, const std::string& file) {
    if (!j.contains("trainable_token_indices") || j["trainable_token_indices"].is_null()) return {};
    const nlohmann::json* list = &j["trainable_token_indices"];
    if (list->is_object()) {
        for (const auto& [name, v] : list->items())
            if (name != "embed_tokens")
                throw Error(file + ": trainable_token_indices names the layer '" + name +
                            "', expected only embed_tokens (the embedding, tied or not to the LM head)");
        if (!list->contains("embed_tokens")) return {};
        list = &(*list)["embed_tokens"];
    }
    if (!list->is_array())
        throw Error(file + ": trainable_token_indices is " + checked::shown(*list) + ", expected a list of token ids");
    std::vector<int32_t> ids;
    std::vector<bool> seen;
    for (const auto& v : *list) {
        const auto id = int32_t(checked::integer(v, 0, (1 << 24) - 1, file + ": trainable_token_indices"));
        if (size_t(id) >= seen.size()) seen.resize(size_t(id) + 1, false);
        if (seen[size_t(id)]) throw Error(file + ": trainable_token_indices lists " + std::to_string(id) + " twice");
        seen[size_t(id)] = true;
        ids.push_back(id);
    }
    return ids;
}

}  // namespace

LoraAdapter LoraAdapter::load(const std::filesystem::path& dir, const ModelConfig& base) {
    require_input_dir(dir, "a PEFT adapter folder (adapter_config.json, adapter_model.safetensors)");
    const auto config_path = dir / "adapter_config.json";
    const auto weights_path = dir / "adapter_model.safetensors";
    const std::string cfile = config_path.string();
    const nlohmann::json j =
        checked::parse(read_input_file(config_path, "a PEFT adapter_config.json"), cfile);
    if (!j.is_object()) throw Error(cfile + ": expected a JSON object");
    refuse_unsupported(j, cfile);

    LoraAdapter a;
    a.dir = dir;
    a.rank = int(checked::integer(checked::field(j, "r", cfile), 1, 1 << 16, cfile + ": r"));
    a.alpha = checked::number(checked::field(j, "lora_alpha", cfile), cfile + ": lora_alpha");
    a.rslora = checked::boolean_or(j, "use_rslora", false, cfile + ": use_rslora");
    // PEFT's LoraLayer.update_layer: scaling = lora_alpha / sqrt(r) with rsLoRA, else lora_alpha / r.
    a.scale = a.rslora ? a.alpha / std::sqrt(double(a.rank)) : a.alpha / double(a.rank);
    a.base_model_name_or_path = checked::string_or(j, "base_model_name_or_path", "", cfile + ": base_model_name_or_path");

    const auto& targets = checked::field(j, "target_modules", cfile);
    if (targets.is_string())
        throw Error(cfile + ": target_modules is the pattern " + checked::shown(targets) +
                    ", expected a list of module names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj); "
                    "regular expressions and \"all-linear\" are not supported");
    if (!targets.is_array() || targets.empty())
        throw Error(cfile + ": target_modules is " + checked::shown(targets) + ", expected a non-empty list of module names");
    bool targeted[kLoraModuleCount] = {};
    for (const auto& t : targets) {
        const std::string& name = checked::string(t, cfile + ": target_modules");
        LoraModule m;
        if (!module_from_name(name, m))
            throw Error(cfile + ": target_modules has '" + name +
                        "', expected q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj");
        targeted[int(m)] = true;
    }
    // In the layer's order, not the file's (PEFT writes them from a Python set).
    for (int i = 0; i < kLoraModuleCount; ++i)
        if (targeted[i]) a.target_modules.push_back(lora_module_name(LoraModule(i)));

    a.token_ids = trainable_token_ids(j, cfile);
    a.base_vocab = a.vocab_size = base.vocab_size;
    a.hidden_ = base.hidden_size;

    const std::string wfile = weights_path.string();
    require_input_file(weights_path, "the adapter's weights (adapter_model.safetensors)");
    const WeightStore store = WeightStore::open_file(weights_path);
    a.layers.resize(size_t(base.num_layers));
    static const std::string prefix = "base_model.model.model.layers.";
    static const std::string embed_key = "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta";
    static const std::string head_key = "base_model.model.lm_head.token_adapter.trainable_tokens_delta";
    for (const auto& [key, t] : store.tensors()) {
        const std::string where = wfile + ": tensor '" + key + "'";
        if (key == embed_key || key == head_key) {
            const bool head = key == head_key;
            if (a.token_ids.empty())
                throw Error(where + ": token rows but " + cfile + " has no trainable_token_indices, expected the ids they belong to");
            if (head && base.tie_word_embeddings)
                throw Error(where + ": LM head rows, but the base ties its LM head to the embedding, expected only the "
                            "embedding's rows (" + embed_key + ")");
            const std::vector<int64_t> want = {int64_t(a.token_ids.size()), int64_t(base.hidden_size)};
            if (t.shape != want)
                throw Error(where + " is " + dims(t.shape) + ", expected " + dims(want) + " (" +
                            std::to_string(a.token_ids.size()) + " trainable_token_indices x the base's hidden size)");
            std::vector<float>& rows = head ? a.lm_head_rows : a.embed_rows;
            rows.resize(size_t(t.numel()));
            quant::dequantize_row(t.dtype, t.data, rows.data(), t.numel());
            continue;
        }
        if (key.find("embed_tokens") != std::string::npos || key.find("lm_head") != std::string::npos ||
            key.find("lora_embedding") != std::string::npos)
            throw Error(where + ": not a tensor GistScope applies, expected lora_A / lora_B of the layers' projections "
                        "and PEFT's trainable token rows (" + embed_key + "); LoRA on the embedding is not supported");
        // base_model.model.model.layers.{i}.{self_attn|mlp}.{module}.lora_{A|B}.weight
        if (key.rfind(prefix, 0) != 0)
            throw Error(where + ": not a LoRA tensor of a layer, expected base_model.model.model.layers.N.<module>.lora_A.weight");
        const size_t dot = key.find('.', prefix.size());
        const std::string index = key.substr(prefix.size(), dot == std::string::npos ? std::string::npos : dot - prefix.size());
        if (index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos)
            throw Error(where + ": '" + index + "' is not a layer index");
        const int layer = std::stoi(index);
        if (layer >= base.num_layers)
            throw Error(where + ": layer " + index + " is past the base's " + std::to_string(base.num_layers) +
                        " layers (an adapter for another model?)");
        const std::string rest = dot == std::string::npos ? "" : key.substr(dot + 1);  // self_attn.q_proj.lora_A.weight
        LoraModule m = LoraModule::q_proj;
        bool known = false, is_a = false;
        for (int i = 0; i < kLoraModuleCount && !known; ++i) {
            const std::string stem = std::string(module_parent(LoraModule(i))) + "." + lora_module_name(LoraModule(i)) + ".lora_";
            if (rest == stem + "A.weight" || rest == stem + "B.weight") {
                known = true;
                m = LoraModule(i);
                is_a = rest == stem + "A.weight";
            }
        }
        if (!known)
            throw Error(where + ": '" + rest + "' is not a LoRA weight GistScope applies, expected "
                        "<self_attn|mlp>.<q|k|v|o|gate|up|down>_proj.lora_A.weight or lora_B.weight (no biases, no DoRA)");
        const char* mname = lora_module_name(m);
        const std::string what = wfile + ": " + mname + " of layer " + index;
        if (!targeted[int(m)])
            throw Error(what + ": has weights but " + cfile + " does not list " + mname + " in target_modules");
        const auto [out, in] = projection_shape(base, m);
        LoraPair& p = a.layers[size_t(layer)][size_t(m)];
        if (t.shape.size() != 2)
            throw Error(what + ": " + (is_a ? "lora_A" : "lora_B") + " is " + dims(t.shape) + ", expected a matrix");
        // lora_A is (r, in), lora_B is (out, r).
        const char* tname = is_a ? "lora_A" : "lora_B";
        const int64_t rank_dim = t.shape[is_a ? 0 : 1], base_dim = t.shape[is_a ? 1 : 0], base_want = is_a ? in : out;
        if (rank_dim != a.rank)
            throw Error(what + ": " + tname + " is " + dims(t.shape) + " but r is " + std::to_string(a.rank) + " in " +
                        cfile + " (mixed ranks are not supported)");
        if (base_dim != base_want)
            throw Error(what + ": " + tname + " is " + dims(t.shape) + " but the base's " + mname + " has " +
                        std::to_string(base_want) + (is_a ? " inputs" : " outputs") + " (an adapter for another model?)");
        std::vector<float>& values = is_a ? p.a : p.b;
        values.resize(size_t(t.numel()));
        quant::dequantize_row(t.dtype, t.data, values.data(), t.numel());
        // The scale folded into B once here instead of a pass over every output per token.
        if (!is_a)
            for (float& v : p.b) v = float(double(v) * a.scale);
        p.rank = a.rank;
        p.in = int(in);
        p.out = int(out);
    }
    int pairs = 0;
    for (int l = 0; l < base.num_layers; ++l)
        for (int i = 0; i < kLoraModuleCount; ++i) {
            const LoraPair& p = a.layers[size_t(l)][size_t(i)];
            if (p.rank == 0) continue;
            if (p.a.empty() || p.b.empty())
                throw Error(wfile + ": " + lora_module_name(LoraModule(i)) + " of layer " + std::to_string(l) + " has " +
                            (p.a.empty() ? "lora_B but no lora_A" : "lora_A but no lora_B") + ", expected both");
            ++pairs;
        }
    if (pairs == 0) throw Error(wfile + ": no lora_A / lora_B tensors, expected at least one adapted projection");
    a.check_token_rows(base, cfile, wfile);
    return a;
}

const float* LoraAdapter::row_of(int32_t id, const std::vector<float>& rows) const {
    if (rows.empty() || id < 0 || size_t(id) >= row_index_.size()) return nullptr;
    const int32_t k = row_index_[size_t(id)];
    return k < 0 ? nullptr : rows.data() + size_t(k) * size_t(hidden_);
}

void LoraAdapter::check_token_rows(const ModelConfig& base, const std::string& cfile, const std::string& wfile) {
    if (token_ids.empty()) return;
    if (embed_rows.empty())
        throw Error(wfile + ": " + cfile + " lists " + std::to_string(token_ids.size()) +
                    " trainable_token_indices but there are no rows for them, expected the tensor "
                    "base_model.model.model.embed_tokens.token_adapter.trainable_tokens_delta");
    // Added ids extend the vocabulary: every id from the base's size up to the largest must be
    // there, else those rows would be whatever the resize left in them when it was trained.
    std::vector<int32_t> added;
    for (int32_t id : token_ids)
        if (id >= base.vocab_size) added.push_back(id);
    std::sort(added.begin(), added.end());
    for (size_t k = 0; k < added.size(); ++k)
        if (added[k] != base.vocab_size + int32_t(k))
            throw Error(cfile + ": trainable_token_indices adds id " + std::to_string(added[k]) + " but not " +
                        std::to_string(base.vocab_size + int32_t(k)) + ", expected the added tokens to follow the base's " +
                        std::to_string(base.vocab_size) + " ids without a gap");
    vocab_size = base.vocab_size + int(added.size());
    if (base.tie_word_embeddings) lm_head_rows = embed_rows;  // PEFT ties the LM head's to the embedding's
    else if (lm_head_rows.empty() && !added.empty())
        throw Error(wfile + ": the adapter adds token " + std::to_string(added.front()) + " to the embedding but has no LM head "
                    "row for it and the base's LM head is not tied, expected base_model.model.lm_head.token_adapter."
                    "trainable_tokens_delta");
    row_index_.assign(size_t(vocab_size), -1);
    for (size_t k = 0; k < token_ids.size(); ++k) row_index_[size_t(token_ids[k])] = int32_t(k);
}

}  // namespace gistscope
