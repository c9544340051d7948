// gistscope-cli info / logits / bench: a checkpoint's shape, its raw logits, and its speed.
#include <immintrin.h>
#include <sys/mman.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <system_error>
#include <thread>

#include "args.h"
#include "commands.h"
#include "run_options.h"
#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/file_io.h"
#include "gistscope/model.h"
#include "gistscope/policy.h"

namespace gistscope::cli {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Bytes a decode step must stream from memory: every projection and the LM head, in their stored
// dtype, plus one embedding row. (Norm weights and biases are negligible and cached.)
size_t weight_bytes_per_token(const Model& m) {
    const auto& c = m.config;
    size_t n = 0;
    for (int l = 0; l < c.num_layers; ++l)
        for (const char* s : {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                              "self_attn.o_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"})
            n += m.weights.tensors().at(layer_tensor_name(l, s)).bytes;
    const auto& embed = m.weights.tensors().at("model.embed_tokens.weight");
    const auto& head = c.tie_word_embeddings ? embed : m.weights.tensors().at("lm_head.weight");
    n += head.bytes + embed.bytes / size_t(c.vocab_size);
    return n;
}

// Read bandwidth of this machine: `threads` threads each sum their share of a buffer far larger
// than the caches; best of 5 passes.
double measure_read_bandwidth(int threads) {
    const size_t bytes = size_t(512) << 20;
    const size_t n = bytes / sizeof(float);
    // On 2 MiB pages where the kernel gives them, as the weights of a resident model are: the
    // fraction below is then of the best this machine reads, not of a 4 KiB-page read.
    const size_t huge = size_t(2) << 20;
    void* raw = ::mmap(nullptr, bytes + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw Error("bench: no memory for the 512 MiB bandwidth buffer");
    std::shared_ptr<void> unmap(raw, [bytes, huge](void* p) { ::munmap(p, bytes + huge); });
    float* buf = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(raw) + huge - 1) / huge * huge);
#ifdef MADV_HUGEPAGE
    ::madvise(buf, bytes, MADV_HUGEPAGE);
#endif
    for (size_t i = 0; i < n; ++i) buf[i] = float(i & 1023);
    auto sum_share = [&](size_t begin, size_t end) {
        __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
        for (size_t i = begin; i + 32 <= end; i += 32) {
            a = _mm256_add_ps(a, _mm256_add_ps(_mm256_loadu_ps(&buf[i]), _mm256_loadu_ps(&buf[i + 8])));
            b = _mm256_add_ps(b, _mm256_add_ps(_mm256_loadu_ps(&buf[i + 16]), _mm256_loadu_ps(&buf[i + 24])));
        }
        float t[8];
        _mm256_storeu_ps(t, _mm256_add_ps(a, b));
        return t[0] + t[7];
    };
    double best = 0;
    std::vector<float> partial(static_cast<size_t>(threads));
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = Clock::now();
        std::vector<std::thread> pool;
        try {
            for (int k = 0; k < threads; ++k)
                pool.emplace_back([&, k] { partial[size_t(k)] = sum_share(n / 32 * k / threads * 32, n / 32 * (k + 1) / threads * 32); });
        } catch (const std::system_error& e) {
            for (auto& t : pool) t.join();
            throw Error("--threads " + std::to_string(threads) + ": only " + std::to_string(pool.size()) +
                        " threads could be started (" + e.what() + ")");
        }
        for (auto& t : pool) t.join();
        best = std::max(best, double(bytes) / seconds_since(t0));
    }
    volatile float sink = partial[0];
    (void)sink;
    return best;
}

}  // namespace

