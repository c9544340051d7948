// metrics_table.h: the figures of spec 7 for both panes at the current step (exact engine figures at
// the end of a run), with the ratio left / right for each: accuracy, answer, time, tokens/s, peak
// tokens and MiB, dependency, compressions, thoughts, mean thought length, generated tokens.
#pragma once
#include <QWidget>

#include "widgets/run_model.h"

class QTableWidget;

namespace gistscope::ui {

class MetricsTable : public QWidget {
    Q_OBJECT
public:
    explicit MetricsTable(QWidget* parent = nullptr);
    void setRuns(const RunModel* left, const RunModel* right);
    void refresh();
    QString csv() const;
    QTableWidget* table() const { return table_; }

private:
    QTableWidget* table_ = nullptr;
    const RunModel* runs_[2] = {nullptr, nullptr};
    QString column_names_[2] = {QStringLiteral("left"), QStringLiteral("right")};
};

}  // namespace gistscope::ui
