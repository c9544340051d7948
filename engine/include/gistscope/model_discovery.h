// gistscope/model_discovery.h: where models live on a machine, and what each one is. The
// window's model lists and `gistscope-cli models` both use this, so they always agree.
//
// Places searched: the bundled demo models, the user's model folder (where ./run.sh puts
// SmolLM2), the Hugging Face hub cache (models--<org>--<name>/snapshots/<revision>), and folders
// the user adds (LM Studio and llama.cpp users keep .gguf files in their own trees). A model is a
// Hugging Face checkpoint folder (config.json + safetensors) or a .gguf file.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gistscope {

struct ModelLocation {
    std::filesystem::path folder;
    std::string source;  // "bundled", "user", "huggingface" or "added"
};

struct DiscoveredModel {
    std::filesystem::path path;  // the checkpoint folder or the .gguf file
    std::string name;            // folder name, "org/name" for the hub cache, file name for GGUF
    std::string source;          // as the ModelLocation it was found in
    std::string format;          // "gguf", "safetensors" or "lora" (an adapter folder with base.json)
    std::string architecture;    // "LlamaForCausalLM", "Qwen2ForCausalLM"
    int64_t parameters = 0;
    int layers = 0, heads = 0;   // decoder layers and query heads per layer
    std::string weight_types;    // "BF16", "Q4_1 99%, Q8_0 1%"
    uint64_t weight_bytes = 0;
    uint64_t memory_bytes = 0;   // weights + a 4k-token KV cache on the CPU
    std::vector<std::string> methods;  // what it can run: vanilla, h2o, sepllm, and its trained method
    std::string error;           // why it cannot be used; empty when it loads
    bool usable() const { return error.empty(); }
};

// $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (as huggingface_hub resolves it).
std::filesystem::path huggingface_hub_cache();
// $GISTSCOPE_MODELS_DIR, else $XDG_DATA_HOME (~/.local/share) /GistScope/gistscope/models: the
// folder Qt's QStandardPaths::AppDataLocation gives the window on Linux, plus "models".
std::filesystem::path default_user_model_dir();

// The bundled folder (may be empty: not searched), the user's folder, the hub cache, then `added`.
std::vector<ModelLocation> default_model_locations(const std::filesystem::path& bundled_dir,
                                                   const std::vector<std::filesystem::path>& added = {});

// Every model in `locations`, in their order, each path once. Folders that do not exist are
// skipped; a model that fails to load is listed with its error, so the user learns why.
std::vector<DiscoveredModel> discover_models(const std::vector<ModelLocation>& locations);

// One model folder or .gguf file: loads its config (or metadata), maps the weights and reads the
// tokenizer to find which methods it can run. Never throws: failures go into `error`.
DiscoveredModel describe_model(const std::filesystem::path& path, const std::string& source = "added");

// True when `path` looks like a model (a .gguf file, a folder with a config.json, or a LoRA
// adapter folder with adapter_config.json and base.json) without loading it.
bool looks_like_model(const std::filesystem::path& path);

}  // namespace gistscope
