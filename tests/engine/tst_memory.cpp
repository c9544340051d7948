// tst_memory: LightThinker++ (spec 10): the action grammar file, the controller driven by scripted
// token streams (rendered context and kept prefix after commit, inner expand, fold, final answer
// and malformed actions), and the decode loop on a real model: after every step the KV cache
// holds exactly the rendered context, and the logits equal a fresh prefill of that context.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gistscope/error.h"
#include "gistscope/memory.h"
#include "gistscope/model.h"
#include "gistscope/session.h"
#include "gistscope/tokenizer.h"
#include "gistscope/trace.h"
#include "forward_util.h"
#include "memory_script.h"
#include "test_util.h"

using namespace gistscope;
using namespace memtest;

namespace {

std::vector<int32_t> concat(std::initializer_list<std::vector<int32_t>> parts) {
    std::vector<int32_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

std::vector<int32_t> archived(int k, const std::string& summary) {
    return encode("<|summary|>" + std::to_string(k) + ": " + summary + "<|/summary|>\n");
}
std::vector<int32_t> active(int k, const std::string& raw) {
    return encode("<|raw|>" + std::to_string(k) + ": " + raw + "<|/raw|>\n");
}

// Feeds a script; returns the updates in order.
std::vector<MemoryUpdate> drive(MemoryController& c, const std::vector<int32_t>& ids, int32_t first_address = 100) {
    std::vector<MemoryUpdate> out;
    for (size_t i = 0; i < ids.size() && !c.finished(); ++i)
        if (auto u = c.on_token(ids[i], first_address + int32_t(i))) out.push_back(*u);
    return out;
}

}  // namespace

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    void builtin_grammar_round_trips_through_its_file() {
        const MemoryGrammar g = MemoryGrammar::builtin();
        const MemoryGrammar back = MemoryGrammar::from_json(g.to_json(), "memory_grammar.json");
        QCOMPARE(QString::fromStdString(back.to_json().dump()), QString::fromStdString(g.to_json().dump()));
        const auto markers = g.marker_tokens();
        QCOMPARE(int(markers.size()), 12);  // 4 actions x open/close, 2 renders x open/close
        QVERIFY(std::find(markers.begin(), markers.end(), "<|/summary|>") != markers.end());
    }

