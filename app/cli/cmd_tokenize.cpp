// gistscope-cli tokenize: token ids of a text as a JSON array (or one array per JSONL line).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "gistscope/tokenizer.h"

namespace gistscope::cli {

// `spec` is a comp-config file or the name of a built-in one (qwen, llama).
CompConfig comp_config_from_option(const std::string& spec) {
    if (spec == "qwen" || spec == "llama" || spec == "anllm-qwen" || spec == "anllm-llama") return comp_config_builtin(spec);
    return comp_config_load(spec);
}

int cmd_tokenize(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"tokenize", "--tokenizer PATH (--text S | --text-file F) [options]",
                          "Token ids of a text as a JSON array (or one array per line with --jsonl).",
                          {{"tokenizer", "PATH", "tokenizer.json, a sentencepiece .model, or a model folder"},
                           {"text", "S", "the text"},
                           {"text-file", "F", "read the text from a UTF-8 file"},
                           {"lightthinker-config", "F|qwen|llama", "add a comp-config's special tokens first"},
                           {"jsonl", "", "--text-file holds one JSON string per line"},
                           {"no-special", "", "do not apply the post-processor (no BOS)"}}});
    auto tok = Tokenizer::load(args.require("tokenizer"));
    if (auto lt = args.get("lightthinker-config")) tok->add_special_tokens(comp_config_from_option(*lt).special_tokens());
    const bool add_special = !args.flag("no-special");
    const auto text = args.get("text");
    const auto file = args.get("text-file");
    if (text.has_value() == file.has_value()) throw Error("give exactly one of --text or --text-file");
    if (text && first_invalid_utf8(*text) != std::string_view::npos)
        throw Error("--text: not valid UTF-8 at byte " + std::to_string(first_invalid_utf8(*text)));
    auto print_ids = [](const std::vector<int32_t>& ids) {
        std::string line = nlohmann::json(ids).dump();
        std::printf("%s\n", line.c_str());
    };
    if (args.flag("jsonl")) {
        if (!file) throw Error("--jsonl needs --text-file");
        const std::string all = read_text_file(*file);
        size_t start = 0, line_no = 0;
        while (start < all.size()) {
            size_t end = all.find('\n', start);
            if (end == std::string::npos) end = all.size();
            ++line_no;
            std::string line = all.substr(start, end - start);
            start = end + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const std::exception&) {
                throw Error(*file + ":" + std::to_string(line_no) + ": expected a JSON string per line");
            }
            if (!j.is_string()) throw Error(*file + ":" + std::to_string(line_no) + ": expected a JSON string per line");
            print_ids(tok->encode(j.get<std::string>(), add_special));
        }
        return 0;
    }
    print_ids(tok->encode(text ? *text : read_text_file(*file), add_special));
    return 0;
}

}  // namespace gistscope::cli
