// Model discovery: walks the model locations (shallowly: LM Studio nests files two folders
// deep, the hub cache three) and describes each model by loading it the way a run would, so a
// listed model is one that runs and an unusable one carries the reason.
#include "gistscope/model_discovery.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "gistscope/runtime.h"

namespace gistscope {
namespace fs = std::filesystem;
namespace {

fs::path env_path(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? fs::path(v) : fs::path();
}

fs::path home() {
    fs::path h = env_path("HOME");
    return h.empty() ? fs::path("/") : h;
}

bool is_gguf_name(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    return ext == ".gguf";
}

bool hidden(const fs::path& p) {
    const std::string n = p.filename().string();
    return !n.empty() && n[0] == '.';
}

// Model folders and .gguf files under `dir`, at most `depth` folders down; a model folder is not
// searched further.
void collect(const fs::path& dir, int depth, std::vector<fs::path>& out) {
    std::error_code ec;
    if (looks_like_model(dir)) {
        out.push_back(dir);
        return;
    }
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec))
        if (!hidden(it->path())) entries.push_back(it->path());
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
        if (fs::is_regular_file(p, ec) && is_gguf_name(p)) out.push_back(p);
        else if (depth > 0 && fs::is_directory(p, ec)) collect(p, depth - 1, out);
    }
}

// models--<org>--<name>/snapshots/<revision>: the revision refs/main names, else every one.
void collect_hub(const fs::path& cache, std::vector<std::pair<fs::path, std::string>>& out) {
    std::error_code ec;
    std::vector<fs::path> repos;
    for (fs::directory_iterator it(cache, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec))
        if (it->path().filename().string().rfind("models--", 0) == 0) repos.push_back(it->path());
    std::sort(repos.begin(), repos.end());
    for (const auto& repo : repos) {
        std::string id = repo.filename().string().substr(8);
        if (auto at = id.find("--"); at != std::string::npos) id.replace(at, 2, "/");
        std::vector<fs::path> snapshots;
        std::ifstream ref(repo / "refs" / "main");
        std::string main_rev;
        if (ref && std::getline(ref, main_rev) && fs::is_directory(repo / "snapshots" / main_rev, ec))
            snapshots.push_back(repo / "snapshots" / main_rev);
        else
            for (fs::directory_iterator it(repo / "snapshots", ec), end; !ec && it != end; it.increment(ec))
                snapshots.push_back(it->path());
        for (const auto& snap : snapshots) {
            std::vector<fs::path> found;
            collect(snap, 1, found);
            for (const auto& f : found)
                out.emplace_back(f, f == snap ? id : id + "/" + f.filename().string());
        }
    }
}

}  // namespace

fs::path huggingface_hub_cache() {
    if (auto p = env_path("HF_HUB_CACHE"); !p.empty()) return p;
    if (auto p = env_path("HF_HOME"); !p.empty()) return p / "hub";
    if (auto p = env_path("XDG_CACHE_HOME"); !p.empty()) return p / "huggingface" / "hub";
    return home() / ".cache" / "huggingface" / "hub";
}

fs::path default_user_model_dir() {
    if (auto p = env_path("GISTSCOPE_MODELS_DIR"); !p.empty()) return p;
    fs::path data = env_path("XDG_DATA_HOME");
    if (data.empty()) data = home() / ".local" / "share";
    return data / "GistScope" / "gistscope" / "models";
}

std::vector<ModelLocation> default_model_locations(const fs::path& bundled_dir, const std::vector<fs::path>& added) {
    std::vector<ModelLocation> l;
    if (!bundled_dir.empty()) l.push_back({bundled_dir, "bundled"});
    l.push_back({default_user_model_dir(), "user"});
    l.push_back({huggingface_hub_cache(), "huggingface"});
    for (const auto& a : added) l.push_back({a, "added"});
    return l;
}

bool looks_like_model(const fs::path& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return is_gguf_name(path) || GgufFile::looks_like_gguf(path);
    if (!fs::is_directory(path, ec)) return false;
    // A LoRA adapter folder that names its base (base.json) runs as a model of its own.
    return fs::exists(path / "config.json", ec) || (fs::exists(path / "adapter_config.json", ec) && fs::exists(path / "base.json", ec));
}

DiscoveredModel describe_model(const fs::path& path, const std::string& source) {
    DiscoveredModel d;
    d.path = path;
    d.source = source;
    d.name = path.filename().string();
    std::error_code ec;
    d.format = !fs::is_directory(path, ec) ? "gguf" : fs::exists(path / "adapter_config.json", ec) ? "lora" : "safetensors";
    try {
        if (d.format == "gguf" && d.name.find("-of-0") != std::string::npos)
            throw Error(path.string() + ": a split GGUF file; merge the parts with llama-gguf-split --merge first");
        LoadedModel lm = load_model(path);
        const Model& m = *lm.model;
        d.architecture = m.config.architecture;
        d.parameters = int64_t(m.parameter_count());
        d.layers = m.config.num_layers;
        d.heads = m.config.num_heads;
        d.weight_types = m.weight_types();
        d.weight_bytes = m.weights.total_bytes();
        d.memory_bytes = d.weight_bytes + 4096 * uint64_t(m.kv_bytes_per_token());
        // Training-free methods run on any model; a compressing method only on the model trained
        // for it (it needs its special tokens and its attention pattern).
        if (lm.comp && !lm.comp->method.empty() && lm.comp->method != "vanilla") d.methods.push_back(lm.comp->method);
        else if (lm.comp && lm.comp->method.empty())
            d.methods.push_back(lm.comp->level == CompressionLevel::token ? "lightthinker-token" : "lightthinker");
        // LightThinker++ needs a model that writes memory actions: its own method, or a grammar
        // file beside it (a released model driven by a grammar written for it).
        if (lm.model->memory_grammar && std::find(d.methods.begin(), d.methods.end(), "lightthinker-pp") == d.methods.end())
            d.methods.push_back("lightthinker-pp");
        for (const char* m2 : {"vanilla", "h2o", "sepllm"}) d.methods.push_back(m2);
    } catch (const std::exception& e) {
        d.error = e.what();
    }
    return d;
}

std::vector<DiscoveredModel> discover_models(const std::vector<ModelLocation>& locations) {
    std::vector<DiscoveredModel> out;
    std::set<fs::path> seen;
    for (const auto& loc : locations) {
        std::error_code ec;
        if (!fs::exists(loc.folder, ec)) continue;
        std::vector<std::pair<fs::path, std::string>> found;  // path, display name
        if (loc.source == "huggingface") {
            collect_hub(loc.folder, found);
        } else {
            std::vector<fs::path> paths;
            if (fs::is_regular_file(loc.folder, ec)) paths.push_back(loc.folder);
            else collect(loc.folder, 3, paths);
            for (const auto& p : paths) found.emplace_back(p, p.filename().string());
        }
        for (const auto& [p, name] : found) {
            const fs::path key = fs::weakly_canonical(p, ec);
            if (!seen.insert(ec ? p : key).second) continue;
            DiscoveredModel d = describe_model(p, loc.source);
            d.name = name;
            out.push_back(std::move(d));
        }
    }
    return out;
}

}  // namespace gistscope
