// Model::load: config.json + safetensors + optional gistscope.json, with every tensor the forward
// pass reads checked for presence and shape up front, so a bad checkpoint fails at load with one
// message instead of somewhere inside a forward.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

#include "gistscope/chat_template.h"
#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "gistscope/model_discovery.h"
#include "util/checked_json.h"
#include "util/sha256.h"

namespace gistscope {

namespace {

// A base's SHA-256, hashed once per version of the file in this process: the window's model list,
// its picker and the run each load an adapter folder, and the bundled pair shares one base (a
// large base takes seconds to hash). A file whose size or time changed is hashed again.
std::string base_sha256(const std::filesystem::path& file) {
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(file, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(canonical, ec);
    const auto mtime = ec ? std::filesystem::file_time_type{} : std::filesystem::last_write_time(canonical, ec);
    if (ec) return sha256_file_hex(file);
    using Key = std::tuple<std::string, uintmax_t, std::filesystem::file_time_type::rep>;
    static std::mutex mutex;
    static std::map<Key, std::string> known;
    const Key key{canonical.string(), size, mtime.time_since_epoch().count()};
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = known.find(key); it != known.end()) return it->second;
    }
    std::string hex = sha256_file_hex(canonical);
    std::lock_guard<std::mutex> lock(mutex);
    return known.emplace(key, std::move(hex)).first->second;
}

// An adapter folder's base.json: {"base": "path/to/model.gguf-or-folder", "sha256": "hex"}. The
// path is relative to the adapter folder so that the two can move together.
std::unique_ptr<Model> load_adapter_folder(const std::filesystem::path& dir) {
    const auto base_json = dir / "base.json";
    const std::string file = base_json.string();
    if (!path_exists(base_json))
        throw Error(dir.string() + ": a LoRA adapter folder (adapter_config.json) without base.json, expected base.json "
                    "{\"base\": \"path/to/model.gguf-or-folder\"} naming its base, or give the base with --model and "
                    "this folder with --adapter");
    const nlohmann::json j = checked::parse(read_input_file(base_json, "a base.json naming the adapter's base"), file);
    if (!j.is_object()) throw Error(file + ": expected a JSON object with \"base\"");
    const std::filesystem::path named(checked::string(checked::field(j, "base", file), file + ": base"));
    if (named.empty()) throw Error(file + ": base is empty, expected the path of a .gguf file or a checkpoint folder");
    auto base_path = named.is_absolute() ? named : (dir / named).lexically_normal();
    // A bare file name that is not beside the adapter is looked for in the user's model folder,
    // where ./run.sh puts the real models it fetches: a bundled adapter names its base that way.
    if (!path_exists(base_path) && !named.is_absolute() && named == named.filename()) {
        const auto user = default_user_model_dir() / named;
        if (!path_exists(user))
            throw Error(file + ": the base " + named.string() + " is neither beside the adapter (" + base_path.string() +
                        ") nor in the model folder " + default_user_model_dir().string() +
                        " (./run.sh fetches SmolLM2-135M-Instruct there; GISTSCOPE_MODELS_DIR moves it)");
        base_path = user;
    }
    if (path_exists(base_path / "adapter_config.json"))
        throw Error(file + ": base " + base_path.string() + " is itself an adapter folder, expected a .gguf file or a "
                    "checkpoint folder");
    if (j.contains("sha256") && !j["sha256"].is_null()) {
        std::string want = checked::string(j["sha256"], file + ": sha256");
        for (char& ch : want) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        if (want.size() != 64 || want.find_first_not_of("0123456789abcdef") != std::string::npos)
            throw Error(file + ": sha256 is '" + want + "', expected 64 hex digits");
        std::error_code ec;
        const auto hashed = std::filesystem::is_directory(base_path, ec) ? base_path / "model.safetensors" : base_path;
        if (!path_exists(hashed))
            throw Error(file + ": sha256 is given but " + hashed.string() +
                        " does not exist; the checksum is of a .gguf file or of a folder's single model.safetensors");
        const std::string have = base_sha256(hashed);
        if (have != want)
            throw Error(file + ": sha256 is " + want + " but " + hashed.string() + " has " + have +
                        " (a different base than the adapter was made for)");
    }
    auto m = Model::load(base_path);
    m->attach_adapter(dir);
    return m;
}

}  // namespace

void Model::attach_adapter(const std::filesystem::path& adapter_dir) {
    if (adapter)
        throw Error(adapter_dir.string() + ": the model already has the adapter " + adapter->dir.string() +
                    ", expected at most one adapter");
    adapter = std::make_shared<const LoraAdapter>(LoraAdapter::load(adapter_dir, config));
    // Added tokens (LightThinker's) extend the vocabulary; the base's weights keep their rows.
    config.vocab_size = adapter->vocab_size;
    // An adapter trained for LightThinker brings its own method; it wins over the base's.
    for (const char* name : {"gistscope.json", "lightthinker.json"})
        if (path_exists(adapter_dir / name)) {
            comp = comp_config_load(adapter_dir / name);
            break;
        }
}

