// The filters, tests, global functions and Python methods a template can call.
#pragma once
#include <string>
#include <vector>

#include "chat_template/value.h"

namespace gistscope::jinja {


bool is_known_filter(const std::string& name);
bool is_known_test(const std::string& name);
Value apply_filter(const std::string& name, const Value& subject, std::vector<Value>& args, Kwargs& kwargs);
bool apply_test(const std::string& name, const Value& subject, std::vector<Value>& args);
// `object.name` where object is a str, dict or list and name one of its Python methods: the bound
// method, or nullopt when there is no such method.
std::optional<Value> bound_method(const Value& object, const std::string& name);
// jinja2's getattr / getitem: the attribute or item, Undefined (with jinja2's message) when missing.
Value get_attribute(const Value& object, const std::string& name);
Value get_item(const Value& object, const Value& key);
Value get_slice(const Value& object, const Value& start, const Value& stop, const Value& step);
// Iteration as a for loop sees it: list / tuple items, dict keys, string characters, nothing for Undefined.
ValueList iterate(const Value& v);
int64_t length(const Value& v);
// Binary operators other than and / or / comparisons: + - * / // % ** ~ and "in".
Value binary_op(const std::string& op, const Value& a, const Value& b);
bool contains(const Value& container, const Value& item);

}  // namespace gistscope::jinja