    void malformed_grammar_files_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const std::string good = MemoryGrammar::builtin().to_json().dump();
        auto edited = [&](auto edit) {
            auto j = nlohmann::json::parse(good);
            edit(j);
            return QString::fromStdString(j.dump());
        };
        QTest::newRow("not JSON") << "{\"format\": " << "not valid JSON";
        QTest::newRow("not an object") << "[1, 2]" << "expected a JSON object";
        QTest::newRow("wrong format") << edited([](auto& j) { j["format"] = "gistscope-model"; })
                                      << "expected \"gistscope-memory-grammar\"";
        QTest::newRow("version 2") << edited([](auto& j) { j["version"] = 2; }) << "version 2 is not supported";
        QTest::newRow("no fold") << edited([](auto& j) { j["actions"].erase("fold"); }) << "fold";
        QTest::newRow("empty close") << edited([](auto& j) { j["actions"]["commit"]["close"] = ""; })
                                     << "actions.commit: open and close must be non-empty";
        QTest::newRow("open is a number") << edited([](auto& j) { j["actions"]["expand"]["open"] = 7; })
                                          << "actions.expand.open";
        QTest::newRow("same open twice") << edited([](auto& j) { j["actions"]["fold"]["open"] = "<|expand|>"; })
                                         << "open with the same marker";
        QTest::newRow("open equals close") << edited([](auto& j) { j["actions"]["fold"]["close"] = "<|fold|>"; })
                                           << "are the same string";
        QTest::newRow("archived without summary")
            << edited([](auto& j) { j["render"]["archived"] = "<|summary|>{k}<|/summary|>"; }) << "{summary}";
        QTest::newRow("active without k") << edited([](auto& j) { j["render"]["active"] = "{raw}"; }) << "{k}";
        QTest::newRow("first number 5") << edited([](auto& j) { j["first_number"] = 5; }) << "first_number";
    }
    void malformed_grammar_files() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "memory_grammar.json";
        std::ofstream(file) << text.toStdString();
        try {
            MemoryGrammar::load(file);
            QFAIL("a malformed grammar was accepted");
        } catch (const Error& e) {
            const QString msg = QString::fromUtf8(e.what());
            QVERIFY2(msg.contains("memory_grammar.json"), qPrintable(msg));
            QVERIFY2(msg.contains(expected), qPrintable(msg));
        }
    }

    void commit_swaps_only_the_tail() {
        MemoryController c(MemoryGrammar::builtin(), tokenizer(), prompt());
        const int P = int(prompt().size());
        const std::string r1 = "Day 1: Ana has 12 apples and buys 8. 12 + 8 = 20.";
        auto u = drive(c, Script().text(r1).commit("Ana has 20 apples after day 1.").ids);
        QCOMPARE(int(u.size()), 1);
        QCOMPARE(int(u[0].action), int(MemoryAction::commit));
        QCOMPARE(u[0].step, 0);
        QCOMPARE(u[0].first_changed, P);  // the raw step is replaced by its summary
        QVERIFY(c.context() == concat({prompt(), archived(1, "Ana has 20 apples after day 1.")}));
        QCOMPARE(QString::fromStdString(c.steps()[0].raw), QString::fromStdString(r1));
        QVERIFY(!c.steps()[0].active);
        // The raw text's tokens keep their addresses (what the window folds).
        QCOMPARE(int(c.steps()[0].raw_addresses.size()), int(encode(r1).size()));
        QCOMPARE(c.steps()[0].raw_addresses.front(), 100);

        const int after_first = int(c.context().size());
        u = drive(c, Script().text("Day 2: she sells 5. 20 - 5 = 15.").commit("Ana has 15 apples after day 2.").ids, 200);
        QCOMPARE(int(u.size()), 1);
        QCOMPARE(u[0].first_changed, after_first);  // step 1's summary stays: only the tail changed
        QVERIFY(c.context() == concat({prompt(), archived(1, "Ana has 20 apples after day 1."),
                                       archived(2, "Ana has 15 apples after day 2.")}));
        QVERIFY(c.context() == c.render());
    }

    void inner_expand_and_fold_rerender_from_the_step() {
        MemoryController c(MemoryGrammar::builtin(), tokenizer(), prompt());
        const int P = int(prompt().size());
        const std::string r1 = "Day 1: she buys 8 apples. 12 + 8 = 20.";
        drive(c, Script().text(r1).commit("20 apples after day 1.").text("Day 2: she sells 5. 20 - 5 = 15.")
                     .commit("15 apples after day 2.").ids);
        const std::string partial = "Day 3: she buys as many as she bought on day 1.";
        auto u = drive(c, Script().text(partial).expand("1").ids);
        QCOMPARE(int(u.size()), 1);
        QCOMPARE(int(u[0].action), int(MemoryAction::expand));
        QCOMPARE(u[0].step, 0);
        QCOMPARE(u[0].first_changed, P);  // step 1 changed, so everything after it is fed again
        QVERIFY(c.steps()[0].active);
        // The action's own text is gone; the step's text before it stays.
        QVERIFY(c.context() == concat({prompt(), active(1, r1), archived(2, "15 apples after day 2."), encode(partial)}));

        const std::string more = " That was 8 apples.";
        u = drive(c, Script().text(more).fold("1").ids);
        QCOMPARE(int(u.size()), 1);
        QCOMPARE(int(u[0].action), int(MemoryAction::fold));
        QCOMPARE(u[0].first_changed, P);
        QVERIFY(!c.steps()[0].active);
        const auto tail = concat({encode(partial), encode(more)});
        QVERIFY(c.context() ==
                concat({prompt(), archived(1, "20 apples after day 1."), archived(2, "15 apples after day 2."), tail}));

        // Committing step 3 archives its whole text, written around the expand / fold.
        u = drive(c, Script().text(" 15 + 8 = 23.").commit("23 apples after day 3.").ids);
        QCOMPARE(int(u[0].action), int(MemoryAction::commit));
        QCOMPARE(QString::fromStdString(c.steps()[2].raw),
                 QString::fromStdString(partial + more + " 15 + 8 = 23."));

        u = drive(c, Script().text("So the answer is 23.").answer("23").ids);
        QCOMPARE(int(u[0].action), int(MemoryAction::final_answer));
        QVERIFY(c.finished());
        QCOMPARE(QString::fromStdString(*c.answer()), QString("23"));
        QVERIFY_THROWS_EXCEPTION(Error, c.on_token(encode("x")[0], 999));
    }

    void malformed_actions_are_refused_and_taken_out_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("error");
        QTest::newRow("expand a step that does not exist") << "expand" << "7" << "step 7 does not exist (steps are 1..2)";
        QTest::newRow("expand step 0") << "expand" << "0" << "step 0 does not exist";
        QTest::newRow("expand a word") << "expand" << "two" << "\"two\" is not a step number";
        QTest::newRow("expand a huge number") << "expand" << "99999999999" << "is not a step number";
        QTest::newRow("fold a folded step") << "fold" << "2" << "step 2 is already folded";
        QTest::newRow("commit without summary") << "commit" << "  " << "the summary is empty";
        QTest::newRow("empty answer") << "answer" << "" << "the answer is empty";
    }
    void malformed_actions_are_refused_and_taken_out() {
        QFETCH(QString, kind);
        QFETCH(QString, content);
        QFETCH(QString, error);
        MemoryController c(MemoryGrammar::builtin(), tokenizer(), prompt());
        drive(c, Script().text("Step one.").commit("one").text("Step two.").commit("two").ids);
        const auto before = c.context();
        Script s;
        s.text("Now step three.");
        const std::string k = content.toStdString();
        if (kind == "expand") s.expand(k);
        else if (kind == "fold") s.fold(k);
        else if (kind == "commit") s.commit(k);
        else s.answer(k);
        const auto u = drive(c, s.ids);
        QCOMPARE(int(u.size()), 1);
        QCOMPARE(int(u[0].action), int(MemoryAction::invalid));
        QVERIFY2(QString::fromStdString(u[0].error).contains(error), u[0].error.c_str());
        // The action is still known as written (for the repeated-action check), and a fold of an
        // archived step is the paper's "fold without expand".
        QCOMPARE(QString(memory_action_name(u[0].written)), kind == "answer" ? QString("final_answer") : kind);
        QCOMPARE(u[0].fold_without_expand, kind == "fold");
        QVERIFY(!c.finished());
        // Nothing but the text before the action joins the context; the steps are unchanged.
        QVERIFY(c.context() == concat({before, encode("Now step three.")}));
        QCOMPARE(u[0].first_changed, int(before.size() + encode("Now step three.").size()));
        QCOMPARE(int(c.steps().size()), 2);
        QVERIFY(!c.steps()[0].active && !c.steps()[1].active);
    }

    void an_unfinished_action_is_just_text() {
        MemoryController c(MemoryGrammar::builtin(), tokenizer(), prompt());
        Script s;
        s.text("Thinking.");
        s.ids.push_back(id_of("<|expand|>"));
        s.text("1");
        const auto u = drive(c, s.ids);
        QVERIFY(u.empty());
        QVERIFY(c.context() == concat({prompt(), s.ids}));
    }

    // A LightThinker++ run is recorded and replayed like any other: the trace read back has every
    // event, and the metrics recomputed from its events are the engine's. With
    // GISTSCOPE_WRITE_SCRIPTED_TRACE=FILE the trace is also written there (screenshots, docs).
    void scripted_run_replays_from_its_trace() {
        const Trace trace = scripted_memory_trace();
        const QTemporaryDir dir;
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "pp.trace.jsonl";
        {
            TraceWriter w(path, trace.header);
            for (const auto& e : trace.events) w.write(e);
            w.finish();
        }
        if (const char* out = std::getenv("GISTSCOPE_WRITE_SCRIPTED_TRACE")) std::filesystem::copy_file(path, out, std::filesystem::copy_options::overwrite_existing);
        const Trace back = trace_read(path);
        QCOMPARE(back.events.size(), trace.events.size());
        QVERIFY(back.end());
        const RunMetrics again = trace_recompute_metrics(back);
        const RunMetrics& m = trace.end()->metrics;
        QCOMPARE(again.generated_tokens, m.generated_tokens);
        QCOMPARE(again.peak_tokens, m.peak_tokens);
        QCOMPARE(again.dependency, m.dependency);
        QCOMPARE(again.memory.commits, m.memory.commits);
        QCOMPARE(again.memory.expands, m.memory.expands);
        QCOMPARE(again.memory.folds, m.memory.folds);
        QCOMPARE(again.memory.invalid, m.memory.invalid);
        QCOMPARE(again.memory.reprefilled_tokens, m.memory.reprefilled_tokens);
        int memory_events = 0;
        for (const auto& e : back.events) memory_events += std::holds_alternative<MemoryEvent>(e) ? 1 : 0;
        QCOMPARE(memory_events, 7);
    }

    // A refused action written three times in a row ends the run (the refused text is taken out,
    // so a greedy model would write it until the token budget); with --memory-no-expand every
    // expand is refused and the step stays archived.
    void repeated_refusal_ends_the_run_and_expand_can_be_turned_off() {
        auto run = [](const std::vector<int32_t>& script, bool expand) {
            ExtendedDemo demo;
            auto backend = make_cpu_backend(demo.model, 1);
            const RunSetup setup = scripted_setup(*backend);
            SessionParams params = scripted_params(script);
            params.memory_expand = expand;
            std::vector<MemoryEvent> ev;
            const EndEvent end = run_session(setup, params, [&](const Event& e) {
                if (const auto* m = std::get_if<MemoryEvent>(&e)) ev.push_back(*m);
            });
            return std::make_pair(end, ev);
        };
        const Script base = Script().text("Day 1: she buys 8 apples.").commit("20 apples.");
        Script loop = base;
        for (int i = 0; i < 5; ++i) loop.expand("7");
        loop.text(" More text.").answer("20");
        const auto [end, ev] = run(loop.ids, true);
        QCOMPARE(QString::fromStdString(end.metrics.stop_reason), QString("repeated_refusal"));
        QCOMPARE(int(ev.size()), 1 + memory_refusal_limit);  // the commit, then three refusals
        QCOMPARE(end.metrics.memory.invalid, memory_refusal_limit);
        QVERIFY(!end.answer);
        // Two refusals of different actions in a row do not end it.
        Script mixed = base;
        mixed.expand("7").fold("7").expand("7").text(" 20.").answer("20");
        QCOMPARE(QString::fromStdString(run(mixed.ids, true).first.metrics.stop_reason), QString("final_answer"));

        Script uses_expand = base;
        uses_expand.text(" Day 2: as many as on day 1.").expand("1").text(" 8.").fold("1").answer("28");
        const auto [with, with_ev] = run(uses_expand.ids, true);
        QCOMPARE(with.metrics.memory.expands, 1);
        const auto [without, without_ev] = run(uses_expand.ids, false);
        QCOMPARE(without.metrics.memory.expands, 0);
        QCOMPARE(without.metrics.memory.invalid, 2);  // the expand, and the fold of a step never expanded
        QVERIFY(without_ev[1].action == MemoryAction::invalid);
        QVERIFY2(QString::fromStdString(without_ev[1].error).contains("turned off"), without_ev[1].error.c_str());
        QCOMPARE(QString::fromStdString(without.answer.value_or("")), QString("28"));
    }

    void decode_loop_keeps_the_cache_equal_to_the_rendered_context() {
        ExtendedDemo demo;
        auto backend = make_cpu_backend(demo.model, 1);
        auto fresh = make_cpu_backend(demo.model, 1);
        const std::vector<int32_t> script = apples_script();
        const RunSetup setup = scripted_setup(*backend);
        SessionParams params = scripted_params(script);

        // An independent controller fed the same script: what the context must be after each step.
        MemoryController expected(MemoryGrammar::builtin(), tokenizer(), prompt());
        int checked_steps = 0, checked_logits = 0;
        std::vector<int32_t> cache_tokens;
        params.on_step = [&](int step, const KvCache& cache) {
            expected.on_token(script[size_t(step - 1)], 0);
            cache_tokens.clear();
            for (int s = 0; s < cache.size(); ++s) {
                cache_tokens.push_back(cache.slot(s).token);
                QCOMPARE(cache.slot(s).position, s);  // an ordinary causal context
            }
            QVERIFY2(cache_tokens == expected.context(), qPrintable(QString("step %1").arg(step)));
            ++checked_steps;
        };
        params.on_logits = [&](int step, std::span<const float> logits) {
            if (step == 0) return;
            // The logits come from the reused cache plus what was fed; a fresh prefill of the same
            // context must give them too.
            const std::vector<float> all = testutil::run_logits(*fresh, cache_tokens);
            const float* last = all.data() + (all.size() - logits.size());
            float worst = 0;
            for (size_t i = 0; i < logits.size(); ++i) worst = std::max(worst, std::abs(logits[i] - last[i]));
            QVERIFY2(worst < 1e-4f, qPrintable(QString("step %1: logits differ by %2").arg(step).arg(worst)));
            ++checked_logits;
        };
        std::vector<Event> events;
        const EndEvent end = run_session(setup, params, [&](const Event& e) { events.push_back(e); });
        QCOMPARE(QString::fromStdString(end.metrics.stop_reason), QString("final_answer"));
        QCOMPARE(QString::fromStdString(end.answer.value_or("")), QString("23"));
        QCOMPARE(end.metrics.generated_tokens, int(script.size()));
        QCOMPARE(checked_steps, int(script.size()) - 1);  // the last token ends the run unfed
        QCOMPARE(checked_logits, checked_steps);
        const MemoryMetrics& mm = end.metrics.memory;
        QCOMPARE(mm.commits, 3);
        QCOMPARE(mm.expands, 1);
        QCOMPARE(mm.folds, 1);
        QCOMPARE(mm.invalid, 1);
        QCOMPARE(mm.final_answers, 1);
        QCOMPARE(mm.fold_without_expand, 0);

        // Memory events: the re-prefill after the inner expand starts at step 1 (the prompt end).
        std::vector<MemoryEvent> mem;
        for (const auto& e : events)
            if (const auto* m = std::get_if<MemoryEvent>(&e)) mem.push_back(*m);
        QCOMPARE(int(mem.size()), 7);
        const int P = int(prompt().size());
        QCOMPARE(int(mem[2].action), int(MemoryAction::expand));
        QCOMPARE(mem[2].kept, P);
        QCOMPARE(mem[2].reprefilled, mem[2].context_after - P);
        int64_t reprefilled = 0;
        for (const auto& m : mem) reprefilled += m.reprefilled;
        QCOMPARE(mm.reprefilled_tokens, reprefilled);
        // The visible context never grew like a vanilla run's: peak well below prompt + output.
        QVERIFY(end.metrics.peak_tokens < P + end.metrics.generated_tokens);

        // The trace round-trips and its recomputed metrics agree with the run's.
        TraceHeader h;
        h.method = "lightthinker-pp";
        h.prompt_ids = prompt();
        std::string text = header_to_json(h).dump() + "\n";
        for (const auto& e : events) text += event_to_json(e).dump() + "\n";
        const Trace t = trace_parse(text, "memory.jsonl");
        QVERIFY(t.end() != nullptr);
        const RunMetrics re = trace_recompute_metrics(t);
        QCOMPARE(re.peak_tokens, end.metrics.peak_tokens);
        QCOMPARE(re.dependency, end.metrics.dependency);
        QCOMPARE(re.memory.commits, 3);
        QCOMPARE(re.memory.reprefilled_tokens, mm.reprefilled_tokens);
        QCOMPARE(t.end()->metrics.memory.expands, 1);
    }
};

QTEST_GUILESS_MAIN(TestMemory)
#include "tst_memory.moc"
