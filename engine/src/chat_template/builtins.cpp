// jinja2's filters and tests, Python's str / dict methods, getattr / getitem / slicing and the
// arithmetic operators, with the semantics (and, where it matters, the messages) of CPython.
#include "chat_template/builtins.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <utf8proc.h>

namespace gistscope::jinja {

namespace {

[[noreturn]] void type_error(const std::string& what) { throw TemplateError{what}; }

// Results of repetition, padding and indentation are bounded: the sandbox's inputs are untrusted.
constexpr int64_t max_repeat_bytes = int64_t(1) << 26;  // 64 MiB

[[noreturn]] void out_of_range() { type_error("integer result out of range (GistScope's integers are 64-bit)"); }
int64_t add_checked(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) out_of_range();
    return r;
}
int64_t sub_checked(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) out_of_range();
    return r;
}
int64_t mul_checked(int64_t a, int64_t b) {
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) out_of_range();
    return r;
}

Value generator(ValueList items) {
    Value v = Value::from_list(std::move(items));
    v.is_generator = true;
    return v;
}

Value markup(std::string text) {
    Value v = Value::from_string(std::move(text));
    v.is_markup = true;
    return v;
}

int64_t as_index(const Value& v) {
    if (v.kind == Kind::integer) return v.integer;
    if (v.kind == Kind::boolean) return v.boolean ? 1 : 0;
    if (v.is_undefined()) fail_undefined(v);
    type_error("indices must be integers, not " + type_name(v));
}

double as_double(const Value& v) {
    if (v.kind == Kind::floating) return v.floating;
    if (v.kind == Kind::boolean) return v.boolean ? 1.0 : 0.0;
    return static_cast<double>(v.integer);
}

bool is_int_like(const Value& v) { return v.kind == Kind::integer || v.kind == Kind::boolean; }

// Argument `index` / keyword `name`, or `fallback`.
Value arg(std::vector<Value>& args, Kwargs& kwargs, size_t index, const std::string& name, Value fallback) {
    if (auto k = kwargs.take(name)) {
        if (index < args.size()) type_error("got multiple values for argument '" + name + "'");
        return *k;
    }
    if (index < args.size()) return args[index];
    return fallback;
}

void max_args(const std::vector<Value>& args, size_t n, const std::string& callee) {
    if (args.size() > n)
        type_error(callee + " takes at most " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + " (" +
                   std::to_string(args.size()) + " given)");
}

std::string require_string(const Value& v, const std::string& what) {
    if (v.kind == Kind::string) return v.text;
    if (v.is_undefined()) fail_undefined(v);
    type_error(what + " must be str, not " + type_name(v));
}

// ---- code point string helpers ----

// Python's str.upper / lower use the full case mappings (SpecialCasing.txt), under which some
// characters become two or three; utf8proc gives the one-to-one ones. The common expansions:
const std::u32string* special_case(char32_t c, bool upper) {
    static const std::map<char32_t, std::u32string> to_upper = {
        {0x00DF, U"SS"}, {0x0149, U"\u02BCN"}, {0x01F0, U"J\u030C"}, {0xFB00, U"FF"}, {0xFB01, U"FI"},
        {0xFB02, U"FL"}, {0xFB03, U"FFI"}, {0xFB04, U"FFL"}, {0xFB05, U"ST"}, {0xFB06, U"ST"}, {0x0587, U"\u0535\u0552"},
    };
    static const std::map<char32_t, std::u32string> to_lower = {{0x0130, U"i\u0307"}};
    const auto& table = upper ? to_upper : to_lower;
    const auto it = table.find(c);
    return it == table.end() ? nullptr : &it->second;
}

