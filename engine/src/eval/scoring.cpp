// Answer scoring of gistscope/eval.h (spec 7.4) with the reference evaluator's bugs fixed:
// - it evaluates answers made of "0-9 . - +" with Python's eval, so "5-3" counts as 2 and "08"
//   or "1.2.3" crash the evaluation; here a number is parsed strictly and never evaluated;
// - it keeps GSM8K's thousands commas, so "1450000" against "1,450,000" goes to a person; here
//   both are the same number, as are "$18", "18 dollars", "18.00" and "18";
// - BBH's letter comparison can never match (spec 12.5); here "(B)", "B" and "b" are one answer.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include "gistscope/eval.h"

namespace gistscope {
namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

// "\text{Yes}" -> "Yes" when the wrapper spans the whole answer (braces balanced inside).
bool unwrap_command(std::string& s) {
    for (const char* cmd : {"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{", "\\textit{", "\\mbox{"}) {
        const std::string c = cmd;
        if (!starts_with(s, c) || s.back() != '}') continue;
        int depth = 1;
        size_t i = c.size();
        for (; i < s.size() && depth > 0; ++i) {
            if (s[i] == '{') ++depth;
            else if (s[i] == '}') --depth;
        }
        if (depth == 0 && i == s.size()) {
            s = trim(s.substr(c.size(), s.size() - c.size() - 1));
            return true;
        }
    }
    return false;
}

// The comparable form of an answer: trimmed, $...$ and whole-answer \text{} removed, a final
// period dropped, inner runs of spaces collapsed, lower case.
// $...$ and whole-answer \text{} (repeatedly) removed, trimmed.
std::string strip_wrappers(std::string s) {
    s = trim(s);
    for (bool changed = true; changed && !s.empty();) {
        changed = false;
        if (s.size() >= 2 && s.front() == '$' && s.back() == '$') {
            s = trim(s.substr(1, s.size() - 2));
            changed = true;
        }
        if (!s.empty() && unwrap_command(s)) changed = true;
    }
    return s;
}

std::string normalise(const std::string& answer) {
    std::string s = strip_wrappers(answer);
    if (s.size() > 1 && s.back() == '.') s.pop_back();
    std::string out;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += char(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return trim(out);
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// A plain decimal: optional sign, digits (with correct thousands commas) and an optional fraction.
std::optional<double> plain_number(const std::string& s) {
    static const std::regex number(R"(^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$)");
    if (s.empty() || !std::regex_match(s, number) || s.find_first_of("0123456789") == std::string::npos) return std::nullopt;
    std::string digits;
    for (char c : s)
        if (c != ',') digits += c;
    try {
        return std::stod(digits);
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace

std::string verdict_name(Verdict v) {
    switch (v) {
        case Verdict::correct: return "correct";
        case Verdict::wrong: return "wrong";
        case Verdict::unmatched: return "unmatched";
    }
    return "unmatched";
}

bool verdict_parse(const std::string& name, Verdict& out) {
    for (auto v : {Verdict::correct, Verdict::wrong, Verdict::unmatched})
        if (verdict_name(v) == name) {
            out = v;
            return true;
        }
    return false;
}

std::optional<double> eval_answer_number(const std::string& answer) {
    std::string s = strip_wrappers(answer);
    // Spacing and decorations that do not change the value.
    for (const char* noise : {"\\!", "\\,", "\\;", "\\ ", "~", "^\\circ", "^{\\circ}", "\xC2\xB0", "\\%", "%", "\\$", "$"})
        replace_all(s, noise, " ");
    // "\text{ dollars}" and similar unit suffixes; \frac / \dfrac / \tfrac of two plain numbers.
    static const std::regex text_cmd(R"(\\(text|mbox|mathrm)\{[^{}]*\})");
    s = std::regex_replace(s, text_cmd, " ");
    s = trim(s);
    // "x = 5", "n=5": the value after a single variable name.
    static const std::regex assignment(R"(^[A-Za-z]\w*\s*=\s*(.*)$)");
    std::smatch m;
    if (std::regex_match(s, m, assignment)) s = trim(m[1].str());
    static const std::regex frac(R"(^([+-]?)\\[dt]?frac\{\s*([^{}]+?)\s*\}\{\s*([^{}]+?)\s*\}$)");
    static const std::regex slash(R"(^([+-]?)(\d+)\s*/\s*(\d+)$)");
    if (std::regex_match(s, m, frac) || std::regex_match(s, m, slash)) {
        const auto a = plain_number(m[2].str()), b = plain_number(m[3].str());
        if (!a || !b || *b == 0) return std::nullopt;
        return (m[1].str() == "-" ? -1.0 : 1.0) * *a / *b;
    }
    // A number followed by unit words: "18 dollars", "5 cm", "3 hours".
    static const std::regex with_units(R"(^([+-]?[\d.,]+)\s*([A-Za-z][A-Za-z ]*)?$)");
    if (std::regex_match(s, m, with_units)) return plain_number(m[1].str());
    return std::nullopt;
}

EvalScore eval_score(const std::optional<std::string>& model_answer, const EvalItem& item) {
    if (!model_answer || normalise(*model_answer).empty() || normalise(*model_answer) == "error")
        return {Verdict::wrong, "no_answer"};
    const std::string a = normalise(*model_answer);
    for (const auto& x : item.accepted)
        if (normalise(x) == a) return {Verdict::correct, "accepted"};
    for (const auto& x : item.rejected)
        if (normalise(x) == a) return {Verdict::wrong, "rejected"};
    const auto x = eval_answer_number(*model_answer), y = eval_answer_number(item.answer);
    if (x && y) {
        const bool same = std::abs(*x - *y) <= 1e-6 * std::max(1.0, std::abs(*y));
        return {same ? Verdict::correct : Verdict::wrong, "numeric"};
    }
    return {Verdict::unmatched, "none"};
}

}  // namespace gistscope
