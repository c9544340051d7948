// tst_run_model: the RunModel every view reads, on traces written by the real engine: the metrics it
// computes step by step agree with the engine's own at the end, cache membership follows the
// eviction events, and the occupancy series has a drop at each compression.
#include <QTest>

#include "gistscope/trace.h"
#include "widgets/run_model.h"

using namespace gistscope;

class TestRunModel : public QObject {
    Q_OBJECT
private:
    static Trace load(const char* name) {
        return trace_read(std::string(GISTSCOPE_GUI_TEST_DATA) + "/" + name);
    }
private slots:
    void liveMetricsMatchEngine_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("lightthinker-token") << QStringLiteral("lightthinker-token.trace.jsonl");
        QTest::newRow("vanilla") << QStringLiteral("vanilla.trace.jsonl");
    }
    void liveMetricsMatchEngine() {
        QFETCH(QString, file);
        const Trace trace = load(qPrintable(file));
        const EndEvent* end = trace.end();
        QVERIFY(end);
        ui::RunModel live(trace.header);
        for (const auto& e : trace.events)
            if (!std::holds_alternative<EndEvent>(e)) live.apply(e);
        const ui::StepMetrics m = live.metrics_at(live.last_step());
        QCOMPARE(m.generated_tokens, end->metrics.generated_tokens);
        QCOMPARE(m.dependency, end->metrics.dependency);
        QCOMPARE(m.peak_tokens, end->metrics.peak_tokens);
        QCOMPARE(m.compressions, end->metrics.compressions);
    }
    void cacheMembership() {
        const Trace trace = load("lightthinker-token.trace.jsonl");
        const ui::RunModel run = ui::RunModel::from_trace(trace);
        QVERIFY(!run.compressions().empty());
        const auto& c = run.compressions().front();
        for (int32_t p : c.thought_positions) {
            const auto& t = run.tokens()[size_t(run.token_at_position(p))];
            if (t.step < c.step) QVERIFY(run.in_cache_at(t, c.step - 1));  // the block's first row is fed at c.step
            QVERIFY(!run.in_cache_at(t, c.step));
            QCOMPARE(run.role_at(t, c.step), ui::ViewRole::evicted);
        }
        for (int32_t p : c.gist_positions) {
            const auto& t = run.tokens()[size_t(run.token_at_position(p))];
            QVERIFY(run.in_cache_at(t, run.last_step()));
        }
        // Occupancy: the compression step has its transient peak then the size after eviction.
        QCOMPARE(run.cache_tokens_at(c.step), c.cache_after);
        bool saw_peak = false;
        for (const auto& o : run.occupancy())
            if (o.step == c.step && !o.after_eviction) saw_peak = o.tokens == c.cache_before;
        QVERIFY(saw_peak);
        // Every cache size the model reports at a step is the number of tokens in the cache then.
        for (int s : {0, c.step - 1, c.step, run.last_step()}) {
            int n = 0;
            for (const auto& t : run.tokens()) n += run.in_cache_at(t, s) ? 1 : 0;
            QCOMPARE(run.cache_tokens_at(s), n);
        }
    }
    // Per-head H2O: occupancy points carry the heads' spread and the stored union, the token and
    // eviction events' per-head occupancy, and the curve itself is the largest head.
    void perHeadOccupancy() {
        TraceHeader h;
        h.method = "h2o";
        h.prompt_ids = {1, 2};
        ui::RunModel run(h);
        auto token = [&](int step, int32_t pos, int cache, HeadOccupancy o) {
            TokenEvent t;
            t.step = step;
            t.id = 7;
            t.role = step == 0 ? SlotRole::prompt : SlotRole::thought;
            t.position = pos;
            t.cache_tokens = cache;
            t.heads = o;
            run.apply(t);
        };
        token(0, 0, 2, {2, 2, 2, 2});
        token(0, 1, 2, {2, 2, 2, 2});
        token(1, 2, 3, {3, 3, 3, 3});
        EvictionEvent e;
        e.step = 1;
        e.cache_after = 2;
        e.heads = HeadOccupancy{1.5, 1, 2, 3};  // one head dropped a slot, the other one another
        run.apply(e);
        token(2, 3, 3, {2.5, 2, 3, 4});
        const auto& pts = run.occupancy();
        QCOMPARE(pts.size(), size_t(4));
        QVERIFY(pts[2].after_eviction && pts[2].heads.has_value());
        QCOMPARE(pts[2].heads->min, 1);
        QCOMPARE(pts[2].heads->stored, 3);
        QCOMPARE(pts[3].tokens, 3);
        QCOMPARE(pts[3].heads->stored, 4);
        QCOMPARE(run.metrics_at(2).peak_tokens, 3);
    }
    // LightThinker++: a commit re-renders the context; the occupancy curve drops to the visible
    // context the next token is generated in, and the metrics count that context.
    void memoryActionsMoveTheVisibleContext() {
        TraceHeader h;
        h.method = "lightthinker-pp";
        h.prompt_ids = {1, 2};
        ui::RunModel run(h);
        auto token = [&](int step, int32_t pos, int cache) {
            TokenEvent t;
            t.step = step;
            t.id = 7;
            t.role = step == 0 ? SlotRole::prompt : SlotRole::thought;
            t.position = pos;
            t.cache_tokens = cache;
            run.apply(t);
        };
        token(0, 0, 2);
        token(0, 1, 2);
        token(1, 2, 3);
        token(2, 3, 4);
        MemoryEvent m;
        m.step = 2;
        m.action = MemoryAction::commit;
        m.context_before = 4;
        m.context_after = 3;
        m.kept = 2;
        m.reprefilled = 1;
        run.apply(m);
        token(3, 4, 4);
        const auto& pts = run.occupancy();
        QCOMPARE(pts.size(), size_t(5));
        QVERIFY(pts[3].after_eviction);
        QCOMPARE(pts[3].tokens, 3);
        QCOMPARE(run.cache_tokens_at(2), 3);
        QCOMPARE(run.memory_events().size(), size_t(1));
        QCOMPARE(run.metrics_at(3).peak_tokens, 4);
        QCOMPARE(run.metrics_at(3).dependency, int64_t(3 + 4 + 4));  // the third token saw 3 + itself
    }
    void answersMatch() {
        QVERIFY(ui::answers_match(" 271 ", "271"));
        QVERIFY(ui::answers_match("1,200", "1200"));
        QVERIFY(ui::answers_match("2.50", "2.5"));
        QVERIFY(!ui::answers_match("270", "271"));
        QVERIFY(!ui::answers_match("error", "271"));
    }
};

QTEST_MAIN(TestRunModel)
#include "tst_run_model.moc"