std::u32string map_case(const std::u32string& s, bool upper) {
    std::u32string out;
    out.reserve(s.size());
    for (char32_t c : s) {
        if (c >= 0xDC80 && c <= 0xDCFF) { out.push_back(c); continue; }
        if (const std::u32string* expansion = special_case(c, upper)) { out += *expansion; continue; }
        out.push_back(static_cast<char32_t>(upper ? utf8proc_toupper(static_cast<utf8proc_int32_t>(c))
                                                  : utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
    }
    return out;
}
bool is_cased_letter(char32_t c) {
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT;
}
std::string upper(const std::string& s) { return utf8_encode(map_case(utf8_decode(s), true)); }
std::string lower(const std::string& s) { return utf8_encode(map_case(utf8_decode(s), false)); }
std::string title_case(const std::string& s) {
    std::u32string u = utf8_decode(s), out;
    bool prev_cased = false;
    for (char32_t c : u) {
        out += map_case(std::u32string(1, c), !prev_cased);
        prev_cased = is_cased_letter(c);
    }
    return utf8_encode(out);
}
std::string capitalize(const std::string& s) {
    std::u32string u = utf8_decode(s);
    if (u.empty()) return s;
    std::u32string out = map_case(u.substr(0, 1), true) + map_case(u.substr(1), false);
    return utf8_encode(out);
}

std::string strip(const std::string& s, const Value& chars, bool left, bool right) {
    const std::u32string u = utf8_decode(s);
    std::u32string set;
    const bool whitespace = chars.kind == Kind::none || chars.is_undefined();
    if (!whitespace) set = utf8_decode(require_string(chars, "strip arg"));
    auto strip_it = [&](char32_t c) { return whitespace ? is_python_space(c) : set.find(c) != std::u32string::npos; };
    size_t b = 0, e = u.size();
    if (left) while (b < e && strip_it(u[b])) ++b;
    if (right) while (e > b && strip_it(u[e - 1])) --e;
    return utf8_encode(u.substr(b, e - b));
}

ValueList split(const std::string& s, const Value& sep, int64_t maxsplit, bool from_right) {
    ValueList out;
    if (sep.kind == Kind::none || sep.is_undefined()) {
        const std::u32string u = utf8_decode(s);
        std::vector<std::u32string> words;
        if (!from_right) {
            size_t i = 0;
            while (i < u.size()) {
                while (i < u.size() && is_python_space(u[i])) ++i;
                if (i == u.size()) break;
                if (maxsplit >= 0 && static_cast<int64_t>(words.size()) == maxsplit) {
                    size_t e = u.size();
                    while (e > i && is_python_space(u[e - 1])) --e;
                    words.push_back(u.substr(i, e - i));
                    break;
                }
                size_t j = i;
                while (j < u.size() && !is_python_space(u[j])) ++j;
                words.push_back(u.substr(i, j - i));
                i = j;
            }
        } else {
            size_t e = u.size();
            while (e > 0) {
                while (e > 0 && is_python_space(u[e - 1])) --e;
                if (e == 0) break;
                if (maxsplit >= 0 && static_cast<int64_t>(words.size()) == maxsplit) {
                    size_t b = 0;
                    while (b < e && is_python_space(u[b])) ++b;
                    words.push_back(u.substr(b, e - b));
                    break;
                }
                size_t b = e;
                while (b > 0 && !is_python_space(u[b - 1])) --b;
                words.push_back(u.substr(b, e - b));
                e = b;
            }
            std::reverse(words.begin(), words.end());
        }
        for (auto& w : words) out.push_back(Value::from_string(utf8_encode(w)));
        return out;
    }
    const std::string d = require_string(sep, "separator");
    if (d.empty()) type_error("empty separator");
    std::vector<std::string> parts;
    if (!from_right) {
        size_t start = 0;
        while (true) {
            if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) break;
            const size_t at = s.find(d, start);
            if (at == std::string::npos) break;
            parts.push_back(s.substr(start, at - start));
            start = at + d.size();
        }
        parts.push_back(s.substr(start));
    } else {
        size_t end = s.size();
        while (true) {
            if (maxsplit >= 0 && static_cast<int64_t>(parts.size()) == maxsplit) break;
            if (end < d.size()) break;
            const size_t at = s.rfind(d, end - d.size());
            if (at == std::string::npos) break;
            parts.push_back(s.substr(at + d.size(), end - at - d.size()));
            end = at;
        }
        parts.push_back(s.substr(0, end));
        std::reverse(parts.begin(), parts.end());
    }
    for (auto& p : parts) out.push_back(Value::from_string(std::move(p)));
    return out;
}

std::string replace(const std::string& s, const std::string& old, const std::string& repl, int64_t count) {
    std::string out;
    if (old.empty()) {  // Python inserts between every code point
        const std::u32string u = utf8_decode(s);
        int64_t n = 0;
        for (size_t i = 0; i <= u.size(); ++i) {
            if (count < 0 || n < count) { out += repl; ++n; }
            if (i < u.size()) out += utf8_encode(u.substr(i, 1));
        }
        return out;
    }
    size_t start = 0;
    int64_t n = 0;
    while (count < 0 || n < count) {
        const size_t at = s.find(old, start);
        if (at == std::string::npos) break;
        out += s.substr(start, at - start) + repl;
        start = at + old.size();
        ++n;
    }
    return out + s.substr(start);
}

bool starts_or_ends(const std::string& s, const Value& what, bool start) {
    auto one = [&](const Value& p) {
        const std::string x = require_string(p, start ? "startswith arg" : "endswith arg");
        if (x.size() > s.size()) return false;
        return start ? s.compare(0, x.size(), x) == 0 : s.compare(s.size() - x.size(), x.size(), x) == 0;
    };
    if (what.kind == Kind::list && what.is_tuple) {
        for (const auto& p : what.items())
            if (one(p)) return true;
        return false;
    }
    return one(what);
}

Value python_slice(const Value& obj, const Value& start_v, const Value& stop_v, const Value& step_v) {
    const bool is_str = obj.kind == Kind::string;
    std::u32string u;
    if (is_str) u = utf8_decode(obj.text);
    const int64_t n = is_str ? static_cast<int64_t>(u.size()) : static_cast<int64_t>(obj.list->size());
    auto given = [](const Value& v) { return !(v.kind == Kind::none || v.is_undefined()); };
    const int64_t step = given(step_v) ? as_index(step_v) : 1;
    if (step == 0) type_error("slice step cannot be zero");
    auto clamp = [&](const Value& v, int64_t dflt) {
        if (!given(v)) return dflt;
        int64_t i = as_index(v);
        if (i < 0) i += n;
        if (step > 0) return std::clamp<int64_t>(i, 0, n);
        return std::clamp<int64_t>(i, -1, n - 1);
    };
    const int64_t start = clamp(start_v, step > 0 ? 0 : n - 1);
    const int64_t stop = clamp(stop_v, step > 0 ? n : -1);
    std::vector<int64_t> idx;
    if (step > 0) for (int64_t i = start; i < stop; i += step) idx.push_back(i);
    else for (int64_t i = start; i > stop; i += step) idx.push_back(i);
    if (is_str) {
        std::u32string out;
        for (int64_t i : idx) out.push_back(u[static_cast<size_t>(i)]);
        return Value::from_string(utf8_encode(out));
    }
    ValueList out;
    for (int64_t i : idx) out.push_back((*obj.list)[static_cast<size_t>(i)]);
    return Value::from_list(std::move(out), obj.is_tuple);
}

Value dotted_attribute(const Value& item, const std::string& path) {
    Value v = item;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        v = numeric ? get_item(v, Value::from_int(std::stoll(part))) : get_item(v, Value::from_string(part));
        if (dot == std::string::npos) return v;
        start = dot + 1;
    }
}

ValueList sorted_values(ValueList items, bool reverse, bool case_sensitive, const std::string& attribute) {
    auto key = [&](const Value& v) {
        Value k = attribute.empty() ? v : dotted_attribute(v, attribute);
        if (!case_sensitive && k.kind == Kind::string) k = Value::from_string(lower(k.text));
        return k;
    };
    std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
        return reverse ? compare(key(b), key(a)) < 0 : compare(key(a), key(b)) < 0;
    });
    return items;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

Value to_int(const Value& v, const Value& fallback, int base) {
    switch (v.kind) {
    case Kind::integer: return v;
    case Kind::boolean: return Value::from_int(v.boolean ? 1 : 0);
    case Kind::floating: return std::isfinite(v.floating) ? Value::from_int(static_cast<int64_t>(v.floating)) : fallback;
    case Kind::string: {
        const std::string t = strip(v.text, Value::none(), true, true);
        try {
            size_t used = 0;
            const long long i = std::stoll(t, &used, base);
            if (used == t.size()) return Value::from_int(i);
        } catch (...) {
        }
        try {
            size_t used = 0;
            const double f = std::stod(t, &used);
            if (used == t.size() && std::isfinite(f)) return Value::from_int(static_cast<int64_t>(f));
        } catch (...) {
        }
        return fallback;
    }
    default: return fallback;
    }
}

Value to_float(const Value& v, const Value& fallback) {
    switch (v.kind) {
    case Kind::integer:
    case Kind::boolean: return Value::from_float(as_double(v));
    case Kind::floating: return v;
    case Kind::string: {
        const std::string t = strip(v.text, Value::none(), true, true);
        try {
            size_t used = 0;
            const double f = std::stod(t, &used);
            if (used == t.size()) return Value::from_float(f);
        } catch (...) {
        }
        return fallback;
    }
    default: return fallback;
    }
}

