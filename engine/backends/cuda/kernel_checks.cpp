// kernel_checks.cpp: every kernel of kernels.cu on random inputs, compared with a host computation
// written from kernel_math.h (the helpers the CPU backend and tst_kernel_math use). Runs on the GPU
// inside the plugin's selftest, and on the CPU emulation in tst_cuda_emulated.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "check_util.h"

namespace gistscope::cuda {
namespace {

struct DeviceBlock {
    DeviceBuffer<int> ints;
    BlockView view;
    DeviceBlock(int base, const std::vector<int>& tokens, const std::vector<int>& positions, const std::vector<Ranges>& rows) {
        const int T = int(rows.size());
        int n_ranges = 0;
        for (const auto& r : rows) n_ranges += int(r.size());
        const BlockLayout layout{T, std::max(n_ranges, 1)};
        std::vector<int> h(size_t(layout.ints()), 0);
        h[0] = T;
        h[1] = base;
        h[2] = base + T;
        h[3] = n_ranges;
        int k = 0;
        for (int t = 0; t < T; ++t) {
            h[size_t(layout.tokens() + t)] = t < int(tokens.size()) ? tokens[size_t(t)] : 0;
            h[size_t(layout.positions() + t)] = t < int(positions.size()) ? positions[size_t(t)] : base + t;
            h[size_t(layout.range_offsets() + t)] = k;
            for (const auto& [b, e] : rows[size_t(t)]) {
                h[size_t(layout.ranges() + 2 * k)] = b;
                h[size_t(layout.ranges() + 2 * k + 1)] = e;
                ++k;
            }
        }
        h[size_t(layout.range_offsets() + T)] = k;
        ints = to_device(h);
        const int* p = ints.get();
        view = {p + layout.header(), p + layout.tokens(), p + layout.positions(), p + layout.range_offsets(),
                p + layout.ranges()};
    }
};

std::vector<Ranges> causal_rows(int base, int T) {
    std::vector<Ranges> rows(static_cast<size_t>(T));
    for (int t = 0; t < T; ++t) rows[size_t(t)] = {{0, base + t + 1}};
    return rows;
}

void check_embed(Checks& c, std::mt19937& rng) {
    const int V = 50, H = 300;
    const auto table = random_bf16(rng, size_t(V) * H, 1.0f);
    const std::vector<int> tokens = {3, 0, 49, 7};
    auto d_table = to_device(table);
    DeviceBlock block(0, tokens, {}, causal_rows(0, int(tokens.size())));
    DeviceBuffer<float> x(tokens.size() * H);
    launch_embed(nullptr, x.get(), d_table.get(), block.view, int(tokens.size()), H);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = to_host(x.get(), x.size());
    std::vector<float> ref;
    for (int t : tokens)
        for (int i = 0; i < H; ++i) ref.push_back(kmath::bf16_to_float(table[size_t(t) * H + size_t(i)]));
    c.add("embed", abs_error(got, ref), 0.0);
}

void check_rmsnorm(Checks& c, std::mt19937& rng) {
    const int T = 3, H = 1000;
    const float eps = 1e-6f;
    const auto x = random_f32(rng, size_t(T) * H, 2.0f);
    const auto w = random_f32(rng, size_t(H), 1.0f);
    auto dx = to_device(x);
    auto dw = to_device(w);
    DeviceBuffer<bf16_t> out(size_t(T) * H);
    launch_rmsnorm(nullptr, out.get(), dx.get(), dw.get(), T, H, eps);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = decode_bf16(to_host(out.get(), out.size()));
    std::vector<float> ref(size_t(T) * H);
    for (int t = 0; t < T; ++t) {
        float ss = 0.0f;
        for (int i = 0; i < H; ++i) ss += x[size_t(t * H + i)] * x[size_t(t * H + i)];
        const float inv = kmath::rms_inverse(ss, H, eps);
        for (int i = 0; i < H; ++i) ref[size_t(t * H + i)] = kmath::rms_apply(x[size_t(t * H + i)], inv, w[size_t(i)]);
    }
    c.add("rmsnorm (bf16 out)", scaled_error(got, ref), 6e-3);  // bf16 output rounding is 2^-9 = 2e-3 of the scale
}

void check_qkv_rope(Checks& c, std::mt19937& rng) {
    const int T = 3, nh = 4, nkv = 2, hd = 64, base = 2, cap = 8;
    const int q_dim = nh * hd, kvd = nkv * hd, width = q_dim + 2 * kvd;
    const std::vector<int> positions = {0, 5, 9000};
    kmath::RopeParams rope;
    rope.theta = 500000.0f;
    rope.head_dim = hd;
    rope.factor = 8.0f;  // llama3 scaling
    std::vector<float> inv(size_t(hd / 2));
    for (int i = 0; i < hd / 2; ++i) inv[size_t(i)] = kmath::rope_inv_freq(rope, i);
    const auto qkv = random_f32(rng, size_t(T) * width, 1.0f);
    const auto bias = random_f32(rng, size_t(width), 0.5f);
    auto d_qkv = to_device(qkv);
    auto d_bias = to_device(bias);
    auto d_inv = to_device(inv);
    DeviceBlock block(base, {}, positions, causal_rows(base, T));
    DeviceBuffer<float> q(size_t(T) * q_dim);
    DeviceBuffer<bf16_t> kp(size_t(cap) * kvd), vp(size_t(cap) * kvd);
    const AttentionShape a{T, nh, nkv, hd, cap, 0.0f};
    launch_qkv_rope(nullptr, q.get(), kp.get(), vp.get(), d_qkv.get(), d_bias.get(), d_inv.get(), block.view, a);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got_q = to_host(q.get(), q.size());
    const auto got_k = decode_bf16(to_host(kp.get(), kp.size()));
    const auto got_v = decode_bf16(to_host(vp.get(), vp.size()));
    std::vector<float> ref_q(size_t(T) * q_dim), ref_k, ref_v, dev_k, dev_v;
    for (int t = 0; t < T; ++t) {
        std::vector<float> row(qkv.begin() + t * width, qkv.begin() + (t + 1) * width);
        for (int i = 0; i < width; ++i) row[size_t(i)] += bias[size_t(i)];
        for (int h = 0; h < nh + nkv; ++h)
            for (int i = 0; i < hd / 2; ++i) {
                const float angle = kmath::rope_angle(inv[size_t(i)], positions[size_t(t)]);
                kmath::rope_rotate(row[size_t(h * hd + i)], row[size_t(h * hd + i + hd / 2)], std::cos(angle), std::sin(angle));
            }
        std::copy(row.begin(), row.begin() + q_dim, ref_q.begin() + t * q_dim);
        ref_k.insert(ref_k.end(), row.begin() + q_dim, row.begin() + q_dim + kvd);
        ref_v.insert(ref_v.end(), row.begin() + q_dim + kvd, row.end());
        dev_k.insert(dev_k.end(), got_k.begin() + (base + t) * kvd, got_k.begin() + (base + t + 1) * kvd);
        dev_v.insert(dev_v.end(), got_v.begin() + (base + t) * kvd, got_v.begin() + (base + t + 1) * kvd);
    }
    c.add("qkv bias + rope llama3 (q, f32)", scaled_error(got_q, ref_q), 1e-5);
    c.add("qkv bias + rope llama3 (k cache, bf16)", scaled_error(dev_k, ref_k), 6e-3);  // bf16 output rounding is 2^-9 = 2e-3 of the scale
    c.add("qkv bias (v cache, bf16)", scaled_error(dev_v, ref_v), 6e-3);  // bf16 output rounding is 2^-9 = 2e-3 of the scale
}

// One attention case: the kernel (split or tiled) plus the probe against a two-pass softmax on the
// host, the way the CPU backend computes it.
// masked: a random per-head validity mask (per-head H2O), (cap, nkv), about a quarter of the slots
// unseen by each KV head. group_sum: the H2O sums add every query head of a group, not the first.
void check_attention(Checks& c, std::mt19937& rng, const std::string& name, int base, const std::vector<Ranges>& rows,
                     int nh, int nkv, int hd, bool tiled, bool masked = false, bool group_sum = false) {
    const int T = int(rows.size()), S = base + T, cap = S + 5, kvd = nkv * hd, group = nh / nkv;
    const float scale = 1.0f / std::sqrt(float(hd));
    const auto q = random_f32(rng, size_t(T) * nh * hd, 1.0f);
    const auto k = random_bf16(rng, size_t(cap) * kvd, 2.0f);
    const auto v = random_bf16(rng, size_t(cap) * kvd, 1.0f);
    auto dq = to_device(q);
    auto dk = to_device(k);
    auto dv = to_device(v);
    DeviceBlock block(base, {}, {}, rows);
    DeviceBuffer<bf16_t> out(size_t(T) * nh * hd);
    DeviceBuffer<float> state(size_t(T) * nh * 2), pacc(size_t(T) * nh * kDecodeSplits * hd),
        pstate(size_t(T) * nh * kDecodeSplits * 2), probe(size_t(T) * S), sums(size_t(nkv) * size_t(S));
    GS_CUDA(cudaMemset(probe.get(), 0, probe.bytes()));
    GS_CUDA(cudaMemset(sums.get(), 0, sums.bytes()));
    std::vector<uint8_t> valid(size_t(cap) * size_t(nkv), 1);  // (cap, nkv)
    if (masked)
        for (auto& v : valid) v = rng() % 4 != 0;
    auto d_valid = to_device(valid);
    AttentionShape a{T, nh, nkv, hd, cap, scale};
    if (masked) {
        a.valid = d_valid.get();
        a.valid_stride = nkv;
    }
    if (tiled) launch_attention_tiled(nullptr, out.get(), state.get(), dq.get(), dk.get(), dv.get(), block.view, a);
    else launch_attention_split(nullptr, out.get(), state.get(), pacc.get(), pstate.get(), dq.get(), dk.get(), dv.get(), block.view, a);
    launch_attention_probe(nullptr, probe.get(), sums.get(), state.get(), dq.get(), dk.get(), block.view, a, -1, 1.0f / float(nh),
                           group_sum);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = decode_bf16(to_host(out.get(), out.size()));
    const auto got_probe = to_host(probe.get(), probe.size());
    const auto got_sums = to_host(sums.get(), sums.size());

    std::vector<float> ref(size_t(T) * nh * hd, 0.0f), ref_probe(size_t(T) * S, 0.0f), ref_sums(size_t(nkv) * size_t(S), 0.0f);
    auto sees = [&](int s, int g) { return valid[size_t(s) * size_t(nkv) + size_t(g)] != 0; };
    std::vector<float> scores(static_cast<size_t>(S));
    for (int t = 0; t < T; ++t)
        for (int h = 0; h < nh; ++h) {
            const int g = h / group;
            const float* qv = q.data() + (size_t(t) * nh + size_t(h)) * size_t(hd);
            float mx = -INFINITY;
            for (const auto& [b, e] : rows[size_t(t)])
                for (int s = b; s < e; ++s) {
                    if (!sees(s, g)) continue;
                    float d = 0.0f;
                    for (int i = 0; i < hd; ++i) d += qv[i] * kmath::bf16_to_float(k[size_t(s) * kvd + size_t(g * hd + i)]);
                    scores[size_t(s)] = d * scale;
                    mx = std::max(mx, scores[size_t(s)]);
                }
            if (mx == -INFINITY) continue;
            float sum = 0.0f;
            for (const auto& [b, e] : rows[size_t(t)])
                for (int s = b; s < e; ++s)
                    if (sees(s, g)) sum += (scores[size_t(s)] = std::exp(scores[size_t(s)] - mx));
            for (const auto& [b, e] : rows[size_t(t)])
                for (int s = b; s < e; ++s) {
                    if (!sees(s, g)) continue;
                    const float p = scores[size_t(s)] / sum;
                    for (int i = 0; i < hd; ++i)
                        ref[(size_t(t) * nh + size_t(h)) * size_t(hd) + size_t(i)] +=
                            p * kmath::bf16_to_float(v[size_t(s) * kvd + size_t(g * hd + i)]);
                    ref_probe[size_t(t) * S + size_t(s)] += p / float(nh);
                    if (group_sum || h % group == 0) ref_sums[size_t(g) * size_t(S) + size_t(s)] += p;
                }
        }
    c.add(name + " output", scaled_error(got, ref), 6e-3);  // bf16 output rounding is 2^-9 = 2e-3 of the scale
    c.add(name + " probe (T, S)", abs_error(got_probe, ref_probe), 1e-4);
    c.add(name + " probe H2O sums per KV head", abs_error(got_sums, ref_sums), 1e-3);
}

void check_swiglu(Checks& c, std::mt19937& rng) {
    const int T = 2, I = 3000;
    const auto gu = random_f32(rng, size_t(T) * 2 * I, 2.0f);
    auto dgu = to_device(gu);
    DeviceBuffer<bf16_t> out(size_t(T) * I);
    launch_swiglu(nullptr, out.get(), dgu.get(), T, I);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = decode_bf16(to_host(out.get(), out.size()));
    std::vector<float> ref;
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < I; ++i) ref.push_back(kmath::swiglu(gu[size_t(t * 2 * I + i)], gu[size_t(t * 2 * I + I + i)]));
    c.add("swiglu (bf16 out)", scaled_error(got, ref), 6e-3);  // bf16 output rounding is 2^-9 = 2e-3 of the scale
}

void check_argmax(Checks& c, std::mt19937& rng) {
    const int V = 100003;
    auto logits = random_f32(rng, size_t(3) * V, 3.0f);
    logits[77777] = 100.0f;                          // row 0: a clear maximum
    logits[size_t(V) + 500] = 50.0f;                 // row 1: a tie, the lower index wins
    logits[size_t(V) + 90000] = 50.0f;
    for (int i = 0; i < V; ++i) logits[size_t(2 * V + i)] = -INFINITY;  // row 2: all -inf -> 0
    auto d = to_device(logits);
    DeviceBuffer<int> out(3);
    launch_argmax(nullptr, out.get(), d.get(), 3, V, 0.0f, 0);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = to_host(out.get(), 3);
    const int wrong = (got[0] != 77777) + (got[1] != 500) + (got[2] != 0);
    c.add("argmax (ties to the lower index)", double(wrong), 0.0);

    // Gumbel-max sampling: the same draw as the host's formula for each seed.
    const int small_v = 50, draws = 256;
    const auto small = random_f32(rng, size_t(small_v), 1.0f);
    auto ds = to_device(small);
    DeviceBuffer<int> one(1);
    int mismatches = 0;
    for (int seed = 0; seed < draws; ++seed) {
        launch_argmax(nullptr, one.get(), ds.get(), 1, small_v, 0.7f, uint64_t(seed));
        const int dev = to_host(one.get(), 1)[0];
        float best = -INFINITY;
        int best_i = small_v;
        for (int i = 0; i < small_v; ++i) {
            const float val = small[size_t(i)] / 0.7f + kmath::gumbel_noise(uint64_t(seed), uint32_t(i));
            if (kmath::argmax_better(val, i, best, best_i)) {
                best = val;
                best_i = i;
            }
        }
        mismatches += dev != best_i;
    }
    c.add("sampling (Gumbel-max) draws differing from host", double(mismatches), 2.0);
}


// The KV compaction behind erase_range / erase_slots, with chunks smaller than the move so that
// source and destination overlap across chunks (the storage uses 32 MiB chunks).
void check_kv_compact(Checks& c, std::mt19937& rng) {
    const int planes = 4, cap = 50, kvd = 12, size = 40;
    auto host = random_bf16(rng, size_t(planes) * cap * kvd, 1.0f);  // (planes, cap, kvd)
    auto kv = to_device(host);
    DeviceBuffer<bf16_t> scratch(size_t(planes) * 4 * kvd);
    auto expect_erase = [&](const std::vector<int>& erased, int size_before) {
        for (int p = 0; p < planes; ++p) {
            int w = 0;
            for (int r = 0; r < size_before; ++r) {
                if (std::find(erased.begin(), erased.end(), r) != erased.end()) continue;
                std::copy_n(host.begin() + (size_t(p) * cap + size_t(r)) * kvd, kvd, host.begin() + (size_t(p) * cap + size_t(w)) * kvd);
                ++w;
            }
        }
    };
    // Range [5, 9) of 40: rows 9.. move down by 4, in chunks of 3.
    kv_compact(nullptr, kv.get(), scratch.get(), planes, cap, kvd, nullptr, 9, 5, size - 9, 3);
    expect_erase({5, 6, 7, 8}, size);
    // Slots {0, 3, 17, 30} of the remaining 36, through a map of the kept rows, in chunks of 4.
    const std::vector<int> erased = {0, 3, 17, 30};
    std::vector<int> kept;
    for (int r = 1; r < size - 4; ++r)
        if (std::find(erased.begin(), erased.end(), r) == erased.end()) kept.push_back(r);
    auto map = to_device(kept);
    kv_compact(nullptr, kv.get(), scratch.get(), planes, cap, kvd, map.get(), 0, 0, int(kept.size()), 4);
    expect_erase(erased, size - 4);
    GS_CUDA(cudaDeviceSynchronize());
    const auto got = to_host(kv.get(), host.size());
    double wrong = 0;
    for (int p = 0; p < planes; ++p)
        for (size_t i = 0; i < size_t(size - 8) * kvd; ++i) wrong += got[size_t(p) * cap * kvd + i] != host[size_t(p) * cap * kvd + i];
    c.add("KV compaction, overlapping chunks (wrong values)", wrong, 0.0);
}

}  // namespace

