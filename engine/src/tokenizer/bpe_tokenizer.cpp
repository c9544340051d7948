// Hugging Face byte-level BPE (tokenizer.json) as Qwen2.5 and Llama 3 ship it:
// added tokens split out first; each remaining run is NFC-normalised (if the file says so), split
// by the pre-tokenizer regex (PCRE2 with Unicode properties), mapped byte -> printable character,
// and merged by rank. The post-processor (Llama 3: <|begin_of_text|> in front) runs last.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <array>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "tokenizers.h"
#include "util/checked_json.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

// GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 upwards.
struct ByteMap {
    std::array<std::string, 256> byte_to_text;           // byte -> UTF-8 of its character
    std::unordered_map<uint32_t, uint8_t> char_to_byte;  // code point -> byte
    ByteMap() {
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const uint32_t cp = printable ? uint32_t(b) : uint32_t(256 + n++);
            char buf[4];
            const auto len = utf8proc_encode_char(int32_t(cp), reinterpret_cast<utf8proc_uint8_t*>(buf));
            byte_to_text[size_t(b)] = std::string(buf, size_t(len));
            char_to_byte[cp] = uint8_t(b);
        }
    }
};

const ByteMap& byte_map() {
    static const ByteMap m;
    return m;
}

// Bytes -> valid UTF-8, each maximal invalid subsequence replaced by U+FFFD (Rust's
// String::from_utf8_lossy, which the Hugging Face decoder uses).
std::string utf8_lossy(const std::string& in) {
    std::string out;
    size_t i = 0;
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const size_t n = in.size();
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) { out += char(c); ++i; continue; }
        size_t need = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
        else { out += "\xEF\xBF\xBD"; ++i; continue; }
        size_t j = i + 1, got = 0;
        while (got < need && j < n) {
            const unsigned char cc = s[j];
            const unsigned char l = got == 0 ? lo : 0x80, h = got == 0 ? hi : 0xBF;
            if (cc < l || cc > h) break;
            ++j; ++got;
        }
        if (got == need) out.append(in, i, j - i);
        else out += "\xEF\xBF\xBD";
        i = j;
    }
    return out;
}

// Ids above this are refused: an id is also an index into the piece table (and into the model's
// embedding), and no released vocabulary comes near 2^24.
constexpr int64_t kMaxTokenId = (int64_t(1) << 24) - 1;