// select / reject / selectattr / rejectattr: args[0] is the test name when there is one.
ValueList select_items(const Value& seq, std::vector<Value>& args, bool with_attribute, bool keep_when) {
    if (!truthy(seq)) return {};  // jinja2: `if seq:` before iterating, so none selects nothing
    std::string attribute;
    size_t next = 0;
    if (with_attribute) {
        if (args.empty()) type_error("selectattr / rejectattr need an attribute name");
        attribute = require_string(args[0], "attribute");
        next = 1;
    }
    std::string test;
    if (next < args.size()) test = require_string(args[next++], "test name");
    if (!test.empty() && !is_known_test(test)) type_error("unknown test '" + test + "'");
    std::vector<Value> test_args(args.begin() + static_cast<long>(std::min(next, args.size())), args.end());
    ValueList out;
    for (const Value& item : iterate(seq)) {
        const Value subject = with_attribute ? dotted_attribute(item, attribute) : item;
        std::vector<Value> a = test_args;
        const bool pass = test.empty() ? truthy(subject) : apply_test(test, subject, a);
        if (pass == keep_when) out.push_back(item);
    }
    return out;
}

using Filter = Value (*)(const Value& s, std::vector<Value>& a, Kwargs& k);

Value f_tojson(const Value& s, std::vector<Value>& a, Kwargs& k) {
    max_args(a, 4, "tojson");
    // transformers' tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
    const Value ensure_ascii = arg(a, k, 0, "ensure_ascii", Value::from_bool(false));
    const Value indent = arg(a, k, 1, "indent", Value::none());
    const Value separators = arg(a, k, 2, "separators", Value::none());
    const Value sort_keys = arg(a, k, 3, "sort_keys", Value::from_bool(false));
    k.expect_empty("tojson");
    int indent_n = -1;
    std::string indent_text;
    if (indent.kind == Kind::string) indent_text = indent.text, indent_n = indent.text.empty() ? 0 : -1;
    else if (indent.kind != Kind::none) indent_n = static_cast<int>(std::clamp<int64_t>(as_index(indent), 0, 10000));
    std::optional<std::pair<std::string, std::string>> seps;
    if (separators.kind == Kind::list && separators.list->size() == 2)
        seps = std::make_pair(require_string((*separators.list)[0], "separator"), require_string((*separators.list)[1], "separator"));
    else if (separators.kind != Kind::none) type_error("tojson separators must be a (item, key) pair");
    if (s.is_undefined()) fail_undefined(s);
    return Value::from_string(to_json(s, truthy(ensure_ascii), indent_n, indent_text, seps, truthy(sort_keys)));
}

Value f_join(const Value& s, std::vector<Value>& a, Kwargs& k) {
    const std::string d = to_str(arg(a, k, 0, "d", Value::from_string("")));
    const Value attribute = arg(a, k, 1, "attribute", Value::none());
    k.expect_empty("join");
    std::string out;
    bool first = true;
    for (const Value& item : iterate(s)) {
        out += (first ? "" : d) + to_str(attribute.kind == Kind::none ? item : dotted_attribute(item, to_str(attribute)));
        first = false;
    }
    return Value::from_string(out);
}

Value f_default(const Value& s, std::vector<Value>& a, Kwargs& k) {
    const Value fallback = arg(a, k, 0, "default_value", Value::from_string(""));
    const bool boolean = truthy(arg(a, k, 1, "boolean", Value::from_bool(false)));
    k.expect_empty("default");
    if (s.is_undefined() || (boolean && !truthy(s))) return fallback;
    return s;
}

Value f_map(const Value& s, std::vector<Value>& a, Kwargs& k) {
    ValueList out;
    if (!truthy(s)) {  // jinja2: `if value:` before iterating
        k.entries.clear();
        return generator({});
    }
    if (auto attribute = k.take("attribute")) {
        const std::optional<Value> fallback = k.take("default");
        k.expect_empty("map");
        for (const Value& item : iterate(s)) {
            Value v = dotted_attribute(item, to_str(*attribute));
            out.push_back(v.is_undefined() && fallback ? *fallback : v);
        }
        return generator(std::move(out));
    }
    if (a.empty()) type_error("map needs a filter name or attribute=");
    const std::string filter = require_string(a[0], "filter name");
    if (!is_known_filter(filter)) type_error("unknown filter '" + filter + "'");
    for (const Value& item : iterate(s)) {
        std::vector<Value> rest(a.begin() + 1, a.end());
        Kwargs kw = k;
        out.push_back(apply_filter(filter, item, rest, kw));
    }
    return generator(std::move(out));
}

Value f_items(const Value& s, std::vector<Value>&, Kwargs& k) {
    k.expect_empty("items");
    if (s.is_undefined()) return generator({});
    if (s.kind != Kind::dict || s.is_namespace) type_error("items filter: can only get item pairs from a mapping, not " + type_name(s));
    ValueList out;
    for (const auto& [key, v] : s.dict->entries) out.push_back(Value::from_list({key, v}, true));
    return generator(std::move(out));
}

Value f_dictsort(const Value& s, std::vector<Value>& a, Kwargs& k) {
    const bool cs = truthy(arg(a, k, 0, "case_sensitive", Value::from_bool(false)));
    const std::string by = to_str(arg(a, k, 1, "by", Value::from_string("key")));
    const bool reverse = truthy(arg(a, k, 2, "reverse", Value::from_bool(false)));
    k.expect_empty("dictsort");
    if (s.kind != Kind::dict || s.is_namespace) type_error("dictsort filter: expected a mapping, not " + type_name(s));
    if (by != "key" && by != "value") type_error("dictsort: you can only sort by either 'key' or 'value'");
    ValueList pairs;
    for (const auto& [key, v] : s.dict->entries) pairs.push_back(Value::from_list({key, v}, true));
    std::stable_sort(pairs.begin(), pairs.end(), [&](const Value& x, const Value& y) {
        Value kx = (*x.list)[by == "key" ? 0 : 1], ky = (*y.list)[by == "key" ? 0 : 1];
        if (!cs && kx.kind == Kind::string) kx = Value::from_string(lower(kx.text));
        if (!cs && ky.kind == Kind::string) ky = Value::from_string(lower(ky.text));
        return reverse ? compare(ky, kx) < 0 : compare(kx, ky) < 0;
    });
    return Value::from_list(std::move(pairs));
}

Value f_trim(const Value& s, std::vector<Value>& a, Kwargs& k) {
    const Value chars = arg(a, k, 0, "chars", Value::none());
    k.expect_empty("trim");
    return Value::from_string(strip(to_str(s), chars, true, true));
}

