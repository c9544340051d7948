// Tokens -> Program, with jinja2's grammar and operator precedence. Unknown filters, tests and
// tags are errors here, at load, as jinja2 reports them when it compiles the template.
#pragma once
#include <string>

#include "chat_template/ast.h"

namespace gistscope::jinja {

// Throws TemplateError with the line of the offending token.
Program parse(const std::string& source);

}  // namespace gistscope::jinja
