// evaluation_panel.h: the window's Evaluation tab. Pick a dataset (bundled or a file), models and
// a method, a limit; the runs go one after another on a worker thread through the engine's
// eval_run (the same result files as `gistscope-cli eval`, so they resume and merge alike); the
// table (eval_merge) fills in as items end; a plot of accuracy against mean peak tokens per run;
// existing result files can be opened, unmatched answers reviewed in a dialog, the table saved as
// CSV and the plot as PNG / PDF / SVG. Not yet placed in the main window (the window split).
#pragma once
#include <QDialog>
#include <QObject>
#include <QStringList>
#include <QWidget>
#include <atomic>
#include <vector>

#include "gistscope/eval.h"
#include "widgets/accuracy_plot.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QThread;
class QTimer;

namespace gistscope::gui {

// Runs eval_run for each spec in turn; lives on its own thread, stopped through an atomic flag.
class EvaluationWorker : public QObject {
    Q_OBJECT
public:
    explicit EvaluationWorker(std::atomic<bool>* stop) : stop_(stop) {}
public slots:
    void runAll(const std::vector<gistscope::EvalRunSpec>& specs, int max_new_tokens);
signals:
    void progress(int run, qulonglong done, qulonglong total, qulonglong correct, double mean_peak, double seconds);
    void itemFinished(int run);
    void failed(const QString& message);
    void finished(bool stopped);

private:
    std::atomic<bool>* stop_;
};

// One unmatched answer at a time: Correct / Wrong write the decision into the file at once.
class ReviewDialog : public QDialog {
    Q_OBJECT
public:
    ReviewDialog(const QString& results_file, QWidget* parent = nullptr);
    int pending() const { return int(pending_.size() - next_); }
    // What the buttons do; false with `error` set when the file could not be written.
    bool decide(bool correct, QString* error = nullptr);
    void skip();
    QString shownAnswer() const;

private:
    void showCurrent();
    std::filesystem::path file_;
    std::vector<EvalRecord> records_;
    std::vector<size_t> pending_;
    size_t next_ = 0;
    QLabel* header_ = nullptr;
    QLabel* answers_ = nullptr;
    QPlainTextEdit* output_ = nullptr;
    QPushButton* correct_ = nullptr;
    QPushButton* wrong_ = nullptr;
    QPushButton* skip_ = nullptr;
};

class EvaluationPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationPanel(QWidget* parent = nullptr);
    ~EvaluationPanel() override;

    // The controls as a user sets them (tests drive these).
    void setDataset(const QString& path);
    void setModels(const QStringList& model_paths);  // all checked
    void setMethod(const QString& method);           // empty: each model's own
    void setLimit(int items);                        // 0: all
    void setMaxNewTokens(int n);
    void setResultsFolder(const QString& dir);
    // Starts the checked models on the dataset; false (with the reason in statusText) when
    // something is missing.
    bool start();
    void stop();
    bool running() const { return running_; }
    // Result files shown in the table: the runs' own and the ones opened.
    void openResults(const QStringList& files);
    QStringList resultFiles() const { return files_; }
    bool exportTable(const QString& csv_path, QString* error) const;
    bool exportPlot(const QString& path, QString* error);
    const std::vector<EvalRunSummary>& summaries() const { return summaries_; }
    QTableWidget* table() const { return table_; }
    ui::AccuracyPlot* plotView() const { return plot_; }
    QString statusText() const;
    // The result file a run of `model` with `method` on the dataset writes (and resumes).
    QString resultFileFor(const QString& model, const QString& method) const;

signals:
    void runFinished(bool stopped);

private:
    QString datasetPath() const;
    void reloadTable();
    void setRunning(bool on);
    void chooseDataset();
    void addModel();
    void openResultsDialog();
    void reviewSelected();
    void saveTable();
    void savePlot();

    QComboBox* dataset_ = nullptr;
    QListWidget* models_ = nullptr;
    QComboBox* method_ = nullptr;
    QSpinBox* limit_ = nullptr;
    QSpinBox* max_new_ = nullptr;
    QLineEdit* folder_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* stop_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QTableWidget* table_ = nullptr;
    ui::AccuracyPlot* plot_ = nullptr;
    QTimer* reload_timer_ = nullptr;

    QStringList files_;
    std::vector<EvalRunSummary> summaries_;
    std::vector<QString> summary_files_;  // the file each summary row came from
    QThread* thread_ = nullptr;
    EvaluationWorker* worker_ = nullptr;
    std::atomic<bool> stop_flag_{false};
    bool running_ = false;
    int runs_total_ = 0;
};

}  // namespace gistscope::gui
