// The Evaluation tab of evaluation_panel.h. Everything it computes is the engine's (eval.h); this
// file only gathers the settings, runs eval_run off the GUI thread and shows eval_merge's table.
#include "evaluation_panel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "gistscope/backend_select.h"
#include "gistscope/error.h"
#include "gistscope/session.h"
#include "run_options.h"  // session_params_json: the same params record as the CLI's, so files resume alike

namespace gistscope::gui {

namespace {

QString bundled_resources() {
    for (const QString& dir : {QCoreApplication::applicationDirPath() + QStringLiteral("/../../resources"),
                               QCoreApplication::applicationDirPath() + QStringLiteral("/../resources"),
                               QStringLiteral(GISTSCOPE_SOURCE_RESOURCES)})
        if (QFileInfo::exists(dir + QStringLiteral("/datasets"))) return QDir(dir).absolutePath();
    return QStringLiteral(GISTSCOPE_SOURCE_RESOURCES);
}

QString ratio_text(const std::optional<double>& v) { return v ? QString::number(*v, 'f', 2) + QStringLiteral("x") : QStringLiteral("-"); }

QStringList columns() {
    return {QObject::tr("Dataset"), QObject::tr("Method"), QObject::tr("Model"), QObject::tr("Items"),
                              QObject::tr("Acc (%)"), QObject::tr("Unmatched"), QObject::tr("Time (s)"), QObject::tr("Peak"),
                              QObject::tr("Dep"), QObject::tr("Peak / vanilla"), QObject::tr("Dep / vanilla"),
                              QObject::tr("Gen. tokens"), QObject::tr("Compressions")};
}

QStringList row_cells(const EvalRunSummary& s) {
    return {QString::fromStdString(s.dataset), QString::fromStdString(eval_method_label(s.method, s.params)), QString::fromStdString(s.model),
            QString::number(s.items), QString::number(s.accuracy, 'f', 1), QString::number(s.unmatched),
            QString::number(s.seconds, 'f', 1), QString::number(s.mean_peak, 'f', 1),
            s.mean_dependency ? QString::number(*s.mean_dependency, 'f', 0) : QStringLiteral("-"), ratio_text(s.peak_ratio),
            ratio_text(s.dependency_ratio), QString::number(s.mean_generated, 'f', 1), QString::number(s.mean_compressions, 'f', 2)};
}

}  // namespace

// ---- worker ------------------------------------------------------------------------------------------

void EvaluationWorker::runAll(const std::vector<EvalRunSpec>& specs, int max_new_tokens) {
    bool stopped = false;
    for (size_t i = 0; i < specs.size() && !stopped; ++i) {
        EvalRunHooks hooks;
        hooks.configure = [&](const std::string& method, int cache_tokens, SessionParams& params) {
            params = SessionParams{};
            params.policy.method = method;
            params.max_new_tokens = max_new_tokens;
            return cli::session_params_json(params, cache_tokens);
        };
        hooks.make_backend = [](const Model& model) { return select_backend(model, BackendChoice::auto_, 0).backend; };
        hooks.progress = [&](const EvalProgress& p) {
            emit progress(int(i), p.done, p.total, p.correct, p.mean_peak, p.seconds);
            if (p.ran > 0) emit itemFinished(int(i));
        };
        try {
            stopped = eval_run(specs[i], hooks, stop_).stopped;
        } catch (const std::exception& e) {
            emit failed(QString::fromStdString(e.what()));
            stopped = true;
        }
    }
    emit finished(stopped);
}

// ---- review dialog ------------------------------------------------------------------------------------

ReviewDialog::ReviewDialog(const QString& results_file, QWidget* parent) : QDialog(parent), file_(results_file.toStdString()) {
    setWindowTitle(tr("Review unmatched answers"));
    records_ = eval_results_read(file_).records;
    pending_ = eval_review_pending(records_);
    auto* layout = new QVBoxLayout(this);
    header_ = new QLabel(this);
    answers_ = new QLabel(this);
    answers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    output_ = new QPlainTextEdit(this);
    output_->setReadOnly(true);
    auto* buttons = new QHBoxLayout;
    correct_ = new QPushButton(tr("Correct"), this);
    wrong_ = new QPushButton(tr("Wrong"), this);
    skip_ = new QPushButton(tr("Skip"), this);
    auto* close = new QPushButton(tr("Close"), this);
    for (auto* b : {correct_, wrong_, skip_, close}) buttons->addWidget(b);
    layout->addWidget(header_);
    layout->addWidget(answers_);
    layout->addWidget(output_, 1);
    layout->addLayout(buttons);
    auto decide_or_warn = [this](bool ok) {
        QString error;
        if (!decide(ok, &error)) QMessageBox::warning(this, windowTitle(), error);
    };
    connect(correct_, &QPushButton::clicked, this, [decide_or_warn] { decide_or_warn(true); });
    connect(wrong_, &QPushButton::clicked, this, [decide_or_warn] { decide_or_warn(false); });
    connect(skip_, &QPushButton::clicked, this, &ReviewDialog::skip);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    resize(800, 600);
    showCurrent();
}

QString ReviewDialog::shownAnswer() const { return answers_->text(); }

void ReviewDialog::showCurrent() {
    const bool any = next_ < pending_.size();
    for (auto* b : {correct_, wrong_, skip_}) b->setEnabled(any);
    if (!any) {
        header_->setText(tr("Nothing left to review in %1").arg(QString::fromStdString(file_.filename().string())));
        answers_->clear();
        output_->clear();
        return;
    }
    const EvalRecord& r = records_[pending_[next_]];
    header_->setText(tr("%1 of %2: %3 item %4 (%5, %6)")
                         .arg(next_ + 1)
                         .arg(pending_.size())
                         .arg(QString::fromStdString(r.dataset), QString::fromStdString(r.id), QString::fromStdString(r.model),
                              QString::fromStdString(r.method)));
    answers_->setText(QStringLiteral("\"%1\"  <=>  \"%2\"")
                          .arg(r.answer ? QString::fromStdString(*r.answer) : tr("(no \\boxed{} answer)"), QString::fromStdString(r.expected)));
    output_->setPlainText(QString::fromStdString(r.question) + QStringLiteral("\n\n----\n\n") + QString::fromStdString(r.output));
}

bool ReviewDialog::decide(bool correct, QString* error) {
    if (next_ >= pending_.size()) return false;
    try {
        eval_review_decide(file_, records_, pending_[next_], correct);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    ++next_;
    showCurrent();
    return true;
}

void ReviewDialog::skip() {
    if (next_ < pending_.size()) ++next_;
    showCurrent();
}

// ---- panel ---------------------------------------------------------------------------------------------

EvaluationPanel::EvaluationPanel(QWidget* parent) : QWidget(parent) {
    const QString res = bundled_resources();
    dataset_ = new QComboBox(this);
    dataset_->setEditable(true);
    for (const QString& f : {QStringLiteral("/datasets/demo-test.jsonl"), QStringLiteral("/datasets/lightthinker/gsm8k.json"),
                             QStringLiteral("/datasets/lightthinker/mmlu.json"), QStringLiteral("/datasets/lightthinker/bbh.json")})
        if (QFileInfo::exists(res + f)) dataset_->addItem(QFileInfo(f).completeBaseName(), res + f);
    auto* pick_dataset = new QPushButton(tr("File..."), this);
    models_ = new QListWidget(this);
    for (const char* m : {"demo-vanilla", "demo-lightthinker", "demo-anllm", "demo-lightthinker-token"}) {
        const QString path = res + QStringLiteral("/models/") + QLatin1String(m);
        if (!QFileInfo::exists(path)) continue;
        auto* item = new QListWidgetItem(QLatin1String(m), models_);
        item->setData(Qt::UserRole, path);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    auto* add_model = new QPushButton(tr("Add model..."), this);
    method_ = new QComboBox(this);
    method_->addItem(tr("each model's own"), QString());
    for (const char* m : {"vanilla", "lightthinker", "lightthinker-token", "anllm", "h2o", "h2o-global", "sepllm",
                          "lightthinker-pp"})
        method_->addItem(QLatin1String(m), QLatin1String(m));
    limit_ = new QSpinBox(this);
    limit_->setRange(0, 1 << 20);
    limit_->setSpecialValueText(tr("all"));
    limit_->setValue(20);
    max_new_ = new QSpinBox(this);
    max_new_->setRange(1, 1 << 20);
    max_new_->setValue(1200);
    folder_ = new QLineEdit(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/eval"), this);
    start_ = new QPushButton(tr("Run"), this);
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setEnabled(false);
    progress_ = new QProgressBar(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    table_ = new QTableWidget(0, int(columns().size()), this);
    table_->setHorizontalHeaderLabels(columns());
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    plot_ = new ui::AccuracyPlot(this);
    auto* open = new QPushButton(tr("Open results..."), this);
    auto* review = new QPushButton(tr("Review unmatched..."), this);
    auto* save_table = new QPushButton(tr("Save table (CSV)..."), this);
    auto* save_plot = new QPushButton(tr("Save plot..."), this);

    auto* form = new QFormLayout;
    auto* ds_row = new QHBoxLayout;
    ds_row->addWidget(dataset_, 1);
    ds_row->addWidget(pick_dataset);
    form->addRow(tr("Dataset"), ds_row);
    auto* model_col = new QVBoxLayout;
    model_col->addWidget(models_);
    model_col->addWidget(add_model);
    form->addRow(tr("Models"), model_col);
    form->addRow(tr("Method"), method_);
    form->addRow(tr("Items"), limit_);
    form->addRow(tr("Max new tokens"), max_new_);
    form->addRow(tr("Results folder"), folder_);
    auto* run_row = new QHBoxLayout;
    run_row->addWidget(start_);
    run_row->addWidget(stop_);
    run_row->addWidget(progress_, 1);
    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(run_row);
    left->addWidget(status_);
    left->addStretch(1);
    auto* left_w = new QWidget(this);
    left_w->setLayout(left);
    auto* file_row = new QHBoxLayout;
    for (auto* b : {open, review, save_table, save_plot}) file_row->addWidget(b);
    file_row->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(table_, 1);
    right->addLayout(file_row);
    right->addWidget(plot_, 1);
    auto* right_w = new QWidget(this);
    right_w->setLayout(right);
    auto* split = new QSplitter(this);
    split->addWidget(left_w);
    split->addWidget(right_w);
    split->setStretchFactor(1, 3);
    auto* top = new QVBoxLayout(this);
    top->addWidget(split);

    // The table re-reads the files at most twice a second while a run writes them.
    reload_timer_ = new QTimer(this);
    reload_timer_->setSingleShot(true);
    reload_timer_->setInterval(500);
    connect(reload_timer_, &QTimer::timeout, this, &EvaluationPanel::reloadTable);
    connect(pick_dataset, &QPushButton::clicked, this, &EvaluationPanel::chooseDataset);
    connect(add_model, &QPushButton::clicked, this, &EvaluationPanel::addModel);
    connect(start_, &QPushButton::clicked, this, [this] { start(); });
    connect(stop_, &QPushButton::clicked, this, &EvaluationPanel::stop);
    connect(open, &QPushButton::clicked, this, &EvaluationPanel::openResultsDialog);
    connect(review, &QPushButton::clicked, this, &EvaluationPanel::reviewSelected);
    connect(save_table, &QPushButton::clicked, this, &EvaluationPanel::saveTable);
    connect(save_plot, &QPushButton::clicked, this, &EvaluationPanel::savePlot);

    thread_ = new QThread(this);
    worker_ = new EvaluationWorker(&stop_flag_);
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EvaluationWorker::progress, this,
            [this](int run, qulonglong done, qulonglong total, qulonglong correct, double mean_peak, double seconds) {
                progress_->setMaximum(int(total));
                progress_->setValue(int(done));
                const double rate = seconds > 0 ? double(done) / seconds : 0;
                status_->setText(tr("run %1 of %2: %3 / %4 items, accuracy %5%, mean peak %6%7")
                                     .arg(run + 1)
                                     .arg(runs_total_)
                                     .arg(done)
                                     .arg(total)
                                     .arg(done ? 100.0 * double(correct) / double(done) : 0.0, 0, 'f', 1)
                                     .arg(mean_peak, 0, 'f', 1)
                                     .arg(rate > 0 ? tr(", ETA %1 s").arg(double(total - done) / rate, 0, 'f', 0) : QString()));
            });
    connect(worker_, &EvaluationWorker::itemFinished, this, [this] {
        if (!reload_timer_->isActive()) reload_timer_->start();
    });
    connect(worker_, &EvaluationWorker::failed, this, [this](const QString& m) { status_->setText(m); });
    connect(worker_, &EvaluationWorker::finished, this, [this](bool stopped) {
        reloadTable();
        setRunning(false);
        if (!stopped) status_->setText(tr("done: %n run(s)", nullptr, runs_total_));
        emit runFinished(stopped);
    });
    thread_->start();
}

EvaluationPanel::~EvaluationPanel() {
    stop_flag_ = true;
    thread_->quit();
    thread_->wait();
}

void EvaluationPanel::setDataset(const QString& path) {
    dataset_->setCurrentIndex(-1);
    dataset_->setEditText(path);
}

void EvaluationPanel::setModels(const QStringList& model_paths) {
    models_->clear();
    for (const auto& p : model_paths) {
        auto* item = new QListWidgetItem(QFileInfo(p).fileName(), models_);
        item->setData(Qt::UserRole, p);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
}

void EvaluationPanel::setMethod(const QString& method) {
    const int i = method_->findData(method);
    method_->setCurrentIndex(i >= 0 ? i : 0);
}

void EvaluationPanel::setLimit(int items) { limit_->setValue(items); }
void EvaluationPanel::setMaxNewTokens(int n) { max_new_->setValue(n); }
void EvaluationPanel::setResultsFolder(const QString& dir) { folder_->setText(dir); }
QString EvaluationPanel::statusText() const { return status_->text(); }

// A bundled set shows its name and holds its path; anything typed is a path.
QString EvaluationPanel::datasetPath() const {
    const int i = dataset_->currentIndex();
    return i >= 0 && dataset_->itemText(i) == dataset_->currentText() ? dataset_->itemData(i).toString() : dataset_->currentText();
}

QString EvaluationPanel::resultFileFor(const QString& model, const QString& method) const {
    const QString ds = datasetPath();
    QString name = QFileInfo(ds).completeBaseName() + QLatin1Char('-') + QFileInfo(model).completeBaseName();
    if (!method.isEmpty()) name += QLatin1Char('-') + method;
    return QDir(folder_->text()).filePath(name + QStringLiteral(".jsonl"));
}

bool EvaluationPanel::start() {
    if (running_) return false;
    const QString ds = datasetPath();
    if (ds.isEmpty() || !QFileInfo::exists(ds)) {
        status_->setText(tr("choose a dataset file (%1 does not exist)").arg(ds));
        return false;
    }
    if (!QDir().mkpath(folder_->text())) {
        status_->setText(tr("cannot create the results folder %1").arg(folder_->text()));
        return false;
    }
    std::vector<EvalRunSpec> specs;
    const QString method = method_->currentData().toString();
    for (int k = 0; k < models_->count(); ++k) {
        const auto* item = models_->item(k);
        if (item->checkState() != Qt::Checked) continue;
        EvalRunSpec s;
        s.model = item->data(Qt::UserRole).toString().toStdString();
        s.method = method.toStdString();
        s.dataset = ds.toStdString();
        s.limit = size_t(limit_->value());
        s.out = resultFileFor(item->data(Qt::UserRole).toString(), method).toStdString();
        specs.push_back(s);
        const QString out = QString::fromStdString(s.out.string());
        if (!files_.contains(out)) files_ << out;
    }
    if (specs.empty()) {
        status_->setText(tr("check at least one model"));
        return false;
    }
    runs_total_ = int(specs.size());
    stop_flag_ = false;
    setRunning(true);
    status_->setText(tr("starting %1 runs").arg(runs_total_));
    const int max_new = max_new_->value();
    QMetaObject::invokeMethod(worker_, [w = worker_, specs, max_new] { w->runAll(specs, max_new); }, Qt::QueuedConnection);
    return true;
}

void EvaluationPanel::stop() { stop_flag_ = true; }

void EvaluationPanel::setRunning(bool on) {
    running_ = on;
    start_->setEnabled(!on);
    stop_->setEnabled(on);
}

void EvaluationPanel::openResults(const QStringList& files) {
    for (const auto& f : files)
        if (!files_.contains(f)) files_ << f;
    reloadTable();
}

void EvaluationPanel::reloadTable() {
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files_)
        if (QFileInfo::exists(f)) paths.push_back(f.toStdString());
    summaries_.clear();
    summary_files_.clear();
    if (!paths.empty()) {
        try {
            summaries_ = eval_merge(paths).summaries;
        } catch (const std::exception& e) {
            status_->setText(QString::fromStdString(e.what()));
        }
    }
    // The file a row can be reviewed in: the first that holds that run.
    for (const auto& s : summaries_) {
        QString where;
        for (const auto& p : paths) {
            try {
                for (const auto& one : eval_merge({p}).summaries)
                    if (one.dataset == s.dataset && one.model == s.model && one.method == s.method && one.source == s.source)
                        where = QString::fromStdString(p.string());
            } catch (const std::exception&) {
            }
            if (!where.isEmpty()) break;
        }
        summary_files_.push_back(where);
    }
    table_->setRowCount(int(summaries_.size()));
    for (int r = 0; r < int(summaries_.size()); ++r) {
        const QStringList cells = row_cells(summaries_[size_t(r)]);
        for (int c = 0; c < cells.size(); ++c) table_->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    plot_->setSummaries(summaries_);
}

bool EvaluationPanel::exportTable(const QString& csv_path, QString* error) const {
    QString text;
    QStringList header;
    for (const auto& c : columns()) header << ui::csv_cell(c);
    text += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const auto& s : summaries_) {
        QStringList cells;
        for (const auto& c : row_cells(s)) cells << ui::csv_cell(c);
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return ui::write_text_file(csv_path, text, error);
}

bool EvaluationPanel::exportPlot(const QString& path, QString* error) { return plot_->exportTo(path, error); }

void EvaluationPanel::chooseDataset() {
    const QString f = QFileDialog::getOpenFileName(this, tr("Dataset"), QString(), tr("Datasets (*.json *.jsonl);;All files (*)"));
    if (!f.isEmpty()) setDataset(f);
}

void EvaluationPanel::addModel() {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Model folder"));
    if (d.isEmpty()) return;
    auto* item = new QListWidgetItem(QFileInfo(d).fileName(), models_);
    item->setData(Qt::UserRole, d);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
}

void EvaluationPanel::openResultsDialog() {
    const QStringList fs = QFileDialog::getOpenFileNames(this, tr("Result files"), folder_->text(), tr("Results (*.jsonl);;All files (*)"));
    if (!fs.isEmpty()) openResults(fs);
}

void EvaluationPanel::reviewSelected() {
    const int row = table_->currentRow();
    if (row < 0 || size_t(row) >= summary_files_.size() || summary_files_[size_t(row)].isEmpty()) {
        status_->setText(tr("select a row of the table to review its unmatched answers"));
        return;
    }
    try {
        ReviewDialog dialog(summary_files_[size_t(row)], this);
        dialog.exec();
    } catch (const std::exception& e) {
        status_->setText(QString::fromStdString(e.what()));
    }
    reloadTable();
}

void EvaluationPanel::saveTable() {
    const QString f = QFileDialog::getSaveFileName(this, tr("Save table"), QStringLiteral("evaluation.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!f.isEmpty() && !exportTable(f, &error)) QMessageBox::warning(this, tr("Save table"), error);
}

void EvaluationPanel::savePlot() {
    const QString f = QFileDialog::getSaveFileName(this, tr("Save plot"), QStringLiteral("evaluation.png"),
                                                   tr("Images (*.png *.pdf *.svg);;CSV (*.csv)"));
    QString error;
    if (!f.isEmpty() && !exportPlot(f, &error)) QMessageBox::warning(this, tr("Save plot"), error);
}

}  // namespace gistscope::gui
