// The evaluator. Scopes follow jinja2: each pass of a for loop's body has its own scope (a set
// inside it is gone at the next pass and after the loop, which is why templates use namespace()),
// an if does not; a macro sees its parameters and the scopes where it was defined.
#include "chat_template/render.h"

#include <algorithm>
#include <map>

#include "chat_template/builtins.h"

namespace gistscope::jinja {

namespace {

enum class Flow : uint8_t { normal, break_loop, continue_loop };

class Renderer {
public:
    Renderer(std::optional<std::time_t> now) : now_(now) {}

    std::string run(const Program& program, const Value& context) {
        frames_.push_back({});
        install_globals(frames_.back().vars);
        frames_.push_back({});
        for (const auto& [k, v] : context.dict->entries) frames_.back().vars[k.text] = v;
        std::string out;
        out_ = &out;
        exec(program.body);
        return out;
    }

private:
    struct Frame {
        std::map<std::string, Value> vars;
        bool macro = false;       // a macro call: below it, only the frames where the macro was defined are seen
        size_t defined_at = 0;    // for a macro frame: how many frames were open at the definition
    };

    void install_globals(std::map<std::string, Value>& g) {
        g["range"] = Value::from_function([](std::vector<Value>& a, Kwargs& k) {
            k.expect_empty("range()");
            auto num = [](const Value& v) {
                if (v.kind != Kind::integer && v.kind != Kind::boolean) throw TemplateError{"range() takes integers, not " + type_name(v)};
                return v.kind == Kind::boolean ? int64_t(v.boolean) : v.integer;
            };
            if (a.empty() || a.size() > 3) throw TemplateError{"range expected 1 to 3 arguments"};
            const int64_t start = a.size() == 1 ? 0 : num(a[0]);
            const int64_t stop = a.size() == 1 ? num(a[0]) : num(a[1]);
            const int64_t step = a.size() == 3 ? num(a[2]) : 1;
            if (step == 0) throw TemplateError{"range() arg 3 must not be zero"};
            ValueList out;
            for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
                if (out.size() >= 100000) throw TemplateError{"range too big, the sandbox allows 100000 items"};
                out.push_back(Value::from_int(i));
            }
            return Value::from_list(std::move(out));
        });
        auto make_dict = [](std::vector<Value>& a, Kwargs& k, bool ns) {
            ValueDict d;
            if (a.size() > 1) throw TemplateError{std::string(ns ? "namespace" : "dict") + "() takes at most one positional argument"};
            if (a.size() == 1) {
                if (a[0].kind != Kind::dict) throw TemplateError{"cannot make a dict from " + type_name(a[0])};
                d = *a[0].dict;
            }
            for (auto& [name, v] : k.entries) d.set(Value::from_string(name), v);
            k.entries.clear();
            Value v = Value::from_dict(std::move(d));
            v.is_namespace = ns;
            return v;
        };
        g["namespace"] = Value::from_function([make_dict](std::vector<Value>& a, Kwargs& k) { return make_dict(a, k, true); });
        g["dict"] = Value::from_function([make_dict](std::vector<Value>& a, Kwargs& k) { return make_dict(a, k, false); });
        g["raise_exception"] = Value::from_function([](std::vector<Value>& a, Kwargs&) -> Value {
            throw TemplateError{"the template raised an error: " + (a.empty() ? std::string() : to_str(a[0]))};
        });
        const std::optional<std::time_t> now = now_;
        g["strftime_now"] = Value::from_function([now](std::vector<Value>& a, Kwargs& k) {
            k.expect_empty("strftime_now()");
            if (a.size() != 1 || a[0].kind != Kind::string) throw TemplateError{"strftime_now(format) takes one string"};
            const std::time_t t = now ? *now : std::time(nullptr);
            std::tm local{};
            localtime_r(&t, &local);
            std::string buf(256, '\0');
            const size_t n = std::strftime(buf.data(), buf.size(), a[0].text.c_str(), &local);
            if (n == 0 && !a[0].text.empty()) throw TemplateError{"strftime_now: the format gives an empty or too long date"};
            buf.resize(n);
            return Value::from_string(buf);
        });
    }

