// A recursive-descent parser following jinja2's parser.py levels: condexpr > or > and > not >
// compare > + - > ~ > * / // % > ** > unary - + > primary with postfix (. [] ()) and filters / tests.
#include "chat_template/parser.h"

#include <cstdlib>
#include <set>

#include "chat_template/builtins.h"
#include "chat_template/lexer.h"

namespace gistscope::jinja {

namespace {

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    Program program() {
        Program p;
        std::string end;
        p.body = body({}, "", 0, end);
        return p;
    }

private:
    const Token& cur() const { return t_[i_]; }
    const Token& peek(size_t n = 1) const { return t_[std::min(i_ + n, t_.size() - 1)]; }
    void advance() { if (i_ + 1 < t_.size()) ++i_; }
    bool is_op(const char* op) const { return cur().type == TokenType::op && cur().value == op; }
    bool is_name(const char* n) const { return cur().type == TokenType::name && cur().value == n; }
    [[noreturn]] void fail(const std::string& what) const { throw TemplateError{what, cur().line}; }
    std::string describe(const Token& t) const {
        switch (t.type) {
        case TokenType::variable_end: return "'}}'";
        case TokenType::block_end: return "'%}'";
        case TokenType::end_of_input: return "the end of the template";
        case TokenType::string: return "a string";
        case TokenType::text: return "text";
        default: return "'" + t.value + "'";
        }
    }
    void expect_op(const char* op) {
        if (!is_op(op)) fail(std::string("expected '") + op + "', found " + describe(cur()));
        advance();
    }
    std::string expect_name(const char* what) {
        if (cur().type != TokenType::name) fail(std::string("expected ") + what + ", found " + describe(cur()));
        std::string n = cur().value;
        advance();
        return n;
    }
    void expect_block_end() {
        if (cur().type != TokenType::block_end) fail("expected the end of the tag '%}', found " + describe(cur()));
        advance();
    }

    // Statements until a block tag whose first word is one of `ends` (that word is left in `ended`,
    // the tag's "{% word" consumed). `opener` / `opened_at` name the block for the unclosed message.
    Body body(const std::set<std::string>& ends, const std::string& opener, int opened_at, std::string& ended) {
        Body out;
        while (true) {
            const Token& tok = cur();
            if (tok.type == TokenType::end_of_input) {
                if (ends.empty()) return out;
                std::string names;
                for (const auto& e : ends) names += (names.empty() ? "'" : " or '") + e + "'";
                throw TemplateError{"unexpected end of template: the '" + opener + "' block opened on line " +
                                        std::to_string(opened_at) + " is never closed (expected " + names + ")",
                                    tok.line};
            }
            if (tok.type == TokenType::text) {
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::text;
                s->line = tok.line;
                s->text = tok.value;
                out.push_back(std::move(s));
                advance();
                continue;
            }
            if (tok.type == TokenType::variable_begin) {
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::output;
                s->line = tok.line;
                advance();
                s->expr = tuple_expr(true);
                if (cur().type != TokenType::variable_end) fail("expected the end of the print '}}', found " + describe(cur()));
                advance();
                out.push_back(std::move(s));
                continue;
            }
            if (tok.type != TokenType::block_begin) fail("unexpected " + describe(tok));
            advance();
            const std::string word = cur().type == TokenType::name ? cur().value : "";
            if (!word.empty() && ends.count(word)) {
                ended = word;
                advance();
                return out;
            }
            out.push_back(statement(word));
        }
    }