int cmd_info(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"info", "--model DIR [--adapter DIR] [--json]", "A checkpoint's shape, size and method.",
                          {{"model", "DIR", "checkpoint folder, .gguf file or LoRA adapter folder with base.json"},
                           adapter_option_help(),
                           {"json", "", "print as JSON"}}});
    auto m = load_model_with_adapter(args);
    const auto& c = m->config;
    const size_t kv_per_token = size_t(2) * c.num_layers * c.num_kv_heads * c.head_dim * sizeof(float);
    nlohmann::json j = {
        {"model", m->dir.string()},
        {"architecture", c.architecture},
        {"parameters", m->parameter_count()},
        {"weight_dtype", dtype_name(m->weight_dtype)},
        {"weight_types", m->weight_types()},
        {"format", m->from_gguf ? "gguf" : "safetensors"},
        {"chat_template", !m->chat_template.empty()},
        {"weight_bytes", m->weights.total_bytes()},
        {"vocab_size", c.vocab_size},
        {"hidden_size", c.hidden_size},
        {"intermediate_size", c.intermediate_size},
        {"layers", c.num_layers},
        {"heads", c.num_heads},
        {"kv_heads", c.num_kv_heads},
        {"head_dim", c.head_dim},
        {"rope_theta", c.rope_theta},
        {"rope_scaling", c.rope_scaling.type == RopeScalingType::llama3 ? "llama3" : "none"},
        {"tie_word_embeddings", c.tie_word_embeddings},
        {"attention_bias", c.attention_bias},
        {"max_position_embeddings", c.max_position_embeddings},
        {"kv_bytes_per_token_cpu", kv_per_token},
        {"memory_bytes_4k_context", m->weights.total_bytes() + 4096 * kv_per_token},
    };
    if (m->comp) {
        j["method"] = m->comp->method;
        j["cache_tokens"] = m->comp->n_token;
        j["compression_level"] = m->comp->level == CompressionLevel::token ? "token"
                                 : m->comp->level == CompressionLevel::thought ? "thought" : "none";
    }
    if (const auto& a = m->adapter) {
        nlohmann::json modules = nlohmann::json::array();
        for (const auto& t : a->target_modules) modules.push_back(t);
        j["adapter"] = {{"dir", a->dir.string()}, {"rank", a->rank}, {"alpha", a->alpha}, {"rslora", a->rslora},
                        {"scale", a->scale}, {"target_modules", modules},
                        {"base_model_name_or_path", a->base_model_name_or_path}};
    }
    if (args.flag("json")) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%s\n", m->dir.string().c_str());
    std::printf("  architecture   %s\n", c.architecture.c_str());
    std::printf("  format         %s%s\n", m->from_gguf ? "GGUF" : "safetensors",
                m->chat_template.empty() ? "" : ", with a chat template");
    std::printf("  parameters     %.2f M (%s weights, %.1f MiB mapped)\n", double(m->parameter_count()) / 1e6,
                m->weight_types().c_str(), double(m->weights.total_bytes()) / (1 << 20));
    std::printf("  layers         %d, hidden %d, intermediate %d\n", c.num_layers, c.hidden_size, c.intermediate_size);
    std::printf("  attention      %d heads, %d KV heads, head_dim %d%s\n", c.num_heads, c.num_kv_heads, c.head_dim,
                c.attention_bias ? ", QKV bias" : "");
    std::printf("  rope           theta %g, scaling %s\n", c.rope_theta,
                c.rope_scaling.type == RopeScalingType::llama3 ? "llama3" : "none");
    std::printf("  vocab          %d%s\n", c.vocab_size, c.tie_word_embeddings ? " (tied embeddings)" : "");
    std::printf("  KV cache       %.1f KiB per token (CPU, float32)\n", double(kv_per_token) / 1024);
    std::printf("  memory         %.1f MiB with a 4k-token cache\n",
                double(m->weights.total_bytes() + 4096 * kv_per_token) / (1 << 20));
    if (m->comp)
        std::printf("  method         %s, %d cache tokens per compression\n", m->comp->method.c_str(), m->comp->n_token);
    if (const auto& a = m->adapter) {
        std::string modules;
        for (const auto& t : a->target_modules) modules += (modules.empty() ? "" : ", ") + t;
        std::printf("  adapter        %s\n", a->dir.string().c_str());
        std::printf("                 LoRA rank %d, alpha %g, scale %g (%s), on %s\n", a->rank, a->alpha, a->scale,
                    a->rslora ? "alpha / sqrt(r), rsLoRA" : "alpha / r", modules.c_str());
    }
    return 0;
}

