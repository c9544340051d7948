// sentencepiece `.model` files through the sentencepiece library. User-defined symbols (GistScope's
// demo models define LightThinker's tokens this way) are matched by sentencepiece itself; tokens
// added later through add_special_tokens get ids after the model's pieces and are split out first.
#include <sentencepiece_processor.h>

#include <cstdio>

#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "tokenizers.h"

namespace gistscope {
namespace {

// Protobuf wire format, as much as the check below needs.
bool read_varint(std::string_view s, size_t& at, uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && at < s.size(); shift += 7) {
        const auto b = uint8_t(s[at++]);
        v |= uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

// Skips a field's value; false for a truncated value or a wire type the model never uses.
bool skip_value(std::string_view s, size_t& at, unsigned wire) {
    uint64_t n = 0;
    switch (wire) {
        case 0: return read_varint(s, at, n);
        case 1: n = 8; break;
        case 5: n = 4; break;
        case 2:
            if (!read_varint(s, at, n)) return false;
            break;
        default: return false;
    }
    if (n > s.size() - at) return false;
    at += size_t(n);
    return true;
}

// libsentencepiece builds its tries with darts-clone, which takes keys as C strings and throws
// on an empty one; that exception does not come back as a status (in a sanitizer build it ends
// the process). So every piece (ModelProto field 1, SentencePiece field 1) must be a non-empty
// string without a NUL byte before the library sees the model. Anything else malformed is left to
// the library, which reports it.
void check_pieces(std::string_view proto, const std::string& source) {
    size_t at = 0;
    int index = 0;
    while (at < proto.size()) {
        uint64_t key = 0;
        if (!read_varint(proto, at, key)) return;
        const unsigned wire = unsigned(key & 7);
        if ((key >> 3) != 1 || wire != 2) {
            if (!skip_value(proto, at, wire)) return;
            continue;
        }
        uint64_t len = 0;
        if (!read_varint(proto, at, len) || len > proto.size() - at) return;
        const std::string_view entry = proto.substr(at, size_t(len));
        at += size_t(len);
        size_t e = 0;
        std::string_view piece;
        while (e < entry.size()) {
            uint64_t k = 0;
            if (!read_varint(entry, e, k)) return;
            const size_t value_at = e;
            if (!skip_value(entry, e, unsigned(k & 7))) return;
            if ((k >> 3) == 1 && (k & 7) == 2) {
                size_t p = value_at;
                uint64_t n = 0;
                read_varint(entry, p, n);
                piece = entry.substr(p, size_t(n));
            }
        }
        if (piece.empty())
            throw Error(source + ": piece " + std::to_string(index) +
                        " of the vocabulary is empty, expected every piece to be a non-empty string");
        if (piece.find('\0') != std::string_view::npos)
            throw Error(source + ": piece " + std::to_string(index) +
                        " of the vocabulary holds a NUL byte, expected text");
        ++index;
    }
}

class SentencePieceTokenizer final : public Tokenizer {
public:
    explicit SentencePieceTokenizer(const std::filesystem::path& path) : source_(path.string()) {
        // From memory: the library's own file reading reports a folder or a loop only vaguely.
        const std::string proto = read_input_file(path, "a sentencepiece .model file");
        check_pieces(proto, source_);
        const auto status = sp_.LoadFromSerializedProto(proto);
        if (!status.ok()) throw Error(source_ + ": not a sentencepiece model (" + status.ToString() + ")");
    }
    // A serialized ModelProto (built from a GGUF file's metadata); `source` names it in messages.
    SentencePieceTokenizer(const std::string& serialized_proto, std::string source) : source_(std::move(source)) {
        check_pieces(serialized_proto, source_);
        const auto status = sp_.LoadFromSerializedProto(serialized_proto);
        if (!status.ok()) throw Error(source_ + ": its sentencepiece vocabulary does not load (" + status.ToString() + ")");
    }

    std::vector<int32_t> encode(std::string_view text, bool /*add_special*/) const override {
        // sentencepiece models here never add BOS/EOS by themselves; the chat template writes them.
        std::vector<int32_t> ids;
        for (const auto& [piece, id] : split_added(text)) {
            if (id >= 0) {
                ids.push_back(id);
                continue;
            }
            std::vector<int> part;
            const auto status = sp_.Encode(std::string(piece), &part);
            if (!status.ok()) throw Error(source_ + ": cannot encode text (" + status.ToString() + ")");
            ids.insert(ids.end(), part.begin(), part.end());
        }
        return ids;
    }

    std::string decode(std::span<const int32_t> ids) const override {
        std::string out;
        std::vector<int> run;
        auto flush = [&] {
            if (run.empty()) return;
            std::string text;
            sp_.Decode(run, &text);
            out += text;
            run.clear();
        };
        for (int32_t id : ids) {
            if (const std::string* a = added_content(id)) {
                flush();
                out += *a;
            } else {
                check_id(id);
                run.push_back(id);
            }
        }
        flush();
        return out;
    }

    std::string token_text(int32_t id) const override {
        if (const std::string* a = added_content(id)) return *a;
        check_id(id);
        if (sp_.IsByte(id)) {
            const std::string piece = sp_.IdToPiece(id);  // "<0xAB>"
            unsigned value = 0;
            if (piece.size() != 6 || std::sscanf(piece.c_str(), "<0x%2X>", &value) != 1)
                throw Error(source_ + ": byte piece " + std::to_string(id) + " is '" + piece + "', expected <0xXX>");
            return std::string(1, char(value));
        }
        std::string piece = sp_.IdToPiece(id);
        // U+2581 LOWER ONE EIGHTH BLOCK is sentencepiece's space.
        static const std::string space_mark = "\xE2\x96\x81";
        for (size_t at = piece.find(space_mark); at != std::string::npos; at = piece.find(space_mark, at + 1))
            piece.replace(at, space_mark.size(), " ");
        return piece;
    }

    std::optional<int32_t> token_id(std::string_view token) const override {
        if (auto a = added_id(token)) return a;
        return base_token_id(token);
    }

    int32_t size() const override { return std::max(base_size(), added_max_id_ + 1); }

protected:
    std::optional<int32_t> base_token_id(std::string_view token) const override {
        const int id = sp_.PieceToId(std::string(token));
        if (id == sp_.unk_id() && token != sp_.IdToPiece(sp_.unk_id())) return std::nullopt;
        return id;
    }
    int32_t base_size() const override { return sp_.GetPieceSize(); }

private:
    void check_id(int32_t id) const {
        if (id < 0 || id >= size())
            throw Error("token id " + std::to_string(id) + " is outside the tokenizer's " + std::to_string(size()) + " ids");
    }

    std::string source_;
    sentencepiece::SentencePieceProcessor sp_;
};

}  // namespace

std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::filesystem::path& path) {
    return std::make_unique<SentencePieceTokenizer>(path);
}

std::unique_ptr<Tokenizer> load_sentencepiece_proto(const std::string& serialized_model_proto, const std::string& source) {
    return std::make_unique<SentencePieceTokenizer>(serialized_model_proto, source);
}

}  // namespace gistscope
