// tst_run_model: the RunModel every view reads, on traces written by the real engine: the metrics it
// computes step by step agree with the engine's own at the end, cache membership follows the
// eviction events, and the occupancy series has a drop at each compression. A LightThinker++ run
// (the engine driven by a script of actions) folds and re-opens its steps in the model, the stream
// and the memory timeline.
#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include "../engine/memory_script.h"
#include "gistscope/trace.h"
#include "widgets/attention_heatmap.h"
#include "widgets/memory_timeline.h"
#include "widgets/run_model.h"
#include "widgets/token_stream_view.h"

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
    // LightThinker++ on the engine's own events: one display block per memory step; a step's raw
    // tokens leave the context at its commit, come back at the expand and leave again at the fold.
    void memoryStepsFoldAndReopen() {
        const Trace trace = memtest::scripted_memory_trace();
        const ui::RunModel run = ui::RunModel::from_trace(trace);
        QVERIFY(run.is_memory_run());
        std::vector<MemoryEvent> ev;
        for (const auto& e : trace.events)
            if (const auto* m = std::get_if<MemoryEvent>(&e)) ev.push_back(*m);
        QCOMPARE(int(ev.size()), 7);  // commit, commit, expand 1, fold 1, refused expand 9, commit, answer
        const MemoryEvent &commit1 = ev[0], &commit2 = ev[1], &expand = ev[2], &fold = ev[3];
        QCOMPARE(int(expand.action), int(MemoryAction::expand));
        QCOMPARE(int(fold.action), int(MemoryAction::fold));
        QCOMPARE(int(ev[4].action), int(MemoryAction::invalid));

        const auto& steps = run.memory_steps();
        QCOMPARE(int(steps.size()), 3);
        QCOMPARE(QString::fromStdString(steps[0].summary), QString("20 apples after day 1."));
        QVERIFY(steps[0].block > 0 && steps[1].block > steps[0].block && steps[2].block > steps[1].block);
        QCOMPARE(steps[0].raw_tokens, int(commit1.raw_positions.size()));
        // Every token written up to a commit is in that step's block.
        for (const auto& t : run.tokens()) {
            if (t.role == SlotRole::prompt) continue;
            if (t.step <= commit1.step) QCOMPARE(t.block, steps[0].block);
            else if (t.step <= commit2.step) QCOMPARE(t.block, steps[1].block);
        }
        const int b = steps[0].block;
        QVERIFY(!run.block_folded_at(b, commit1.step - 1));
        QVERIFY(run.block_folded_at(b, commit1.step));
        QVERIFY(!run.block_folded_at(b, expand.step));
        QVERIFY(run.block_folded_at(b, fold.step));
        QVERIFY(run.block_folded_at(b, run.last_step()));
        const int raw = run.token_at_position(commit1.raw_positions.front());
        QVERIFY(raw >= 0);
        const ui::RunToken& t = run.tokens()[size_t(raw)];
        QVERIFY(run.in_cache_at(t, commit1.step - 1));
        QVERIFY(!run.in_cache_at(t, commit1.step));
        QCOMPARE(run.role_at(t, commit1.step), ui::ViewRole::evicted);
        QVERIFY(run.in_cache_at(t, expand.step));
        QVERIFY(!run.in_cache_at(t, fold.step));
        // The visible-context curve follows the re-renders.
        QCOMPARE(run.cache_tokens_at(expand.step), expand.context_after);
        QCOMPARE(run.cache_tokens_at(fold.step), fold.context_after);
        // Action counts as far as the playhead, the engine's own at the end.
        const ui::StepMetrics mid = run.metrics_at(expand.step);
        QCOMPARE(mid.memory.commits, 2);
        QCOMPARE(mid.memory.expands, 1);
        QCOMPARE(mid.memory.folds, 0);
        QCOMPARE(mid.memory.reprefilled_tokens, int64_t(commit1.reprefilled + commit2.reprefilled + expand.reprefilled));
        const ui::StepMetrics last = run.metrics_at(run.last_step());
        QCOMPARE(last.memory.commits, 3);
        QCOMPARE(last.memory.folds, 1);
        QCOMPARE(last.memory.invalid, 1);
        QCOMPARE(last.memory.reprefilled_tokens, trace.end()->metrics.memory.reprefilled_tokens);
    }
    // The memory timeline's bars: step 1 written, archived, expanded, archived again, each bar from
    // the action that started it; the CSV lists them.
    void memoryTimelineSpans() {
        const Trace trace = memtest::scripted_memory_trace();
        ui::RunModel run = ui::RunModel::from_trace(trace);
        std::vector<MemoryEvent> ev;
        for (const auto& e : trace.events)
            if (const auto* m = std::get_if<MemoryEvent>(&e)) ev.push_back(*m);
        const auto spans = ui::memory_spans(run, 0, run.last_step());
        std::vector<ui::MemorySpan> first;
        for (const auto& s : spans)
            if (s.memory_step == 0) first.push_back(s);
        using S = ui::MemorySpan::State;
        QCOMPARE(int(first.size()), 4);
        QCOMPARE(int(first[0].state), int(S::writing));
        QCOMPARE(first[0].to, ev[0].step);
        QCOMPARE(int(first[1].state), int(S::archived));
        QCOMPARE(first[1].from, ev[0].step);
        QCOMPARE(first[1].to, ev[2].step);
        QCOMPARE(int(first[2].state), int(S::expanded));
        QCOMPARE(first[2].to, ev[3].step);
        QCOMPARE(int(first[3].state), int(S::archived));
        QCOMPARE(first[3].to, run.last_step() + 1);
        // Mid-run the bars stop at the playhead.
        const auto early = ui::memory_spans(run, 0, ev[2].step - 1);
        for (const auto& s : early) QVERIFY(s.to <= ev[2].step && s.state != S::expanded);

        ui::MemoryTimeline timeline;
        timeline.setRuns(&run, nullptr);
        timeline.refresh();
        QCOMPARE(timeline.spans().size(), spans.size());
        const QString csv = timeline.csv();
        QVERIFY(csv.startsWith("pane,method,memory_step,state,from_step,to_step,summary\n"));
        QVERIFY(csv.contains(QStringLiteral("left,lightthinker-pp,1,expanded,%1,%2,20 apples after day 1.").arg(ev[2].step).arg(ev[3].step)));
        // A run of another method draws no bars.
        const ui::RunModel vanilla = ui::RunModel::from_trace(load("vanilla.trace.jsonl"));
        QVERIFY(ui::memory_spans(vanilla, 0, vanilla.last_step()).empty());
    }
    // The stream: an archived step is a chip with its summary (a click shows or hides the raw
    // text); an expanded step shows its raw text and a note that is not a toggle.
    void streamChipsFollowTheMemory() {
        const Trace trace = memtest::scripted_memory_trace();
        ui::RunModel run = ui::RunModel::from_trace(trace);
        std::vector<MemoryEvent> ev;
        for (const auto& e : trace.events)
            if (const auto* m = std::get_if<MemoryEvent>(&e)) ev.push_back(*m);
        const int b = run.memory_steps()[0].block;
        ui::TokenStreamView view;
        view.resize(700, 900);
        view.show();
        view.setRun(&run);
        QSignalSpy toggled(&view, &ui::TokenStreamView::chipToggled);

        run.set_current_step(ev[0].step - 1);  // still being written: no chip
        view.refresh();
        QVERIFY(view.chipRect(b).isEmpty());

        run.set_current_step(ev[0].step);  // committed: the summary chip, a toggle
        view.refresh();
        QVERIFY(!view.chipRect(b).isEmpty());
        QVERIFY(!view.isThoughtHidden(b));  // Show evicted text is on by default
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.chipRect(b).center());
        QCOMPARE(toggled.count(), 1);
        QVERIFY(view.isThoughtHidden(b));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.chipRect(b).center());
        QCOMPARE(toggled.count(), 2);

        run.set_current_step(ev[2].step);  // expanded: raw text back, a note that does not toggle
        view.refresh();
        const QRect note = view.chipRect(b);
        QVERIFY(!note.isEmpty());
        const int32_t p = ev[0].raw_positions.front();
        QVERIFY(!view.tokenRect(p).isEmpty());
        QVERIFY(view.tokenRect(p).bottom() <= note.top());
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, note.center());
        QCOMPARE(toggled.count(), 2);

        run.set_current_step(ev[3].step);  // folded again
        view.refresh();
        QVERIFY(!view.chipRect(b).isEmpty());
        QVERIFY(run.block_folded_at(b, ev[3].step));
    }
    // A run recorded with every layer and head: the Attention weights tab offers each layer and,
    // for the chosen layer, each head, and draws the chosen head's own row.
    void attentionLayerAndHeadAfterTheRun() {
        memtest::ExtendedDemo demo;
        auto backend = make_cpu_backend(demo.model, 1);
        const RunSetup setup = memtest::scripted_setup(*backend);
        SessionParams params;  // vanilla
        params.script = memtest::encode("Day 1: she buys 8 apples.");
        params.attention = AttentionProbeRequest::Mode::heads;
        TraceHeader h;
        h.method = "vanilla";
        h.prompt_ids = setup.prompt_ids;
        ui::RunModel run(h);
        run_session(setup, params, [&](const Event& e) { run.apply(e); });
        const int L = demo.model.config.num_layers, NH = demo.model.config.num_heads;
        QCOMPARE(int(run.attention_layers().size()), L + 1);  // the average and each layer
        QCOMPARE(int(run.attention_heads(0).size()), NH + 1); // the mean and each head
        QCOMPARE(run.attention_heads(-1), std::vector<int>{-1});

        ui::AttentionHeatmap view;
        view.setRuns(&run, nullptr);
        view.refresh();
        auto* layers = view.findChild<QComboBox*>(QStringLiteral("attentionLayer"));
        auto* heads = view.findChild<QComboBox*>(QStringLiteral("attentionHead"));
        QVERIFY(layers && heads);
        QCOMPARE(layers->count(), L + 1);
        QVERIFY(layers->isEnabled());
        QCOMPARE(view.layer(), -1);
        QVERIFY(!heads->isEnabled());  // the average has no heads
        view.setLayer(1);
        QCOMPARE(heads->count(), NH + 1);
        QVERIFY(heads->isEnabled());
        view.setHead(2);
        QCOMPARE(view.head(), 2);
        // The CSV names each row's layer and head.
        const QString csv = view.csv();
        QVERIFY(csv.startsWith(QStringLiteral("pane,method,layer,head,step,")));
        QVERIFY(csv.contains(QStringLiteral("\nleft,vanilla,1,2,")));
        QVERIFY(csv.contains(QStringLiteral("\nleft,vanilla,-1,-1,")));
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