class BpeTokenizer final : public Tokenizer {
public:
    // `j` is a parsed tokenizer.json (or one built from a GGUF file's metadata); `source` names it
    // in messages.
    BpeTokenizer(const json& j, std::string source) : source_(std::move(source)) {
        if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
            throw Error(source_ + ": missing object 'model', expected a Hugging Face tokenizer.json");
        const auto& m = j["model"];
        const std::string model_type = checked::string_or(m, "type", "missing", source_ + ": model");
        if (model_type != "BPE") throw Error(source_ + ": model.type is " + model_type + ", expected BPE");
        if (!m.contains("vocab") || !m["vocab"].is_object()) throw Error(source_ + ": model.vocab must be an object");
        for (auto& [piece, id] : m["vocab"].items()) {
            const auto i = int32_t(checked::integer(id, 0, kMaxTokenId, source_ + ": model.vocab['" + piece + "']"));
            vocab_[piece] = i;
            if (size_t(i) >= id_to_piece_.size()) id_to_piece_.resize(size_t(i) + 1);
            id_to_piece_[size_t(i)] = piece;
        }
        base_size_ = int32_t(id_to_piece_.size());
        int rank = 0;
        const json no_merges = json::array();
        const json& merges = m.contains("merges") && !m["merges"].is_null() ? m["merges"] : no_merges;
        if (!merges.is_array()) throw Error(source_ + ": model.merges must be a list");
        for (const auto& mg : merges) {
            const std::string where = source_ + ": model.merges[" + std::to_string(rank) + "]";
            std::string a, b;
            if (mg.is_string()) {
                const std::string s = mg.get<std::string>();
                const auto sp = s.find(' ');
                if (sp == std::string::npos) throw Error(where + " is '" + s + "', expected \"a b\"");
                a = s.substr(0, sp);
                b = s.substr(sp + 1);
            } else if (mg.is_array() && mg.size() == 2 && mg[0].is_string() && mg[1].is_string()) {
                a = mg[0].get<std::string>();
                b = mg[1].get<std::string>();
            } else {
                throw Error(where + " is " + checked::shown(mg) + ", expected \"a b\" or [a, b]");
            }
            // As Hugging Face tokenizers: both parts and their merge must be vocabulary pieces.
            for (const std::string* piece : {&a, &b})
                if (!vocab_.count(*piece)) throw Error(where + ": '" + *piece + "' is not in model.vocab, expected a merge of two vocabulary pieces");
            if (!vocab_.count(a + b)) throw Error(where + ": the merged piece '" + a + b + "' is not in model.vocab");
            merge_rank_.emplace(a + ' ' + b, rank++);
        }
        ignore_merges_ = checked::boolean_or(m, "ignore_merges", false, source_ + ": model");

        if (j.contains("normalizer") && !j["normalizer"].is_null()) {
            const auto type = checked::string_or(j["normalizer"], "type", "", source_ + ": normalizer");
            if (type == "NFC") nfc_ = true;
            else throw Error(source_ + ": normalizer " + type + " is not supported, expected NFC or none");
        }
        read_pre_tokenizer(j.contains("pre_tokenizer") ? j["pre_tokenizer"] : json());
        read_post_processor(j.contains("post_processor") ? j["post_processor"] : json());

        if (j.contains("added_tokens") && !j["added_tokens"].is_null()) {
            const auto& added = j["added_tokens"];
            if (!added.is_array()) throw Error(source_ + ": added_tokens must be a list");
            for (size_t k = 0; k < added.size(); ++k) {
                const std::string where = source_ + ": added_tokens[" + std::to_string(k) + "]";
                const auto& a = added[k];
                const std::string content = checked::string(checked::field(a, "content", where), where + ".content");
                const auto id = int32_t(checked::integer(checked::field(a, "id", where), 0, kMaxTokenId, where + ".id"));
                if (content.empty()) throw Error(where + ".content is empty, expected the token's text");
                register_added(content, id, checked::boolean_or(a, "special", false, where));
            }
        }
        for (auto& [name, id] : post_special_names_) {
            auto found = token_id(name);
            if (!found) throw Error(source_ + ": post_processor names unknown token " + name);
            id = *found;
        }
    }
    std::vector<int32_t> encode(std::string_view text, bool add_special) const override {
        std::vector<int32_t> ids;
        if (add_special)
            for (const auto& [name, id] : post_special_names_) ids.push_back(id);
        for (const auto& [piece, id] : split_added(text)) {
            if (id >= 0) {
                ids.push_back(id);
                continue;
            }
            std::string normalized(piece);
            if (nfc_) normalized = nfc(normalized);  // also rejects invalid UTF-8
            else if (utf8proc_decompose(reinterpret_cast<const utf8proc_uint8_t*>(normalized.data()),
                                        utf8proc_ssize_t(normalized.size()), nullptr, 0, utf8proc_option_t(0)) < 0)
                throw Error("text is not valid UTF-8");
            for (const auto& word : pre_tokenize(normalized)) bpe_word(word, ids);
        }
        return ids;
    }

    std::string decode(std::span<const int32_t> ids) const override {
        std::string bytes;
        for (int32_t id : ids) bytes += token_bytes(id);
        return utf8_lossy(bytes);
    }

    std::string token_text(int32_t id) const override { return utf8_lossy(token_bytes(id)); }

    std::optional<int32_t> token_id(std::string_view token) const override {
        if (auto a = added_id(token)) return a;
        return base_token_id(token);
    }

    int32_t size() const override { return std::max(base_size_, added_max_id_ + 1); }

protected:
    std::optional<int32_t> base_token_id(std::string_view token) const override {
        auto it = vocab_.find(std::string(token));
        if (it == vocab_.end()) return std::nullopt;
        return it->second;
    }
    int32_t base_size() const override { return base_size_; }

private:
    // The steps of a pre-tokenizer / post-processor: a Sequence's list, or the one step itself.
    std::vector<json> steps_of(const json& p, const char* list_key, const std::string& what) const {
        const std::string type = checked::string_or(p, "type", "", what);
        if (type != "Sequence") return {p};
        const json& list = checked::field(p, list_key, what);
        if (!list.is_array()) throw Error(what + "." + list_key + " must be a list");
        return std::vector<json>(list.begin(), list.end());
    }

