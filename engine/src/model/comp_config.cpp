// LightThinker comp-configs (configs/<method>/<model>/v1.json) and GistScope's gistscope.json,
// which is the same schema plus the method, BOS / EOS, system prompt and question prefix.
#include <nlohmann/json.hpp>

#include "gistscope/chat.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "util/checked_json.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

std::string string_or(const json& j, const char* key, const std::string& fallback, const std::string& source) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    if (!j[key].is_string()) throw Error(source + ": field '" + key + "' is " + j[key].dump() + ", expected a string");
    return j[key].get<std::string>();
}

const char* qwen_complete = "system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n";
const char* llama_complete =
    "<|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
    "{question}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

}  // namespace

std::string CompConfig::cache_token(int index) const {
    std::string s = token_name;
    const auto at = s.find("{t_id}");
    if (at == std::string::npos) return s + std::to_string(index);
    return s.replace(at, 6, std::to_string(index));
}

std::vector<std::string> CompConfig::special_tokens() const {
    std::vector<std::string> list = {"<|splitter|>",        "<|continue|>",         "<|recover|>",
                                     "<|begin_of_thought|>", "<|end_of_thought|>",   "<|begin_of_solution|>",
                                     "<|end_of_solution|>",  "\n\n"};
    for (int i = 0; i < n_token; ++i) list.push_back(cache_token(i));
    return list;
}

CompConfig comp_config_parse(const std::string& text, const std::string& source) {
    const json j = checked::parse(text, source);
    if (!j.is_object()) throw Error(source + ": expected a JSON object");
    if (!j.contains("template") || !j["template"].is_object())
        throw Error(source + ": missing object 'template', expected LightThinker's comp-config schema");
    if (!j.contains("output") || !j["output"].is_object())
        throw Error(source + ": missing object 'output', expected LightThinker's comp-config schema");
    CompConfig c;
    const auto& t = j["template"];
    c.template_model = string_or(t, "model", "qwen", source + ": template");
    const bool llama = c.template_model == "llama";
    c.template_complete = string_or(t, "complete", llama ? llama_complete : qwen_complete, source + ": template");
    if (c.template_complete.find("{question}") == std::string::npos)
        throw Error(source + ": template.complete has no {question} field");
    const auto& o = j["output"];
    const std::string level = string_or(o, "level", "sentence", source + ": output");
    if (level == "sentence") c.level = CompressionLevel::thought;
    else if (level == "token") c.level = CompressionLevel::token;
    else throw Error(source + ": output.level is '" + level + "', expected \"sentence\" or \"token\"");
    // A vanilla model (gistscope.json "method": "vanilla") has no cache tokens, nor has a
    // LightThinker++ model: its memory is text (memory_grammar.json).
    const bool vanilla = j.contains("method") && (j["method"] == "vanilla" || j["method"] == "lightthinker-pp");
    if (o.contains("n_token")) {
        c.n_token = int(checked::integer(o["n_token"], vanilla ? 0 : 1, 64, source + ": output.n_token"));
    } else if (!vanilla) {
        throw Error(source + ": missing output.n_token, expected the number of cache tokens");
    }
    if (o.contains("step")) c.step = int(checked::integer(o["step"], 1, 1 << 20, source + ": output.step"));
    c.token_name = string_or(o, "token_name", c.token_name, source + ": output");
    // An empty name would make the bare digits "0", "1", ... the cache tokens, stealing them
    // from the text.
    if (c.token_name.empty())
        throw Error(source + ": output.token_name is empty, expected a token pattern such as <|o_{t_id}|>");
    c.method = string_or(j, "method", c.level == CompressionLevel::token ? "lightthinker-token" : "lightthinker", source);
    c.bos_token = string_or(j, "bos_token", llama ? "<|begin_of_text|>" : "<|im_start|>", source);
    c.eos_token = string_or(j, "eos_token", llama ? "<|eot_id|>" : "<|im_end|>", source);
    c.system_prompt = string_or(j, "system_prompt", bespoke_stratos_system_prompt(), source);
    c.question_prefix = string_or(j, "question_prefix", boxed_question_prefix(), source);
    if (c.method == "vanilla" || c.method == "lightthinker-pp") c.level = CompressionLevel::none;
    return c;
}

CompConfig comp_config_load(const std::filesystem::path& file) {
    return comp_config_parse(read_input_file(file, "a LightThinker comp-config JSON file"), file.string());
}

CompConfig comp_config_builtin(const std::string& family) {
    // The released checkpoints' configs (configs/LightThinker/{qwen,llama}/v1.json): 9 / 7 cache tokens.
    if (family == "qwen")
        return comp_config_parse(R"({"template":{"model":"qwen"},"output":{"level":"sentence","step":1,"n_token":9}})", "builtin:qwen");
    if (family == "llama")
        return comp_config_parse(R"({"template":{"model":"llama"},"output":{"level":"sentence","step":1,"n_token":7}})", "builtin:llama");
    if (family == "anllm-qwen" || family == "anllm-llama") {
        auto c = comp_config_builtin(family.substr(6));
        c.n_token = 1;
        c.method = "anllm";
        return c;
    }
    throw Error("unknown built-in comp-config '" + family + "', expected qwen, llama, anllm-qwen or anllm-llama");
}

}  // namespace gistscope
