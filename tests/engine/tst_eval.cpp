// Evaluation as the paper ran it (gistscope/eval.h): the four test sets' readers, spec 7.4's
// scoring with each reference-evaluator bug fixed (one test each, named bug_*), result files that
// survive a killed writer, merging shards, review decisions, and LightThinker's own result files.
#include <QtTest>

#include "gistscope/error.h"
#include "gistscope/eval.h"
#include "gistscope/session.h"
#include "test_util.h"

using namespace gistscope;
namespace fs = std::filesystem;

namespace {

fs::path lightthinker_set(const char* name) { return testutil::resources() / "datasets" / "lightthinker" / name; }
fs::path eval_fixture(const std::string& rel) { return testutil::fixtures() / "eval" / rel; }

EvalItem item_of(DatasetFormat f, const std::string& answer, std::vector<std::string> choices = {}) {
    EvalItem it;
    it.id = "t";
    it.answer = answer;
    it.choices = std::move(choices);
    eval_item_fill_lists(it, f);
    return it;
}

Verdict verdict(DatasetFormat f, const std::string& reference, const std::optional<std::string>& model,
                std::vector<std::string> choices = {}) {
    return eval_score(model, item_of(f, reference, std::move(choices))).verdict;
}

QString error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

EvalRecord record(const std::string& id, int64_t index, int shard, int shards, Verdict v = Verdict::correct) {
    EvalRecord r;
    r.dataset = "gsm8k";
    r.dataset_format = DatasetFormat::gsm8k;
    r.model = "m";
    r.method = "lightthinker";
    r.params = {{"max_new_tokens", 64}};
    r.shard = shard;
    r.shards = shards;
    r.id = id;
    r.index = index;
    r.expected = "1";
    r.verdict = v;
    r.peak_tokens = 100 + int(index);
    r.dependency = 1000;
    r.seconds = 1;
    return r;
}

}  // namespace

class TestEval : public QObject {
    Q_OBJECT
private slots:
    // ---- readers -------------------------------------------------------------------------------
    void reads_the_papers_test_sets() {
        const auto gsm = eval_dataset_load(lightthinker_set("gsm8k.json"));
        QCOMPARE(gsm.format, DatasetFormat::gsm8k);
        QCOMPARE(gsm.items.size(), size_t(1319));
        QCOMPARE(QString::fromStdString(gsm.items[0].id), QString("math/0"));
        QCOMPARE(QString::fromStdString(gsm.items[0].answer), QString("18"));
        const auto mmlu = eval_dataset_load(lightthinker_set("mmlu.json"));
        QCOMPARE(mmlu.format, DatasetFormat::mmlu);
        QCOMPARE(mmlu.items.size(), size_t(1027));
        // choices_list is stored as the text of a Python list; all four options come out.
        for (const auto& it : mmlu.items) QCOMPARE(it.choices.size(), size_t(4));
        QCOMPARE(QString::fromStdString(mmlu.items[0].choices[2]), QString("120"));
        const auto bbh = eval_dataset_load(lightthinker_set("bbh.json"));
        QCOMPARE(bbh.format, DatasetFormat::bbh);
        QCOMPARE(bbh.items.size(), size_t(495));
        const auto gpqa = eval_dataset_load(eval_fixture("gpqa-handmade.json"));
        QCOMPARE(gpqa.format, DatasetFormat::gpqa);
        QCOMPARE(gpqa.items.size(), size_t(3));
        QCOMPARE(QString::fromStdString(gpqa.items[1].choices[2]), QString("kinetic energy"));
        const auto plain = eval_dataset_load(eval_fixture("items.jsonl"));
        QCOMPARE(plain.format, DatasetFormat::jsonl);
        QCOMPARE(plain.items.size(), size_t(2));
        QCOMPARE(plain.items[1].choices.size(), size_t(3));
        QCOMPARE(eval_score(std::string("7"), plain.items[1]).verdict, Verdict::correct);  // the choice text
        QCOMPARE(eval_score(std::string("A"), plain.items[1]).verdict, Verdict::wrong);
    }

