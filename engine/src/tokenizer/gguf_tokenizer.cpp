// The tokenizer of a GGUF file, from its tokenizer.ggml.* metadata. Rather than a second BPE or
// unigram implementation, the metadata is turned into what the tested loaders already read:
// a tokenizer.json document for `gpt2` byte-level BPE, a sentencepiece ModelProto for `llama`
// SPM. The pre-tokenizer named by tokenizer.ggml.pre is spelled as its Hugging Face form.
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "gistscope/gguf.h"
#include "tokenizers.h"

namespace gistscope {
namespace {

using json = nlohmann::json;

// The values of tokenizer.ggml.token_type (sentencepiece's piece types).
enum class TokenType : int64_t { normal = 1, unknown = 2, control = 3, user_defined = 4, unused = 5, byte = 6 };

// Hugging Face's pre-tokenizer for each llama.cpp pre-tokenizer name we support.
json pre_tokenizer_for(const std::string& pre, const std::string& source, bool& nfc) {
    auto split = [](const char* regex) {
        return json{{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", "Isolated"}, {"invert", false}};
    };
    const json byte_level_no_regex = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}};
    const json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}};
    nfc = false;
    if (pre == "llama-bpe" || pre == "llama3") {
        return {{"type", "Sequence"},
                {"pretokenizers",
                 {split(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"),
                  byte_level_no_regex}}};
    }
    if (pre == "qwen2") {
        nfc = true;  // Qwen2's tokenizer.json normalises to NFC
        return {{"type", "Sequence"},
                {"pretokenizers",
                 {split(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"),
                  byte_level_no_regex}}};
    }
    if (pre == "smollm") {
        return {{"type", "Sequence"},
                {"pretokenizers", {{{"type", "Digits"}, {"individual_digits", true}}, byte_level}}};
    }
    if (pre == "default" || pre == "gpt-2" || pre == "gpt2") return byte_level;
    throw Error(source + ": tokenizer.ggml.pre '" + pre +
                "' is not supported, expected llama-bpe, qwen2, smollm or default");
}

const GgufValue& array_of(const GgufFile& f, const std::string& key, GgufType element, size_t expected_size) {
    const GgufValue* v = f.find(key);
    if (!v) throw Error(f.path().string() + ": metadata key '" + key + "' is missing");
    const bool ok_type = v->type == GgufType::array &&
                         (v->element_type == element ||
                          (element == GgufType::int32 && !v->integers.empty() && v->strings.empty()) ||
                          (element == GgufType::float32 && v->element_type == GgufType::float64));
    if (!ok_type)
        throw Error(f.path().string() + ": metadata key '" + key + "' must be an array of " + gguf_type_name(element));
    if (expected_size && v->array_size() != expected_size)
        throw Error(f.path().string() + ": metadata key '" + key + "' has " + std::to_string(v->array_size()) +
                    " entries, expected one per token (" + std::to_string(expected_size) + ")");
    return *v;
}

// A converted checkpoint whose embedding is larger than its tokenizer has "[PAD<i>]" tokens of
// type UNUSED at the end. They are not tokens of the model's tokenizer (transformers' len(tok)
// does not count them), and LightThinker's added tokens must get their ids, so they are dropped.
size_t tokens_without_padding(const std::vector<std::string>& tokens, const std::vector<int64_t>& types) {
    size_t n = tokens.size();
    while (n > 0 && !types.empty() && types[n - 1] == int64_t(TokenType::unused) &&
           tokens[n - 1] == "[PAD" + std::to_string(n - 1) + "]")
        --n;
    return n;
}

std::unique_ptr<Tokenizer> gpt2_tokenizer(const GgufFile& f, const std::vector<std::string>& tokens,
                                          const std::vector<int64_t>& types, size_t n) {
    const std::string source = f.path().string();
    bool nfc = false;
    const std::string pre = f.find_string("tokenizer.ggml.pre").value_or("default");
    json j;
    j["pre_tokenizer"] = pre_tokenizer_for(pre, source, nfc);
    j["normalizer"] = nfc ? json{{"type", "NFC"}} : json();
    json vocab = json::object(), added = json::array();
    for (size_t i = 0; i < n; ++i) {
        const int64_t type = types.empty() ? int64_t(TokenType::normal) : types[i];
        if (type == int64_t(TokenType::control) || type == int64_t(TokenType::user_defined))
            added.push_back({{"id", int64_t(i)}, {"content", tokens[i]}, {"special", type == int64_t(TokenType::control)}});
        vocab[tokens[i]] = int64_t(i);
    }
    json merges = json::array();
    if (const GgufValue* m = f.find("tokenizer.ggml.merges")) {
        if (m->type != GgufType::array || m->element_type != GgufType::string)
            throw Error(source + ": metadata key 'tokenizer.ggml.merges' must be an array of string");
        for (const auto& s : m->strings) merges.push_back(s);
    }
    j["model"] = {{"type", "BPE"}, {"vocab", std::move(vocab)}, {"merges", std::move(merges)}};
    j["added_tokens"] = std::move(added);
    // BOS in front only when the file asks for it (Hugging Face's post-processor does the same for
    // the models that set it; SmolLM2 and Qwen2 do not).
    const auto bos = f.find_int("tokenizer.ggml.bos_token_id");
    if (f.find_bool("tokenizer.ggml.add_bos_token").value_or(false) && bos && *bos >= 0 && size_t(*bos) < n) {
        j["post_processor"] = {{"type", "TemplateProcessing"},
                               {"single", {{{"SpecialToken", {{"id", tokens[size_t(*bos)]}, {"type_id", 0}}}},
                                           {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}}};
    }
    return load_bpe_tokenizer_json(j, source);
}

// Protocol-buffer wire format, just what a sentencepiece ModelProto needs.
void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += char(uint8_t(v) | 0x80);
        v >>= 7;
    }
    out += char(uint8_t(v));
}
void put_tag(std::string& out, int field, int wire) { put_varint(out, uint64_t(field) << 3 | uint64_t(wire)); }
void put_bytes(std::string& out, int field, const std::string& bytes) {
    put_tag(out, field, 2);
    put_varint(out, bytes.size());
    out += bytes;
}
void put_int(std::string& out, int field, int64_t v) {
    put_tag(out, field, 0);
    put_varint(out, uint64_t(v));  // negative int32 values are 10-byte varints, as protobuf writes them
}
void put_float(std::string& out, int field, float v) {
    put_tag(out, field, 5);
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
}

std::unique_ptr<Tokenizer> spm_tokenizer(const GgufFile& f, const std::vector<std::string>& tokens,
                                         const std::vector<int64_t>& types, size_t n) {
    const std::string source = f.path().string();
    const GgufValue* scores = f.find("tokenizer.ggml.scores");
    if (scores && (scores->type != GgufType::array || scores->reals.size() != tokens.size()))
        throw Error(source + ": metadata key 'tokenizer.ggml.scores' must hold one float per token");
    std::string proto;
    bool has_byte = false;
    for (size_t i = 0; i < n; ++i) {
        std::string piece;
        put_bytes(piece, 1, tokens[i]);
        put_float(piece, 2, scores ? float(scores->reals[i]) : 0.0f);
        const int64_t type = types.empty() ? int64_t(TokenType::normal) : types[i];
        if (type < 1 || type > 6) throw Error(source + ": token " + std::to_string(i) + " has unknown type " + std::to_string(type));
        has_byte |= type == int64_t(TokenType::byte);
        put_int(piece, 3, type);
        put_bytes(proto, 1, piece);  // ModelProto.pieces
    }
    auto id_or = [&](const char* key, int64_t fallback) {
        const auto v = f.find_int(key);
        return v && *v >= 0 && size_t(*v) < n ? *v : fallback;
    };
    std::string trainer;
    put_int(trainer, 3, 2);  // model_type = BPE (Llama's sentencepiece models are BPE)
    put_int(trainer, 4, int64_t(n));
    put_int(trainer, 35, has_byte ? 1 : 0);  // byte_fallback
    put_int(trainer, 40, id_or("tokenizer.ggml.unknown_token_id", 0));
    put_int(trainer, 41, id_or("tokenizer.ggml.bos_token_id", -1));
    put_int(trainer, 42, id_or("tokenizer.ggml.eos_token_id", -1));
    put_int(trainer, 43, id_or("tokenizer.ggml.padding_token_id", -1));
    put_bytes(proto, 2, trainer);
    std::string normalizer;
    put_bytes(normalizer, 1, "identity");
    put_int(normalizer, 3, f.find_bool("tokenizer.ggml.add_space_prefix").value_or(true) ? 1 : 0);
    put_int(normalizer, 4, 0);  // remove_extra_whitespaces: Llama keeps whitespace as it is
    put_int(normalizer, 5, 1);  // escape_whitespaces
    put_bytes(proto, 3, normalizer);
    return load_sentencepiece_proto(proto, source);
}

}  // namespace

std::unique_ptr<Tokenizer> gguf_tokenizer(const GgufFile& f) {
    const std::string source = f.path().string();
    const std::string model = f.get_string("tokenizer.ggml.model");
    const GgufValue& tok = array_of(f, "tokenizer.ggml.tokens", GgufType::string, 0);
    std::vector<int64_t> types;
    if (f.find("tokenizer.ggml.token_type"))
        types = array_of(f, "tokenizer.ggml.token_type", GgufType::int32, tok.strings.size()).integers;
    if (tok.strings.empty()) throw Error(source + ": tokenizer.ggml.tokens is empty");
    const size_t n = tokens_without_padding(tok.strings, types);
    if (model == "gpt2") return gpt2_tokenizer(f, tok.strings, types, n);
    if (model == "llama") return spm_tokenizer(f, tok.strings, types, n);
    throw Error(source + ": tokenizer.ggml.model '" + model + "' is not supported, expected gpt2 (BPE) or llama (SPM)");
}

}  // namespace gistscope