    StmtPtr statement(const std::string& word) {
        Deeper guard(*this);
        const int line = cur().line;
        auto s = std::make_unique<Stmt>();
        s->line = line;
        if (word.empty()) fail("expected a tag name after '{%', found " + describe(cur()));
        advance();
        std::string ended;
        if (word == "if") {
            s->kind = StmtKind::if_chain;
            // Inside an if, an unknown filter or test fails only when it runs (jinja2's soft frame),
            // so that templates can guard newer filters with `is filter`.
            Soft soft(soft_, true);
            ExprPtr cond = tuple_expr(true);
            expect_block_end();
            while (true) {
                Body b = body({"elif", "else", "endif"}, "if", line, ended);
                s->branches.emplace_back(std::move(cond), std::move(b));
                if (ended == "elif") {
                    cond = tuple_expr(true);
                    expect_block_end();
                    continue;
                }
                if (ended == "else") {
                    expect_block_end();
                    s->body = body({"endif"}, "if", line, ended);
                }
                expect_block_end();
                return s;
            }
        }
        if (word == "for") {
            s->kind = StmtKind::for_loop;
            s->target = assign_target(false);
            if (!is_name("in")) fail("expected 'in' in the for loop, found " + describe(cur()));
            advance();
            s->expr = tuple_expr(false);
            if (is_name("if")) {
                advance();
                s->condition = expression(true);
            }
            if (is_name("recursive")) fail("recursive for loops are not supported");
            expect_block_end();
            Soft hard(soft_, false);
            s->body = body({"else", "endfor"}, "for", line, ended);
            if (ended == "else") {
                expect_block_end();
                s->else_body = body({"endfor"}, "for", line, ended);
            }
            expect_block_end();
            return s;
        }
        if (word == "set") {
            s->target = assign_target(true);
            if (is_op("=")) {
                advance();
                s->kind = StmtKind::set;
                s->expr = tuple_expr(true);
                expect_block_end();
                return s;
            }
            if (s->target.names.size() != 1 || !s->target.attribute.empty()) fail("a block set assigns one name");
            s->kind = StmtKind::set_block;
            expect_block_end();
            s->body = body({"endset"}, "set", line, ended);
            expect_block_end();
            return s;
        }
        if (word == "macro") {
            s->kind = StmtKind::macro;
            s->name = expect_name("the macro's name");
            expect_op("(");
            while (!is_op(")")) {
                if (!s->params.empty()) expect_op(",");
                if (is_op(")")) break;
                s->params.push_back(expect_name("a parameter name"));
                if (is_op("=")) {
                    advance();
                    s->defaults.push_back(expression(true));
                } else s->defaults.push_back(nullptr);
            }
            advance();
            expect_block_end();
            Soft hard(soft_, false);
            s->body = body({"endmacro"}, "macro", line, ended);
            if (cur().type == TokenType::name && cur().value == s->name) advance();
            expect_block_end();
            return s;
        }
        if (word == "break" || word == "continue") {
            s->kind = word == "break" ? StmtKind::break_loop : StmtKind::continue_loop;
            expect_block_end();
            return s;
        }
        if (word == "generation") {  // transformers' AssistantTracker: renders its body as is
            s->kind = StmtKind::scope;
            expect_block_end();
            s->body = body({"endgeneration"}, "generation", line, ended);
            expect_block_end();
            return s;
        }
        static const std::set<std::string> unsupported = {"extends", "include", "import", "from", "block", "call",
                                                          "filter", "with", "do", "autoescape", "trans"};
        if (unsupported.count(word)) throw TemplateError{"the '" + word + "' tag is not supported in chat templates", line};
        static const std::set<std::string> closers = {"endif", "endfor", "endset", "endmacro", "elif", "else", "endgeneration", "endraw"};
        if (closers.count(word)) throw TemplateError{"unexpected '" + word + "' with no open block it could close", line};
        throw TemplateError{"unknown tag '" + word + "'", line};
    }

    Target assign_target(bool allow_attribute) {
        Target t;
        const bool paren = is_op("(");
        if (paren) advance();
        t.names.push_back(expect_name("a variable name"));
        if (allow_attribute && is_op(".")) {
            advance();
            t.attribute = expect_name("an attribute name");
            return t;
        }
        while (is_op(",")) {
            advance();
            if (cur().type != TokenType::name) break;
            t.names.push_back(expect_name("a variable name"));
        }
        if (paren) expect_op(")");
        return t;
    }

    ExprPtr make(ExprKind k, int line) {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->line = line;
        return e;
    }

