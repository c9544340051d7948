// plot_view.h: the base of every plot: a QCustomPlot themed from the role palette, the two runs it
// reads (left pane, right pane; not owned), and export to PNG / PDF / SVG / CSV through a temporary
// file that is renamed into place, so a failed export never leaves a half-written file.
#pragma once
#include <QSize>
#include <QString>
#include <QWidget>

#include "widgets/role_palette.h"
#include "widgets/run_model.h"

class QCustomPlot;
class QCPAxis;

namespace gistscope::ui {

class PlotView : public QWidget {
    Q_OBJECT
public:
    explicit PlotView(QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }

    // Runs drawn by the view, either may be null. Call refresh() after they change.
    void setRuns(const RunModel* left, const RunModel* right);
    const RunModel* run(int pane) const { return runs_[pane]; }
    // Redraws from the runs at their current step. Cheap when nothing changed.
    virtual void refresh() = 0;
    // The series behind the picture, as CSV with a header line.
    virtual QString csv() const = 0;
    // Short name used in file names and dialogs ("occupancy", "mask" ...).
    virtual QString exportName() const = 0;

    // Writes PNG, PDF, SVG or CSV, chosen by the suffix of `path`. On failure returns false and
    // sets `error` to a sentence naming the file and the reason.
    bool exportTo(const QString& path, QString* error, QSize size = QSize(1400, 800));
    // The next refresh() redraws whatever its rate limit (a user action, not streaming).
    void markChanged() { runs_changed_ = true; }
    // True when the last refresh() was skipped by the view's rate limit: call it again later.
    bool deferred() const { return deferred_; }
    // Replots done so far (the benchmark's frame counter).
    int replotCount() const { return replots_; }

signals:
    void replotted();

protected:
    // Heatmaps switch to full resolution while exporting.
    virtual void prepareExport(bool full) { (void)full; }
    virtual void applyTheme();
    void changeEvent(QEvent* event) override;
    void styleAxis(QCPAxis* axis);
    void replotNow();

    QCustomPlot* plot_ = nullptr;
    const RunModel* runs_[2] = {nullptr, nullptr};
    RolePalette palette_;
    bool runs_changed_ = true;
    bool deferred_ = false;
    int replots_ = 0;
};

// One CSV field: quoted (with doubled quotes) when it holds a comma or a quote.
QString csv_cell(QString s);
// Writes `text` to `path` atomically (QSaveFile). Returns false with `error` set on failure.
bool write_text_file(const QString& path, const QString& text, QString* error);
// Checks that the folder of `path` exists and is writable; the message says which is wrong.
bool check_writable(const QString& path, QString* error);

}  // namespace gistscope::ui
