// The values a template computes with: Python's types as jinja2 sees them (None, bool, int, float,
// str, list / tuple, dict with insertion order, a namespace, a callable) plus jinja2's Undefined.
// Strings are UTF-8; lengths, indices and slices count code points as Python does.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace gistscope::jinja {

// A template error before it knows its origin: the message and the line (0 until a statement or
// expression that knows its line catches it).
struct TemplateError {
    std::string message;
    int line = 0;
};

enum class Kind : uint8_t { undefined, none, boolean, integer, floating, string, list, dict, callable };

struct Value;
using ValueList = std::vector<Value>;
struct ValueDict;
struct Kwargs;
using NativeFunction = std::function<Value(std::vector<Value>& args, Kwargs& kwargs)>;

struct Value {
    Kind kind = Kind::undefined;
    bool boolean = false;
    int64_t integer = 0;
    double floating = 0.0;
    std::string text;                    // string; for undefined: why ("'x' is undefined")
    std::shared_ptr<ValueList> list;     // list and tuple (immutable once built, so shared)
    std::shared_ptr<ValueDict> dict;     // dict and namespace (a namespace is mutated by set ns.x)
    std::shared_ptr<const NativeFunction> function;
    bool is_tuple = false;
    bool is_namespace = false;
    // A lazy iterator, as jinja2's select / reject / map / items / unique / reverse filters return:
    // always true, no len(), not JSON, and used up by the first pass over it.
    bool is_generator = false;
    // markupsafe.Markup (the safe / escape filters): adding a plain str to it HTML-escapes that str.
    bool is_markup = false;

    static Value undefined(std::string why) { Value v; v.text = std::move(why); return v; }
    static Value none() { Value v; v.kind = Kind::none; return v; }
    static Value from_bool(bool b) { Value v; v.kind = Kind::boolean; v.boolean = b; return v; }
    static Value from_int(int64_t i) { Value v; v.kind = Kind::integer; v.integer = i; return v; }
    static Value from_float(double f) { Value v; v.kind = Kind::floating; v.floating = f; return v; }
    static Value from_string(std::string s) { Value v; v.kind = Kind::string; v.text = std::move(s); return v; }
    static Value from_list(ValueList items, bool tuple = false);
    static Value from_dict(ValueDict d);
    static Value from_function(NativeFunction f);
    static Value from_json(const nlohmann::ordered_json& j);

    bool is_undefined() const { return kind == Kind::undefined; }
    bool is_number() const { return kind == Kind::integer || kind == Kind::floating || kind == Kind::boolean; }
    const ValueList& items() const { return *list; }
};

struct ValueDict {
    std::vector<std::pair<Value, Value>> entries;  // insertion order, keys unique
    const Value* find(const Value& key) const;
    const Value* find(const std::string& key) const;
    void set(const Value& key, Value value);
};

// Keyword arguments of a call, taken by name as the callee reads them; whatever is left unread
// is an error ("unexpected keyword argument").
struct Kwargs {
    std::vector<std::pair<std::string, Value>> entries;
    std::optional<Value> take(const std::string& name);
    void expect_empty(const std::string& callee) const;
};

// Python semantics.
bool truthy(const Value& v);
std::string to_str(const Value& v);   // str(v); Undefined prints as ""
std::string repr(const Value& v);     // repr(v)
std::string type_name(const Value& v);  // "str", "int", "dict", ...
bool equals(const Value& a, const Value& b);
int compare(const Value& a, const Value& b);  // <0, 0, >0; throws TemplateError where Python would
std::string float_repr(double f);     // Python's repr(float)
// Python's json.dumps(v, ensure_ascii=..., indent=..., separators=..., sort_keys=...); indent < 0 is None.
std::string to_json(const Value& v, bool ensure_ascii, int indent, const std::string& indent_text_or_empty,
                    const std::optional<std::pair<std::string, std::string>>& separators, bool sort_keys);
[[noreturn]] void fail_undefined(const Value& v);  // jinja2's UndefinedError

// UTF-8 <-> code points. An invalid byte becomes the code point 0xDC00 + byte and is written back
// as that byte (Python's surrogateescape), so text round-trips unchanged.
std::u32string utf8_decode(const std::string& s);
std::string utf8_encode(const std::u32string& s);
bool is_python_space(char32_t c);

}  // namespace gistscope::jinja