    // The pre-tokenizer as a list of isolating regex splits applied one after the other, as
    // Hugging Face runs a Sequence: Split(Regex, Isolated), Digits (each digit, or each digit run,
    // on its own) and ByteLevel (GPT-2's regex when use_regex is on).
    void read_pre_tokenizer(const json& p) {
        if (p.is_null()) throw Error(source_ + ": pre_tokenizer missing, expected Split + ByteLevel");
        const std::string what = source_ + ": pre_tokenizer";
        if (!p.is_object()) throw Error(what + " must be an object");
        for (const auto& s : steps_of(p, "pretokenizers", what)) {
            const auto type = checked::string_or(s, "type", "", what);
            if (type == "Split") {
                const json& pattern = checked::field(s, "pattern", what + " Split");
                if (!pattern.is_object() || !pattern.contains("Regex"))
                    throw Error(source_ + ": Split pre-tokenizer without a Regex pattern");
                if (checked::string_or(s, "behavior", "", what + " Split") != "Isolated" ||
                    checked::boolean_or(s, "invert", false, what + " Split"))
                    throw Error(source_ + ": Split behaviour must be Isolated, not inverted");
                compile_regex(checked::string(pattern["Regex"], what + " Split.pattern.Regex"));
            } else if (type == "Digits") {
                compile_regex(checked::boolean_or(s, "individual_digits", false, what + " Digits") ? R"(\p{N})" : R"(\p{N}+)");
            } else if (type == "ByteLevel") {
                if (checked::boolean_or(s, "add_prefix_space", false, what + " ByteLevel"))
                    throw Error(source_ + ": ByteLevel add_prefix_space = true is not supported");
                if (checked::boolean_or(s, "use_regex", true, what + " ByteLevel"))
                    compile_regex(R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)");
            } else {
                throw Error(source_ + ": pre-tokenizer " + type + " is not supported, expected Split, Digits and ByteLevel");
            }
        }
        if (regexes_.empty()) throw Error(source_ + ": no pre-tokenizer regex found");
    }

    void read_post_processor(const json& p) {
        if (p.is_null()) return;
        const std::string what = source_ + ": post_processor";
        if (!p.is_object()) throw Error(what + " must be an object or null");
        for (const auto& s : steps_of(p, "processors", what)) {
            const auto type = checked::string_or(s, "type", "", what);
            if (type == "ByteLevel") continue;  // offsets only
            if (type != "TemplateProcessing")
                throw Error(source_ + ": post_processor " + type + " is not supported");
            // Only a prefix template ([special..., $A]) is used by the models we run.
            if (!s.contains("single") || s["single"].is_null()) continue;
            const auto& single = s["single"];
            if (!single.is_array()) throw Error(what + ".single must be a list");
            for (size_t k = 0; k < single.size(); ++k) {
                const std::string item = what + ".single[" + std::to_string(k) + "]";
                if (single[k].is_object() && single[k].contains("SpecialToken")) {
                    const json& special = single[k]["SpecialToken"];
                    post_special_names_.emplace_back(checked::string(checked::field(special, "id", item), item + ".id"), -1);
                } else if (k + 1 != single.size()) {
                    throw Error(source_ + ": TemplateProcessing with tokens after $A is not supported");
                }
            }
        }
    }

