// Dataset readers of gistscope/eval.h: LightThinker's {group: [item]} files (spec 3.2) and JSON
// Lines, and spec 7.4's accepted / rejected answer lists per dataset kind.
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/eval.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

std::string as_text(const json& v, const std::string& where, const char* field) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number()) return v.dump();
    throw Error(where + ": \"" + field + "\" must be a string or a number, got " + std::string(v.type_name()));
}

// LightThinker's files store choices_list as the text of a Python list (['2', '8', "it's"]); some
// copies store a real JSON list. Returns the strings, or nothing when the text is not such a list.
std::vector<std::string> python_string_list(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    auto skip = [&] { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; };
    skip();
    if (i >= s.size() || s[i] != '[') return {};
    ++i;
    for (;;) {
        skip();
        if (i < s.size() && s[i] == ']') return out;
        if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return {};
        const char quote = s[i++];
        std::string item;
        for (;; ++i) {
            if (i >= s.size()) return {};
            if (s[i] == '\\' && i + 1 < s.size()) {
                const char c = s[++i];
                item += c == 'n' ? '\n' : c == 't' ? '\t' : c;
            } else if (s[i] == quote) {
                ++i;
                break;
            } else {
                item += s[i];
            }
        }
        out.push_back(item);
        skip();
        if (i < s.size() && s[i] == ',') ++i;
    }
}

std::vector<std::string> choices_of(const json& j) {
    for (const char* key : {"choices_list", "choices"}) {
        if (!j.contains(key)) continue;
        const json& c = j[key];
        if (c.is_array()) {
            std::vector<std::string> out;
            for (const auto& x : c) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
            return out;
        }
        if (c.is_string()) return python_string_list(c.get<std::string>());
    }
    return {};
}

// "(C)" -> "C": BBH's targets; the files store the bare letter, the raw rows the parenthesised one.
std::string bare_letter(const std::string& a) {
    if (a.size() == 3 && a[0] == '(' && a[2] == ')' && std::isupper(static_cast<unsigned char>(a[1])))
        return std::string(1, a[1]);
    return a;
}

bool is_letter_answer(const std::string& a, char last) { return a.size() == 1 && a[0] >= 'A' && a[0] <= last; }

EvalItem item_from(const json& j, const std::string& id, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected an object with \"question\" and \"answer\", got " + std::string(j.type_name()));
    for (const char* key : {"question", "answer"})
        if (!j.contains(key)) throw Error(where + ": missing \"" + key + "\"");
    EvalItem it;
    it.id = id;
    it.question = as_text(j["question"], where, "question");
    if (it.question.find_first_not_of(" \t\r\n") == std::string::npos)
        throw Error(where + ": the question is empty, expected the problem text");
    it.answer = bare_letter(as_text(j["answer"], where, "answer"));
    it.choices = choices_of(j);
    return it;
}

DatasetFormat detect_lightthinker_kind(const json& first) {
    const bool choices = first.contains("choices_list") || first.contains("choices");
    if (choices && first.contains("answer_content")) return DatasetFormat::gpqa;
    if (choices) return DatasetFormat::mmlu;
    if (first.contains("domain")) return DatasetFormat::bbh;
    return DatasetFormat::gsm8k;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
        if (x == s) return;
    v.push_back(s);
}

// The forms a model writes a letter choice in: "B", "(B)", "B.", "B)", and with its text.
void add_letter_forms(std::vector<std::string>& v, char letter, const std::string* text) {
    const std::string l(1, letter);
    for (const auto& f : {l, "(" + l + ")", l + ".", l + ")"}) add_unique(v, f);
    if (text && !text->empty())
        for (const auto& f : {l + ". " + *text, l + ") " + *text, "(" + l + ") " + *text, l + ": " + *text})
            add_unique(v, f);
}

void fill_choice_lists(EvalItem& item, char last_letter) {
    const char want = item.answer[0];
    const int n = std::max(int(last_letter - 'A') + 1, int(item.choices.size()));
    const std::string* want_text = size_t(want - 'A') < item.choices.size() ? &item.choices[size_t(want - 'A')] : nullptr;
    add_letter_forms(item.accepted, want, want_text);
    if (want_text && !want_text->empty()) add_unique(item.accepted, *want_text);
    for (int k = 0; k < n; ++k) {
        const char letter = char('A' + k);
        if (letter == want) continue;
        const std::string* text = size_t(k) < item.choices.size() ? &item.choices[size_t(k)] : nullptr;
        add_letter_forms(item.rejected, letter, text);
        // A text that two choices share decides nothing.
        if (text && !text->empty() && (!want_text || *text != *want_text)) add_unique(item.rejected, *text);
    }
}

}  // namespace