    Value lookup(const std::string& name) const {
        size_t i = frames_.size();
        while (i-- > 0) {
            const auto it = frames_[i].vars.find(name);
            if (it != frames_[i].vars.end()) return it->second;
            if (frames_[i].macro) i = std::min(i, frames_[i].defined_at);
        }
        return Value::undefined("'" + name + "' is undefined");
    }

    void assign_names(const std::vector<std::string>& names, const Value& v) {
        auto& vars = frames_.back().vars;
        if (names.size() == 1) {
            vars[names[0]] = v;
            return;
        }
        ValueList items = iterate(v);
        if (items.size() != names.size())
            throw TemplateError{"cannot unpack " + std::to_string(items.size()) + " values into " + std::to_string(names.size()) + " names"};
        for (size_t i = 0; i < names.size(); ++i) vars[names[i]] = items[i];
    }

    Flow exec(const Body& body) {
        for (const auto& s : body) {
            const Flow f = exec(*s);
            if (f != Flow::normal) return f;
        }
        return Flow::normal;
    }

    Flow exec(const Stmt& s) {
        try {
            return exec_unguarded(s);
        } catch (TemplateError& e) {
            if (e.line == 0) e.line = s.line;
            throw;
        }
    }

    std::string capture(const Body& body) {
        std::string text;
        std::string* saved = out_;
        out_ = &text;
        exec(body);
        out_ = saved;
        return text;
    }

    Flow exec_unguarded(const Stmt& s) {
        switch (s.kind) {
        case StmtKind::text: *out_ += s.text; return Flow::normal;
        case StmtKind::output: *out_ += to_str(eval(*s.expr)); return Flow::normal;
        case StmtKind::if_chain:
            for (const auto& [cond, body] : s.branches)
                if (truthy(eval(*cond))) return exec(body);
            return exec(s.body);
        case StmtKind::for_loop: return exec_for(s);
        case StmtKind::set: {
            Value v = eval(*s.expr);
            if (!s.target.attribute.empty()) {
                Value ns = lookup(s.target.names[0]);
                if (ns.kind != Kind::dict || !ns.is_namespace)
                    throw TemplateError{"cannot assign attribute '" + s.target.attribute + "' on '" + s.target.names[0] +
                                        "': it is not a namespace()"};
                ns.dict->set(Value::from_string(s.target.attribute), std::move(v));
            } else assign_names(s.target.names, v);
            return Flow::normal;
        }
        case StmtKind::set_block: assign_names(s.target.names, Value::from_string(capture(s.body))); return Flow::normal;
        case StmtKind::macro: {
            const Stmt* m = &s;
            const size_t defined_at = frames_.size();
            frames_.back().vars[s.name] = Value::from_function(
                [this, m, defined_at](std::vector<Value>& a, Kwargs& k) { return call_macro(*m, defined_at, a, k); });
            return Flow::normal;
        }
        case StmtKind::break_loop: return Flow::break_loop;
        case StmtKind::continue_loop: return Flow::continue_loop;
        case StmtKind::scope: return exec(s.body);
        }
        return Flow::normal;
    }

    Value call_macro(const Stmt& m, size_t defined_at, std::vector<Value>& args, Kwargs& kwargs) {
        if (macro_depth_ >= 100) throw TemplateError{"macro '" + m.name + "' recurses more than 100 calls deep"};
        ++macro_depth_;
        struct Unwind {
            int& depth;
            ~Unwind() { --depth; }
        } unwind{macro_depth_};
        if (args.size() > m.params.size())
            throw TemplateError{"macro '" + m.name + "' takes " + std::to_string(m.params.size()) + " arguments, " +
                                std::to_string(args.size()) + " given"};
        Frame f;
        f.macro = true;
        f.defined_at = std::min(defined_at, frames_.size());
        frames_.push_back(std::move(f));
        struct Pop {
            std::vector<Frame>& frames;
            ~Pop() { frames.pop_back(); }
        } pop{frames_};
        for (size_t i = 0; i < m.params.size(); ++i) {
            Value v;
            if (i < args.size()) v = args[i];
            else if (auto kw = kwargs.take(m.params[i])) v = *kw;
            else if (m.defaults[i]) v = eval(*m.defaults[i]);
            else v = Value::undefined("parameter '" + m.params[i] + "' was not provided");
            frames_.back().vars[m.params[i]] = v;
        }
        kwargs.expect_empty("macro '" + m.name + "'");
        return Value::from_string(capture(m.body));
    }