void run_kernel_checks(Checks& c, std::mt19937& rng) {
    check_embed(c, rng);
    check_rmsnorm(c, rng);
    check_qkv_rope(c, rng);
    check_swiglu(c, rng);
    check_argmax(c, rng);
    check_kv_compact(c, rng);
    // Decode: one row over a long cache.
    check_attention(c, rng, "attention decode (split, hd 128)", 1000, causal_rows(1000, 1), 8, 2, 128, false);
    check_attention(c, rng, "attention decode (split, hd 16)", 37, causal_rows(37, 1), 4, 2, 16, false);
    // The LightThinker compression block (spec 5.3): SPL and C rows causal, [o] blind to the thought.
    {
        const int L = 300, local_start = 240, m = 11;
        std::vector<Ranges> rows;
        for (int r = 0; r < m - 1; ++r) rows.push_back({{0, L + r + 1}});
        rows.push_back({{0, local_start}, {L + 1, L + m}});
        check_attention(c, rng, "attention compression block (split)", L, rows, 4, 2, 128, false);
        check_attention(c, rng, "attention compression block (tiled)", L, rows, 4, 2, 128, true);
    }
    // A row that sees nothing outputs zeros.
    check_attention(c, rng, "attention empty row (split)", 20, {{{0, 21}}, {}}, 4, 2, 64, false);
    check_attention(c, rng, "attention empty row (tiled)", 20, {{{0, 21}}, {}}, 4, 2, 64, true);
    // Prefill: causal, more rows than one tile, and a partial last tile.
    check_attention(c, rng, "attention prefill (tiled, hd 16)", 20, causal_rows(20, 70), 4, 2, 16, true);
    check_attention(c, rng, "attention prefill (tiled, hd 128)", 0, causal_rows(0, 53), 8, 4, 128, true);
    check_attention(c, rng, "attention prefill (split, hd 128)", 0, causal_rows(0, 16), 8, 4, 128, false);
    check_attention(c, rng, "attention decode, per-head mask (split)", 300, causal_rows(300, 1), 8, 2, 64, false, true);
    check_attention(c, rng, "attention decode, per-head mask, group sums (split)", 90, causal_rows(90, 1), 6, 2, 32, false,
                    true, true);
    check_attention(c, rng, "attention prefill, per-head mask (tiled)", 40, causal_rows(40, 40), 4, 2, 64, true, true);
}

}  // namespace gistscope::cuda
