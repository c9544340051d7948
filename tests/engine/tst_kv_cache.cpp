// KvCache: range erase is a tail move that keeps order and positions; slot erase compacts; the K/V
// rows move with their metadata (checked through attention: a token attends the same keys after
// the move).
#include <QtTest>

#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "test_util.h"

using namespace gistscope;

namespace {
std::vector<int32_t> positions(const KvCache& c) {
    std::vector<int32_t> p;
    for (const auto& s : c.slot_infos()) p.push_back(s.position);
    return p;
}
}  // namespace

class TestKvCache : public QObject {
    Q_OBJECT
private slots:
    void erase_range_moves_tail() {
        auto model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        auto backend = make_cpu_backend(*model, 1);
        auto cache = backend->make_cache(4);
        std::vector<int32_t> toks = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        std::vector<SlotInfo> inf;
        for (int i = 0; i < 10; ++i) inf.push_back({toks[size_t(i)], 100 + i, SlotRole::thought, 0, 0});
        ForwardInput in;
        in.tokens = toks;
        in.infos = inf;
        ForwardOutput out;
        backend->forward(in, *cache, out);
        QCOMPARE(cache->size(), 10);
        QCOMPARE(cache->bytes(), size_t(10) * cache->bytes_per_slot());

        // Attention of a probe token over slots 0..1 and 6..9, before and after erasing 2..6.
        auto probe = [&](std::vector<SlotRange> vis) {
            int32_t t = 42;
            SlotInfo info{t, 200, SlotRole::thought, 0, 0};
            ForwardInput p;
            p.tokens = std::span<const int32_t>(&t, 1);
            p.infos = std::span<const SlotInfo>(&info, 1);
            p.visible = {vis};
            ForwardOutput o;
            backend->forward(p, *cache, o);
            cache->erase_range(cache->size() - 1, cache->size());
            return o.logits;
        };
        const auto before = probe({{0, 2}, {6, 10}, {10, 11}});
        cache->erase_range(2, 6);
        QCOMPARE(positions(*cache), (std::vector<int32_t>{100, 101, 106, 107, 108, 109}));
        const auto after = probe({{0, 6}, {6, 7}});
        QCOMPARE(before.size(), after.size());
        for (size_t i = 0; i < before.size(); ++i) QVERIFY(std::abs(before[i] - after[i]) < 1e-6f);

        cache->erase_slots({5, 0, 3});
        QCOMPARE(positions(*cache), (std::vector<int32_t>{101, 106, 108}));
        QVERIFY_THROWS_EXCEPTION(Error, cache->erase_range(2, 9));
        QVERIFY_THROWS_EXCEPTION(Error, cache->erase_slots({7}));
        cache->clear();
        QCOMPARE(cache->size(), 0);
    }