std::string dataset_format_name(DatasetFormat f) {
    switch (f) {
        case DatasetFormat::auto_detect: return "auto";
        case DatasetFormat::jsonl: return "jsonl";
        case DatasetFormat::gsm8k: return "gsm8k";
        case DatasetFormat::mmlu: return "mmlu";
        case DatasetFormat::gpqa: return "gpqa";
        case DatasetFormat::bbh: return "bbh";
    }
    return "jsonl";
}

bool dataset_format_parse(const std::string& name, DatasetFormat& out) {
    for (auto f : {DatasetFormat::auto_detect, DatasetFormat::jsonl, DatasetFormat::gsm8k, DatasetFormat::mmlu,
                   DatasetFormat::gpqa, DatasetFormat::bbh})
        if (dataset_format_name(f) == name) {
            out = f;
            return true;
        }
    return false;
}

void eval_item_fill_lists(EvalItem& item, DatasetFormat format) {
    item.accepted.clear();
    item.rejected.clear();
    item.answer = bare_letter(item.answer);
    add_unique(item.accepted, item.answer);
    const std::string& a = item.answer;
    switch (format) {
        case DatasetFormat::mmlu:
        case DatasetFormat::gpqa:
            if (is_letter_answer(a, 'Z')) fill_choice_lists(item, 'D');
            break;
        case DatasetFormat::bbh: {
            // Two-way tasks: the reference also takes the option letter (A for the first option).
            static const std::vector<std::pair<std::string, std::string>> pairs = {
                {"Yes", "No"}, {"True", "False"}, {"valid", "invalid"}};
            bool two_way = false;
            for (const auto& [first, second] : pairs) {
                const bool is_first = a == first, is_second = a == second;
                if (!is_first && !is_second) continue;
                two_way = true;
                add_unique(item.accepted, is_first ? "A" : "B");
                add_unique(item.rejected, is_first ? second : first);
                add_unique(item.rejected, is_first ? "B" : "A");
            }
            if (!two_way && is_letter_answer(a, 'K')) fill_choice_lists(item, 'K');
            break;
        }
        case DatasetFormat::jsonl:
            if (!item.choices.empty() && is_letter_answer(a, 'Z')) fill_choice_lists(item, char('A' + item.choices.size() - 1));
            break;
        case DatasetFormat::gsm8k:
        case DatasetFormat::auto_detect:
            break;
    }
}

EvalDataset eval_dataset_load(const std::filesystem::path& file, DatasetFormat format) {
    const std::string name = file.string();
    const std::string text = read_input_file(file, "a dataset (.jsonl or LightThinker .json)");
    EvalDataset ds;
    ds.name = file.stem().string();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw Error(name + ": empty dataset");
    bool whole_object = false;
    json whole;
    if (text[first] == '{' || text[first] == '[') {
        try {
            whole = json::parse(text);
            whole_object = true;
        } catch (const std::exception&) {
            // JSON Lines whose first line is an object; the line reader reports what is wrong.
        }
        if (whole_object && whole.is_array())
            throw Error(name + ": a JSON array; expected LightThinker's {group: [items]} object or JSON Lines");
        if (whole_object && whole.is_object() && whole.contains("question")) whole_object = false;  // one JSONL line
    }
    if (whole_object) {
        DatasetFormat kind = format;
        for (auto& [group, list] : whole.items()) {
            if (!list.is_array()) throw Error(name + ": group \"" + group + "\" must be a list of items");
            for (size_t i = 0; i < list.size(); ++i) {
                const std::string where = name + ": " + group + "[" + std::to_string(i) + "]";
                if (kind == DatasetFormat::auto_detect || kind == DatasetFormat::jsonl) {
                    if (!list[i].is_object()) throw Error(where + ": expected an object, got " + std::string(list[i].type_name()));
                    kind = detect_lightthinker_kind(list[i]);
                }
                EvalItem it = item_from(list[i], group + "/" + std::to_string(i), where);
                ds.items.push_back(std::move(it));
            }
        }
        ds.format = kind == DatasetFormat::auto_detect ? DatasetFormat::gsm8k : kind;
    } else {
        ds.format = format == DatasetFormat::auto_detect ? DatasetFormat::jsonl : format;
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
                throw Error(name + ":" + std::to_string(n) + ": not valid JSON (expected one {\"question\", \"answer\"} object per line)");
            }
            ds.items.push_back(item_from(j, std::to_string(n), name + ":" + std::to_string(n)));
        }
    }
    if (ds.items.empty()) throw Error(name + ": no items");
    for (auto& it : ds.items) eval_item_fill_lists(it, ds.format);
    return ds;
}

}  // namespace gistscope
