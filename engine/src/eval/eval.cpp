// Dataset readers and the answer check of gistscope/eval.h.
#include "gistscope/eval.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gistscope/error.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

std::string as_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number()) return v.dump();
    throw Error("expected a string or number");
}

EvalItem item_from(const json& j, const std::string& id, const std::string& where) {
    if (!j.is_object() || !j.contains("question") || !j.contains("answer"))
        throw Error(where + ": expected an object with \"question\" and \"answer\"");
    EvalItem it;
    it.id = id;
    try {
        it.question = as_text(j["question"]);
        it.answer = as_text(j["answer"]);
    } catch (const Error& e) {
        throw Error(where + ": question / answer: " + e.what());
    }
    if (j.contains("choices_list") && j["choices_list"].is_array())
        for (const auto& c : j["choices_list"]) it.choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    return it;
}

std::string lower_trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::optional<double> as_number(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ','), s.end());
    s = lower_trim(s);
    if (s.empty() || s.find_first_not_of("0123456789.-+") != std::string::npos) return std::nullopt;
    size_t used = 0;
    try {
        const double v = std::stod(s, &used);
        if (used == s.size()) return v;
    } catch (...) {
    }
    return std::nullopt;
}

}  // namespace

std::vector<EvalItem> eval_dataset_load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file.string() + ": cannot open the dataset");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::vector<EvalItem> items;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw Error(file.string() + ": empty dataset");
    // A whole-file JSON object is LightThinker's schema; otherwise JSON Lines.
    if (text[first] == '{') {
        json j;
        bool whole = true;
        try {
            j = json::parse(text);
        } catch (const std::exception&) {
            whole = false;  // JSON Lines whose first line is an object
        }
        if (whole && j.is_object() && !j.contains("question")) {
            for (auto& [group, list] : j.items()) {
                if (!list.is_array()) throw Error(file.string() + ": group '" + group + "' must be a list of items");
                for (size_t i = 0; i < list.size(); ++i)
                    items.push_back(item_from(list[i], group + "/" + std::to_string(i),
                                              file.string() + ": " + group + "[" + std::to_string(i) + "]"));
            }
            if (items.empty()) throw Error(file.string() + ": no items");
            return items;
        }
    }
    std::istringstream lines(text);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        ++n;
        if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        json j;
        try {
            j = json::parse(line);
        } catch (const std::exception&) {
            throw Error(file.string() + ":" + std::to_string(n) + ": not valid JSON");
        }
        items.push_back(item_from(j, std::to_string(n), file.string() + ":" + std::to_string(n)));
    }
    if (items.empty()) throw Error(file.string() + ": no items");
    return items;
}

bool eval_answer_matches(const std::optional<std::string>& model_answer, const EvalItem& item) {
    if (!model_answer) return false;
    std::string a = lower_trim(*model_answer);
    const std::string want = lower_trim(item.answer);
    if (a.rfind("\\text{", 0) == 0 && a.back() == '}') a = lower_trim(a.substr(6, a.size() - 7));
    if (a == want) return true;
    const auto x = as_number(a), y = as_number(want);
    if (x && y) return std::abs(*x - *y) < 1e-9 * std::max(1.0, std::abs(*y));
    if (!item.choices.empty() && want.size() == 1 && !a.empty() && std::isalpha(static_cast<unsigned char>(a[0])) &&
        (a.size() == 1 || !std::isalpha(static_cast<unsigned char>(a[1]))))
        return a[0] == want[0];
    return false;
}

}  // namespace gistscope