    Flow exec_for(const Stmt& s) {
        ValueList items = iterate(eval(*s.expr));
        frames_.push_back({});
        struct Pop {
            std::vector<Frame>& frames;
            ~Pop() { frames.pop_back(); }
        } pop{frames_};
        if (s.condition) {
            ValueList kept;
            for (const Value& item : items) {
                assign_names(s.target.names, item);
                if (truthy(eval(*s.condition))) kept.push_back(item);
            }
            items = std::move(kept);
        }
        const auto n = static_cast<int64_t>(items.size());
        for (int64_t i = 0; i < n; ++i) {
            const Value& item = items[static_cast<size_t>(i)];
            frames_.back().vars.clear();  // each pass starts afresh: a set in the body does not carry over
            assign_names(s.target.names, item);
            ValueDict loop;
            auto put = [&](const char* key, Value v) { loop.entries.emplace_back(Value::from_string(key), std::move(v)); };
            put("index0", Value::from_int(i));
            put("index", Value::from_int(i + 1));
            put("revindex0", Value::from_int(n - 1 - i));
            put("revindex", Value::from_int(n - i));
            put("first", Value::from_bool(i == 0));
            put("last", Value::from_bool(i == n - 1));
            put("length", Value::from_int(n));
            put("depth", Value::from_int(1));
            put("depth0", Value::from_int(0));
            put("previtem", i > 0 ? items[static_cast<size_t>(i - 1)] : Value::undefined("there is no previous item"));
            put("nextitem", i + 1 < n ? items[static_cast<size_t>(i + 1)] : Value::undefined("there is no next item"));
            put("cycle", Value::from_function([i](std::vector<Value>& a, Kwargs&) {
                if (a.empty()) throw TemplateError{"no items for cycling given"};
                return a[static_cast<size_t>(i) % a.size()];
            }));
            frames_.back().vars["loop"] = Value::from_dict(std::move(loop));
            const Flow f = exec(s.body);
            if (f == Flow::break_loop) break;
        }
        if (n == 0) exec(s.else_body);
        return Flow::normal;
    }

    void eval_args(const Expr& e, size_t first, std::vector<Value>& args, Kwargs& kwargs) {
        for (size_t i = first; i < e.items.size(); ++i) args.push_back(eval(*e.items[i]));
        for (const auto& [k, v] : e.kwargs) kwargs.entries.emplace_back(k, eval(*v));
    }

    Value eval(const Expr& e) {
        try {
            return eval_unguarded(e);
        } catch (TemplateError& err) {
            if (err.line == 0) err.line = e.line;
            throw;
        }
    }

