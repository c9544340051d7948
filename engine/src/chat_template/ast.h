// The parsed template: statements (text, output, if, for, set, macro, ...) over expressions.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chat_template/value.h"

namespace gistscope::jinja {

enum class ExprKind : uint8_t {
    literal,      // value
    name,         // name
    list, tuple, dict,  // items (dict: key, value, key, value, ...)
    attribute,    // items[0].name
    subscript,    // items[0][items[1]]
    slice,        // items[0][start:stop:step]; absent parts are null
    call,         // items[0](items[1..], kwargs)
    filter,       // items[0] | name(items[1..], kwargs)
    test,         // items[0] is [not] name(items[1..])
    negate, plus, logical_not,  // unary on items[0]
    binary,       // items[0] <name> items[1]: + - * / // % ** ~
    logical_and, logical_or,
    compare,      // items[0] ops[0] items[1] ops[1] items[2] ...
    conditional,  // items[0] if items[1] else items[2] (items[2] may be null)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    ExprKind kind;
    int line = 0;
    Value value;
    std::string name;
    std::vector<ExprPtr> items;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    std::vector<std::string> ops;
    bool negated = false;
};

enum class StmtKind : uint8_t { text, output, if_chain, for_loop, set, set_block, macro, break_loop, continue_loop, scope };

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// What a set or a for loop assigns to: names (a tuple when more than one), or namespace.attribute.
struct Target {
    std::vector<std::string> names;
    std::string attribute;  // set ns.attribute = ...: names = {ns}
};

struct Stmt {
    StmtKind kind;
    int line = 0;
    std::string text;                                   // text
    ExprPtr expr;                                       // output, set, for (the iterable)
    std::vector<std::pair<ExprPtr, Body>> branches;     // if / elif ... (the condition, the body)
    Body body;                                          // for, set_block, macro, else of if, scope
    Body else_body;                                     // for ... else
    Target target;                                      // for, set, set_block
    ExprPtr condition;                                  // for x in y if condition
    std::string name;                                   // macro
    std::vector<std::string> params;                    // macro
    std::vector<ExprPtr> defaults;                      // macro: one per param, null when none
};

struct Program {
    Body body;
};

}  // namespace gistscope::jinja
