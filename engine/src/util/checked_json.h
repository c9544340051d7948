// checked_json.h (internal): reading values out of nlohmann::json where they enter the engine,
// with their type and range checked first. nlohmann's get<int>() of 1e300 or of 2^40 + 7 is a
// float-to-int cast out of range (undefined) or a silent truncation; at() and operator[] on the
// wrong type throw type_error text with no file or field. Every function here throws
// gistscope::Error naming `what` (file and field) and what was expected instead.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gistscope::checked {

using json = nlohmann::json;

// An integer in [lo, hi]. Integral floats (8192.0) are accepted, as Python writes them.
int64_t integer(const json& v, int64_t lo, int64_t hi, const std::string& what);
// A finite number.
double number(const json& v, const std::string& what);
const std::string& string(const json& v, const std::string& what);
bool boolean(const json& v, const std::string& what);
// obj[key] of an object; Error when obj is not an object or the key is missing.
const json& field(const json& obj, const char* key, const std::string& what);
// A JSON array of integers, each in [lo, hi].
std::vector<int32_t> int_list(const json& v, int64_t lo, int64_t hi, const std::string& what);

// The optional variants: `fallback` when the key is missing or null.
int64_t integer_or(const json& obj, const char* key, int64_t fallback, int64_t lo, int64_t hi, const std::string& what);
double number_or(const json& obj, const char* key, double fallback, const std::string& what);
std::string string_or(const json& obj, const char* key, const std::string& fallback, const std::string& what);
bool boolean_or(const json& obj, const char* key, bool fallback, const std::string& what);

// Parses `text`; Error "WHAT: not valid JSON (line L, column C: ...)" without nlohmann's
// "[json.exception.parse_error.101]" prefix.
json parse(const std::string& text, const std::string& what);
// The text of a nlohmann exception without its "[json.exception.KIND.N] " prefix.
std::string without_prefix(const std::exception& e);

// A short rendering of a value for a message (long values are cut).
std::string shown(const json& v);

}  // namespace gistscope::checked