Value f_replace(const Value& s, std::vector<Value>& a, Kwargs& k) {
    if (a.size() < 2) type_error("replace needs old and new");
    const Value count = arg(a, k, 2, "count", Value::none());
    k.expect_empty("replace");
    return Value::from_string(replace(to_str(s), to_str(a[0]), to_str(a[1]), count.kind == Kind::none ? -1 : as_index(count)));
}

const std::map<std::string, Filter>& filters() {
    static const std::map<std::string, Filter> table = {
        {"abs", [](const Value& s, std::vector<Value>&, Kwargs&) {
             if (s.kind == Kind::floating) return Value::from_float(std::fabs(s.floating));
             if (is_int_like(s)) {
                 const int64_t i = s.kind == Kind::boolean ? int64_t(s.boolean) : s.integer;
                 if (i == INT64_MIN) out_of_range();
                 return Value::from_int(i < 0 ? -i : i);
             }
             type_error("bad operand type for abs(): '" + type_name(s) + "'");
         }},
        {"attr", [](const Value& s, std::vector<Value>& a, Kwargs&) {
             if (a.empty()) type_error("attr needs a name");
             return get_attribute(s, to_str(a[0]));
         }},
        {"capitalize", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_string(capitalize(to_str(s))); }},
        {"count", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_int(length(s)); }},
        {"length", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_int(length(s)); }},
        {"default", f_default},
        {"dictsort", f_dictsort},
        {"d", f_default},
        {"escape", [](const Value& s, std::vector<Value>&, Kwargs&) { return s.is_markup ? s : markup(html_escape(to_str(s))); }},
        {"e", [](const Value& s, std::vector<Value>&, Kwargs&) { return s.is_markup ? s : markup(html_escape(to_str(s))); }},
        {"first", [](const Value& s, std::vector<Value>&, Kwargs&) {
             ValueList items = iterate(s);
             return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
         }},
        {"last", [](const Value& s, std::vector<Value>&, Kwargs&) {
             if (s.is_generator) type_error("'generator' object is not reversible");
             ValueList items = iterate(s);
             return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
         }},
        {"float", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             return to_float(s, arg(a, k, 0, "default", Value::from_float(0.0)));
         }},
        {"int", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const Value fallback = arg(a, k, 0, "default", Value::from_int(0));
             const Value base = arg(a, k, 1, "base", Value::from_int(10));
             return to_int(s, fallback, static_cast<int>(as_index(base)));
         }},
        {"items", f_items},
        {"join", f_join},
        {"list", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_list(iterate(s)); }},
        {"lower", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_string(lower(to_str(s))); }},
        {"upper", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_string(upper(to_str(s))); }},
        {"title", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_string(title_case(to_str(s))); }},
        {"map", f_map},
        {"max", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const bool cs = truthy(arg(a, k, 0, "case_sensitive", Value::from_bool(false)));
             const Value attr = arg(a, k, 1, "attribute", Value::none());
             ValueList items = sorted_values(iterate(s), true, cs, attr.kind == Kind::none ? "" : to_str(attr));
             return items.empty() ? Value::undefined("No aggregated item, sequence was empty.") : items.front();
         }},
        {"min", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const bool cs = truthy(arg(a, k, 0, "case_sensitive", Value::from_bool(false)));
             const Value attr = arg(a, k, 1, "attribute", Value::none());
             ValueList items = sorted_values(iterate(s), false, cs, attr.kind == Kind::none ? "" : to_str(attr));
             return items.empty() ? Value::undefined("No aggregated item, sequence was empty.") : items.front();
         }},
        {"reject", [](const Value& s, std::vector<Value>& a, Kwargs&) { return generator(select_items(s, a, false, false)); }},
        {"rejectattr", [](const Value& s, std::vector<Value>& a, Kwargs&) { return generator(select_items(s, a, true, false)); }},
        {"select", [](const Value& s, std::vector<Value>& a, Kwargs&) { return generator(select_items(s, a, false, true)); }},
        {"selectattr", [](const Value& s, std::vector<Value>& a, Kwargs&) { return generator(select_items(s, a, true, true)); }},
        {"replace", f_replace},
        {"reverse", [](const Value& s, std::vector<Value>&, Kwargs&) {
             if (s.kind == Kind::string) {
                 std::u32string u = utf8_decode(s.text);
                 std::reverse(u.begin(), u.end());
                 return Value::from_string(utf8_encode(u));
             }
             ValueList items = iterate(s);
             std::reverse(items.begin(), items.end());
             return generator(std::move(items));  // reversed(...): an iterator
         }},
        {"round", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const int64_t precision = as_index(arg(a, k, 0, "precision", Value::from_int(0)));
             const std::string method = to_str(arg(a, k, 1, "method", Value::from_string("common")));
             const double scale = std::pow(10.0, static_cast<double>(precision));
             const double x = as_double(s) * scale;
             const double r = method == "ceil" ? std::ceil(x) : method == "floor" ? std::floor(x) : std::round(x);
             return Value::from_float(r / scale);
         }},
        {"safe", [](const Value& s, std::vector<Value>&, Kwargs&) { return s.is_markup ? s : markup(to_str(s)); }},
        {"sort", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const bool reverse = truthy(arg(a, k, 0, "reverse", Value::from_bool(false)));
             const bool cs = truthy(arg(a, k, 1, "case_sensitive", Value::from_bool(false)));
             const Value attr = arg(a, k, 2, "attribute", Value::none());
             return Value::from_list(sorted_values(iterate(s), reverse, cs, attr.kind == Kind::none ? "" : to_str(attr)));
         }},
        {"string", [](const Value& s, std::vector<Value>&, Kwargs&) { return Value::from_string(to_str(s)); }},
        {"sum", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const Value attr = arg(a, k, 0, "attribute", Value::none());
             Value total = arg(a, k, 1, "start", Value::from_int(0));
             for (const Value& item : iterate(s))
                 total = binary_op("+", total, attr.kind == Kind::none ? item : dotted_attribute(item, to_str(attr)));
             return total;
         }},
        {"tojson", f_tojson},
        {"trim", f_trim},
        {"unique", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const bool cs = truthy(arg(a, k, 0, "case_sensitive", Value::from_bool(false)));
             const Value attr = arg(a, k, 1, "attribute", Value::none());
             ValueList out, keys;
             for (const Value& item : iterate(s)) {
                 Value key = attr.kind == Kind::none ? item : dotted_attribute(item, to_str(attr));
                 if (!cs && key.kind == Kind::string) key = Value::from_string(lower(key.text));
                 if (std::none_of(keys.begin(), keys.end(), [&](const Value& x) { return equals(x, key); })) {
                     keys.push_back(key);
                     out.push_back(item);
                 }
             }
             return generator(std::move(out));
         }},
        {"indent", [](const Value& s, std::vector<Value>& a, Kwargs& k) {
             const Value width = arg(a, k, 0, "width", Value::from_int(4));
             const bool first = truthy(arg(a, k, 1, "first", Value::from_bool(false)));
             const bool blank = truthy(arg(a, k, 2, "blank", Value::from_bool(false)));
             if (width.kind != Kind::string && (as_index(width) < 0 || as_index(width) > 10000)) type_error("indent width must be 0..10000");
             const std::string pad = width.kind == Kind::string ? width.text : std::string(static_cast<size_t>(as_index(width)), ' ');
             const std::string text = to_str(s);
             std::string out;
             size_t start = 0;
             bool is_first = true;
             while (true) {
                 const size_t nl = text.find('\n', start);
                 const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
                 const bool indent_it = is_first ? first : (blank || !strip(line, Value::none(), true, true).empty());
                 out += (indent_it && (!line.empty() || blank || is_first) ? pad : "") + line;
                 if (nl == std::string::npos) break;
                 out += '\n';
                 start = nl + 1;
                 is_first = false;
             }
             return Value::from_string(out);
         }},
        {"wordcount", [](const Value& s, std::vector<Value>&, Kwargs&) {
             return Value::from_int(static_cast<int64_t>(split(to_str(s), Value::none(), -1, false).size()));
         }},
    };
    return table;
}