    void compile_regex(const std::string& pattern) {
        int err = 0;
        PCRE2_SIZE off = 0;
        pcre2_code* regex = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(),
                                          PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &err, &off, nullptr);
        if (!regex) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            throw Error(source_ + ": pre-tokenizer regex does not compile at offset " + std::to_string(off) + ": " +
                        reinterpret_cast<char*>(msg));
        }
        pcre2_jit_compile(regex, PCRE2_JIT_COMPLETE);  // a speed-up when available, never required
        regexes_.emplace_back(regex);
    }

    static std::string nfc(const std::string& s) {
        // Explicit length, not NUL-terminated: text may contain U+0000.
        utf8proc_uint8_t* out = nullptr;
        const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                                utf8proc_ssize_t(s.size()), &out,
                                                utf8proc_option_t(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
        if (n < 0) throw Error("text is not valid UTF-8");
        std::string r(reinterpret_cast<char*>(out), size_t(n));
        std::free(out);
        return r;
    }

    // Each regex in turn splits every piece into its matches and the gaps between them
    // ("Isolated"), in order.
    std::vector<std::string> pre_tokenize(const std::string& s) const {
        std::vector<std::string> pieces{s}, next;
        if (s.empty()) return {};
        for (const auto& regex : regexes_) {
            next.clear();
            for (const auto& piece : pieces) split_isolated(regex.get(), piece, next);
            pieces.swap(next);
        }
        return pieces;
    }

    void split_isolated(pcre2_code* regex, const std::string& s, std::vector<std::string>& out) const {
        pcre2_match_data* md = pcre2_match_data_create_from_pattern(regex, nullptr);
        size_t pos = 0, last = 0;
        while (pos <= s.size()) {
            // UTF-8 validity was checked once by the caller; re-checking per match would be quadratic.
            const int rc = pcre2_match(regex, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), pos,
                                       PCRE2_NO_UTF_CHECK, md, nullptr);
            if (rc == PCRE2_ERROR_NOMATCH) break;
            if (rc < 0) {
                pcre2_match_data_free(md);
                if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21) throw Error("text is not valid UTF-8");
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(rc, msg, sizeof msg);
                throw Error(source_ + ": the pre-tokenizer regex could not split the text at byte " + std::to_string(pos) +
                            " (" + reinterpret_cast<char*>(msg) + ")");
            }
            const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
            const size_t b = ov[0], e = ov[1];
            if (b > last) out.push_back(s.substr(last, b - last));
            if (e > b) out.push_back(s.substr(b, e - b));
            last = e;
            if (e == b) {
                // empty match: step over one UTF-8 character
                pos = e + 1;
                while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
            } else {
                pos = e;
            }
            if (pos >= s.size()) break;
        }
        if (last < s.size()) out.push_back(s.substr(last));
        pcre2_match_data_free(md);
    }

    void bpe_word(const std::string& word, std::vector<int32_t>& ids) const {
        {
            std::lock_guard<std::mutex> lock(cache_mutex_);
            auto it = cache_.find(word);
            if (it != cache_.end()) {
                ids.insert(ids.end(), it->second.begin(), it->second.end());
                return;
            }
        }
        const auto& bm = byte_map();
        std::vector<std::string> symbols;  // byte-level characters, merged as we go
        std::string whole;
        for (unsigned char b : word) {
            symbols.push_back(bm.byte_to_text[b]);
            whole += bm.byte_to_text[b];
        }
        std::vector<int32_t> result;
        auto direct = ignore_merges_ ? vocab_.find(whole) : vocab_.end();
        if (direct != vocab_.end()) {
            result.push_back(direct->second);
        } else {
            while (symbols.size() > 1) {
                int best_rank = INT32_MAX;
                size_t best = 0;
                for (size_t i = 0; i + 1 < symbols.size(); ++i) {
                    auto it = merge_rank_.find(symbols[i] + ' ' + symbols[i + 1]);
                    if (it != merge_rank_.end() && it->second < best_rank) {
                        best_rank = it->second;
                        best = i;
                    }
                }
                if (best_rank == INT32_MAX) break;
                symbols[best] += symbols[best + 1];
                symbols.erase(symbols.begin() + long(best) + 1);
            }
            for (const auto& sym : symbols) {
                auto it = vocab_.find(sym);
                if (it == vocab_.end()) throw Error(source_ + ": BPE produced '" + sym + "' which is not in the vocabulary");
                result.push_back(it->second);
            }
        }
        ids.insert(ids.end(), result.begin(), result.end());
        std::lock_guard<std::mutex> lock(cache_mutex_);
        if (cache_.size() < 200000) cache_.emplace(word, std::move(result));
    }

    std::string token_bytes(int32_t id) const {
        std::string text;
        if (const std::string* a = added_content(id)) text = *a;
        else if (id >= 0 && id < base_size_) text = id_to_piece_[size_t(id)];
        else throw Error("token id " + std::to_string(id) + " is outside the tokenizer's " + std::to_string(size()) + " ids");
        // ByteLevel decoder: map every character back to its byte; if any character is not a
        // byte-level one (e.g. "\n\n" added as a token), the token's own bytes are used.
        const auto& bm = byte_map();
        std::string bytes;
        const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
        utf8proc_ssize_t left = utf8proc_ssize_t(text.size());
        while (left > 0) {
            utf8proc_int32_t cp = 0;
            const auto n = utf8proc_iterate(p, left, &cp);
            if (n <= 0) return text;
            auto it = bm.char_to_byte.find(uint32_t(cp));
            if (it == bm.char_to_byte.end()) return text;
            bytes += char(it->second);
            p += n;
            left -= n;
        }
        return bytes;
    }

    std::string source_;
    std::unordered_map<std::string, int32_t> vocab_;
    std::vector<std::string> id_to_piece_;
    std::unordered_map<std::string, int> merge_rank_;  // "a b" -> rank
    int32_t base_size_ = 0;
    bool ignore_merges_ = false;
    bool nfc_ = false;
    // Owned here, so that a constructor that throws after compiling one (a bad field further on)
    // frees it: the destructor does not run for a half-built object.
    struct RegexFree {
        void operator()(pcre2_code* r) const { pcre2_code_free(r); }
    };
    std::vector<std::unique_ptr<pcre2_code, RegexFree>> regexes_;  // applied in order
    std::vector<std::pair<std::string, int32_t>> post_special_names_;  // prepended by the post-processor
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;
};

}  // namespace

std::unique_ptr<Tokenizer> load_bpe_tokenizer(const std::filesystem::path& path) {
    const json j = checked::parse(read_input_file(path, "a Hugging Face tokenizer.json"), path.string());
    return std::make_unique<BpeTokenizer>(j, path.string());
}

std::unique_ptr<Tokenizer> load_bpe_tokenizer_json(const nlohmann::json& tokenizer_json, const std::string& source) {
    return std::make_unique<BpeTokenizer>(tokenizer_json, source);
}

}  // namespace gistscope
