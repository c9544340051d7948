// gistscope-cli models: every model this machine has, where it was found, and what it can run:
// the same list the window's model pickers show (engine/include/gistscope/model_discovery.h).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "gistscope/model_discovery.h"
#include "resources.h"

namespace gistscope::cli {

int cmd_models(int argc, char** argv) {
    Args args(argc, argv, 2, {"add"}, {"json", "no-bundled"});
    std::vector<std::filesystem::path> added;
    for (const auto& a : args.all("add")) {
        if (!std::filesystem::exists(a)) throw Error("option --add: " + a + " does not exist, expected a folder or a .gguf file");
        added.emplace_back(a);
    }
    std::filesystem::path bundled;
    if (!args.flag("no-bundled")) {
        try {
            bundled = resources_dir() / "models";
        } catch (const Error&) {
            // an installed CLI without resources still lists the user's models
        }
    }
    const auto locations = default_model_locations(bundled, added);
    const auto models = discover_models(locations);
    if (args.flag("json")) {
        nlohmann::json j = {{"locations", nlohmann::json::array()}, {"models", nlohmann::json::array()}};
        for (const auto& l : locations) j["locations"].push_back({{"folder", l.folder.string()}, {"source", l.source}});
        for (const auto& m : models) {
            nlohmann::json e = {{"name", m.name}, {"path", m.path.string()}, {"source", m.source}, {"format", m.format}};
            if (m.usable()) {
                e["architecture"] = m.architecture;
                e["parameters"] = m.parameters;
                e["weight_types"] = m.weight_types;
                e["weight_bytes"] = m.weight_bytes;
                e["memory_bytes_4k_context"] = m.memory_bytes;
                e["methods"] = m.methods;
            } else {
                e["error"] = m.error;
            }
            j["models"].push_back(std::move(e));
        }
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("searched:\n");
    for (const auto& l : locations) std::printf("  %-12s %s\n", l.source.c_str(), l.folder.string().c_str());
    if (models.empty()) {
        std::printf("no models found\n");
        return 0;
    }
    std::printf("\n%-34s %-12s %-18s %9s %-18s %9s  %s\n", "name", "source", "architecture", "params", "weights",
                "memory", "methods");
    for (const auto& m : models) {
        if (!m.usable()) {
            std::printf("%-34s %-12s cannot be used: %s\n", m.name.c_str(), m.source.c_str(), m.error.c_str());
            continue;
        }
        std::string methods;
        for (const auto& x : m.methods) methods += (methods.empty() ? "" : ",") + x;
        std::printf("%-34s %-12s %-18s %8.1fM %-18s %7.0fMiB  %s\n", m.name.c_str(), m.source.c_str(),
                    m.architecture.c_str(), double(m.parameters) / 1e6, m.weight_types.c_str(),
                    double(m.memory_bytes) / (1 << 20), methods.c_str());
    }
    return 0;
}

}  // namespace gistscope::cli
