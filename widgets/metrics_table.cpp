// metrics_table.cpp: the metrics grid.
#include "widgets/metrics_table.h"

#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "widgets/verdict.h"

namespace gistscope::ui {

namespace {
enum Row {
    accuracy, answer, time_s, tps, peak, peak_mib, dependency, compressions, memory_actions, reprefilled, thoughts,
    mean_thought, generated, stop, row_count
};
}

MetricsTable::MetricsTable(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget(row_count, 3, this);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::ContiguousSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setAlternatingRowColors(true);
    const QString names[row_count] = {
        tr("Accuracy"),          tr("Answer"),          tr("Time (s)"),        tr("Tokens per second"),
        tr("Peak tokens"),       tr("Peak KV (MiB)"),   tr("Dependency (M)"),  tr("Compressions"),
        tr("Memory actions (commit / expand / fold)"), tr("Re-prefilled tokens"),
        tr("Thoughts"),          tr("Mean thought length (tokens)"), tr("Generated tokens"), tr("Stopped by")};
    const QString tips[row_count] = {
        tr("Whether the last \\boxed{} answer matches the expected answer (spec 7.4)."),
        tr("Content of the last \\boxed{} in the output."),
        tr("Wall-clock time of prefill and decode."),
        tr("Generated tokens per second of decode."),
        tr("Largest number of tokens in the KV cache, counted as the paper does (spec 7.2)."),
        tr("Peak tokens times the KV bytes per token of the model."),
        tr("Sum over generated tokens of the context they were generated in, in millions (spec 7.3)."),
        tr("Thoughts folded into gist tokens."),
        tr("LightThinker++: steps archived with their summary, steps opened again, and steps archived again."),
        tr("LightThinker++: tokens fed again to rebuild the context after the actions (an expand or fold of an "
           "inner step re-feeds every later step)."),
        tr("Compressed thoughts plus the trailing one."),
        tr("Generated tokens per thought."),
        tr("Model-chosen tokens, the final end token included."),
        tr("Why the run ended.")};
    for (int r = 0; r < row_count; ++r) {
        auto* item = new QTableWidgetItem(names[r]);
        item->setToolTip(tips[r]);
        table_->setVerticalHeaderItem(r, item);
        for (int c = 0; c < 3; ++c) {
            auto* cell = new QTableWidgetItem(QStringLiteral("–"));
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(r, c, cell);
        }
    }
    layout->addWidget(table_);
    refresh();
}

void MetricsTable::setRuns(const RunModel* left, const RunModel* right) {
    runs_[0] = left;
    runs_[1] = right;
}

void MetricsTable::refresh() {
    StepMetrics m[2];
    bool have[2] = {false, false};
    for (int i = 0; i < 2; ++i) {
        if (!runs_[i] || runs_[i]->empty()) continue;
        have[i] = true;
        m[i] = runs_[i]->metrics_at(runs_[i]->current_step());
    }
    const bool ended[2] = {have[0] && runs_[0]->end() && runs_[0]->at_end(), have[1] && runs_[1]->end() && runs_[1]->at_end()};
    Verdict verdicts[2] = {Verdict::running, Verdict::running};
    for (int i = 0; i < 2; ++i)
        if (have[i]) verdicts[i] = verdict_of(*runs_[i]);
    // A run cut short (stopped, token limit) is marked: its figures are not a complete run's.
    const bool incomplete[2] = {verdict_incomplete(verdicts[0]), verdict_incomplete(verdicts[1])};
    for (int i = 0; i < 2; ++i) {
        QString h = !have[i] ? (i == 0 ? tr("Left") : tr("Right"))
                             : QStringLiteral("%1 · %2").arg(QString::fromStdString(RunModel::method_display_name(runs_[i]->header().method)),
                                                             QString::fromStdString(runs_[i]->header().model));
        if (incomplete[i]) h += QStringLiteral(" ") + tr("(incomplete)");
        auto* item = new QTableWidgetItem(h);
        item->setToolTip(incomplete[i] ? tr("This run did not finish (%1): its figures stop where it was cut, and the ratios "
                                            "to the other run are not shown.")
                                             .arg(verdict_text(verdicts[i], *runs_[i]))
                                       : QString());
        table_->setHorizontalHeaderItem(i, item);
        column_names_[i] = h;
    }
    table_->setHorizontalHeaderItem(2, new QTableWidgetItem(tr("Left / right")));
    // Shown with the locale's separators; the CSV takes the plain number kept under Qt::UserRole.
    auto set = [&](int row, int col, const QString& text, const QString& raw = QString()) {
        table_->item(row, col)->setText(text);
        table_->item(row, col)->setData(Qt::UserRole, raw.isEmpty() ? text : raw);
    };
    auto num = [&](int row, double a, double b, int decimals, bool known_a, bool known_b) {
        if (known_a) set(row, 0, QLocale().toString(a, 'f', decimals), QString::number(a, 'f', decimals));
        else set(row, 0, QStringLiteral("–"));
        if (known_b) set(row, 1, QLocale().toString(b, 'f', decimals), QString::number(b, 'f', decimals));
        else set(row, 1, QStringLiteral("–"));
        if (known_a && known_b && b != 0 && !incomplete[0] && !incomplete[1])
            set(row, 2, QStringLiteral("%1×").arg(QLocale().toString(a / b, 'f', 2)), QString::number(a / b, 'f', 4));
        else
            set(row, 2, QStringLiteral("–"));
    };
    for (int i = 0; i < 2; ++i) {
        set(accuracy, i, have[i] && verdicts[i] != Verdict::running ? verdict_text(verdicts[i], *runs_[i]) : QStringLiteral("–"));
        set(answer, i, have[i] && m[i].answer ? QString::fromStdString(*m[i].answer) : QStringLiteral("–"));
        if (ended[i]) set(stop, i, stop_reason_text(runs_[i]->end()->metrics.stop_reason),
                          QString::fromStdString(runs_[i]->end()->metrics.stop_reason));
        else set(stop, i, have[i] ? tr("running") : QStringLiteral("–"));
    }
    set(accuracy, 2, QStringLiteral("–"));
    set(answer, 2, QStringLiteral("–"));
    set(stop, 2, QStringLiteral("–"));
    num(time_s, m[0].seconds, m[1].seconds, 2, ended[0], ended[1]);
    num(tps, m[0].tokens_per_second, m[1].tokens_per_second, 1, ended[0], ended[1]);
    num(peak, m[0].peak_tokens, m[1].peak_tokens, 0, have[0], have[1]);
    const double b0 = have[0] ? double(runs_[0]->kv_bytes_per_token()) : 0, b1 = have[1] ? double(runs_[1]->kv_bytes_per_token()) : 0;
    num(peak_mib, m[0].peak_tokens * b0 / 1048576.0, m[1].peak_tokens * b1 / 1048576.0, 2, have[0] && b0 > 0, have[1] && b1 > 0);
    num(dependency, m[0].dependency / 1e6, m[1].dependency / 1e6, 3, have[0], have[1]);
    num(compressions, m[0].compressions, m[1].compressions, 0, have[0], have[1]);
    // LightThinker++ only; a dash for the methods without memory actions.
    for (int i = 0; i < 2; ++i) {
        const bool mem = have[i] && runs_[i]->is_memory_run();
        const auto& a = m[i].memory;
        set(memory_actions, i, mem ? QStringLiteral("%1 / %2 / %3").arg(a.commits).arg(a.expands).arg(a.folds) : QStringLiteral("–"));
        set(reprefilled, i, mem ? QLocale().toString(qlonglong(a.reprefilled_tokens)) : QStringLiteral("–"),
            mem ? QString::number(a.reprefilled_tokens) : QString());
    }
    set(memory_actions, 2, QStringLiteral("–"));
    set(reprefilled, 2, QStringLiteral("–"));
    num(thoughts, m[0].thoughts, m[1].thoughts, 0, have[0], have[1]);
    num(mean_thought, m[0].mean_thought_tokens, m[1].mean_thought_tokens, 1, have[0], have[1]);
    num(generated, m[0].generated_tokens, m[1].generated_tokens, 0, have[0], have[1]);
}

QString MetricsTable::csv() const {
    auto quote = [](QString s) {
        if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')))
            s = QLatin1Char('"') + s.replace(QLatin1String("\""), QLatin1String("\"\"")) + QLatin1Char('"');
        return s;
    };
    // Columns named by what ran (method · model), so a CSV read later says which run is which.
    QString out = QStringLiteral("metric,%1,%2,ratio\n").arg(quote(column_names_[0]), quote(column_names_[1]));
    for (int r = 0; r < table_->rowCount(); ++r) {
        out += quote(table_->verticalHeaderItem(r)->text());
        for (int c = 0; c < 3; ++c) {
            QString v = table_->item(r, c)->data(Qt::UserRole).toString();
            if (v == QStringLiteral("–")) v.clear();
            out += QLatin1Char(',') + quote(v);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

}  // namespace gistscope::ui
