// The LightThinker++ action grammar: GistScope's built-in one and memory_grammar.json.
#include <fstream>
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/memory.h"
#include "util/checked_json.h"

namespace gistscope {
namespace {

using json = nlohmann::json;
namespace ck = checked;

constexpr const char* kFormat = "gistscope-memory-grammar";

const char* const kActionNames[] = {"commit", "expand", "fold", "final_answer", "invalid"};

// Every "<|...|>" piece of a string, in order.
void collect_markers(const std::string& s, std::vector<std::string>& out) {
    for (size_t at = s.find("<|"); at != std::string::npos; at = s.find("<|", at + 2)) {
        const size_t end = s.find("|>", at + 2);
        if (end == std::string::npos) return;
        std::string m = s.substr(at, end + 2 - at);
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(std::move(m));
    }
}

void check_template(const std::string& t, const char* field, const char* text_key, const std::string& source) {
    const std::string key = std::string("{") + text_key + "}";
    if (t.find(key) == std::string::npos)
        throw Error(source + ": render." + field + " is \"" + t + "\", expected a template with " + key +
                    " (and {k} for the step number)");
    if (t.find("{k}") == std::string::npos)
        throw Error(source + ": render." + field + " is \"" + t + "\", expected {k} (the step number) in it");
}

}  // namespace

const char* memory_action_name(MemoryAction action) { return kActionNames[size_t(action)]; }

bool memory_action_parse(const std::string& name, MemoryAction& action) {
    for (size_t i = 0; i < std::size(kActionNames); ++i)
        if (name == kActionNames[i]) {
            action = MemoryAction(i);
            return true;
        }
    return false;
}

MemoryGrammar MemoryGrammar::builtin() {
    MemoryGrammar g;
    g.commit = {"<|commit|>", "<|/commit|>"};
    g.expand = {"<|expand|>", "<|/expand|>"};
    g.fold = {"<|fold|>", "<|/fold|>"};
    g.final_answer = {"<|answer|>", "<|/answer|>"};
    return g;
}

MemoryGrammar MemoryGrammar::from_json(const json& j, const std::string& source) {
    if (!j.is_object()) throw Error(source + ": expected a JSON object, got " + ck::shown(j));
    const std::string format = ck::string_or(j, "format", "", source);
    if (format != kFormat)
        throw Error(source + ": \"format\" is \"" + format + "\", expected \"" + kFormat + "\"");
    const int64_t version = ck::integer(ck::field(j, "version", source), 0, 1000, source + ": version");
    if (version != 1) throw Error(source + ": version " + std::to_string(version) + " is not supported, expected 1");
    MemoryGrammar g;
    const json& actions = ck::field(j, "actions", source);
    auto marker = [&](const char* name) {
        const std::string where = source + ": actions." + name;
        const json& a = ck::field(actions, name, source + ": actions");
        Marker m{ck::string(ck::field(a, "open", where), where + ".open"),
                 ck::string(ck::field(a, "close", where), where + ".close")};
        if (m.open.empty() || m.close.empty())
            throw Error(where + ": open and close must be non-empty strings");
        if (m.open == m.close) throw Error(where + ": open and close are the same string, expected two different markers");
        return m;
    };
    g.commit = marker("commit");
    g.expand = marker("expand");
    g.fold = marker("fold");
    g.final_answer = marker("final_answer");
    const Marker* all[] = {&g.commit, &g.expand, &g.fold, &g.final_answer};
    for (size_t a = 0; a < 4; ++a)
        for (size_t b = a + 1; b < 4; ++b)
            if (all[a]->open == all[b]->open)
                throw Error(source + ": actions " + kActionNames[a] + " and " + kActionNames[b] +
                            " open with the same marker \"" + all[a]->open + "\", expected one marker per action");
    const json& render = ck::field(j, "render", source);
    g.archived = ck::string(ck::field(render, "archived", source + ": render"), source + ": render.archived");
    g.active = ck::string(ck::field(render, "active", source + ": render"), source + ": render.active");
    check_template(g.archived, "archived", "summary", source);
    check_template(g.active, "active", "raw", source);
    g.first_number = int(ck::integer_or(j, "first_number", 1, 0, 1, source));
    return g;
}

MemoryGrammar MemoryGrammar::load(const std::filesystem::path& file) {
    const std::string text = read_input_file(file, "a LightThinker++ grammar (memory_grammar.json)");
    return from_json(ck::parse(text, file.string()), file.string());
}

json MemoryGrammar::to_json() const {
    auto m = [](const Marker& x) { return json{{"open", x.open}, {"close", x.close}}; };
    return {{"format", kFormat},
            {"version", 1},
            {"actions", {{"commit", m(commit)}, {"expand", m(expand)}, {"fold", m(fold)}, {"final_answer", m(final_answer)}}},
            {"render", {{"archived", archived}, {"active", active}}},
            {"first_number", first_number}};
}

std::vector<std::string> MemoryGrammar::marker_tokens() const {
    std::vector<std::string> out;
    for (const Marker* m : {&commit, &expand, &fold, &final_answer}) {
        collect_markers(m->open, out);
        collect_markers(m->close, out);
    }
    collect_markers(archived, out);
    collect_markers(active, out);
    return out;
}

}  // namespace gistscope