    bool at_tuple_end() const {
        return cur().type == TokenType::block_end || cur().type == TokenType::variable_end ||
               cur().type == TokenType::end_of_input || (cur().type == TokenType::op && cur().value == ")") ||
               (cur().type == TokenType::name && (cur().value == "if" || cur().value == "in"));
    }

    // An expression, or a tuple of them without parentheses (`{{ a, b }}`, `set x = 1, 2`).
    ExprPtr tuple_expr(bool with_condexpr) {
        const int line = cur().line;
        ExprPtr first = expression(with_condexpr);
        if (!is_op(",")) return first;
        auto t = make(ExprKind::tuple, line);
        t->items.push_back(std::move(first));
        while (is_op(",")) {
            advance();
            if (at_tuple_end()) break;
            t->items.push_back(expression(with_condexpr));
        }
        return t;
    }

    ExprPtr expression(bool with_condexpr) {
        Deeper guard(*this);
        if (!with_condexpr) return or_expr();
        ExprPtr e = or_expr();
        while (is_name("if")) {
            const int line = cur().line;
            advance();
            auto c = make(ExprKind::conditional, line);
            Soft soft(soft_, true);
            c->items.push_back(std::move(e));
            c->items.push_back(or_expr());
            if (is_name("else")) {
                advance();
                c->items.push_back(expression(true));
            } else c->items.push_back(nullptr);
            e = std::move(c);
        }
        return e;
    }

    ExprPtr or_expr() {
        ExprPtr e = and_expr();
        while (is_name("or")) {
            auto n = make(ExprKind::logical_or, cur().line);
            advance();
            n->items.push_back(std::move(e));
            n->items.push_back(and_expr());
            e = std::move(n);
        }
        return e;
    }
    ExprPtr and_expr() {
        ExprPtr e = not_expr();
        while (is_name("and")) {
            auto n = make(ExprKind::logical_and, cur().line);
            advance();
            n->items.push_back(std::move(e));
            n->items.push_back(not_expr());
            e = std::move(n);
        }
        return e;
    }
    ExprPtr not_expr() {
        Deeper guard(*this);
        if (is_name("not")) {
            auto n = make(ExprKind::logical_not, cur().line);
            advance();
            n->items.push_back(not_expr());
            return n;
        }
        return compare_expr();
    }
    ExprPtr compare_expr() {
        const int line = cur().line;
        ExprPtr first = add_expr();
        ExprPtr node;
        while (true) {
            std::string op;
            if (cur().type == TokenType::op &&
                (cur().value == "==" || cur().value == "!=" || cur().value == "<" || cur().value == ">" ||
                 cur().value == "<=" || cur().value == ">=")) {
                op = cur().value;
                advance();
            } else if (is_name("in")) {
                op = "in";
                advance();
            } else if (is_name("not") && peek().type == TokenType::name && peek().value == "in") {
                op = "not in";
                advance();
                advance();
            } else break;
            if (!node) {
                node = make(ExprKind::compare, line);
                node->items.push_back(std::move(first));
            }
            node->ops.push_back(op);
            node->items.push_back(add_expr());
        }
        return node ? std::move(node) : std::move(first);
    }
    ExprPtr binary(ExprPtr l, const std::string& op, ExprPtr r, int line) {
        auto n = make(ExprKind::binary, line);
        n->name = op;
        n->items.push_back(std::move(l));
        n->items.push_back(std::move(r));
        return n;
    }
    ExprPtr add_expr() {
        ExprPtr e = concat_expr();
        while (is_op("+") || is_op("-")) {
            const std::string op = cur().value;
            const int line = cur().line;
            advance();
            e = binary(std::move(e), op, concat_expr(), line);
        }
        return e;
    }
    ExprPtr concat_expr() {
        ExprPtr e = mul_expr();
        while (is_op("~")) {
            const int line = cur().line;
            advance();
            e = binary(std::move(e), "~", mul_expr(), line);
        }
        return e;
    }
    ExprPtr mul_expr() {
        ExprPtr e = pow_expr();
        while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
            const std::string op = cur().value;
            const int line = cur().line;
            advance();
            e = binary(std::move(e), op, pow_expr(), line);
        }
        return e;
    }
    ExprPtr pow_expr() {
        ExprPtr e = unary(true);
        while (is_op("**")) {
            const int line = cur().line;
            advance();
            e = binary(std::move(e), "**", unary(true), line);
        }
        return e;
    }
    ExprPtr unary(bool with_filter) {
        Deeper guard(*this);
        ExprPtr e;
        if (is_op("-") || is_op("+")) {
            e = make(is_op("-") ? ExprKind::negate : ExprKind::plus, cur().line);
            advance();
            e->items.push_back(unary(false));
        } else e = primary();
        e = postfix(std::move(e));
        if (with_filter) e = filters_and_tests(std::move(e));
        return e;
    }

