// Template source -> tokens, with jinja2's whitespace rules as transformers configures them:
// trim_blocks (the newline after a block or comment tag goes), lstrip_blocks (spaces and tabs
// before a block or comment tag on its own line go), "-" / "+" markers on the tags, newlines
// normalised to "\n" and one trailing newline dropped (keep_trailing_newline=False).
#pragma once
#include <string>
#include <vector>

namespace gistscope::jinja {

enum class TokenType : uint8_t {
    text, variable_begin, variable_end, block_begin, block_end,
    name, string, integer, floating, op, end_of_input,
};

struct Token {
    TokenType type;
    std::string value;  // text, name, decoded string literal, number digits, or the operator
    int line;
};

// Throws TemplateError (with its line) on an unterminated tag, comment or string.
std::vector<Token> tokenize(const std::string& source);

}  // namespace gistscope::jinja