    // Per-head validity (per-head H2O): a head's softmax runs over the slots it still holds only,
    // storage keeps a slot while any head holds it, and erases keep the mask with its slots.
    void head_validity_masks_attention_per_head() {
        auto model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        const int layers = model->config.num_layers, kv_heads = model->config.num_kv_heads;
        auto backend = make_cpu_backend(*model, 1);
        auto cache = backend->make_cache(4);
        std::vector<int32_t> toks = {5, 6, 7, 8, 9, 10, 11, 12};
        std::vector<SlotInfo> inf;
        for (int i = 0; i < 8; ++i) inf.push_back({toks[size_t(i)], i, SlotRole::thought, 0, 0});
        ForwardInput in;
        in.tokens = toks;
        in.infos = inf;
        ForwardOutput out;
        backend->forward(in, *cache, out);
        auto probe = [&](std::vector<SlotRange> vis = {}) {
            int32_t t = 42;
            SlotInfo info{t, 50, SlotRole::thought, 0, 0};
            ForwardInput p;
            p.tokens = std::span<const int32_t>(&t, 1);
            p.infos = std::span<const SlotInfo>(&info, 1);
            if (!vis.empty()) p.visible = {vis};
            p.probe.per_head_sum = true;
            ForwardOutput o;
            backend->forward(p, *cache, o);
            cache->erase_range(cache->size() - 1, cache->size());
            return o;
        };
        const ForwardOutput full = probe();
        cache->enable_head_validity(layers, kv_heads);
        QCOMPARE(cache->head_occupancy().max, 8);
        // Layer 0 KV head 0 drops slots 1 and 4; layer 0 KV head 1 drops slot 4 only.
        QVERIFY(cache->evict_for_heads({{0, 0, {1, 4}}, {0, 1, {4}}}).empty());
        QCOMPARE(cache->size(), 8);
        QCOMPARE(cache->head_size(0, 0), 6);
        QCOMPARE(cache->head_size(0, 1), 7);
        QCOMPARE(cache->head_occupancy().min, 6);
        QVERIFY(!cache->head_sees(0, 0, 1) && cache->head_sees(0, 1, 1) && cache->head_sees(1, 0, 4));
        const ForwardOutput masked = probe();
        const int S = 9;  // the cache and the probe row
        QCOMPARE(masked.attention_head_sums.size(), size_t(layers * kv_heads * S));
        for (int c = 0; c < layers * kv_heads; ++c) {
            double total = 0;
            for (int s = 0; s < S; ++s) total += masked.attention_head_sums[size_t(c * S + s)];
            QVERIFY2(std::abs(total - 1.0) < 1e-5, "a head's probabilities sum to 1 over what it holds");
        }
        QCOMPARE(masked.attention_head_sums[size_t(0 * S + 1)], 0.0f);
        QCOMPARE(masked.attention_head_sums[size_t(0 * S + 4)], 0.0f);
        QCOMPARE(masked.attention_head_sums[size_t(1 * S + 4)], 0.0f);
        QVERIFY(masked.attention_head_sums[size_t(1 * S + 1)] > 0.0f);
        double moved = 0;
        for (size_t i = 0; i < full.logits.size(); ++i) moved = std::max(moved, double(std::abs(full.logits[i] - masked.logits[i])));
        QVERIFY2(moved > 1e-4, "masking changes the logits");

        // Once every head dropped slot 4 it leaves storage, and the logits are those of the row
        // that did not see it (visible ranges around it), with slot 1 still masked for (0, 0).
        const ForwardOutput ranged = probe({{0, 4}, {5, 9}});
        std::vector<HeadEviction> all;
        for (int l = 0; l < layers; ++l)
            for (int g = 0; g < kv_heads; ++g) all.push_back({l, g, {4}});
        QCOMPARE(cache->evict_for_heads(all), std::vector<int32_t>{4});
        QCOMPARE(positions(*cache), (std::vector<int32_t>{0, 1, 2, 3, 5, 6, 7}));
        QVERIFY(!cache->head_sees(0, 0, 1) && cache->head_sees(0, 1, 1));
        QCOMPARE(cache->head_size(0, 0), 6);
        QCOMPARE(cache->head_occupancy().stored, 7);
        const ForwardOutput after = probe();
        for (size_t i = 0; i < after.logits.size(); ++i) QVERIFY(std::abs(after.logits[i] - ranged.logits[i]) < 1e-5f);
        // A slot range erase keeps the mask with its slots.
        cache->erase_range(0, 1);
        QVERIFY(!cache->head_sees(0, 0, 0) && cache->head_sees(0, 1, 0));
        QCOMPARE(cache->head_size(0, 0), 5);
        QVERIFY_THROWS_EXCEPTION(Error, cache->evict_for_heads({{layers, 0, {0}}}));
        QVERIFY_THROWS_EXCEPTION(Error, cache->evict_for_heads({{0, 0, {cache->size()}}}));
        QCOMPARE(cache->head_size(0, 1), 6);
        cache->clear();
        QCOMPARE(cache->head_occupancy().max, 0);
    }

    void invalid_visible_range_leaves_cache_untouched() {
        auto model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
        auto backend = make_cpu_backend(*model, 1);
        auto cache = backend->make_cache(4);
        int32_t t = 3;
        SlotInfo info{t, 0, SlotRole::prompt, -1, 0};
        ForwardInput in;
        in.tokens = std::span<const int32_t>(&t, 1);
        in.infos = std::span<const SlotInfo>(&info, 1);
        in.visible = {{{0, 5}}};
        ForwardOutput out;
        QVERIFY_THROWS_EXCEPTION(Error, backend->forward(in, *cache, out));
        QCOMPARE(cache->size(), 0);
    }
};

QTEST_APPLESS_MAIN(TestKvCache)
#include "tst_kv_cache.moc"
