// args.h: the small command-line parser every gistscope-cli subcommand uses:
// `--name value` options, `--flag` switches, positional arguments; unknown options are errors.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gistscope/error.h"

namespace gistscope::cli {

class Args {
public:
    // `valued` options take a value, `flags` do not.
    Args(int argc, char** argv, int first, const std::set<std::string>& valued, const std::set<std::string>& flags) {
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

// Reads a whole file; Error naming it if it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace gistscope::cli
