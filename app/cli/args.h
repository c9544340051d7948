// args.h: the small command-line parser every gistscope-cli subcommand uses:
// `--name value` options, `--flag` switches, positional arguments; unknown options are errors.
// `--help` (or -h) anywhere prints the command's help, which is built from the very option list
// the parser accepts (so the two cannot disagree), and exits 0.
#pragma once
#include <climits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gistscope/error.h"

namespace gistscope::cli {

// One option of a subcommand. `value` names its argument ("DIR", "N"); empty for a switch.
struct OptionHelp {
    std::string name;   // without the leading --
    std::string value;
    std::string help;
};

// A subcommand's help: `usage` is the synopsis after "gistscope-cli NAME", `summary` one
// sentence, `options` every option it accepts.
struct CommandHelp {
    std::string name;
    std::string usage;
    std::string summary;
    std::vector<OptionHelp> options;
};

// Thrown by Args when --help was given: main prints `text` to stdout and exits 0.
struct HelpRequested {
    std::string text;
};

inline std::string help_text(const CommandHelp& c) {
    std::string s = "usage: gistscope-cli " + c.name + (c.usage.empty() ? "" : " " + c.usage) + "\n";
    if (!c.summary.empty()) s += c.summary + "\n";
    s += "options:\n";
    for (const auto& o : c.options) {
        std::string left = "  --" + o.name + (o.value.empty() ? "" : " " + o.value);
        if (left.size() < 30) left.resize(30, ' ');
        else left += "  ";
        s += left + o.help + "\n";
    }
    s += "  --help                      this help\n";
    return s;
}

class Args {
public:
    // Options and help from `command`: an option with a value name takes a value.
    Args(int argc, char** argv, int first, const CommandHelp& command) {
        std::set<std::string> valued, flags;
        for (const auto& o : command.options) (o.value.empty() ? flags : valued).insert(o.name);
        parse(argc, argv, first, valued, flags, help_text(command));
    }
    // `valued` options take a value, `flags` do not; the help lists their names.
    Args(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& flags) {
        CommandHelp c;
        c.name = first >= 2 && argc >= 2 ? argv[1] : "";
        for (const auto& v : valued) c.options.push_back({v, "VALUE", ""});
        for (const auto& f : flags) c.options.push_back({f, "", ""});
        parse(argc, argv, first, valued, flags, help_text(c));
    }

private:
    void parse(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& flags,
               const std::string& help) {
        for (int i = first; i < argc; ++i)
            if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") throw HelpRequested{help};
        for (int i = first; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) == 0) {
                std::string name = a.substr(2), value;
                const auto eq = name.find('=');
                bool has_value = false;
                if (eq != std::string::npos) {
                    value = name.substr(eq + 1);
                    name = name.substr(0, eq);
                    has_value = true;
                }
                if (flags.count(name)) {
                    if (has_value) throw Error("option --" + name + " takes no value");
                    flags_.insert(name);
                } else if (valued.count(name)) {
                    if (!has_value) {
                        if (i + 1 >= argc) throw Error("option --" + name + " needs a value");
                        // "--out-dir --json" is a forgotten value, not a folder named "--json";
                        // a value that starts with "--" can still be given as --out-dir=--json.
                        const std::string next = argv[i + 1];
                        if (next.rfind("--", 0) == 0)
                            throw Error("option --" + name + " needs a value, got the option " + next +
                                        " (write --" + name + "=" + next + " if that is the value)");
                        value = argv[++i];
                    }
                    values_[name].push_back(value);
                } else {
                    throw Error("unknown option --" + name);
                }
            } else {
                positional_.push_back(a);
            }
        }
    }

public:
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const {
        auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        return it->second.back();
    }
    std::vector<std::string> all(const std::string& name) const {
        auto it = values_.find(name);
        return it == values_.end() ? std::vector<std::string>{} : it->second;
    }
    std::string require(const std::string& name) const {
        auto v = get(name);
        if (!v) throw Error("missing required option --" + name);
        return *v;
    }
    long get_int(const std::string& name, long fallback, long lo, long hi) const {
        auto v = get(name);
        if (!v) return fallback;
        size_t used = 0;
        long x = 0;
        try {
            x = std::stol(*v, &used);
        } catch (...) {
            used = 0;
        }
        if (used != v->size() || x < lo || x > hi)
            throw Error("option --" + name + " is '" + *v + "', expected an integer in " + std::to_string(lo) + ".." +
                        std::to_string(hi));
        return x;
    }
    double get_double(const std::string& name, double fallback, double lo, double hi) const {
        auto v = get(name);
        if (!v) return fallback;
        size_t used = 0;
        double x = 0;
        try {
            x = std::stod(*v, &used);
        } catch (...) {
            used = 0;
        }
        if (used != v->size() || !(x >= lo && x <= hi))
            throw Error("option --" + name + " is '" + *v + "', expected a number in [" + std::to_string(lo) + ", " +
                        std::to_string(hi) + "]");
        return x;
    }
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
};

// Reads a whole text file given by the user (a prompt, a text to tokenize): Error naming it if it
// is not a readable regular file or not valid UTF-8.
std::string read_text_file(const std::string& path);

}  // namespace gistscope::cli
