// Python's semantics for the template values: truth, str(), repr(), ==, ordering, json.dumps.
#include "chat_template/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace gistscope::jinja {

Value Value::from_list(ValueList items, bool tuple) {
    Value v;
    v.kind = Kind::list;
    v.list = std::make_shared<ValueList>(std::move(items));
    v.is_tuple = tuple;
    return v;
}

Value Value::from_dict(ValueDict d) {
    Value v;
    v.kind = Kind::dict;
    v.dict = std::make_shared<ValueDict>(std::move(d));
    return v;
}

Value Value::from_function(NativeFunction f) {
    Value v;
    v.kind = Kind::callable;
    v.function = std::make_shared<const NativeFunction>(std::move(f));
    return v;
}

Value Value::from_json(const nlohmann::ordered_json& j) {
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return none();
    case nlohmann::ordered_json::value_t::boolean: return from_bool(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return from_int(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return from_int(static_cast<int64_t>(j.get<uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float: return from_float(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return from_string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        ValueList items;
        for (const auto& e : j) items.push_back(from_json(e));
        return from_list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        ValueDict d;
        for (auto it = j.begin(); it != j.end(); ++it) d.entries.emplace_back(from_string(it.key()), from_json(it.value()));
        return from_dict(std::move(d));
    }
    default: return undefined("a binary JSON value");
    }
}

const Value* ValueDict::find(const Value& key) const {
    for (const auto& [k, v] : entries)
        if (equals(k, key)) return &v;
    return nullptr;
}

const Value* ValueDict::find(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k.kind == Kind::string && k.text == key) return &v;
    return nullptr;
}

void ValueDict::set(const Value& key, Value value) {
    for (auto& [k, v] : entries)
        if (equals(k, key)) { v = std::move(value); return; }
    entries.emplace_back(key, std::move(value));
}

std::optional<Value> Kwargs::take(const std::string& name) {
    for (auto it = entries.begin(); it != entries.end(); ++it)
        if (it->first == name) {
            Value v = std::move(it->second);
            entries.erase(it);
            return v;
        }
    return std::nullopt;
}

void Kwargs::expect_empty(const std::string& callee) const {
    if (!entries.empty()) throw TemplateError{callee + " got an unexpected keyword argument '" + entries.front().first + "'"};
}

[[noreturn]] void fail_undefined(const Value& v) { throw TemplateError{v.text.empty() ? "a value is undefined" : v.text}; }

// ---- UTF-8 ----

std::u32string utf8_decode(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        bool ok = n > 0 && i + n <= s.size();
        for (int k = 1; ok && k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc >> 6) != 2) ok = false;
            else cp = (cp << 6) | (cc & 0x3F);
        }
        if (!ok) { out.push_back(0xDC00 + c); ++i; continue; }  // surrogateescape
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string utf8_encode(const std::u32string& s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) {
        if (c >= 0xDC80 && c <= 0xDCFF) { out.push_back(static_cast<char>(c - 0xDC00)); continue; }
        if (c < 0x80) out.push_back(static_cast<char>(c));
        else if (c < 0x800) { out.push_back(static_cast<char>(0xC0 | (c >> 6))); out.push_back(static_cast<char>(0x80 | (c & 0x3F))); }
        else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

bool is_python_space(char32_t c) {
    // str.isspace(): the ASCII whitespace, the information separators and Unicode's space separators.
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// ---- str / repr ----

bool truthy(const Value& v) {
    switch (v.kind) {
    case Kind::undefined:
    case Kind::none: return false;
    case Kind::boolean: return v.boolean;
    case Kind::integer: return v.integer != 0;
    case Kind::floating: return v.floating != 0.0;
    case Kind::string: return !v.text.empty();
    case Kind::list: return v.is_generator || !v.list->empty();
    case Kind::dict: return v.is_namespace || !v.dict->entries.empty();
    case Kind::callable: return true;
    }
    return false;
}

std::string float_repr(double f) {
    if (std::isnan(f)) return "nan";
    if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
    // The shortest digits that round-trip, then Python's layout: fixed when the decimal exponent
    // is in [-4, 16), scientific otherwise, and a ".0" on integral fixed values.
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    std::string sci(buf, r.ptr);
    const size_t e_at = sci.find('e');
    std::string mant = sci.substr(0, e_at);
    const int exp10 = std::stoi(sci.substr(e_at + 1));
    const bool negative = !mant.empty() && mant[0] == '-';
    if (negative) mant.erase(0, 1);
    std::string digits;
    for (char c : mant)
        if (c != '.') digits.push_back(c);
    std::string out = negative ? "-" : "";
    if (exp10 < -4 || exp10 >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char e[16];
        std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
        return out + e;
    }
    if (exp10 < 0) return out + "0." + std::string(static_cast<size_t>(-exp10 - 1), '0') + digits;
    const size_t int_len = static_cast<size_t>(exp10) + 1;
    if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0') + ".0";
    return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

static std::string string_repr(const std::string& s) {
    const bool has_single = s.find('\'') != std::string::npos;
    const bool has_double = s.find('"') != std::string::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (char32_t c : utf8_decode(s)) {
        if (c == static_cast<char32_t>(quote) || c == '\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", static_cast<unsigned>(c));
            out += b;
        } else if (c >= 0xDC80 && c <= 0xDCFF) {
            char b[8];
            std::snprintf(b, sizeof b, "\\udc%02x", static_cast<unsigned>(c - 0xDC00));
            out += b;
        } else out += utf8_encode(std::u32string(1, c));
    }
    return out + quote;
}

std::string repr(const Value& v) {
    if (v.is_generator) return "<generator object>";
    if (v.is_markup) return "Markup(" + string_repr(v.text) + ")";
    switch (v.kind) {
    case Kind::string: return string_repr(v.text);
    case Kind::list: {
        std::string out = v.is_tuple ? "(" : "[";
        for (size_t i = 0; i < v.list->size(); ++i) out += (i ? ", " : "") + repr((*v.list)[i]);
        if (v.is_tuple && v.list->size() == 1) out += ",";
        return out + (v.is_tuple ? ")" : "]");
    }
    case Kind::dict: {
        std::string out = v.is_namespace ? "<Namespace {" : "{";
        bool first = true;
        for (const auto& [k, e] : v.dict->entries) {
            out += (first ? "" : ", ") + repr(k) + ": " + repr(e);
            first = false;
        }
        return out + (v.is_namespace ? "}>" : "}");
    }
    default: return to_str(v);
    }
}

std::string to_str(const Value& v) {
    switch (v.kind) {
    case Kind::undefined: return "";
    case Kind::none: return "None";
    case Kind::boolean: return v.boolean ? "True" : "False";
    case Kind::integer: return std::to_string(v.integer);
    case Kind::floating: return float_repr(v.floating);
    case Kind::string: return v.text;
    case Kind::callable: return "<function>";
    default: return repr(v);
    }
}

std::string type_name(const Value& v) {
    switch (v.kind) {
    case Kind::undefined: return "Undefined";
    case Kind::none: return "NoneType";
    case Kind::boolean: return "bool";
    case Kind::integer: return "int";
    case Kind::floating: return "float";
    case Kind::string: return "str";
    case Kind::list: return v.is_generator ? "generator" : v.is_tuple ? "tuple" : "list";
    case Kind::dict: return v.is_namespace ? "Namespace" : "dict";
    case Kind::callable: return "function";
    }
    return "object";
}

static double as_double(const Value& v) {
    return v.kind == Kind::floating ? v.floating : v.kind == Kind::boolean ? (v.boolean ? 1.0 : 0.0) : static_cast<double>(v.integer);
}
static int64_t as_int(const Value& v) { return v.kind == Kind::boolean ? (v.boolean ? 1 : 0) : v.integer; }

bool equals(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.kind == Kind::floating || b.kind == Kind::floating) return as_double(a) == as_double(b);
        return as_int(a) == as_int(b);
    }
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case Kind::undefined:
    case Kind::none: return true;
    case Kind::string: return a.text == b.text;
    case Kind::list: {
        if (a.list->size() != b.list->size()) return false;
        for (size_t i = 0; i < a.list->size(); ++i)
            if (!equals((*a.list)[i], (*b.list)[i])) return false;
        return true;
    }
    case Kind::dict: {
        if (a.is_namespace || b.is_namespace) return a.dict == b.dict;
        if (a.dict->entries.size() != b.dict->entries.size()) return false;
        for (const auto& [k, v] : a.dict->entries) {
            const Value* other = b.dict->find(k);
            if (!other || !equals(v, *other)) return false;
        }
        return true;
    }
    case Kind::callable: return a.function == b.function;
    default: return false;
    }
}

int compare(const Value& a, const Value& b) {
    if (a.is_undefined()) fail_undefined(a);
    if (b.is_undefined()) fail_undefined(b);
    if (a.is_number() && b.is_number()) {
        if (a.kind == Kind::floating || b.kind == Kind::floating) {
            const double x = as_double(a), y = as_double(b);
            return x < y ? -1 : x > y ? 1 : 0;
        }
        const int64_t x = as_int(a), y = as_int(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.kind == Kind::string && b.kind == Kind::string) {
        const int c = a.text.compare(b.text);  // UTF-8 byte order is code point order
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (a.kind == Kind::list && b.kind == Kind::list && a.is_tuple == b.is_tuple) {
        const size_t n = std::min(a.list->size(), b.list->size());
        for (size_t i = 0; i < n; ++i)
            if (!equals((*a.list)[i], (*b.list)[i])) return compare((*a.list)[i], (*b.list)[i]);
        return a.list->size() < b.list->size() ? -1 : a.list->size() > b.list->size() ? 1 : 0;
    }
    throw TemplateError{"'<' not supported between instances of '" + type_name(a) + "' and '" + type_name(b) + "'"};
}

// ---- json.dumps ----

static void json_string(std::string& out, const std::string& s, bool ensure_ascii) {
    out += '"';
    for (char32_t c : utf8_decode(s)) {
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default: break;
        }
        char b[16];
        if (c < 0x20 || (ensure_ascii && c >= 0x7F)) {
            if (c >= 0x10000) {
                const char32_t v = c - 0x10000;
                std::snprintf(b, sizeof b, "\\u%04x\\u%04x", static_cast<unsigned>(0xD800 + (v >> 10)),
                              static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
            } else std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(c));
            out += b;
        } else out += utf8_encode(std::u32string(1, c));
    }
    out += '"';
}

namespace {
struct JsonWriter {
    bool ensure_ascii;
    std::string indent;  // empty with has_indent false: no newlines
    bool has_indent;
    std::string item_sep, key_sep;
    bool sort_keys;
    std::string out;

    void newline(int depth) {
        out += '\n';
        for (int i = 0; i < depth; ++i) out += indent;
    }
    static std::string key_text(const Value& k) {
        switch (k.kind) {
        case Kind::string: return k.text;
        case Kind::none: return "null";
        case Kind::boolean: return k.boolean ? "true" : "false";
        case Kind::integer: return std::to_string(k.integer);
        case Kind::floating: return float_repr(k.floating);
        default: throw TemplateError{"keys must be str, int, float, bool or None, not " + type_name(k)};
        }
    }
    void write(const Value& v, int depth) {
        switch (v.kind) {
        case Kind::none: out += "null"; return;
        case Kind::boolean: out += v.boolean ? "true" : "false"; return;
        case Kind::integer: out += std::to_string(v.integer); return;
        case Kind::floating:
            if (std::isnan(v.floating)) out += "NaN";
            else if (std::isinf(v.floating)) out += v.floating > 0 ? "Infinity" : "-Infinity";
            else out += float_repr(v.floating);
            return;
        case Kind::string: json_string(out, v.text, ensure_ascii); return;
        case Kind::list: {
            if (v.is_generator) break;
            if (v.list->empty()) { out += "[]"; return; }
            out += '[';
            for (size_t i = 0; i < v.list->size(); ++i) {
                if (i) out += item_sep;
                if (has_indent) newline(depth + 1);
                write((*v.list)[i], depth + 1);
            }
            if (has_indent) newline(depth);
            out += ']';
            return;
        }
        case Kind::dict: {
            if (v.is_namespace) break;
            if (v.dict->entries.empty()) { out += "{}"; return; }
            std::vector<std::pair<std::string, const Value*>> entries;
            for (const auto& [k, e] : v.dict->entries) entries.emplace_back(key_text(k), &e);
            if (sort_keys)
                std::stable_sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
            out += '{';
            for (size_t i = 0; i < entries.size(); ++i) {
                if (i) out += item_sep;
                if (has_indent) newline(depth + 1);
                json_string(out, entries[i].first, ensure_ascii);
                out += key_sep;
                write(*entries[i].second, depth + 1);
            }
            if (has_indent) newline(depth);
            out += '}';
            return;
        }
        default: break;
        }
        throw TemplateError{"Object of type " + type_name(v) + " is not JSON serializable"};
    }
};
}  // namespace

std::string to_json(const Value& v, bool ensure_ascii, int indent, const std::string& indent_text_or_empty,
                    const std::optional<std::pair<std::string, std::string>>& separators, bool sort_keys) {
    JsonWriter w;
    w.ensure_ascii = ensure_ascii;
    w.has_indent = indent >= 0 || !indent_text_or_empty.empty();
    w.indent = !indent_text_or_empty.empty() ? indent_text_or_empty : std::string(static_cast<size_t>(std::max(indent, 0)), ' ');
    // json.dumps: (', ', ': ') without indent, (',', ': ') with one.
    w.item_sep = separators ? separators->first : w.has_indent ? "," : ", ";
    w.key_sep = separators ? separators->second : ": ";
    w.sort_keys = sort_keys;
    w.write(v, 0);
    return w.out;
}

}  // namespace gistscope::jinja