std::vector<int32_t> parse_token_list(const std::string& s) {
    std::vector<int32_t> ids;
    size_t i = 0;
    while (i < s.size()) {
        size_t end = s.find(',', i);
        if (end == std::string::npos) end = s.size();
        const std::string item = s.substr(i, end - i);
        size_t used = 0;
        long v = -1;
        try {
            v = std::stol(item, &used);
        } catch (...) {
            used = 0;
        }
        if (used != item.size() || v < 0 || v > INT32_MAX)
            throw Error("--tokens: '" + item + "' is not a token id, expected a comma-separated list of non-negative integers");
        ids.push_back(int32_t(v));
        i = end + 1;
    }
    if (ids.empty()) throw Error("--tokens: empty list");
    return ids;
}

int cmd_logits(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"logits", "--model DIR [--adapter DIR] --tokens 1,2,3 --out FILE",
                          "Raw logits of every position of a token list, as float32 rows (tokens x vocab).",
                          {{"model", "DIR", "checkpoint folder"},
                           adapter_option_help(),
                           {"tokens", "IDS", "comma-separated token ids"},
                           {"out", "FILE", "where to write the float32 rows"},
                           {"threads", "N", "CPU threads, 1..1024 (default: all cores; 1 for tiny models)"}}});
    args.require("model");
    const auto ids = parse_token_list(args.require("tokens"));
    const std::string out_path = args.require("out");
    require_output_path(out_path);  // before the model is loaded
    auto m = load_model_with_adapter(args);
    if (int(ids.size()) > m->config.max_position_embeddings)
        throw Error("--tokens: " + std::to_string(ids.size()) + " tokens exceed the model's context of " +
                    std::to_string(m->config.max_position_embeddings));
    auto backend = make_cpu_backend(*m, threads_option(args));
    auto cache = backend->make_cache(int(ids.size()));
    const std::vector<SlotInfo> infos = prompt_slot_infos(ids);
    ForwardInput in;
    in.tokens = ids;
    in.infos = infos;
    in.all_logits = true;
    ForwardOutput out;
    backend->forward(in, *cache, out);
    for (size_t i = 0; i < out.logits.size(); ++i)
        if (!std::isfinite(out.logits[i]))
            throw Error(m->dir.string() + ": the model produced a non-finite logit at position " +
                        std::to_string(i / size_t(m->config.vocab_size)) + ", token " +
                        std::to_string(i % size_t(m->config.vocab_size)) + ": its weights hold NaN or Inf values");
    AtomicFile f(out_path);
    f.stream().write(reinterpret_cast<const char*>(out.logits.data()), std::streamsize(out.logits.size() * sizeof(float)));
    f.commit();
    return 0;
}

