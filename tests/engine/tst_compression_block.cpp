// Spec 6.8: LightThinker's chunked decode (one token at a time, compression blocks with per-row
// visible ranges, thought eviction) gives the same logits as one full-sequence forward under the
// training mask of spec 4.2 with the same positions.
#include <QtTest>

#include "gistscope/backend.h"
#include "gistscope/model.h"
#include "test_util.h"

using namespace gistscope;

namespace {

// Rows of a boolean mask -> visible slot ranges.
std::vector<std::vector<SlotRange>> ranges_from_mask(const std::vector<std::vector<bool>>& mask) {
    std::vector<std::vector<SlotRange>> out(mask.size());
    for (size_t r = 0; r < mask.size(); ++r) {
        int start = -1;
        for (int c = 0; c <= int(mask[r].size()); ++c) {
            const bool on = c < int(mask[r].size()) && mask[r][size_t(c)];
            if (on && start < 0) start = c;
            if (!on && start >= 0) {
                out[r].push_back({start, c});
                start = -1;
            }
        }
    }
    return out;
}

struct Segment {
    std::vector<int32_t> thought;  // thought tokens incl. "\n", then the splitter
};

}  // namespace

class TestCompressionBlock : public QObject {
    Q_OBJECT
private slots:
    void chunked_equals_training_mask_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("cache_tokens");
        QTest::newRow("qwen2 |C|=4") << "qwen2-f32" << 4;
        QTest::newRow("llama3 |C|=2") << "llama-f32" << 2;
    }
    void chunked_equals_training_mask() {
        QFETCH(QString, name);
        QFETCH(int, cache_tokens);
        auto model = Model::load(testutil::fixtures() / "models" / name.toStdString());
        auto backend = make_cpu_backend(*model, 1);
        const int V = model->config.vocab_size;
        const int32_t SPL = V - 10, O = V - 9;
        std::vector<int32_t> C;
        for (int j = 0; j < cache_tokens; ++j) C.push_back(V - 8 + j);
        const std::vector<int32_t> prompt = {5, 17, 33, 2, 91, 40};
        const std::vector<std::vector<int32_t>> thoughts = {{11, 12, 13, 14, 7, SPL}, {21, 22, 23, 7, SPL}, {31, 32, 7, SPL}};
        const std::vector<int32_t> tail = {41, 42, 43};

        // The full training sequence and its mask (spec 4.2, defaults: no see_current, no bi, no diagonal).
        std::vector<int32_t> seq = prompt;
        struct Group { int s, e; };  // thought [s, e) incl. SPL; its [o] sits at e + n
        std::vector<Group> groups;
        for (const auto& t : thoughts) {
            const int s = int(seq.size());
            seq.insert(seq.end(), t.begin(), t.end());
            const int e = int(seq.size());
            seq.insert(seq.end(), C.begin(), C.end());
            seq.push_back(O);
            groups.push_back({s, e});
        }
        seq.insert(seq.end(), tail.begin(), tail.end());
        const int N = int(seq.size());
        std::vector<std::vector<bool>> mask(static_cast<size_t>(N), std::vector<bool>(static_cast<size_t>(N), false));
        for (int r = 0; r < N; ++r)
            for (int c = 0; c <= r; ++c) mask[size_t(r)][size_t(c)] = true;
        for (const auto& g : groups)
            for (int r = g.e + cache_tokens; r < N; ++r)  // rule A: from [o] on, the thought is gone
                for (int c = g.s; c < g.e; ++c) mask[size_t(r)][size_t(c)] = false;
        std::vector<SlotInfo> infos(static_cast<size_t>(N));
        for (int i = 0; i < N; ++i) infos[size_t(i)] = {seq[size_t(i)], i, SlotRole::thought, 0, 0};
        auto full_cache = backend->make_cache(N);
        ForwardInput full;
        full.tokens = seq;
        full.infos = infos;
        full.visible = ranges_from_mask(mask);
        full.all_logits = true;
        ForwardOutput full_out;
        backend->forward(full, *full_cache, full_out);

        // Chunked decode with eviction, positions counting along the full sequence.
        auto cache = backend->make_cache(N);
        double worst = 0;
        int compared_rows = 0;
        auto compare_rows = [&](const ForwardOutput& out, int first_pos, int rows) {
            for (int r = 0; r < rows; ++r) {
                const float* got = out.logits.data() + size_t(r) * V;
                const float* want = full_out.logits.data() + size_t(first_pos + r) * V;
                for (int i = 0; i < V; ++i) worst = std::max(worst, double(std::abs(got[i] - want[i])));
                ++compared_rows;
            }
        };
        auto feed = [&](const std::vector<int32_t>& toks, int pos, std::vector<std::vector<SlotRange>> visible) {
            std::vector<SlotInfo> inf(toks.size());
            for (size_t i = 0; i < toks.size(); ++i) inf[i] = {toks[i], pos + int(i), SlotRole::thought, 0, 0};
            ForwardInput in;
            in.tokens = toks;
            in.infos = inf;
            in.visible = std::move(visible);
            in.all_logits = true;
            ForwardOutput out;
            backend->forward(in, *cache, out);
            compare_rows(out, pos, int(toks.size()));
        };
        int pos = 0;
        feed(prompt, 0, {});
        pos = int(prompt.size());
        for (const auto& t : thoughts) {
            const int local_start = cache->size();
            for (size_t i = 0; i + 1 < t.size(); ++i) feed({t[i]}, pos++, {});
            // [SPL, c_0..c_{n-1}, o] in one forward; o blind to [local_start, L + 1).
            const int L = cache->size();
            std::vector<int32_t> block = {SPL};
            block.insert(block.end(), C.begin(), C.end());
            block.push_back(O);
            const int m = int(block.size());
            std::vector<std::vector<SlotRange>> vis;
            for (int r = 0; r < m - 1; ++r) vis.push_back({{0, L + r + 1}});
            vis.push_back({{0, local_start}, {L + 1, L + m}});
            feed(block, pos, vis);
            pos += m;
            cache->erase_range(local_start, L + 1);
            QCOMPARE(cache->size(), local_start + cache_tokens + 1);
        }
        for (int32_t t : tail) feed({t}, pos++, {});
        QCOMPARE(pos, N);
        QCOMPARE(compared_rows, N);
        qInfo("%s: max |chunked - full training mask| = %.3g over %d rows", qPrintable(name), worst, compared_rows);
        QVERIFY2(worst <= 1e-5, qPrintable(QString("max abs difference %1 > 1e-5").arg(worst)));
        // The cache holds the prompt, one (|C| + 1) group per thought, and the tail.
        QCOMPARE(cache->size(), int(prompt.size()) + int(thoughts.size()) * (cache_tokens + 1) + int(tail.size()));
    }
};

QTEST_APPLESS_MAIN(TestCompressionBlock)
#include "tst_compression_block.moc"