std::unique_ptr<Model> Model::load(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    {
        std::error_code ec;
        if (fs::is_directory(path, ec) && path_exists(path / "adapter_config.json")) return load_adapter_folder(path);
    }
    auto m = std::make_unique<Model>();
    m->dir = path;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        if (!GgufFile::looks_like_gguf(path))
            throw Error(path.string() + ": not a GGUF file (it does not start with \"GGUF\"); expected a .gguf file or a "
                        "Hugging Face checkpoint directory");
        auto file = GgufFile::open(path);
        m->config = gguf_model_config(*file);
        m->weights = gguf_weight_store(file, m->config);
        m->chat_template = file->find_string("tokenizer.chat_template").value_or("");
        m->from_gguf = true;
    } else if (fs::is_directory(path, ec)) {
        const auto config_path = path / "config.json";
        if (!path_exists(config_path))
            throw Error(path.string() + ": no config.json, expected a Hugging Face checkpoint directory");
        m->config = config_load(config_path);
        m->weights = WeightStore::open_dir(path);
        m->chat_template = chat_template_find(path);
    } else {
        // Names what is there instead (nothing, a symlink loop, a device) and what was expected.
        require_input_dir(path, "a Hugging Face checkpoint directory or a .gguf file");
        throw Error(path.string() + ": not a regular file, expected a Hugging Face checkpoint directory or a .gguf file");
    }

    const auto& c = m->config;
    const int64_t H = c.hidden_size, I = c.intermediate_size, V = c.vocab_size;
    const int64_t q_dim = int64_t(c.num_heads) * c.head_dim, kv_dim = int64_t(c.num_kv_heads) * c.head_dim;
    auto& w = m->weights;
    w.get("model.embed_tokens.weight", {V, H});
    w.get("model.norm.weight", {H});
    if (!c.tie_word_embeddings) w.get("lm_head.weight", {V, H});
    for (int l = 0; l < c.num_layers; ++l) {
        w.get(layer_tensor_name(l, "input_layernorm.weight"), {H});
        w.get(layer_tensor_name(l, "post_attention_layernorm.weight"), {H});
        w.get(layer_tensor_name(l, "self_attn.q_proj.weight"), {q_dim, H});
        w.get(layer_tensor_name(l, "self_attn.k_proj.weight"), {kv_dim, H});
        w.get(layer_tensor_name(l, "self_attn.v_proj.weight"), {kv_dim, H});
        w.get(layer_tensor_name(l, "self_attn.o_proj.weight"), {H, q_dim});
        if (c.attention_bias) {
            w.get(layer_tensor_name(l, "self_attn.q_proj.bias"), {q_dim});
            w.get(layer_tensor_name(l, "self_attn.k_proj.bias"), {kv_dim});
            w.get(layer_tensor_name(l, "self_attn.v_proj.bias"), {kv_dim});
        }
        w.get(layer_tensor_name(l, "mlp.gate_proj.weight"), {I, H});
        w.get(layer_tensor_name(l, "mlp.up_proj.weight"), {I, H});
        w.get(layer_tensor_name(l, "mlp.down_proj.weight"), {H, I});
    }
    // Layers beyond num_hidden_layers would be dropped without a word: a config that does not
    // match its checkpoint.
    for (const auto& [name, t] : w.tensors()) {
        static const std::string prefix = "model.layers.";
        if (name.rfind(prefix, 0) != 0) continue;
        const auto dot = name.find('.', prefix.size());
        const std::string index = name.substr(prefix.size(), dot - prefix.size());
        if (index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos) continue;
        if (std::stoi(index) >= c.num_layers)
            throw Error((m->from_gguf ? path.string() + ": block_count" : (path / "config.json").string() + ": num_hidden_layers") +
                        " is " + std::to_string(c.num_layers) + " but the checkpoint has tensor '" + name +
                        "', expected the layer count to match the weights");
    }
    m->weight_dtype = w.get(layer_tensor_name(0, "self_attn.q_proj.weight"), {q_dim, H}).dtype;

    if (!m->from_gguf && path_exists(path / "memory_grammar.json"))
        m->memory_grammar = MemoryGrammar::load(path / "memory_grammar.json");
    for (const char* name : {"gistscope.json", "lightthinker.json"}) {
        if (m->from_gguf) break;  // a comp-config for a .gguf file is given explicitly (--lightthinker-config)
        const auto p = path / name;
        if (path_exists(p)) {
            m->comp = comp_config_load(p);
            break;
        }
    }
    return m;
}

size_t Model::parameter_count() const {
    size_t n = 0;
    for (const auto& [name, t] : weights.tensors()) n += static_cast<size_t>(t.numel());
    return n;
}

std::string Model::weight_types() const {
    std::map<DType, size_t> bytes;  // over the 2-D weights: projections, embedding, LM head
    size_t total = 0;
    for (const auto& [name, t] : weights.tensors())
        if (t.shape.size() == 2) {
            bytes[t.dtype] += t.bytes;
            total += t.bytes;
        }
    if (bytes.size() <= 1) return dtype_name(bytes.empty() ? weight_dtype : bytes.begin()->first);
    std::vector<std::pair<size_t, DType>> order;
    for (const auto& [d, b] : bytes) order.emplace_back(b, d);
    std::sort(order.rbegin(), order.rend());
    std::string s;
    for (const auto& [b, d] : order) {
        const int pct = int(std::lround(100.0 * double(b) / double(total)));
        if (pct == 0) continue;
        s += (s.empty() ? "" : ", ") + std::string(dtype_name(d)) + " " + std::to_string(pct) + "%";
    }
    return s;
}

size_t Model::kv_bytes_per_token() const {
    return size_t(2) * size_t(config.num_layers) * size_t(config.num_kv_heads) * size_t(config.head_dim) * sizeof(float);
}

}  // namespace gistscope