    void bad_dataset_files_name_file_and_place() {
        QTemporaryDir tmp;
        const fs::path f = tmp.filePath("d.jsonl").toStdString();
        testutil::write_file(f, "{\"question\": \"q\", \"answer\": \"1\"}\n{\"question\": \"q\"\n");
        QString e = error_of([&] { eval_dataset_load(f); });
        QVERIFY2(e.contains("d.jsonl:2") && e.contains("not valid JSON"), qPrintable(e));
        testutil::write_file(f, "{\"question\": \"q\", \"answer\": \"1\"}\n{\"question\": \"q\", \"reply\": 2}\n");
        e = error_of([&] { eval_dataset_load(f); });
        QVERIFY2(e.contains("d.jsonl:2") && e.contains("\"answer\""), qPrintable(e));
        testutil::write_file(f, "{\"math\": [{\"question\": \"q\", \"answer\": \"1\"}, {\"question\": [1]}]}");
        e = error_of([&] { eval_dataset_load(f); });
        QVERIFY2(e.contains("math[1]") && e.contains("answer"), qPrintable(e));
        testutil::write_file(f, "[1, 2]");
        e = error_of([&] { eval_dataset_load(f); });
        QVERIFY2(e.contains("d.jsonl") && e.contains("array"), qPrintable(e));
        e = error_of([&] { eval_dataset_load(tmp.filePath("missing.json").toStdString()); });
        QVERIFY2(e.contains("missing.json"), qPrintable(e));
    }

    // ---- extraction ------------------------------------------------------------------------------
    void extraction_takes_the_last_balanced_box() {
        QCOMPARE(extract_boxed_answer("so \\boxed{3} or rather \\boxed{4}").value(), std::string("4"));
        QCOMPARE(extract_boxed_answer("no box here"), std::optional<std::string>());
        QCOMPARE(extract_boxed_answer("\\boxed{ 12 } then \\boxed{unclosed").value(), std::string("12"));
        QCOMPARE(eval_score(extract_boxed_answer("no box"), item_of(DatasetFormat::gsm8k, "3")).rule, std::string("no_answer"));
    }

    // Reference bug: dataset_reader.py allows one level of braces inside \boxed{}; deeper answers
    // became "error" (wrong).
    void bug_nested_braces_deeper_than_one_level() {
        const auto a = extract_boxed_answer("\\boxed{\\frac{\\sqrt{3}}{2}}");
        QCOMPARE(a.value(), std::string("\\frac{\\sqrt{3}}{2}"));
        QCOMPARE(verdict(DatasetFormat::gpqa, "A", extract_boxed_answer("\\boxed{\\text{\\textbf{A}}}"), {"3", "11", "1", "7"}),
                 Verdict::correct);
    }