int cmd_bench(int argc, char** argv) {
    Args args(argc, argv, 2,
              CommandHelp{"bench", "--model DIR [options]",
                          "Prefill and decode speed, memory bandwidth, KV eviction and H2O costs on the CPU.",
                          {{"model", "DIR", "checkpoint folder"},
                           adapter_option_help(),
                           {"prompt-tokens", "N", "prefill length, 1..100000 (default 128)"},
                           {"decode-tokens", "N", "decode steps, 2..100000 (default 64)"},
                           {"threads", "N", "CPU threads, 1..1024 (default: all cores)"},
                           {"kv-context", "N", "cache size for the eviction timings, 64..1048576 (default 4096)"},
                           {"json", "", "print as JSON"}}});
    auto m = load_model_with_adapter(args);
    const int threads = threads_option(args) > 0 ? threads_option(args) : int(std::max(1u, std::thread::hardware_concurrency()));
    const int prompt_tokens = int(args.get_int("prompt-tokens", 128, 1, 100000));
    const int decode_tokens = int(args.get_int("decode-tokens", 64, 2, 100000));
    auto backend = make_cpu_backend(*m, threads);
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> pick(0, m->config.vocab_size - 1);
    std::vector<int32_t> prompt(static_cast<size_t>(prompt_tokens));
    for (auto& t : prompt) t = pick(rng);

    const std::vector<SlotInfo> infos = prompt_slot_infos(prompt);
    ForwardInput in;
    ForwardOutput out;
    in.tokens = prompt;
    in.infos = infos;
    // The first prefill of a process also pays for the page faults of the mapped weights and the
    // first touch of every buffer; it is reported apart, and the prefill speed is that of a second
    // one into a fresh cache (llama-bench also runs a warm-up first).
    double prefill_cold_s = 0;
    {
        auto warm_cache = backend->make_cache(prompt_tokens + 1);
        auto t0 = Clock::now();
        backend->forward(in, *warm_cache, out);
        prefill_cold_s = seconds_since(t0);
    }
    auto cache = backend->make_cache(prompt_tokens + decode_tokens + 1);
    auto t0 = Clock::now();
    backend->forward(in, *cache, out);
    const double prefill_s = seconds_since(t0);

    // Decode: the first step is warm-up (page faults of the mapped weights) and is not timed.
    int32_t tok = pick(rng);
    double decode_s = 0;
    for (int i = 0; i < decode_tokens; ++i) {
        SlotInfo info{tok, int32_t(prompt_tokens + i), SlotRole::thought, 0, i + 1};
        in.tokens = std::span<const int32_t>(&tok, 1);
        in.infos = std::span<const SlotInfo>(&info, 1);
        const auto t1 = Clock::now();
        backend->forward(in, *cache, out);
        if (i > 0) decode_s += seconds_since(t1);
        tok = int32_t(std::max_element(out.logits.begin(), out.logits.end()) - out.logits.begin());
    }
    const double decode_tps = (decode_tokens - 1) / decode_s;

    // KV eviction at a long context: the cache is filled to `kv_context` slots (contents do not
    // matter for timing), then a decode step and LightThinker's eviction of a 40-token thought
    // just below a 10-token block (a tail move of those 10) are timed; the front erase (moving the
    // whole cache) shows what a copy of the cache would cost. H2O's bookkeeping: the attention
    // column sums in the forward and its policy step.
    const int kv_context = int(args.get_int("kv-context", 4096, 64, 1 << 20));
    auto long_cache = backend->make_cache(kv_context + 64);
    {
        std::vector<SlotInfo> fill(static_cast<size_t>(kv_context));
        for (int i = 0; i < kv_context; ++i) fill[size_t(i)] = {0, i, SlotRole::thought, 0, 0};
        long_cache->append(fill);
    }
    auto time_decode_step = [&](bool attention_sums) {
        SlotInfo info{tok, long_cache->slot(long_cache->size() - 1).position + 1, SlotRole::thought, 0, 1};
        in.tokens = std::span<const int32_t>(&tok, 1);
        in.infos = std::span<const SlotInfo>(&info, 1);
        in.probe = {};
        in.probe.per_head_sum = attention_sums;
        const auto t1 = Clock::now();
        backend->forward(in, *long_cache, out);
        const double s = seconds_since(t1);
        long_cache->erase_range(long_cache->size() - 1, long_cache->size());
        return s;
    };
    time_decode_step(false);  // warm-up
    double step_s = 1e9, step_sums_s = 1e9;
    for (int i = 0; i < 7; ++i) {
        step_s = std::min(step_s, time_decode_step(false));
        step_sums_s = std::min(step_sums_s, time_decode_step(true));
    }
    auto time_erase = [&](int begin, int end) {
        std::vector<SlotInfo> refill(static_cast<size_t>(end - begin), SlotInfo{0, 0, SlotRole::thought, 0, 0});
        double best = 1e9;
        for (int rep = 0; rep < 5; ++rep) {
            const auto t1 = Clock::now();
            long_cache->erase_range(begin, end);
            best = std::min(best, seconds_since(t1));
            long_cache->append(refill);  // back to kv_context slots
        }
        return best;
    };
    const double evict_thought_s = time_erase(kv_context - 50, kv_context - 10);
    const double evict_front_s = time_erase(0, 40);
    // H2O's policy step at a full budget of kv_context - 1 per head: per-head heavy-hitter selection
    // for every (layer, KV head), score bookkeeping; one slot per head goes.
    double h2o_policy_s = 0;
    {
        PolicyParams hp;
        hp.method = "h2o";
        hp.cache_size = kv_context - 1;
        auto h2o = make_policy(hp, MethodTokens{});
        const auto& mc = m->config;
        long_cache->enable_head_validity(mc.num_layers, mc.num_kv_heads);
        ForwardOutput sums;
        sums.attention_head_sums.assign(size_t(mc.num_layers) * size_t(mc.num_kv_heads) * size_t(kv_context), 0.5f);
        const auto t1 = Clock::now();
        Eviction e = h2o->on_prefill(*long_cache, sums);
        h2o_policy_s = seconds_since(t1);
        if (e.heads.size() != size_t(mc.num_layers) * size_t(mc.num_kv_heads) || e.heads[0].dropped.size() != 1)
            throw Error("bench: H2O should evict one slot per head at a full budget");
    }
    const size_t bytes_per_token = weight_bytes_per_token(*m);
    const double bandwidth = measure_read_bandwidth(threads);
    const double achieved = double(bytes_per_token) * decode_tps;
    nlohmann::json j = {
        {"model", m->dir.string()},
        {"weight_dtype", dtype_name(m->weight_dtype)},
        {"weights_residency", m->weights.residency()},
        {"threads", threads},
        {"prompt_tokens", prompt_tokens},
        {"decode_tokens_timed", decode_tokens - 1},
        {"prefill_seconds", prefill_s},
        {"prefill_cold_seconds", prefill_cold_s},
        {"prefill_tokens_per_second", prompt_tokens / prefill_s},
        {"decode_tokens_per_second", decode_tps},
        {"weight_bytes_per_token", bytes_per_token},
        {"decode_bytes_per_second", achieved},
        {"memory_read_bandwidth_bytes_per_second", bandwidth},
        {"bandwidth_fraction", achieved / bandwidth},
        {"kv_context", kv_context},
        {"decode_step_seconds_at_kv_context", step_s},
        {"evict_40_token_thought_seconds", evict_thought_s},
        {"evict_fraction_of_decode_step", evict_thought_s / step_s},
        {"erase_front_40_seconds", evict_front_s},
        {"h2o_attention_sums_overhead_seconds", step_sums_s - step_s},
        {"h2o_policy_step_seconds", h2o_policy_s},
        {"h2o_overhead_fraction_of_decode_step", (step_sums_s - step_s + h2o_policy_s) / step_s},
    };
    if (args.flag("json")) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("model            %s (%s weights, %d threads)\n", m->dir.string().c_str(), dtype_name(m->weight_dtype), threads);
    std::printf("prefill          %d tokens in %.3f s: %.1f tokens/s\n", prompt_tokens, prefill_s, prompt_tokens / prefill_s);
    std::printf("decode           %d tokens timed (after 1 warm-up): %.2f tokens/s\n", decode_tokens - 1, decode_tps);
    std::printf("weights/token    %.1f MiB streamed per decoded token\n", double(bytes_per_token) / (1 << 20));
    std::printf("weights          %s\n", m->weights.residency().c_str());
    std::printf("decode traffic   %.2f GB/s\n", achieved / 1e9);
    std::printf("memory bandwidth %.2f GB/s (read, %d threads, 512 MiB buffer on huge pages, best of 5)\n", bandwidth / 1e9, threads);
    std::printf("fraction         %.0f%% of measured bandwidth\n", 100.0 * achieved / bandwidth);
    std::printf("decode step      %.2f ms at %d cached tokens\n", step_s * 1e3, kv_context);
    std::printf("thought eviction %.1f us for a 40-token thought (tail move of 10): %.3f%% of a decode step\n",
                evict_thought_s * 1e6, 100.0 * evict_thought_s / step_s);
    std::printf("                 (erasing 40 at the front, i.e. moving the whole cache: %.1f us)\n", evict_front_s * 1e6);
    std::printf("H2O overhead     %.1f us attention sums + %.1f us policy step: %.2f%% of a decode step\n",
                (step_sums_s - step_s) * 1e6, h2o_policy_s * 1e6, 100.0 * (step_sums_s - step_s + h2o_policy_s) / step_s);
    return 0;
}

}  // namespace gistscope::cli
