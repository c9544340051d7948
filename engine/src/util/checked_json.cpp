// Type- and range-checked reads from JSON (checked_json.h).
#include "util/checked_json.h"

#include <cmath>

#include "gistscope/error.h"

namespace gistscope::checked {

std::string shown(const json& v) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return s;
}

std::string without_prefix(const std::exception& e) {
    std::string s = e.what();
    if (s.rfind("[json.exception.", 0) == 0) {
        const auto close = s.find("] ");
        if (close != std::string::npos) s = s.substr(close + 2);
    }
    return s;
}

json parse(const std::string& text, const std::string& what) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw Error(what + ": not valid JSON (" + without_prefix(e) + ")");
    }
}

int64_t integer(const json& v, int64_t lo, int64_t hi, const std::string& what) {
    const std::string expected = ", expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (hi >= 0 && u <= uint64_t(hi) && int64_t(u) >= lo) return int64_t(u);
    } else if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i >= lo && i <= hi) return i;
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        // Compare as doubles before any cast: the cast of an out-of-range double is undefined.
        if (std::isfinite(d) && d == std::floor(d) && d >= double(lo) && d <= double(hi)) return int64_t(d);
    }
    throw Error(what + " is " + shown(v) + expected);
}

double number(const json& v, const std::string& what) {
    if (!v.is_number()) throw Error(what + " is " + shown(v) + ", expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) throw Error(what + " is " + shown(v) + ", expected a finite number");
    return d;
}

const std::string& string(const json& v, const std::string& what) {
    if (!v.is_string()) throw Error(what + " is " + shown(v) + ", expected a string");
    return v.get_ref<const std::string&>();
}

bool boolean(const json& v, const std::string& what) {
    if (!v.is_boolean()) throw Error(what + " is " + shown(v) + ", expected true or false");
    return v.get<bool>();
}

const json& field(const json& obj, const char* key, const std::string& what) {
    if (!obj.is_object()) throw Error(what + " is " + shown(obj) + ", expected an object with '" + key + "'");
    auto it = obj.find(key);
    if (it == obj.end()) throw Error(what + ": missing field '" + key + "'");
    return *it;
}

std::vector<int32_t> int_list(const json& v, int64_t lo, int64_t hi, const std::string& what) {
    if (!v.is_array()) throw Error(what + " is " + shown(v) + ", expected a list of integers");
    std::vector<int32_t> out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i)
        out.push_back(int32_t(integer(v[i], lo, hi, what + "[" + std::to_string(i) + "]")));
    return out;
}

namespace {
const json* present(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}
std::string field_name(const std::string& what, const char* key) { return what + ": field '" + key + "'"; }
}  // namespace

int64_t integer_or(const json& obj, const char* key, int64_t fallback, int64_t lo, int64_t hi, const std::string& what) {
    const json* v = present(obj, key);
    return v ? integer(*v, lo, hi, field_name(what, key)) : fallback;
}
double number_or(const json& obj, const char* key, double fallback, const std::string& what) {
    const json* v = present(obj, key);
    return v ? number(*v, field_name(what, key)) : fallback;
}
std::string string_or(const json& obj, const char* key, const std::string& fallback, const std::string& what) {
    const json* v = present(obj, key);
    return v ? string(*v, field_name(what, key)) : fallback;
}
bool boolean_or(const json& obj, const char* key, bool fallback, const std::string& what) {
    const json* v = present(obj, key);
    return v ? boolean(*v, field_name(what, key)) : fallback;
}

}  // namespace gistscope::checked
