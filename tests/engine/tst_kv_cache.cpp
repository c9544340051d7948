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
