// The decode session end to end on a real (tiny, random) checkpoint with scripted choices:
// metrics against closed forms, the LightThinker slot list and peak formula of spec 5.5,
// cancellation, and traces that read back to the same metrics or fail naming the line.
#include <QtTest>
#include <set>
#include <map>

#include "gistscope/backend.h"
#include "gistscope/error.h"
#include "gistscope/model.h"
#include "gistscope/session.h"
#include "gistscope/tokenizer.h"
#include "gistscope/trace.h"
#include "test_util.h"

using namespace gistscope;

namespace {

constexpr int32_t SPL = 380, O = 381, C0 = 382, C1 = 383, EOS = 388;

struct Fixture {
    std::unique_ptr<Model> model = Model::load(testutil::fixtures() / "models" / "qwen2-f32");
    // Loading the 150k-entry tokenizer takes about a second: once per process.
    static inline std::unique_ptr<Tokenizer> tokenizer =
        Tokenizer::load(testutil::fixtures() / "tokenizers" / "qwen2.5" / "tokenizer.json");
    std::unique_ptr<Backend> backend = make_cpu_backend(*model, 1);
    RunSetup setup() {
        RunSetup s;
        s.backend = backend.get();
        s.tokenizer = tokenizer.get();
        s.prompt_ids = {100, 101, 102, 103, 104};
        s.eos_ids = {EOS};
        s.method_tokens.splitter = SPL;
        s.method_tokens.continue_ = O;
        s.method_tokens.cache = {C0, C1};
        return s;
    }
};

std::vector<Event> collect(const RunSetup& setup, const SessionParams& p, EndEvent* end = nullptr) {
    std::vector<Event> events;
    EndEvent e = run_session(setup, p, [&](const Event& ev) { events.push_back(ev); });
    if (end) *end = e;
    return events;
}

}  // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void vanilla_metrics_are_the_closed_forms_data() {
        QTest::addColumn<int>("generated");
        QTest::addColumn<bool>("ends_with_eos");
        QTest::newRow("eos after 1") << 1 << true;
        QTest::newRow("eos after 20") << 20 << true;
        QTest::newRow("budget 37") << 37 << false;
    }
    void vanilla_metrics_are_the_closed_forms() {
        QFETCH(int, generated);
        QFETCH(bool, ends_with_eos);
        Fixture f;
        SessionParams p;
        for (int i = 0; i < generated - (ends_with_eos ? 1 : 0); ++i) p.script.push_back(10 + i % 50);
        if (ends_with_eos) p.script.push_back(EOS);
        else p.max_new_tokens = generated;
        EndEvent end;
        collect(f.setup(), p, &end);
        const int P = 5;
        QCOMPARE(end.metrics.generated_tokens, generated);
        QCOMPARE(end.metrics.peak_tokens, vanilla_peak(P, generated));
        QCOMPARE(end.metrics.dependency, vanilla_dependency(P, generated));
        QCOMPARE(QString::fromStdString(end.metrics.stop_reason), QString(ends_with_eos ? "eos" : "max_tokens"));
    }

    void lightthinker_slots_and_peak_formula() {
        Fixture f;
        SessionParams p;
        p.policy.method = "lightthinker";
        // thoughts of 4, 6 and 3 tokens (splitter included), then 2 answer tokens and EOS
        p.script = {10, 11, 12, SPL, 20, 21, 22, 23, 24, SPL, 30, 31, SPL, 40, 41, EOS};
        std::vector<std::string> lists;
        p.on_step = [&](int, const KvCache& c) {
            std::string s;
            for (const auto& slot : c.slot_infos())
                s += std::to_string(slot.position) + slot_role_name(slot.role)[0] + " ";
            lists.push_back(s);
        };
        EndEvent end;
        auto events = collect(f.setup(), p, &end);
        const std::string prompt = "0p 1p 2p 3p 4p ";
        QCOMPARE(int(lists.size()), 15);  // EOS is never fed
        QCOMPARE(lists[2], prompt + "5t 6t 7t ");
        QCOMPARE(lists[3], prompt + "9g 10g 11c ");  // SPL@8 c@9 c@10 o@11; thought + SPL evicted
        QCOMPARE(lists[9], prompt + "9g 10g 11c 18g 19g 20c ");
        QCOMPARE(lists[12], prompt + "9g 10g 11c 18g 19g 20c 24g 25g 26c ");
        QCOMPARE(lists[14], prompt + "9g 10g 11c 18g 19g 20c 24g 25g 26c 27t 28t ");
        // Spec 5.5: peak = P + (n+1)(k-1) + |thought_k incl. SPL| + n + 1, maximised over thoughts.
        const int P = 5, n = 2;
        const std::vector<int> thought_len = {4, 6, 3};
        int peak = 0;
        for (int k = 1; k <= 3; ++k) peak = std::max(peak, P + (n + 1) * (k - 1) + thought_len[size_t(k - 1)] + n + 1);
        QCOMPARE(end.metrics.peak_tokens, peak);
        QCOMPARE(end.metrics.compressions, 3);
        QCOMPARE(end.metrics.generated_tokens, 16);
        QCOMPARE(end.metrics.forced_tokens, 9);
        // Dependency, spec 7.3: P + len(cur incl. current) + (|C|+1) * compressions, per generated token.
        int64_t dep = 0;
        int cur = 0, comps = 0;
        for (int32_t t : p.script) {
            ++cur;
            dep += P + cur + (n + 1) * comps;
            if (t == SPL) {
                cur = 0;
                ++comps;
            }
        }
        QCOMPARE(end.metrics.dependency, dep);
        int compress_events = 0;
        for (const auto& e : events)
            if (const auto* c = std::get_if<CompressionEvent>(&e)) {
                ++compress_events;
                if (c->thought == 0) {
                    QCOMPARE(c->thought_positions, (std::vector<int32_t>{5, 6, 7, 8}));
                    QCOMPARE(c->gist_positions, (std::vector<int32_t>{9, 10, 11}));
                }
            }
        QCOMPARE(compress_events, 3);
    }

    void cancellation_stops_between_steps() {
        Fixture f;
        SessionParams p;
        p.max_new_tokens = 1000;
        std::atomic<bool> stop{false};
        int tokens = 0;
        EndEvent end = run_session(f.setup(), p, [&](const Event& e) {
            if (const auto* t = std::get_if<TokenEvent>(&e); t && t->role != SlotRole::prompt && ++tokens == 7) stop = true;
        }, &stop);
        QCOMPARE(QString::fromStdString(end.metrics.stop_reason), QString("cancelled"));
        QCOMPARE(end.metrics.generated_tokens, 7);
    }

    void trace_round_trip_keeps_metrics() {
        Fixture f;
        SessionParams p;
        p.policy.method = "lightthinker";
        p.script = {10, 11, SPL, 20, 21, 22, SPL, 30, SPL, 40, EOS};
        p.attention = AttentionProbeRequest::Mode::average;
        QTemporaryDir tmp;
        const auto path = std::filesystem::path(tmp.path().toStdString()) / "run.jsonl";
        TraceHeader h;
        h.model = "qwen2-f32";
        h.method = "lightthinker";
        h.prompt_ids = f.setup().prompt_ids;
        h.cache_tokens = 2;
        EndEvent end;
        {
            TraceWriter w(path, h);
            end = run_session(f.setup(), p, [&](const Event& e) {
                w.write(e);
                // Written as it runs: at every event the file opens and reads as a cut run.
                if (!std::holds_alternative<EndEvent>(e)) {
                    const Trace so_far = trace_read(path);
                    QVERIFY(so_far.end() == nullptr && !so_far.cut_description().empty());
                }
            });
            w.finish();
        }
        QVERIFY(std::filesystem::exists(path));
        const Trace t = trace_read(path);
        QVERIFY(t.end() != nullptr);
        const RunMetrics r = trace_recompute_metrics(t);
        QCOMPARE(r.peak_tokens, end.metrics.peak_tokens);
        QCOMPARE(r.dependency, end.metrics.dependency);
        QCOMPARE(r.generated_tokens, end.metrics.generated_tokens);
        QCOMPARE(r.compressions, end.metrics.compressions);
        QCOMPARE(t.end()->metrics.prefill_seconds, end.metrics.prefill_seconds);
        QCOMPARE(t.end()->text, end.text);
        int attention_rows = 0;
        for (const auto& e : t.events)
            if (const auto* a = std::get_if<AttentionEvent>(&e)) {
                ++attention_rows;
                float sum = 0;
                for (float w : a->weights) sum += w;
                QVERIFY(std::abs(sum - 1.0f) < 1e-3f);  // a probability row over the visible slots
            }
        QCOMPARE(attention_rows, 10);
    }

    // --attention all: each step records the average, each layer's mean over its heads and every
    // head; each head's row is a probability distribution; a layer's mean and the average are the
    // means of its rows and equal what --attention LAYER and --attention avg record; the trace
    // keeps the head of each row.
    void every_layer_and_head_is_recorded() {
        Fixture f;
        const int L = f.model->config.num_layers, NH = f.model->config.num_heads;
        SessionParams p;
        p.policy.method = "lightthinker";
        p.script = {10, 11, SPL, 20, 21, EOS};
        p.attention = AttentionProbeRequest::Mode::heads;
        const auto all = collect(f.setup(), p);
        p.attention = AttentionProbeRequest::Mode::average;
        const auto avg = collect(f.setup(), p);
        p.attention = AttentionProbeRequest::Mode::layer;
        p.attention_layer = L - 1;
        const auto last_layer = collect(f.setup(), p);
        std::vector<AttentionEvent> rows, avg_rows, layer_rows;
        for (const auto& e : all) if (const auto* a = std::get_if<AttentionEvent>(&e)) rows.push_back(*a);
        for (const auto& e : avg) if (const auto* a = std::get_if<AttentionEvent>(&e)) avg_rows.push_back(*a);
        for (const auto& e : last_layer) if (const auto* a = std::get_if<AttentionEvent>(&e)) layer_rows.push_back(*a);
        const size_t per_step = size_t(1 + L + L * NH);
        QCOMPARE(rows.size(), avg_rows.size() * per_step);
        auto dense = [](const AttentionEvent& a) {
            std::map<int32_t, float> m;
            for (size_t i = 0; i < a.positions.size(); ++i) m[a.positions[i]] = a.weights[i];
            return m;
        };
        auto close = [&](const AttentionEvent& x, const AttentionEvent& y) {
            const auto a = dense(x), b = dense(y);
            std::set<int32_t> keys;
            for (const auto& [k, v] : a) keys.insert(k);
            for (const auto& [k, v] : b) keys.insert(k);
            for (int32_t k : keys) {
                const float u = a.count(k) ? a.at(k) : 0.0f, w = b.count(k) ? b.at(k) : 0.0f;
                if (std::abs(u - w) > 1e-5f) return false;
            }
            return true;
        };
        for (size_t step = 0; step < avg_rows.size(); ++step) {
            const AttentionEvent* first = &rows[step * per_step];
            QCOMPARE(first[0].layer, -1);
            QCOMPARE(first[0].head, -1);
            QVERIFY2(close(first[0], avg_rows[step]), qPrintable(QString("step %1: average").arg(step)));
            for (int l = 0; l < L; ++l) {
                const AttentionEvent* layer = first + 1 + l * (1 + NH);
                QCOMPARE(layer->layer, l);
                QCOMPARE(layer->head, -1);
                std::map<int32_t, float> mean;
                for (int h = 0; h < NH; ++h) {
                    const AttentionEvent& head = layer[1 + h];
                    QCOMPARE(head.layer, l);
                    QCOMPARE(head.head, h);
                    QCOMPARE(head.step, avg_rows[step].step);
                    float sum = 0;
                    for (size_t i = 0; i < head.weights.size(); ++i) {
                        sum += head.weights[i];
                        mean[head.positions[i]] += head.weights[i] / float(NH);
                    }
                    QVERIFY(std::abs(sum - 1.0f) < 1e-4f);
                }
                for (size_t i = 0; i < layer->positions.size(); ++i)
                    QVERIFY(std::abs(layer->weights[i] - mean[layer->positions[i]]) < 1e-5f);
                if (l == L - 1) QVERIFY2(close(*layer, layer_rows[step]), qPrintable(QString("step %1: layer").arg(step)));
            }
        }
        // The trace keeps which head a row is (format 1.3), to five significant digits.
        QTemporaryDir tmp;
        const auto path = std::filesystem::path(tmp.path().toStdString()) / "heads.jsonl";
        {
            TraceHeader h;
            h.method = "lightthinker";
            h.prompt_ids = f.setup().prompt_ids;
            TraceWriter w(path, h);
            for (const auto& e : all) w.write(e);
            w.finish();
        }
        std::vector<AttentionEvent> back;
        for (const auto& e : trace_read(path).events) if (const auto* a = std::get_if<AttentionEvent>(&e)) back.push_back(*a);
        QCOMPARE(back.size(), rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(back[i].layer, rows[i].layer);
            QCOMPARE(back[i].head, rows[i].head);
            for (size_t k = 0; k < rows[i].weights.size(); ++k)
                QVERIFY(std::abs(back[i].weights[k] - rows[i].weights[k]) <= 1e-5f * std::max(1.0f, rows[i].weights[k]) + 1e-9f);
        }
    }

    // Per-head H2O: cache_tokens (and peak, dependency) follow the largest (layer, KV head) cache,
    // which never passes the budget + 1; the per-head occupancy and the stored union travel in
    // the trace and read back; a trace of format 1.0 (no per-head fields) still replays.
    void per_head_h2o_occupancy_in_the_trace() {
        Fixture f;
        SessionParams p;
        p.policy.method = "h2o";
        p.policy.cache_size = 6;
        p.policy.h2o_recent = 2;
        p.script = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, EOS};
        QTemporaryDir tmp;
        const auto path = std::filesystem::path(tmp.path().toStdString()) / "h2o.jsonl";
        TraceHeader h;
        h.method = "h2o";
        h.prompt_ids = f.setup().prompt_ids;
        EndEvent end;
        std::vector<Event> events;
        {
            TraceWriter w(path, h);
            end = run_session(f.setup(), p, [&](const Event& e) {
                w.write(e);
                events.push_back(e);
            });
            w.finish();
        }
        QCOMPARE(end.metrics.peak_tokens, 7);  // the budget, plus the token being generated
        int with_heads = 0, widest = 0;
        for (const auto& e : events)
            if (const auto* t = std::get_if<TokenEvent>(&e)) {
                QVERIFY(t->heads.has_value());
                QCOMPARE(t->cache_tokens, t->heads->max);
                QVERIFY(t->heads->min <= t->heads->mean && t->heads->mean <= t->heads->max);
                QVERIFY(t->heads->stored >= t->heads->max);
                QVERIFY(t->cache_tokens <= 7);
                widest = std::max(widest, t->heads->stored);
                ++with_heads;
            } else if (const auto* ev = std::get_if<EvictionEvent>(&e)) {
                QVERIFY(ev->heads.has_value());
                QCOMPARE(ev->cache_after, 6);
            }
        QVERIFY(with_heads > 10);
        QVERIFY2(widest > 7, "the random checkpoint's heads keep different slots, so storage holds more than one head");
        const Trace t = trace_read(path);
        const RunMetrics r = trace_recompute_metrics(t);
        QCOMPARE(r.peak_tokens, end.metrics.peak_tokens);
        QCOMPARE(r.dependency, end.metrics.dependency);
        size_t i = 0;
        for (const auto& e : t.events)
            if (const auto* tk = std::get_if<TokenEvent>(&e)) {
                while (!std::holds_alternative<TokenEvent>(events[i])) ++i;
                const auto& want = std::get<TokenEvent>(events[i++]);
                QCOMPARE(tk->heads->stored, want.heads->stored);
                QCOMPARE(tk->heads->min, want.heads->min);
            }

        // Format 1.0 (before per-head fields): a vanilla trace written then relabelled reads back.
        SessionParams v;
        v.script = {10, 11, EOS};
        const auto old_path = std::filesystem::path(tmp.path().toStdString()) / "old.jsonl";
        TraceHeader vh;
        vh.method = "vanilla";
        vh.prompt_ids = f.setup().prompt_ids;
        {
            TraceWriter w(old_path, vh);
            run_session(f.setup(), v, [&](const Event& e) { w.write(e); });
            w.finish();
        }
        std::string text = testutil::read_file(old_path);
        QVERIFY(text.find("\"heads\"") == std::string::npos);
        const std::string version = "\"" + std::to_string(trace_version_major) + "." + std::to_string(trace_version_minor) + "\"";
        text.replace(text.find(version), version.size(), "\"1.0\"");
        const Trace old = trace_parse(text, "old.jsonl");
        QVERIFY(old.end() != nullptr);
        QCOMPARE(trace_recompute_metrics(old).peak_tokens, old.end()->metrics.peak_tokens);
    }

    void corrupt_trace_names_the_line() {
        Fixture f;
        SessionParams p;
        p.script = {10, 11, EOS};
        QTemporaryDir tmp;
        const auto path = std::filesystem::path(tmp.path().toStdString()) / "run.jsonl";
        TraceHeader h;
        h.method = "vanilla";
        h.prompt_ids = f.setup().prompt_ids;
        {
            TraceWriter w(path, h);
            run_session(f.setup(), p, [&](const Event& e) { w.write(e); });
            w.finish();
        }
        std::string text = testutil::read_file(path);
        // Break line 4.
        size_t at = 0;
        for (int i = 0; i < 3; ++i) at = text.find('\n', at) + 1;
        std::string broken = text;
        broken.insert(at + 5, "#");
        try {
            trace_parse(broken, "t.jsonl");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("t.jsonl:4:") == 0, e.what());
        }
        // A future major version is rejected with the version named.
        std::string future = text;
        const std::string version = "\"" + std::to_string(trace_version_major) + "." + std::to_string(trace_version_minor) + "\"";
        future.replace(future.find(version), version.size(), "\"2.0\"");
        try {
            trace_parse(future, "f.jsonl");
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("2.0") != std::string::npos, e.what());
        }
        // A half-written last line (a killed run) is dropped and the trace reads as cut; the same
        // damage on an earlier line is an error.
        const auto last_nl = text.rfind('\n', text.size() - 2);
        const std::string cut = text.substr(0, last_nl + 1) + text.substr(last_nl + 1, 7);
        const Trace t = trace_parse(cut, "cut.jsonl");
        QVERIFY(t.end() == nullptr);
        QVERIFY(t.partial_last_line > 0);
        QVERIFY2(t.cut_description().find("cut short") != std::string::npos, t.cut_description().c_str());
        QVERIFY_THROWS_EXCEPTION(Error, trace_parse(cut + "\n", "cut.jsonl"));
        QVERIFY_THROWS_EXCEPTION(Error, trace_parse("", "empty.jsonl"));
        QVERIFY_THROWS_EXCEPTION(Error, trace_read("/nonexistent/trace.jsonl"));
    }

    void boxed_answer_extraction() {
        QCOMPARE(extract_boxed_answer("so \\boxed{12} and then \\boxed{ 271 }").value(), std::string("271"));
        QCOMPARE(extract_boxed_answer("\\boxed{\\frac{1}{2}}").value(), std::string("\\frac{1}{2}"));
        QVERIFY(!extract_boxed_answer("no answer").has_value());
        QVERIFY(!extract_boxed_answer("\\boxed{unclosed").has_value());
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
