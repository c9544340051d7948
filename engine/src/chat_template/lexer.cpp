// The lexer: a text scan that switches to expression tokens inside {{ }} and {% %}.
#include "chat_template/lexer.h"

#include <cctype>
#include <cstring>

#include "chat_template/value.h"

namespace gistscope::jinja {

namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Python's str.rstrip() / lstrip() with no argument (Unicode whitespace), on UTF-8.
std::string rstrip_ws(const std::string& s) {
    std::u32string u = utf8_decode(s);
    while (!u.empty() && is_python_space(u.back())) u.pop_back();
    return utf8_encode(u);
}

std::string normalise(const std::string& src) {
    std::string out;
    out.reserve(src.size());
    for (size_t i = 0; i < src.size(); ++i) {
        if (src[i] == '\r') {
            out += '\n';
            if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
        } else out += src[i];
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// A Python string literal's escapes, as jinja2 decodes them ("unicode-escape").
std::string decode_string(const std::string& body, int line) {
    std::u32string out;
    const std::u32string u = utf8_decode(body);
    for (size_t i = 0; i < u.size(); ++i) {
        if (u[i] != '\\' || i + 1 == u.size()) { out.push_back(u[i]); continue; }
        const char32_t c = u[++i];
        auto hex = [&](size_t n) {
            char32_t v = 0;
            for (size_t k = 1; k <= n; ++k) {
                if (i + k >= u.size()) throw TemplateError{"truncated escape in a string", line};
                const char32_t h = u[i + k];
                int d = h >= '0' && h <= '9' ? int(h - '0') : h >= 'a' && h <= 'f' ? int(h - 'a' + 10) : h >= 'A' && h <= 'F' ? int(h - 'A' + 10) : -1;
                if (d < 0) throw TemplateError{"bad escape in a string", line};
                v = v * 16 + static_cast<char32_t>(d);
            }
            i += n;
            return v;
        };
        switch (c) {
        case '\n': break;  // line continuation
        case '\\': out.push_back('\\'); break;
        case '\'': out.push_back('\''); break;
        case '"': out.push_back('"'); break;
        case 'a': out.push_back('\a'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'v': out.push_back('\v'); break;
        case 'x': out.push_back(hex(2)); break;
        case 'u': out.push_back(hex(4)); break;
        case 'U': out.push_back(hex(8)); break;
        default:
            if (c >= '0' && c <= '7') {
                char32_t v = c - '0';
                for (int k = 0; k < 2 && i + 1 < u.size() && u[i + 1] >= '0' && u[i + 1] <= '7'; ++k) v = v * 8 + (u[++i] - '0');
                out.push_back(v);
            } else {
                out.push_back('\\');
                out.push_back(c);
            }
        }
    }
    return utf8_encode(out);
}

class Lexer {
public:
    explicit Lexer(const std::string& source) : src_(normalise(source)) {}

    std::vector<Token> run() {
        bool line_starting = true;  // the previous piece ended a line (lstrip_blocks looks at it)
        while (pos_ < src_.size()) {
            size_t at = find_tag(pos_);
            std::string text = src_.substr(pos_, at - pos_);
            const int text_line = line_;
            if (at == src_.size()) {
                emit_text(text, text_line);
                pos_ = at;
                break;
            }
            const char kind = src_[at + 1];  // '{', '%' or '#'
            const char marker = at + 2 < src_.size() ? src_[at + 2] : '\0';
            if (marker == '-') text = rstrip_ws(text);
            else if (marker != '+' && kind != '{') {
                const size_t l_pos = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
                if (l_pos > 0 || line_starting) {
                    bool only_blanks = l_pos < text.size();
                    for (size_t k = l_pos; k < text.size(); ++k)
                        if (!(text[k] == ' ' || text[k] == '\t' || text[k] == '\v' || text[k] == '\f')) only_blanks = false;
                    if (only_blanks) text.resize(l_pos);
                }
            }
            emit_text(text, text_line);
            count_lines(pos_, at);
            pos_ = at + 2 + ((marker == '-' || marker == '+') ? 1 : 0);
            if (kind == '#') line_starting = comment();
            else line_starting = tag(kind == '{');
        }
        tokens_.push_back({TokenType::end_of_input, "", line_});
        return std::move(tokens_);
    }

private:
    size_t find_tag(size_t from) const {
        for (size_t i = from; i + 1 < src_.size(); ++i)
            if (src_[i] == '{' && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) return i;
        return src_.size();
    }
    void count_lines(size_t from, size_t to) {
        for (size_t i = from; i < to; ++i)
            if (src_[i] == '\n') ++line_;
    }
    void emit_text(const std::string& text, int line) {
        if (!text.empty()) tokens_.push_back({TokenType::text, text, line});
    }
    // After a closing "-": all whitespace goes. After a plain block / comment end: one newline goes.
    // Returns whether what was consumed ended a line.
    bool after_close(bool strip, bool trim_newline) {
        bool ended_line = false;
        if (strip) {
            while (pos_ < src_.size()) {
                // Unicode whitespace too, as Python's \s does.
                const std::u32string one = utf8_decode(src_.substr(pos_, 4));
                if (one.empty() || !is_python_space(one[0])) break;
                const size_t len = utf8_encode(std::u32string(1, one[0])).size();
                ended_line = src_[pos_] == '\n';
                count_lines(pos_, pos_ + len);
                pos_ += len;
            }
        } else if (trim_newline && pos_ < src_.size() && src_[pos_] == '\n') {
            ++line_;
            ++pos_;
            ended_line = true;
        }
        return ended_line;
    }
    bool comment() {
        const int start_line = line_;
        const size_t end = src_.find("#}", pos_);
        if (end == std::string::npos) throw TemplateError{"the comment opened here is never closed with '#}'", start_line};
        const bool strip = end > pos_ && src_[end - 1] == '-';
        const bool keep = end > pos_ && src_[end - 1] == '+';
        count_lines(pos_, end);
        pos_ = end + 2;
        return after_close(strip, !keep);
    }
    bool tag(bool variable) {
        const int start_line = line_;
        const size_t first = tokens_.size();
        tokens_.push_back({variable ? TokenType::variable_begin : TokenType::block_begin, "", line_});
        const char* close = variable ? "}}" : "%}";
        while (true) {
            while (pos_ < src_.size() && is_ascii_space(src_[pos_])) {
                if (src_[pos_] == '\n') ++line_;
                ++pos_;
            }
            if (pos_ >= src_.size())
                throw TemplateError{std::string("the tag opened here is never closed with '") + close + "'", start_line};
            const bool marked = (src_[pos_] == '-' || src_[pos_] == '+') && src_.compare(pos_ + 1, 2, close) == 0;
            if (marked || src_.compare(pos_, 2, close) == 0) {
                const char marker = marked ? src_[pos_] : '\0';
                pos_ += marked ? 3 : 2;
                tokens_.push_back({variable ? TokenType::variable_end : TokenType::block_end, "", line_});
                if (!variable && tokens_.size() == first + 3 && tokens_[first + 1].type == TokenType::name &&
                    tokens_[first + 1].value == "raw") {
                    tokens_.resize(first);
                    return raw(start_line, marker);
                }
                return after_close(marker == '-', !variable && marker != '+');
            }
            expression_token();
        }
    }
    // {% raw %}...{% endraw %}: the text in between is not parsed.
    bool raw(int start_line, char open_marker) {
        after_close(open_marker == '-', open_marker != '+');
        size_t search = pos_;
        while (true) {
            const size_t at = src_.find("{%", search);
            if (at == std::string::npos) throw TemplateError{"the raw block opened here is never closed with 'endraw'", start_line};
            size_t k = at + 2;
            const char marker = k < src_.size() && (src_[k] == '-' || src_[k] == '+') ? src_[k] : '\0';
            if (marker) ++k;
            while (k < src_.size() && is_ascii_space(src_[k])) ++k;
            if (src_.compare(k, 6, "endraw") != 0) { search = at + 2; continue; }
            k += 6;
            while (k < src_.size() && is_ascii_space(src_[k])) ++k;
            const char end_marker = k < src_.size() && (src_[k] == '-' || src_[k] == '+') ? src_[k] : '\0';
            if (end_marker) ++k;
            if (src_.compare(k, 2, "%}") != 0) { search = at + 2; continue; }
            std::string text = src_.substr(pos_, at - pos_);
            if (marker == '-') text = rstrip_ws(text);
            emit_text(text, line_);
            count_lines(pos_, k + 2);
            pos_ = k + 2;
            return after_close(end_marker == '-', end_marker != '+');
        }
    }
    void expression_token() {
        const char c = src_[pos_];
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t e = pos_;
            while (e < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[e])) || src_[e] == '_')) ++e;
            tokens_.push_back({TokenType::name, src_.substr(pos_, e - pos_), line_});
            pos_ = e;
            return;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t e = pos_;
            auto digits = [&] { while (e < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[e])) || src_[e] == '_')) ++e; };
            digits();
            bool is_float = false;
            if (e + 1 < src_.size() && src_[e] == '.' && std::isdigit(static_cast<unsigned char>(src_[e + 1]))) {
                ++e;
                digits();
                is_float = true;
            }
            if (e < src_.size() && (src_[e] == 'e' || src_[e] == 'E')) {
                size_t k = e + 1;
                if (k < src_.size() && (src_[k] == '+' || src_[k] == '-')) ++k;
                if (k < src_.size() && std::isdigit(static_cast<unsigned char>(src_[k]))) {
                    e = k;
                    digits();
                    is_float = true;
                }
            }
            std::string text;
            for (size_t k = pos_; k < e; ++k)
                if (src_[k] != '_') text += src_[k];
            tokens_.push_back({is_float ? TokenType::floating : TokenType::integer, text, line_});
            pos_ = e;
            return;
        }
        if (c == '\'' || c == '"') {
            const int start_line = line_;
            size_t e = pos_ + 1;
            while (e < src_.size() && src_[e] != c) {
                if (src_[e] == '\\') ++e;
                if (e < src_.size() && src_[e] == '\n') ++line_;
                ++e;
            }
            if (e >= src_.size()) throw TemplateError{"a string literal is never closed", start_line};
            tokens_.push_back({TokenType::string, decode_string(src_.substr(pos_ + 1, e - pos_ - 1), start_line), start_line});
            pos_ = e + 1;
            return;
        }
        static const char* const two[] = {"**", "//", "==", "!=", "<=", ">="};
        for (const char* op : two)
            if (src_.compare(pos_, 2, op) == 0) {
                tokens_.push_back({TokenType::op, op, line_});
                pos_ += 2;
                return;
            }
        if (std::strchr("+-*/%~<>=|.,:()[]{}", c)) {
            tokens_.push_back({TokenType::op, std::string(1, c), line_});
            ++pos_;
            return;
        }
        throw TemplateError{std::string("unexpected character '") + c + "' in a tag", line_};
    }

    std::string src_;
    size_t pos_ = 0;
    int line_ = 1;
    std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> tokenize(const std::string& source) { return Lexer(source).run(); }

}  // namespace gistscope::jinja