using Test = bool (*)(const Value& s, std::vector<Value>& a);

const Value& first_arg(const std::vector<Value>& a, const char* test) {
    if (a.empty()) type_error(std::string("the '") + test + "' test needs an argument");
    return a[0];
}

const std::map<std::string, Test>& tests() {
    static const std::map<std::string, Test> table = {
        {"defined", [](const Value& s, std::vector<Value>&) { return !s.is_undefined(); }},
        {"undefined", [](const Value& s, std::vector<Value>&) { return s.is_undefined(); }},
        {"none", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::none; }},
        {"boolean", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::boolean; }},
        {"true", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::boolean && s.boolean; }},
        {"false", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::boolean && !s.boolean; }},
        {"integer", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::integer; }},
        {"float", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::floating; }},
        {"number", [](const Value& s, std::vector<Value>&) { return s.is_number(); }},
        {"string", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::string; }},
        {"mapping", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::dict && !s.is_namespace; }},
        // jinja2: Undefined iterates as empty and has __len__ / __getitem__, strings are sequences.
        {"iterable", [](const Value& s, std::vector<Value>&) {
             return s.is_undefined() || s.kind == Kind::string || s.kind == Kind::list || (s.kind == Kind::dict && !s.is_namespace);
         }},
        {"sequence", [](const Value& s, std::vector<Value>&) {
             return s.is_undefined() || s.kind == Kind::string || s.kind == Kind::list || (s.kind == Kind::dict && !s.is_namespace);
         }},
        {"callable", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::callable; }},
        {"sameas", [](const Value& s, std::vector<Value>& a) {
             const Value& o = first_arg(a, "sameas");
             if (s.kind != o.kind) return false;
             switch (s.kind) {
             case Kind::none: case Kind::undefined: return true;
             case Kind::boolean: return s.boolean == o.boolean;
             case Kind::list: return s.list == o.list;
             case Kind::dict: return s.dict == o.dict;
             case Kind::callable: return s.function == o.function;
             default: return equals(s, o);
             }
         }},
        {"eq", [](const Value& s, std::vector<Value>& a) { return equals(s, first_arg(a, "eq")); }},
        {"equalto", [](const Value& s, std::vector<Value>& a) { return equals(s, first_arg(a, "equalto")); }},
        {"==", [](const Value& s, std::vector<Value>& a) { return equals(s, first_arg(a, "==")); }},
        {"ne", [](const Value& s, std::vector<Value>& a) { return !equals(s, first_arg(a, "ne")); }},
        {"!=", [](const Value& s, std::vector<Value>& a) { return !equals(s, first_arg(a, "!=")); }},
        {"lt", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "lt")) < 0; }},
        {"lessthan", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "lessthan")) < 0; }},
        {"<", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "<")) < 0; }},
        {"le", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "le")) <= 0; }},
        {"<=", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "<=")) <= 0; }},
        {"gt", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "gt")) > 0; }},
        {"greaterthan", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "greaterthan")) > 0; }},
        {">", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, ">")) > 0; }},
        {"ge", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, "ge")) >= 0; }},
        {">=", [](const Value& s, std::vector<Value>& a) { return compare(s, first_arg(a, ">=")) >= 0; }},
        {"in", [](const Value& s, std::vector<Value>& a) { return contains(first_arg(a, "in"), s); }},
        {"odd", [](const Value& s, std::vector<Value>&) { return (as_index(s) % 2 + 2) % 2 == 1; }},
        {"even", [](const Value& s, std::vector<Value>&) { return as_index(s) % 2 == 0; }},
        {"divisibleby", [](const Value& s, std::vector<Value>& a) {
             const int64_t d = as_index(first_arg(a, "divisibleby"));
             if (d == 0) type_error("integer division or modulo by zero");
             return as_index(s) % d == 0;
         }},
        {"lower", [](const Value& s, std::vector<Value>&) {
             const std::string t = to_str(s);
             return lower(t) == t && upper(t) != t;
         }},
        {"upper", [](const Value& s, std::vector<Value>&) {
             const std::string t = to_str(s);
             return upper(t) == t && lower(t) != t;
         }},
        {"escaped", [](const Value&, std::vector<Value>&) { return false; }},
        {"filter", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::string && is_known_filter(s.text); }},
        {"test", [](const Value& s, std::vector<Value>&) { return s.kind == Kind::string && is_known_test(s.text); }},
    };
    return table;
}