    Value eval_unguarded(const Expr& e) {
        switch (e.kind) {
        case ExprKind::literal: return e.value;
        case ExprKind::name: return lookup(e.name);
        case ExprKind::list:
        case ExprKind::tuple: {
            ValueList items;
            for (const auto& i : e.items) items.push_back(eval(*i));
            return Value::from_list(std::move(items), e.kind == ExprKind::tuple);
        }
        case ExprKind::dict: {
            ValueDict d;
            for (size_t i = 0; i + 1 < e.items.size(); i += 2) d.set(eval(*e.items[i]), eval(*e.items[i + 1]));
            return Value::from_dict(std::move(d));
        }
        case ExprKind::attribute: return get_attribute(eval(*e.items[0]), e.name);
        case ExprKind::subscript: return get_item(eval(*e.items[0]), eval(*e.items[1]));
        case ExprKind::slice: {
            const Value obj = eval(*e.items[0]);
            auto part = [&](size_t i) { return e.items[i] ? eval(*e.items[i]) : Value::none(); };
            return get_slice(obj, part(1), part(2), part(3));
        }
        case ExprKind::call: {
            const Value callee = eval(*e.items[0]);
            std::vector<Value> args;
            Kwargs kwargs;
            eval_args(e, 1, args, kwargs);
            if (callee.is_undefined()) fail_undefined(callee);
            if (callee.kind != Kind::callable) throw TemplateError{"'" + type_name(callee) + "' object is not callable"};
            return (*callee.function)(args, kwargs);
        }
        case ExprKind::filter: {
            const Value subject = eval(*e.items[0]);
            std::vector<Value> args;
            Kwargs kwargs;
            eval_args(e, 1, args, kwargs);
            Value v = apply_filter(e.name, subject, args, kwargs);
            kwargs.expect_empty("filter '" + e.name + "'");
            return v;
        }
        case ExprKind::test: {
            const Value subject = eval(*e.items[0]);
            std::vector<Value> args;
            Kwargs kwargs;
            eval_args(e, 1, args, kwargs);
            kwargs.expect_empty("test '" + e.name + "'");
            return Value::from_bool(apply_test(e.name, subject, args) != e.negated);
        }
        case ExprKind::negate:
        case ExprKind::plus: {
            const Value v = eval(*e.items[0]);
            if (v.is_undefined()) fail_undefined(v);
            if (!v.is_number()) throw TemplateError{"bad operand type for unary " + std::string(e.kind == ExprKind::negate ? "-" : "+") + ": '" + type_name(v) + "'"};
            if (e.kind == ExprKind::plus) return v.kind == Kind::boolean ? Value::from_int(v.boolean) : v;
            if (v.kind == Kind::floating) return Value::from_float(-v.floating);
            return Value::from_int(-(v.kind == Kind::boolean ? int64_t(v.boolean) : v.integer));
        }
        case ExprKind::logical_not: return Value::from_bool(!truthy(eval(*e.items[0])));
        case ExprKind::binary: {
            const Value a = eval(*e.items[0]);
            const Value b = eval(*e.items[1]);
            return binary_op(e.name, a, b);
        }
        case ExprKind::logical_and: {  // Python returns the deciding operand
            Value a = eval(*e.items[0]);
            return truthy(a) ? eval(*e.items[1]) : a;
        }
        case ExprKind::logical_or: {
            Value a = eval(*e.items[0]);
            return truthy(a) ? a : eval(*e.items[1]);
        }
        case ExprKind::compare: {
            Value left = eval(*e.items[0]);
            for (size_t i = 0; i < e.ops.size(); ++i) {
                Value right = eval(*e.items[i + 1]);
                const std::string& op = e.ops[i];
                bool ok;
                if (op == "==") ok = equals(left, right);
                else if (op == "!=") ok = !equals(left, right);
                else if (op == "in") ok = contains(right, left);
                else if (op == "not in") ok = !contains(right, left);
                else {
                    const int c = compare(left, right);
                    ok = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
                }
                if (!ok) return Value::from_bool(false);
                left = std::move(right);
            }
            return Value::from_bool(true);
        }
        case ExprKind::conditional:
            if (truthy(eval(*e.items[1]))) return eval(*e.items[0]);
            return e.items[2] ? eval(*e.items[2]) : Value::undefined("the condition was false and there is no else");
        }
        return Value::undefined("?");
    }

    std::optional<std::time_t> now_;
    int macro_depth_ = 0;
    std::vector<Frame> frames_;
    std::string* out_ = nullptr;
};

}  // namespace

std::string render(const Program& program, const Value& context, std::optional<std::time_t> now) {
    return Renderer(now).run(program, context);
}

}  // namespace gistscope::jinja
