// Program + variables -> text: jinja2's runtime (scopes, loops, macros, Undefined) over Value.
#pragma once
#include <ctime>
#include <optional>
#include <string>

#include "chat_template/ast.h"

namespace gistscope::jinja {

// `context` is a dict of the template's variables. Throws TemplateError with the line it failed on.
std::string render(const Program& program, const Value& context, std::optional<std::time_t> now);

}  // namespace gistscope::jinja