// One replacement field's format spec, [[fill]align][sign][width][.precision][type], as str.format reads it.
std::string format_field(const Value& v, const std::string& spec) {
    if (spec.empty()) return to_str(v);
    size_t i = 0;
    std::u32string u = utf8_decode(spec);
    char32_t fill = ' ', align = 0;
    auto is_align = [](char32_t c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    if (u.size() >= 2 && is_align(u[1])) { fill = u[0]; align = u[1]; i = 2; }
    else if (!u.empty() && is_align(u[0])) { align = u[0]; i = 1; }
    std::string rest = utf8_encode(u.substr(i));
    size_t k = 0;
    bool plus = false;
    if (k < rest.size() && (rest[k] == '+' || rest[k] == '-' || rest[k] == ' ')) plus = rest[k++] == '+';
    if (k < rest.size() && rest[k] == '0' && !align) { fill = '0'; align = '='; ++k; }
    size_t width = 0;
    while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k]))) {
        width = width * 10 + size_t(rest[k++] - '0');
        if (width > 100000) type_error("format width too large");
    }
    int precision = -1;
    if (k < rest.size() && rest[k] == '.') {
        ++k;
        precision = 0;
        while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k]))) {
            precision = precision * 10 + (rest[k++] - '0');
            if (precision > 1000) type_error("format precision too large");
        }
    }
    const char type = k < rest.size() ? rest[k++] : '\0';
    if (k != rest.size()) type_error("unsupported format spec '" + spec + "'");
    std::string body;
    if (type == 'f' || type == 'F' || type == 'e' || type == '%' || (precision >= 0 && v.is_number())) {
        if (!v.is_number()) type_error("format spec '" + spec + "' needs a number, not " + type_name(v));
        char buf[64];
        const double x = type == '%' ? as_double(v) * 100 : as_double(v);
        std::snprintf(buf, sizeof buf, type == 'e' ? "%.*e" : "%.*f", precision < 0 ? 6 : precision, x);
        body = std::string(buf) + (type == '%' ? "%" : "");
    } else if (type == 'd') {
        if (!is_int_like(v)) type_error("format spec 'd' needs an integer, not " + type_name(v));
        body = std::to_string(as_index(v));
    } else {
        body = to_str(v);
        if (precision >= 0) body = utf8_encode(utf8_decode(body).substr(0, size_t(precision)));
    }
    if (plus && v.is_number() && !body.empty() && body[0] != '-') body = "+" + body;
    const size_t len = utf8_decode(body).size();
    if (len >= width) return body;
    const size_t pad = width - len;
    const std::string f = utf8_encode(std::u32string(1, fill));
    auto rep = [&](size_t n) { std::string r; for (size_t j = 0; j < n; ++j) r += f; return r; };
    if (!align) align = v.is_number() ? '>' : '<';
    if (align == '<') return body + rep(pad);
    if (align == '>') return rep(pad) + body;
    if (align == '^') return rep(pad / 2) + body + rep(pad - pad / 2);
    const bool sign = !body.empty() && (body[0] == '-' || body[0] == '+');
    return (sign ? body.substr(0, 1) : "") + rep(pad) + (sign ? body.substr(1) : body);  // '=': after the sign
}

// str.format with positional ({}, {0}) and named ({name}) fields, attribute / index lookups not included.
std::string str_format(const std::string& self, const std::vector<Value>& a, const Kwargs& k) {
    std::string out;
    size_t next_auto = 0;
    bool manual = false;
    for (size_t i = 0; i < self.size(); ++i) {
        const char c = self[i];
        if (c == '}') {
            if (i + 1 < self.size() && self[i + 1] == '}') { out += '}'; ++i; continue; }
            type_error("Single '}' encountered in format string");
        }
        if (c != '{') { out += c; continue; }
        if (i + 1 < self.size() && self[i + 1] == '{') { out += '{'; ++i; continue; }
        const size_t close = self.find('}', i);
        if (close == std::string::npos) type_error("Single '{' encountered in format string");
        const std::string field = self.substr(i + 1, close - i - 1);
        const size_t colon = field.find(':');
        std::string name = field.substr(0, colon);
        const std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
        if (!name.empty() && name.back() == 'r' && name.size() >= 2 && name[name.size() - 2] == '!') name.resize(name.size() - 2);
        const Value* v = nullptr;
        const bool numbered = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        if ((name.empty() && manual) || (numbered && next_auto > 0))
            type_error("cannot switch between automatic and manual field numbering");
        manual = manual || numbered;
        if (name.empty()) {
            if (next_auto >= a.size()) type_error("Replacement index " + std::to_string(next_auto) + " out of range for positional args tuple");
            v = &a[next_auto++];
        } else if (numbered) {
            const size_t idx = std::stoul(name);
            if (idx >= a.size()) type_error("Replacement index " + name + " out of range for positional args tuple");
            v = &a[idx];
        } else {
            for (const auto& [key, value] : k.entries)
                if (key == name) v = &value;
            if (!v) type_error("'" + name + "'");
        }
        out += format_field(*v, spec);
        i = close;
    }
    return out;
}