    // ---- numbers ------------------------------------------------------------------------------------
    void numbers_with_commas_units_and_signs() {
        QCOMPARE(eval_answer_number("1,450,000").value(), 1450000.0);
        QCOMPARE(eval_answer_number("\\$18.50").value(), 18.5);
        QCOMPARE(eval_answer_number("25\\%").value(), 25.0);
        QCOMPARE(eval_answer_number("18 dollars").value(), 18.0);
        QCOMPARE(eval_answer_number("\\text{18 dollars}").value(), 18.0);
        QCOMPARE(eval_answer_number("18\\text{ cm}").value(), 18.0);
        QCOMPARE(eval_answer_number("x = -3").value(), -3.0);
        QCOMPARE(eval_answer_number("\\frac{3}{4}").value(), 0.75);
        QCOMPARE(eval_answer_number("-\\dfrac{1}{2}").value(), -0.5);
        QCOMPARE(eval_answer_number("90^\\circ").value(), 90.0);
        QCOMPARE(eval_answer_number("1,45"), std::optional<double>());  // not a thousands separator
        QCOMPARE(eval_answer_number("3 and 4"), std::optional<double>());
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("18.00")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("19")), Verdict::wrong);
        QCOMPARE(eval_score(std::string("19"), item_of(DatasetFormat::gsm8k, "18")).rule, std::string("numeric"));
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("eighteen")), Verdict::unmatched);
    }

    // Reference bug: GSM8K's thousands commas are kept, so "1450000" against "1,450,000" (and the
    // reverse) went to a person or, without one, counted wrong.
    void bug_gsm8k_thousands_commas() {
        QCOMPARE(verdict(DatasetFormat::gsm8k, "1,450,000", std::string("1450000")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "1600", std::string("1,600")), Verdict::correct);
    }

    // Reference bug: answers made of "0-9 . - +" went through Python's eval: "5-3" counted as 2,
    // while "08" and "1.2.3" raised and stopped the evaluation.
    void bug_python_eval_of_answers() {
        QCOMPARE(verdict(DatasetFormat::gsm8k, "2", std::string("5-3")), Verdict::unmatched);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "8", std::string("08")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "8", std::string("1.2.3")), Verdict::unmatched);
    }

    // Reference bug: units and currency ("$18", "18 dollars") were never numbers, so a right
    // answer with a unit went to a person.
    void bug_units_and_currency() {
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("\\$18")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("18 \\text{dollars}")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::gsm8k, "18", std::string("20 dollars")), Verdict::wrong);
    }

    // ---- accepted / rejected lists ------------------------------------------------------------------
    void multiple_choice_letters() {
        const std::vector<std::string> c = {"10^-8 eV", "10^-4 eV", "10^-11 eV", "10^-9 eV"};
        for (const char* ok : {"B", "\\text{B}", "(B)", "b", "B.", "B. 10^-4 eV", "10^-4 eV", "$B$"})
            QVERIFY2(verdict(DatasetFormat::gpqa, "B", std::string(ok), c) == Verdict::correct, ok);
        for (const char* bad : {"A", "\\text{C}", "(D)", "A. 10^-8 eV", "10^-9 eV"})
            QVERIFY2(verdict(DatasetFormat::mmlu, "B", std::string(bad), c) == Verdict::wrong, bad);
        QCOMPARE(verdict(DatasetFormat::mmlu, "B", std::string("the second one"), c), Verdict::unmatched);
        QCOMPARE(eval_score(std::string("A"), item_of(DatasetFormat::mmlu, "B", c)).rule, std::string("rejected"));
        QCOMPARE(eval_score(std::string("B"), item_of(DatasetFormat::mmlu, "B", c)).rule, std::string("accepted"));
    }

    void bbh_two_way_answers() {
        for (const char* ok : {"Yes", "yes", "\\text{Yes}", "A"}) QVERIFY2(verdict(DatasetFormat::bbh, "Yes", std::string(ok)) == Verdict::correct, ok);
        for (const char* bad : {"No", "\\text{no}", "B"}) QVERIFY2(verdict(DatasetFormat::bbh, "Yes", std::string(bad)) == Verdict::wrong, bad);
        QCOMPARE(verdict(DatasetFormat::bbh, "invalid", std::string("B")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::bbh, "invalid", std::string("valid")), Verdict::wrong);
        QCOMPARE(verdict(DatasetFormat::bbh, "False", std::string("\\text{True}")), Verdict::wrong);
        QCOMPARE(verdict(DatasetFormat::bbh, "-113", std::string("-113")), Verdict::correct);
    }

    // Reference bug (spec 12.5): BBH's letter comparison lower-cases one side only and can never
    // match; "(B)", "B" and "b" are one answer here, and the other letters A-K are wrong.
    void bug_bbh_letter_comparison() {
        QCOMPARE(verdict(DatasetFormat::bbh, "(B)", std::string("(B)")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::bbh, "B", std::string("b")), Verdict::correct);
        QCOMPARE(verdict(DatasetFormat::bbh, "B", std::string("(K)")), Verdict::wrong);
        const auto bbh = eval_dataset_load(lightthinker_set("bbh.json"));
        int letters = 0;
        for (const auto& it : bbh.items)
            if (it.answer.size() == 1 && it.answer[0] >= 'A' && it.answer[0] <= 'K') {
                ++letters;
                QCOMPARE(eval_score("(" + it.answer + ")", it).verdict, Verdict::correct);
            }
        QVERIFY(letters >= 100);
    }

    // ---- result files ---------------------------------------------------------------------------------
    void results_round_trip_and_cut_last_line() {
        QTemporaryDir tmp;
        const fs::path f = tmp.filePath("r.jsonl").toStdString();
        EvalRecord a = record("math/0", 0, 1, 2), b = record("math/1", 1, 1, 2, Verdict::unmatched);
        a.answer = "1";
        a.output = "text with \"quotes\"\nand lines";
        eval_results_write_atomic(f, {a, b});
        QVERIFY(!fs::exists(f.string() + ".tmp"));
        auto rf = eval_results_read(f);
        QCOMPARE(rf.records.size(), size_t(2));
        QCOMPARE(rf.records[0].to_json(), a.to_json());
        QCOMPARE(rf.records[1].to_json(), b.to_json());
        QVERIFY(!rf.cut_last_line);
        // A writer killed inside its third line.
        const std::string whole = testutil::read_file(f);
        const std::string third = record("math/2", 2, 1, 2).to_json().dump();
        testutil::write_file(f, whole + third.substr(0, third.size() / 2));
        rf = eval_results_read(f);
        QCOMPARE(rf.records.size(), size_t(2));
        QVERIFY(rf.cut_last_line);
        QCOMPARE(rf.good_bytes, int64_t(whole.size()));
        // A broken line in the middle is an error with its line number.
        testutil::write_file(f, whole.substr(0, whole.find('\n') + 1) + "{broken\n" + whole.substr(whole.find('\n') + 1));
        const QString e = error_of([&] { eval_results_read(f); });
        QVERIFY2(e.contains("r.jsonl:2") && e.contains("not valid JSON"), qPrintable(e));
        // LightThinker's inference lines are not results: the message says where they go.
        testutil::write_file(f, testutil::read_file(eval_fixture("lightthinker-output/gsm8k.jsonl")));
        const QString e2 = error_of([&] { eval_results_read(f); });
        QVERIFY2(e2.contains("r.jsonl:1") && e2.contains("eval-import"), qPrintable(e2));
    }

    void shard_ranges_cover_every_item_once() {
        for (size_t count : {0, 1, 6, 7, 200})
            for (int n : {1, 2, 3, 4, 7}) {
                size_t next = 0;
                for (int k = 1; k <= n; ++k) {
                    const auto [b, e] = eval_shard_range(count, k, n);
                    QCOMPARE(b, next);
                    QVERIFY(e - b <= count / size_t(n) + 1);
                    next = e;
                }
                QCOMPARE(next, count);
            }
    }

    void merge_refuses_overlapping_and_inconsistent_shards() {
        QTemporaryDir tmp;
        const fs::path s1 = tmp.filePath("s1.jsonl").toStdString(), s2 = tmp.filePath("s2.jsonl").toStdString();
        eval_results_write_atomic(s1, {record("math/0", 0, 1, 2), record("math/1", 1, 1, 2)});
        eval_results_write_atomic(s2, {record("math/1", 1, 2, 2), record("math/2", 2, 2, 2)});
        QString e = error_of([&] { eval_merge({s1, s2}); });
        QVERIFY2(e.contains("overlapping") && e.contains("math/1") && e.contains("s1.jsonl") && e.contains("s2.jsonl"), qPrintable(e));
        eval_results_write_atomic(s2, {record("math/2", 2, 2, 3)});
        e = error_of([&] { eval_merge({s1, s2}); });
        QVERIFY2(e.contains("inconsistent shards") && e.contains("shard 1/2") && e.contains("shard 2/3"), qPrintable(e));
        EvalRecord other = record("math/2", 2, 2, 2);
        other.params = {{"max_new_tokens", 128}};
        eval_results_write_atomic(s2, {other});
        e = error_of([&] { eval_merge({s1, s2}); });
        QVERIFY2(e.contains("inconsistent") && e.contains("128"), qPrintable(e));
        // One method at two budgets is two runs, each named with its budget.
        {
            EvalRecord a = record("math/0", 0, 0, 0), b = record("math/0", 0, 0, 0);
            a.method = b.method = "h2o";
            a.params = {{"cache_size", 180}, {"recent", 90}};
            b.params = {{"cache_size", 300}, {"recent", 150}};
            const fs::path fa = tmp.filePath("h2o-180.jsonl").toStdString(), fb = tmp.filePath("h2o-300.jsonl").toStdString();
            eval_results_write_atomic(fa, {a});
            eval_results_write_atomic(fb, {b});
            const auto two = eval_merge({fa, fb});
            QCOMPARE(two.summaries.size(), size_t(2));
            const QString md = QString::fromStdString(eval_summaries_markdown(two.summaries));
            QVERIFY2(md.contains("| h2o (budget 180) |") && md.contains("| h2o (budget 300) |"), qPrintable(md));
            // The same budget with other parameters is still a conflict.
            b.params = {{"cache_size", 180}, {"recent", 10}};
            eval_results_write_atomic(fb, {b});
            e = error_of([&] { eval_merge({fa, fb}); });
            QVERIFY2(e.contains("inconsistent") && e.contains("h2o (budget 180)"), qPrintable(e));
        }
        // Consistent shards merge, in item order, with one summary.
        eval_results_write_atomic(s2, {record("math/3", 3, 2, 2), record("math/2", 2, 2, 2, Verdict::wrong)});
        const auto m = eval_merge({s2, s1});
        QCOMPARE(m.records.size(), size_t(4));
        for (size_t i = 0; i < 4; ++i) QCOMPARE(m.records[i].index, int64_t(i));
        QCOMPARE(m.summaries.size(), size_t(1));
        QCOMPARE(m.summaries[0].items, size_t(4));
        QCOMPARE(m.summaries[0].correct, size_t(3));
        QCOMPARE(m.summaries[0].accuracy, 75.0);
        QCOMPARE(m.summaries[0].mean_peak, 101.5);
        QVERIFY(m.summaries[0].missing_shards.empty());
        QCOMPARE(eval_merge({s1}).summaries[0].missing_shards, std::vector<int>{2});
    }

    void ratios_to_vanilla() {
        QTemporaryDir tmp;
        const fs::path f = tmp.filePath("r.jsonl").toStdString();
        EvalRecord v = record("math/0", 0, 0, 0), l = record("math/0", 0, 0, 0);
        v.method = "vanilla";
        v.peak_tokens = 400;
        v.dependency = 4000;
        v.seconds = 2;
        l.peak_tokens = 100;
        l.dependency = 1000;
        l.seconds = 1;
        eval_results_write_atomic(f, {l, v});
        const auto m = eval_merge({f});
        QCOMPARE(m.summaries.size(), size_t(2));
        QCOMPARE(m.summaries[0].method, std::string("lightthinker"));
        QCOMPARE(m.summaries[0].peak_ratio.value(), 0.25);
        QCOMPARE(m.summaries[0].dependency_ratio.value(), 0.25);
        QCOMPARE(m.summaries[0].time_ratio.value(), 0.5);
        QCOMPARE(m.summaries[1].peak_ratio.value(), 1.0);
        const std::string md = eval_summaries_markdown(m.summaries);
        QVERIFY2(md.find("| gsm8k | lightthinker | m | 1 | 100.0 | 0 | 1.0 | 100.0 | 1000 | 0.25x | 0.25x | 0.50x |") != std::string::npos,
                 md.c_str());
    }

    // Reference bug: a person's verdicts were kept in memory only and lost with the process. Here
    // each decision is in the file at once and the merged table counts it.
    void bug_review_decisions_are_saved_at_once() {
        QTemporaryDir tmp;
        const fs::path f = tmp.filePath("r.jsonl").toStdString();
        std::vector<EvalRecord> recs = {record("math/0", 0, 0, 0, Verdict::unmatched), record("math/1", 1, 0, 0),
                                        record("math/2", 2, 0, 0, Verdict::unmatched)};
        eval_results_write_atomic(f, recs);
        QCOMPARE(eval_review_pending(recs), (std::vector<size_t>{0, 2}));
        eval_review_decide(f, recs, 0, true);
        auto back = eval_results_read(f).records;
        QCOMPARE(back[0].verdict, Verdict::correct);
        QVERIFY(back[0].reviewed);
        QCOMPARE(back[0].rule, std::string("review"));
        QCOMPARE(eval_review_pending(back), std::vector<size_t>{2});
        QVERIFY(!fs::exists(f.string() + ".tmp"));
        const auto s = eval_merge({f}).summaries[0];
        QCOMPARE(s.correct, size_t(2));
        QCOMPARE(s.reviewed, size_t(1));
        QCOMPARE(s.unmatched, size_t(1));
    }

    // ---- LightThinker's inference files -------------------------------------------------------------
    void import_scores_each_schema() {
        struct Case {
            DatasetFormat format;
            const char* file;
            std::vector<Verdict> verdicts;
        };
        using V = Verdict;
        const std::vector<Case> cases = {
            {DatasetFormat::gsm8k, "gsm8k.jsonl", {V::correct, V::correct, V::correct, V::wrong, V::unmatched}},
            {DatasetFormat::mmlu, "mmlu.jsonl", {V::correct, V::wrong, V::unmatched, V::correct}},
            {DatasetFormat::gpqa, "gpqa.jsonl", {V::correct, V::correct, V::correct}},
            {DatasetFormat::bbh, "bbh.jsonl", {V::correct, V::wrong, V::correct, V::correct, V::correct}},
        };
        for (const auto& c : cases) {
            EvalImportOptions opt;
            opt.format = c.format;
            const auto recs = eval_import({eval_fixture(std::string("lightthinker-output/") + c.file)}, opt);
            QCOMPARE(recs.size(), c.verdicts.size());
            for (size_t i = 0; i < recs.size(); ++i)
                QVERIFY2(recs[i].verdict == c.verdicts[i],
                         qPrintable(QString("%1 idx %2: %3").arg(c.file).arg(i).arg(QString::fromStdString(verdict_name(recs[i].verdict)))));
            QCOMPARE(recs[0].source, std::string("lightthinker"));
            QCOMPARE(recs[0].peak_tokens, 180);  // max_token
            QCOMPARE(recs[0].seconds, 1.5);
        }
        // Compressions are counted at <|splitter|> (spec 7.3's fix), the answer comes from the output.
        EvalImportOptions opt;
        const auto gsm = eval_import({eval_fixture("lightthinker-output/gsm8k.jsonl")}, opt);
        QCOMPARE(gsm[0].compressions, 2);
        QCOMPARE(gsm[2].answer.value(), std::string("\\text{42 dollars}"));
        // Vanilla: peak and dependency from the lengths (spec 7.2 / 7.3).
        opt.method = "vanilla";
        const auto van = eval_import({eval_fixture("lightthinker-output/gsm8k.jsonl")}, opt);
        QCOMPARE(van[0].peak_tokens, 420);
        QCOMPARE(van[0].dependency.value(), vanilla_dependency(120, 300));
    }

    void import_rejects_bad_files() {
        QTemporaryDir tmp;
        const fs::path f = tmp.filePath("out.jsonl").toStdString();
        EvalImportOptions opt;
        testutil::write_file(f, "{\"idx\": 0, \"gt_answer\": \"1\", \"output\": \"\\\\boxed{1}\"}\n{\"idx\": 1, \"output\": \"x\"}\n");
        QString e = error_of([&] { eval_import({f}, opt); });
        QVERIFY2(e.contains("out.jsonl:2") && e.contains("gt_answer"), qPrintable(e));
        testutil::write_file(f, "{\"idx\": 0, \"gt_answer\": \"1\", \"output\": \"x\"}\n{\"idx\": 0,\n");
        e = error_of([&] { eval_import({f}, opt); });
        QVERIFY2(e.contains("out.jsonl:2") && e.contains("not valid JSON"), qPrintable(e));
        testutil::write_file(f, "{\"idx\": 0, \"gt_answer\": \"1\", \"output\": \"x\"}\n{\"idx\": 0, \"gt_answer\": \"1\", \"output\": \"x\"}\n");
        e = error_of([&] { eval_import({f}, opt); });
        QVERIFY2(e.contains("out.jsonl:2") && e.contains("twice"), qPrintable(e));
        opt.format = DatasetFormat::jsonl;
        e = error_of([&] { eval_import({f}, opt); });
        QVERIFY2(e.contains("--format"), qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestEval)
#include "tst_eval.moc"