    ExprPtr primary() {
        const Token& tok = cur();
        const int line = tok.line;
        if (tok.type == TokenType::name) {
            const std::string n = tok.value;
            advance();
            auto e = make(ExprKind::literal, line);
            if (n == "true" || n == "True") e->value = Value::from_bool(true);
            else if (n == "false" || n == "False") e->value = Value::from_bool(false);
            else if (n == "none" || n == "None") e->value = Value::none();
            else {
                e->kind = ExprKind::name;
                e->name = n;
            }
            return e;
        }
        if (tok.type == TokenType::string) {
            std::string s;
            while (cur().type == TokenType::string) {  // adjacent literals join, as in Python
                s += cur().value;
                advance();
            }
            auto e = make(ExprKind::literal, line);
            e->value = Value::from_string(std::move(s));
            return e;
        }
        if (tok.type == TokenType::integer || tok.type == TokenType::floating) {
            auto e = make(ExprKind::literal, line);
            if (tok.type == TokenType::integer) {
                errno = 0;
                const long long v = std::strtoll(tok.value.c_str(), nullptr, 10);
                if (errno == ERANGE) fail("integer literal " + tok.value + " is too large");
                e->value = Value::from_int(v);
            } else e->value = Value::from_float(std::strtod(tok.value.c_str(), nullptr));
            advance();
            return e;
        }
        if (is_op("(")) {
            advance();
            if (is_op(")")) {
                advance();
                auto e = make(ExprKind::tuple, line);
                return e;
            }
            ExprPtr first = expression(true);
            if (is_op(")")) {
                advance();
                return first;
            }
            auto t = make(ExprKind::tuple, line);
            t->items.push_back(std::move(first));
            while (is_op(",")) {
                advance();
                if (is_op(")")) break;
                t->items.push_back(expression(true));
            }
            expect_op(")");
            return t;
        }
        if (is_op("[")) {
            advance();
            auto e = make(ExprKind::list, line);
            while (!is_op("]")) {
                if (!e->items.empty()) expect_op(",");
                if (is_op("]")) break;
                e->items.push_back(expression(true));
            }
            advance();
            return e;
        }
        if (is_op("{")) {
            advance();
            auto e = make(ExprKind::dict, line);
            while (!is_op("}")) {
                if (!e->items.empty()) expect_op(",");
                if (is_op("}")) break;
                e->items.push_back(expression(true));
                expect_op(":");
                e->items.push_back(expression(true));
            }
            advance();
            return e;
        }
        fail("expected an expression, found " + describe(tok));
    }

    void call_args(Expr& call) {
        expect_op("(");
        bool first = true;
        while (!is_op(")")) {
            if (!first) expect_op(",");
            first = false;
            if (is_op(")")) break;
            if (cur().type == TokenType::name && peek().type == TokenType::op && peek().value == "=") {
                std::string key = cur().value;
                advance();
                advance();
                call.kwargs.emplace_back(std::move(key), expression(true));
            } else {
                if (!call.kwargs.empty()) fail("a positional argument follows a keyword argument");
                call.items.push_back(expression(true));
            }
        }
        advance();
    }