Value string_method(const std::string& self, const std::string& name, std::vector<Value>& a, Kwargs& k) {
    auto no_args = [&] {
        max_args(a, 0, name + "()");
        k.expect_empty(name + "()");
    };
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        max_args(a, 1, name + "()");
        const Value chars = a.empty() ? Value::none() : a[0];
        k.expect_empty(name + "()");
        return Value::from_string(strip(self, chars, name != "rstrip", name != "lstrip"));
    }
    if (name == "split" || name == "rsplit") {
        const Value sep = arg(a, k, 0, "sep", Value::none());
        const Value maxsplit = arg(a, k, 1, "maxsplit", Value::from_int(-1));
        k.expect_empty(name + "()");
        return Value::from_list(split(self, sep, as_index(maxsplit), name == "rsplit"));
    }
    if (name == "splitlines") {
        const bool keepends = truthy(arg(a, k, 0, "keepends", Value::from_bool(false)));
        k.expect_empty("splitlines()");
        ValueList out;
        size_t start = 0;
        while (start < self.size()) {
            size_t nl = self.find_first_of("\n\r", start);
            if (nl == std::string::npos) { out.push_back(Value::from_string(self.substr(start))); break; }
            size_t end = nl + ((self[nl] == '\r' && nl + 1 < self.size() && self[nl + 1] == '\n') ? 2 : 1);
            out.push_back(Value::from_string(self.substr(start, (keepends ? end : nl) - start)));
            start = end;
        }
        return Value::from_list(std::move(out));
    }
    if (name == "startswith" || name == "endswith") {
        if (a.size() != 1) type_error(name + "() takes exactly one argument");
        k.expect_empty(name + "()");
        return Value::from_bool(starts_or_ends(self, a[0], name == "startswith"));
    }
    if (name == "replace") {
        if (a.size() < 2 || a.size() > 3) type_error("replace() takes 2 or 3 arguments");
        k.expect_empty("replace()");
        return Value::from_string(replace(self, require_string(a[0], "replace() argument 1"),
                                          require_string(a[1], "replace() argument 2"), a.size() == 3 ? as_index(a[2]) : -1));
    }
    if (name == "format") {
        std::string out = str_format(self, a, k);
        k.entries.clear();
        return Value::from_string(out);
    }
    if (name == "upper") { no_args(); return Value::from_string(upper(self)); }
    if (name == "lower") { no_args(); return Value::from_string(lower(self)); }
    if (name == "title") { no_args(); return Value::from_string(title_case(self)); }
    if (name == "capitalize") { no_args(); return Value::from_string(capitalize(self)); }
    if (name == "find" || name == "rfind" || name == "count" || name == "index") {
        if (a.size() != 1) type_error(name + "() takes exactly one argument");
        k.expect_empty(name + "()");
        const std::string sub = require_string(a[0], name + "() argument");
        auto cp_index = [&](size_t byte) { return static_cast<int64_t>(utf8_decode(self.substr(0, byte)).size()); };
        if (name == "count") {
            if (sub.empty()) return Value::from_int(static_cast<int64_t>(utf8_decode(self).size()) + 1);
            int64_t n = 0;
            for (size_t at = self.find(sub); at != std::string::npos; at = self.find(sub, at + sub.size())) ++n;
            return Value::from_int(n);
        }
        const size_t at = name == "rfind" ? self.rfind(sub) : self.find(sub);
        if (at == std::string::npos && name == "index") type_error("substring not found");
        return Value::from_int(at == std::string::npos ? -1 : cp_index(at));
    }
    if (name == "join") {
        if (a.size() != 1) type_error("join() takes exactly one argument");
        std::string out;
        bool first = true;
        for (const Value& item : iterate(a[0])) {
            out += (first ? "" : self) + require_string(item, "sequence item");
            first = false;
        }
        return Value::from_string(out);
    }
    if (name == "removeprefix" || name == "removesuffix") {
        if (a.size() != 1) type_error(name + "() takes exactly one argument");
        const std::string x = require_string(a[0], name + "() argument");
        if (name == "removeprefix") return Value::from_string(self.compare(0, x.size(), x) == 0 ? self.substr(x.size()) : self);
        const bool ends = x.size() <= self.size() && self.compare(self.size() - x.size(), x.size(), x) == 0;
        return Value::from_string(ends && !x.empty() ? self.substr(0, self.size() - x.size()) : self);
    }
    if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" || name == "islower" || name == "isupper") {
        no_args();
        const std::u32string u = utf8_decode(self);
        if (name == "islower") return Value::from_bool(lower(self) == self && upper(self) != self);
        if (name == "isupper") return Value::from_bool(upper(self) == self && lower(self) != self);
        if (u.empty()) return Value::from_bool(false);
        for (char32_t c : u) {
            const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
            const bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
            const bool digit = cat == UTF8PROC_CATEGORY_ND;
            const bool ok = name == "isdigit" ? digit : name == "isalpha" ? letter : name == "isalnum" ? (letter || digit) : is_python_space(c);
            if (!ok) return Value::from_bool(false);
        }
        return Value::from_bool(true);
    }
    type_error("'str' object has no attribute '" + name + "'");
}

const std::set<std::string>& string_methods() {
    static const std::set<std::string> names = {"strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith",
                                                "endswith", "replace", "upper", "lower", "title", "capitalize", "find",
                                                "rfind", "count", "index", "join", "removeprefix", "removesuffix",
                                                "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "format"};
    return names;
}

}  // namespace

bool is_known_filter(const std::string& name) { return filters().count(name) > 0; }
bool is_known_test(const std::string& name) { return tests().count(name) > 0; }

Value apply_filter(const std::string& name, const Value& subject, std::vector<Value>& args, Kwargs& kwargs) {
    const auto it = filters().find(name);
    if (it == filters().end()) type_error("unknown filter '" + name + "'");
    return it->second(subject, args, kwargs);
}

bool apply_test(const std::string& name, const Value& subject, std::vector<Value>& args) {
    const auto it = tests().find(name);
    if (it == tests().end()) type_error("unknown test '" + name + "'");
    return it->second(subject, args);
}

std::optional<Value> bound_method(const Value& object, const std::string& name) {
    if (object.kind == Kind::string && string_methods().count(name)) {
        const std::string self = object.text;
        return Value::from_function([self, name](std::vector<Value>& a, Kwargs& k) { return string_method(self, name, a, k); });
    }
    if (object.kind == Kind::dict && !object.is_namespace && (name == "items" || name == "keys" || name == "values" || name == "get")) {
        const auto dict = object.dict;
        return Value::from_function([dict, name](std::vector<Value>& a, Kwargs& k) -> Value {
            if (name == "get") {
                if (a.empty() || a.size() > 2) type_error("get expected 1 or 2 arguments");
                k.expect_empty("get()");
                const Value* v = dict->find(a[0]);
                return v ? *v : a.size() == 2 ? a[1] : Value::none();
            }
            max_args(a, 0, name + "()");
            k.expect_empty(name + "()");
            ValueList out;
            for (const auto& [key, v] : dict->entries)
                out.push_back(name == "keys" ? key : name == "values" ? v : Value::from_list({key, v}, true));
            return Value::from_list(std::move(out));
        });
    }
    return std::nullopt;
}

Value get_attribute(const Value& object, const std::string& name) {
    if (object.is_undefined()) fail_undefined(object);
    if (auto m = bound_method(object, name)) return *m;
    if (object.kind == Kind::dict) {
        if (const Value* v = object.dict->find(name)) return *v;
        return Value::undefined(std::string(object.is_namespace ? "'Namespace object'" : "'dict object'") +
                                " has no attribute '" + name + "'");
    }
    if (object.kind == Kind::none) return Value::undefined("'None' has no attribute '" + name + "'");
    return Value::undefined("'" + type_name(object) + " object' has no attribute '" + name + "'");
}