    ExprPtr postfix(ExprPtr e) {
        while (true) {
            const int line = cur().line;
            if (is_op(".")) {
                advance();
                if (cur().type == TokenType::integer) {  // a.0 is a[0]
                    auto s = make(ExprKind::subscript, line);
                    s->items.push_back(std::move(e));
                    auto k = make(ExprKind::literal, line);
                    k->value = Value::from_int(std::atoll(cur().value.c_str()));
                    advance();
                    s->items.push_back(std::move(k));
                    e = std::move(s);
                    continue;
                }
                auto a = make(ExprKind::attribute, line);
                a->name = expect_name("an attribute name after '.'");
                a->items.push_back(std::move(e));
                e = std::move(a);
            } else if (is_op("[")) {
                advance();
                ExprPtr parts[3];
                bool is_slice = false;
                for (int k = 0; k < 3; ++k) {
                    if (!is_op(":") && !is_op("]")) parts[k] = expression(true);
                    if (k < 2 && is_op(":")) {
                        is_slice = true;
                        advance();
                    } else break;
                }
                expect_op("]");
                if (is_slice) {
                    auto s = make(ExprKind::slice, line);
                    s->items.push_back(std::move(e));
                    for (auto& p : parts) s->items.push_back(std::move(p));
                    e = std::move(s);
                } else {
                    if (!parts[0]) fail("expected a subscript inside '[]'");
                    auto s = make(ExprKind::subscript, line);
                    s->items.push_back(std::move(e));
                    s->items.push_back(std::move(parts[0]));
                    e = std::move(s);
                }
            } else if (is_op("(")) {
                auto c = make(ExprKind::call, line);
                c->items.push_back(std::move(e));
                call_args(*c);
                e = std::move(c);
            } else return e;
        }
    }

    ExprPtr filters_and_tests(ExprPtr e) {
        while (true) {
            const int line = cur().line;
            if (is_op("|")) {
                advance();
                auto f = make(ExprKind::filter, line);
                f->name = expect_name("a filter name after '|'");
                if (!soft_ && !is_known_filter(f->name)) throw TemplateError{"unknown filter '" + f->name + "'", line};
                f->items.push_back(std::move(e));
                if (is_op("(")) call_args(*f);
                e = std::move(f);
            } else if (is_name("is")) {
                advance();
                auto t = make(ExprKind::test, line);
                if (is_name("not")) {
                    t->negated = true;
                    advance();
                }
                t->name = expect_name("a test name after 'is'");
                if (!soft_ && !is_known_test(t->name)) throw TemplateError{"unknown test '" + t->name + "'", line};
                t->items.push_back(std::move(e));
                if (is_op("(")) call_args(*t);
                else if ((cur().type == TokenType::name && !is_name("else") && !is_name("or") && !is_name("and") &&
                          !is_name("if") && !is_name("not") && !is_name("in") && !is_name("is")) ||
                         cur().type == TokenType::string || cur().type == TokenType::integer ||
                         cur().type == TokenType::floating || is_op("[") || is_op("{")) {
                    t->items.push_back(postfix(primary()));
                }
                e = std::move(t);
            } else if (is_op("(")) {
                auto c = make(ExprKind::call, line);
                c->items.push_back(std::move(e));
                call_args(*c);
                e = std::move(c);
            } else return e;
        }
    }

    // Nesting depth, bounded so that a hostile template cannot overflow the stack.
    struct Deeper {
        Parser& p;
        explicit Deeper(Parser& parser) : p(parser) {
            if (++p.depth_ > 400) throw TemplateError{"the template nests blocks or expressions too deeply (more than 400 levels)", p.cur().line};
        }
        ~Deeper() { --p.depth_; }
    };

    // Sets the soft flag for a scope and puts the old value back.
    struct Soft {
        bool& flag;
        bool saved;
        Soft(bool& f, bool value) : flag(f), saved(f) { flag = value; }
        ~Soft() { flag = saved; }
    };

    std::vector<Token> t_;
    size_t i_ = 0;
    int depth_ = 0;
    bool soft_ = false;  // unknown filters / tests are runtime errors here (inside an if or a ternary)
};

}  // namespace

Program parse(const std::string& source) { return Parser(tokenize(source)).program(); }

}  // namespace gistscope::jinja