Value get_item(const Value& object, const Value& key) {
    if (object.is_undefined()) fail_undefined(object);
    if (object.is_generator) return Value::undefined("'generator object' has no element " + repr(key));
    if (object.kind == Kind::list && is_int_like(key)) {
        int64_t i = as_index(key);
        const auto n = static_cast<int64_t>(object.list->size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return Value::undefined("'" + type_name(object) + " object' has no element " + std::to_string(as_index(key)));
        return (*object.list)[static_cast<size_t>(i)];
    }
    if (object.kind == Kind::string && is_int_like(key)) {
        const std::u32string u = utf8_decode(object.text);
        int64_t i = as_index(key);
        const auto n = static_cast<int64_t>(u.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return Value::undefined("'str object' has no element " + std::to_string(as_index(key)));
        return Value::from_string(utf8_encode(u.substr(static_cast<size_t>(i), 1)));
    }
    if (object.kind == Kind::dict && !object.is_namespace) {
        if (const Value* v = object.dict->find(key)) return *v;
    }
    if (key.kind == Kind::string) return get_attribute(object, key.text);
    return Value::undefined("'" + type_name(object) + " object' has no element " + repr(key));
}

Value get_slice(const Value& object, const Value& start, const Value& stop, const Value& step) {
    if (object.is_undefined()) fail_undefined(object);
    if ((object.kind != Kind::string && object.kind != Kind::list) || object.is_generator) type_error("'" + type_name(object) + "' object is not subscriptable");
    return python_slice(object, start, stop, step);
}

ValueList iterate(const Value& v) {
    switch (v.kind) {
    case Kind::undefined: return {};
    case Kind::list: {
        if (!v.is_generator) return *v.list;
        ValueList items = std::move(*v.list);  // a generator is used up by one pass
        v.list->clear();
        return items;
    }
    case Kind::dict: {
        if (v.is_namespace) break;
        ValueList keys;
        for (const auto& [k, e] : v.dict->entries) keys.push_back(k);
        return keys;
    }
    case Kind::string: {
        ValueList chars;
        for (char32_t c : utf8_decode(v.text)) chars.push_back(Value::from_string(utf8_encode(std::u32string(1, c))));
        return chars;
    }
    default: break;
    }
    type_error("'" + type_name(v) + "' object is not iterable");
}

int64_t length(const Value& v) {
    switch (v.kind) {
    case Kind::undefined: return 0;
    case Kind::string: return static_cast<int64_t>(utf8_decode(v.text).size());
    case Kind::list: if (!v.is_generator) return static_cast<int64_t>(v.list->size()); break;
    case Kind::dict: if (!v.is_namespace) return static_cast<int64_t>(v.dict->entries.size()); break;
    default: break;
    }
    type_error("object of type '" + type_name(v) + "' has no len()");
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind) {
    case Kind::undefined: return false;
    case Kind::string:
        if (item.kind != Kind::string) type_error("'in <string>' requires string as left operand, not " + type_name(item));
        return container.text.find(item.text) != std::string::npos;
    case Kind::list: {
        if (container.is_generator) {  // consumed up to and including the match
            auto& items = *container.list;
            for (size_t i = 0; i < items.size(); ++i)
                if (equals(items[i], item)) {
                    items.erase(items.begin(), items.begin() + static_cast<long>(i) + 1);
                    return true;
                }
            items.clear();
            return false;
        }
        return std::any_of(container.list->begin(), container.list->end(), [&](const Value& e) { return equals(e, item); });
    }
    case Kind::dict:
        if (!container.is_namespace) return container.dict->find(item) != nullptr;
        break;
    default: break;
    }
    type_error("argument of type '" + type_name(container) + "' is not iterable");
}

Value binary_op(const std::string& op, const Value& a, const Value& b) {
    if (op == "~") return Value::from_string(to_str(a) + to_str(b));
    if (a.is_undefined()) fail_undefined(a);
    if (b.is_undefined()) fail_undefined(b);
    auto unsupported = [&]() -> Value {
        type_error("unsupported operand type(s) for " + op + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
    };
    if (a.is_number() && b.is_number()) {
        const bool ints = is_int_like(a) && is_int_like(b);
        const int64_t x = is_int_like(a) ? as_index(a) : 0, y = is_int_like(b) ? as_index(b) : 0;
        const double fx = as_double(a), fy = as_double(b);
        if (op == "+") return ints ? Value::from_int(add_checked(x, y)) : Value::from_float(fx + fy);
        if (op == "-") return ints ? Value::from_int(sub_checked(x, y)) : Value::from_float(fx - fy);
        if (op == "*") return ints ? Value::from_int(mul_checked(x, y)) : Value::from_float(fx * fy);
        if (op == "/") {
            if (fy == 0.0) type_error("division by zero");
            return Value::from_float(fx / fy);
        }
        if (op == "//" || op == "%") {
            if (ints) {
                if (y == 0) type_error("integer division or modulo by zero");
                if (x == INT64_MIN && y == -1) out_of_range();
                int64_t q = x / y, r = x % y;
                if (r != 0 && ((r < 0) != (y < 0))) { --q; r += y; }  // Python floors
                return Value::from_int(op == "//" ? q : r);
            }
            if (fy == 0.0) type_error("float division by zero");
            const double q = std::floor(fx / fy);
            return Value::from_float(op == "//" ? q : fx - q * fy);
        }
        if (op == "**") {
            if (ints && y >= 0) {
                // 0, 1 and -1 never overflow (and y may be huge); any other base overflows within 64 steps.
                if (x == 0 || x == 1) return Value::from_int(y == 0 ? 1 : x);
                if (x == -1) return Value::from_int(y % 2 == 0 ? 1 : -1);
                int64_t p = 1;
                for (int64_t k = 0; k < y; ++k) p = mul_checked(p, x);
                return Value::from_int(p);
            }
            return Value::from_float(std::pow(fx, fy));
        }
    }
    if (op == "+" && a.kind == Kind::string && b.kind == Kind::string) {
        if (a.is_markup || b.is_markup)  // Markup + str escapes the str
            return markup((a.is_markup ? a.text : html_escape(a.text)) + (b.is_markup ? b.text : html_escape(b.text)));
        return Value::from_string(a.text + b.text);
    }
    if (op == "+" && a.kind == Kind::list && b.kind == Kind::list && a.is_tuple == b.is_tuple && !a.is_generator && !b.is_generator) {
        ValueList out = *a.list;
        out.insert(out.end(), b.list->begin(), b.list->end());
        return Value::from_list(std::move(out), a.is_tuple);
    }
    if (op == "*" && (a.kind == Kind::string || a.kind == Kind::list || b.kind == Kind::string || b.kind == Kind::list)) {
        const Value& seq = (a.kind == Kind::string || a.kind == Kind::list) ? a : b;
        const Value& times = &seq == &a ? b : a;
        if (!is_int_like(times)) return unsupported();
        const int64_t n = std::max<int64_t>(0, as_index(times));
        const int64_t unit = seq.kind == Kind::string ? int64_t(seq.text.size()) : int64_t(seq.list->size()) * 16;
        if (unit > 0 && n > max_repeat_bytes / unit) type_error("repetition result too large (over 64 MiB)");
        if (seq.kind == Kind::string) {
            std::string out;
            for (int64_t k = 0; k < n; ++k) out += seq.text;
            return Value::from_string(out);
        }
        ValueList out;
        for (int64_t k = 0; k < n; ++k) out.insert(out.end(), seq.list->begin(), seq.list->end());
        return Value::from_list(std::move(out), seq.is_tuple);
    }
    if (op == "%" && a.kind == Kind::string) type_error("printf-style '%' formatting of strings is not supported");
    if (op == "+" && a.kind == Kind::string) type_error("can only concatenate str (not \"" + type_name(b) + "\") to str");
    return unsupported();
}

}  // namespace gistscope::jinja
