// main_window.cpp: layout, menus, status bar and the wiring between the window's parts.
#include "main_window.h"

#include "evaluation_panel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdio>

#include "app_shell.h"
#include "control_panel.h"
#include "file_actions.h"
#include "model_list.h"
#include "playback.h"
#include "run_controller.h"
#include "run_pane.h"
#include "settings.h"
#include "stream_tools.h"
#include "widgets/occupancy_plot.h"
#include "widgets/token_stream_view.h"

namespace gistscope::gui {

QString MainWindow::resourcesDir() {
    const QByteArray env = qgetenv("GISTSCOPE_RESOURCES");
    if (!env.isEmpty()) return QString::fromLocal8Bit(env);
    const QString app = QCoreApplication::applicationDirPath();
    for (const QString& c : {app + QStringLiteral("/../../resources"), app + QStringLiteral("/../share/gistscope/resources"),
                             QStringLiteral(GISTSCOPE_SOURCE_RESOURCES)})
        if (QFileInfo(c + QStringLiteral("/datasets")).isDir() || QFileInfo(c + QStringLiteral("/models")).isDir())
            return QDir(c).canonicalPath();
    return QStringLiteral(GISTSCOPE_SOURCE_RESOURCES);
}

MainWindow::MainWindow(Settings* settings, QWidget* parent) : QMainWindow(parent), settings_(settings) {
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    models_ = new ModelList(resourcesDir() + QStringLiteral("/models"));
    runs_ = new RunController(this);
    buildUi();
    buildMenus();
    buildStatusBar();
    attachRuns();
    connect(runs_, &RunController::runsReplaced, this, &MainWindow::attachRuns);
    connect(runs_, &RunController::eventsArrived, this, [this] { dirty_ = true; });
    connect(runs_, &RunController::finished, this, &MainWindow::onRunFinished);
    frame_timer_ = new QTimer(this);
    frame_timer_->setInterval(33);
    connect(frame_timer_, &QTimer::timeout, this, &MainWindow::onFrame);
    frame_timer_->start();
    tps_clock_.start();
    resize(1560, 980);
    if (!settings_->windowGeometry().isEmpty()) restoreGeometry(settings_->windowGeometry());
    updateControls();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() {
    delete runs_;  // stops the workers before the views they feed go
    runs_ = nullptr;
    delete models_;
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    // The plot tabs take about a third of the height, so the streams keep room on small screens.
    if (!docks_sized_ && isVisible()) {
        resizeDocks({views_->dock(ViewId::occupancy)}, {std::max(180, height() * 34 / 100)}, Qt::Vertical);
        docks_sized_ = true;
    }
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!docks_sized_) resizeDocks({views_->dock(ViewId::occupancy)}, {std::max(180, height() * 34 / 100)}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState());
    runs_->stop();
    QMainWindow::closeEvent(event);
}

// ---------------------------------------------------------------------------------------------
// Layout

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* v = new QVBoxLayout(central);
    v->setContentsMargins(8, 6, 8, 4);
    v->setSpacing(5);
    controls_ = new ControlPanel(settings_, models_, central);
    v->addWidget(controls_);
    connect(controls_, &ControlPanel::runRequested, this, &MainWindow::startRun);
    connect(controls_, &ControlPanel::stopRequested, this, &MainWindow::stopRun);
    connect(controls_, &ControlPanel::modelRejected, this, &MainWindow::showError);

    playback_ = new Playback(settings_, runs_, central);
    v->addWidget(playback_->banner());
    v->addWidget(playback_->stepBar());
    connect(playback_, &Playback::stepChanged, this, [this] { refreshViews(true); });
    connect(playback_, &Playback::playingChanged, this, &MainWindow::updateControls);
    connect(playback_, &Playback::explainAt, this, [this](int pane, int position) {
        panes_[pane]->stream()->selectPosition(position);
        // The banner takes height from the panes: scroll again once the layout has settled.
        QTimer::singleShot(0, this, [this, pane, position] { panes_[pane]->stream()->selectPosition(position); });
    });

    auto* split = new QSplitter(Qt::Horizontal, central);
    split->setChildrenCollapsible(false);
    for (int i = 0; i < 2; ++i) {
        panes_[i] = new RunPane(i, split);
        split->addWidget(panes_[i]);
        auto* stream = panes_[i]->stream();
        // The panes scroll together by decoding step; at the bottom both are at the bottom.
        connect(stream, &ui::TokenStreamView::userScrolled, this, [this, i] {
            auto* from = panes_[i]->stream()->verticalScrollBar();
            auto* to = panes_[1 - i]->stream();
            if (from->maximum() > 0 && from->value() >= from->maximum()) {
                to->verticalScrollBar()->setValue(to->verticalScrollBar()->maximum());
                return;
            }
            const int step = panes_[i]->stream()->topStep();
            if (step > 0) to->scrollToStep(step);
        });
        connect(stream, &ui::TokenStreamView::tokenHovered, this, [this](int step, int32_t) { views_->occupancy()->setHoverStep(step); });
        connect(stream, &ui::TokenStreamView::tokenClicked, this, [this, i](int32_t position) {
            const int ti = run(i).token_at_position(position);
            if (ti >= 0) statusBar()->showMessage(tr("Selected position %1 (step %2) in the %3 pane")
                                                      .arg(position)
                                                      .arg(run(i).tokens()[size_t(ti)].step)
                                                      .arg(i == 0 ? tr("left") : tr("right")), 4000);
        });
        connect(stream, &ui::TokenStreamView::chipToggled, this, [this](int, bool hidden) {
            statusBar()->showMessage(hidden ? tr("Evicted text hidden: only the gist chip shows.")
                                            : tr("Evicted text shown (greyed): it is no longer in the KV cache."), 3000);
        });
    }
    stream_tools_ = new StreamTools(runs_, panes_, central);
    connect(stream_tools_, &StreamTools::message, statusBar(), &QStatusBar::showMessage);
    v->addWidget(split, 1);
    v->addWidget(stream_tools_->findBar());
    setCentralWidget(central);

    views_ = new ViewTabs(this);
    connect(views_, &ViewTabs::viewShown, this, [this] { dirty_ = true; });
    connect(views_, &ViewTabs::cellClicked, this, [this](int pane, int position) { panes_[pane]->stream()->selectPosition(position); });
    connect(views_, &ViewTabs::stepClicked, this, [this](int step) {
        if (!isRunning() && step >= 0 && step <= lastStep()) setStep(step);
    });

    // The Evaluation tab: whole datasets through the engine's eval_run, beside the single-run views.
    evaluation_dock_ = new QDockWidget(tr("Evaluation"), this);
    evaluation_dock_->setObjectName(QStringLiteral("evaluation"));
    evaluation_dock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    evaluation_dock_->setWidget(new EvaluationPanel(evaluation_dock_));
    addDockWidget(Qt::BottomDockWidgetArea, evaluation_dock_);
    tabifyDockWidget(views_->dock(ViewId::metrics), evaluation_dock_);
    views_->dock(ViewId::occupancy)->raise();

    files_ = new FileActions(this, settings_, runs_, controls_, views_);
    connect(files_, &FileActions::error, this, &MainWindow::showError);
    connect(files_, &FileActions::warning, this, &MainWindow::showWarning);
    connect(files_, &FileActions::message, statusBar(), &QStatusBar::showMessage);
    connect(files_, &FileActions::tracesOpened, this, [this] {
        playback_->showEnd();
        refreshViews(true);
        updateTitle();
    });
}

void MainWindow::buildStatusBar() {
    status_device_ = new ui::TextStrip(this, 260);
    status_device_->setObjectName(QStringLiteral("statusDevice"));
    status_speed_ = new ui::TextStrip(this, 80);
    status_speed_->setAlignment(Qt::AlignRight);
    status_cache_ = new ui::TextStrip(this, 380);
    status_cache_->setAlignment(Qt::AlignRight);
    status_progress_ = new QProgressBar(this);
    status_progress_->setObjectName(QStringLiteral("tokenProgress"));
    status_progress_->setFixedWidth(150);
    status_progress_->setTextVisible(true);
    status_progress_->setToolTip(tr("Tokens generated by the left run so far, out of Max tokens."));
    // Always shown: showing and hiding it would relayout the whole window at every start and end.
    statusBar()->addWidget(status_device_, 1);
    statusBar()->addPermanentWidget(status_progress_);
    statusBar()->addPermanentWidget(status_speed_);
    statusBar()->addPermanentWidget(status_cache_);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open traces…"), files_, &FileActions::openWithDialog);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open one or two recorded runs (JSON Lines traces) to replay them without a model."));
    auto* recent = file->addMenu(tr("Open &recent"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { files_->fillRecentMenu(recent); });
    files_->fillRecentMenu(recent);
    auto* save = file->addAction(tr("&Save traces…"), files_, &FileActions::saveWithDialog);
    save->setShortcut(QKeySequence::Save);
    auto* exp = file->addMenu(tr("&Export"));
    exp->addAction(tr("KV cache plot…"), this, [this] { files_->exportWithDialog(ViewId::occupancy); });
    exp->addAction(tr("Attention mask…"), this, [this] { files_->exportWithDialog(ViewId::mask); });
    exp->addAction(tr("Attention weights…"), this, [this] { files_->exportWithDialog(ViewId::attention); });
    exp->addAction(tr("Metrics table (CSV)…"), this, [this] { files_->exportWithDialog(ViewId::metrics); });
    exp->addAction(tr("Memory timeline (LightThinker++)…"), this, [this] { files_->exportWithDialog(ViewId::memory); });
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* find = edit->addAction(tr("&Find in the streams…"), stream_tools_, &StreamTools::openFind);
    find->setShortcut(QKeySequence::Find);
    auto* again = edit->addAction(tr("Find &next"), this, [this] { stream_tools_->findNext(stream_tools_->findField()->text()); });
    again->setShortcut(QKeySequence::FindNext);
    auto* back = edit->addAction(tr("Find &previous"), this, [this] { stream_tools_->findNext(stream_tools_->findField()->text(), true); });
    back->setShortcut(QKeySequence::FindPrevious);
    edit->addSeparator();
    auto* copy_left = edit->addAction(tr("Copy the &left pane's text"), this, [this] { stream_tools_->copyText(0); });
    copy_left->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    edit->addAction(tr("Copy the &right pane's text"), this, [this] { stream_tools_->copyText(1); });

    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* run_action = run->addAction(tr("&Run"), this, &MainWindow::startRun);
    run_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    auto* stop_action = run->addAction(tr("&Stop"), this, &MainWindow::stopRun);
    stop_action->setShortcut(QKeySequence(Qt::Key_Escape));
    auto* play_action = run->addAction(tr("&Play / pause"), this, [this] { playback_->playButton()->click(); });
    play_action->setShortcut(QKeySequence(Qt::Key_Space));
    run->addSeparator();
    auto* teach = run->addAction(tr("&Teaching mode"));
    teach->setCheckable(true);
    teach->setChecked(playback_->teachingBox()->isChecked());
    connect(teach, &QAction::toggled, playback_->teachingBox(), &QCheckBox::setChecked);
    connect(playback_->teachingBox(), &QCheckBox::toggled, teach, &QAction::setChecked);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* evicted = view->addAction(tr("Show &evicted text"));
    evicted->setCheckable(true);
    evicted->setChecked(settings_->showEvicted());
    evicted->setToolTip(tr("Show the greyed text of compressed thoughts by default, or only their gist chips. A click on a "
                           "chip shows or hides one thought."));
    connect(evicted, &QAction::toggled, this, [this](bool on) {
        settings_->setShowEvicted(on);
        for (auto* p : panes_) p->stream()->setShowEvicted(on);
    });
    for (auto* p : panes_) p->stream()->setShowEvicted(settings_->showEvicted());
    auto* theme = view->addMenu(tr("&Theme"));
    auto* theme_group = new QActionGroup(this);
    const std::pair<QString, QString> themes[] = {{QString(), tr("Follow the system")}, {QStringLiteral("light"), tr("Light")},
                                                  {QStringLiteral("dark"), tr("Dark")}};
    for (const auto& [code, name] : themes) {
        auto* a = theme->addAction(name);
        a->setCheckable(true);
        a->setChecked(settings_->theme() == code);
        theme_group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] {
            settings_->setTheme(code);
            AppShell::applyTheme(code);
        });
    }
    view->addSeparator();
    for (ViewId id : {ViewId::occupancy, ViewId::mask, ViewId::attention, ViewId::metrics, ViewId::memory})
        view->addAction(views_->dock(id)->toggleViewAction());
    view->addAction(evaluation_dock_->toggleViewAction());

    auto* settings = menuBar()->addMenu(tr("&Settings"));
    auto* lang = settings->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const std::pair<QString, QString> langs[] = {{QString(), tr("Follow the system")},
                                                 {QStringLiteral("en"), QStringLiteral("English")},
                                                 {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
    for (const auto& [code, name] : langs) {
        auto* a = lang->addAction(name);
        a->setCheckable(true);
        a->setChecked(settings_->language() == code);
        a->setData(code);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] {
            settings_->setLanguage(code);
            emit languageChangeRequested(code);
        });
    }

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* keys = help->addAction(tr("&Keyboard shortcuts and tips"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About GistScope"), this, [this] {
        QMessageBox::about(this, tr("About GistScope"),
                           tr("<b>GistScope</b> %1<br>Watch a LightThinker model compress its thoughts into gist "
                              "tokens, next to a vanilla or KV-eviction baseline.<br><br>Plots: QCustomPlot (GPL-3.0).")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::showShortcuts() {
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setWindowTitle(tr("Keyboard shortcuts and tips"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* v = new QVBoxLayout(dialog);
    auto* table = new QTableWidget(dialog);
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (QMenu* menu : menuBar()->findChildren<QMenu*>())
        for (QAction* a : menu->actions()) {
            if (a->shortcut().isEmpty()) continue;
            const int row = table->rowCount();
            table->insertRow(row);
            table->setItem(row, 0, new QTableWidgetItem(a->text().remove(QLatin1Char('&'))));
            table->setItem(row, 1, new QTableWidgetItem(a->shortcut().toString(QKeySequence::NativeText)));
        }
    auto* tips = new QLabel(tr("<p><b>Tips.</b> Drop one or two traces on the window to replay them, or a model folder / "
                               ".gguf file to run it. Click a gist chip to show or hide the evicted text of its thought. "
                               "Click a token for its step and cache state; click the KV plot to jump to a step. The plot "
                               "tabs can be undocked onto a second screen.</p>"),
                           dialog);
    tips->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    v->addWidget(table, 1);
    v->addWidget(tips);
    v->addWidget(buttons);
    dialog->resize(520, 560);
    dialog->open();
}

// ---------------------------------------------------------------------------------------------
// Drag and drop

namespace {
QStringList local_paths(const QMimeData* mime) {
    QStringList out;
    if (!mime || !mime->hasUrls()) return out;
    for (const QUrl& u : mime->urls())
        if (u.isLocalFile()) out << u.toLocalFile();
    return out;
}
}  // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!isRunning() && files_->acceptsDrop(local_paths(event->mimeData()))) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList paths = local_paths(event->mimeData());
    if (files_->openDropped(paths)) event->acceptProposedAction();
}

// ---------------------------------------------------------------------------------------------
// Runs

void MainWindow::startRun() {
    if (isRunning()) return;
    const QString question = controls_->question();
    if (question.isEmpty()) {
        showError(tr("No problem"), tr("Type a problem or choose one from the examples first."));
        return;
    }
    PaneRequest req[2];
    for (int pane = 0; pane < 2; ++pane) {
        const QString dir = controls_->modelPath(pane);
        if (dir.isEmpty()) {
            if (pane == 0) {
                showError(tr("Model missing"), tr("The left pane has no model: choose one in the left model list (Browse… adds a folder)."));
                return;
            }
            continue;
        }
        // Checked in full when it was chosen; here only that it is still there (no load on the GUI
        // thread at Run: the worker loads it).
        const ModelInfo& info = controls_->model(pane);
        QString why;
        if (!QFileInfo::exists(dir)) why = tr("%1 does not exist any more.").arg(dir);
        else ModelList::supports(info, controls_->method(pane), &why);
        if (!why.isEmpty()) {
            showError(tr("Model missing"), why);
            return;
        }
        req[pane] = {true, dir, controls_->paramsFor(pane)};
    }
    runs_->start(req, question, controls_->expected(), controls_->backend(), settings_->threads());
    playback_->restart();
    tps_tokens_ = 0;
    tps_ = 0;
    tps_clock_.restart();
    updateControls();
    updateStatus();
    updateTitle();
}

void MainWindow::stopRun() {
    if (!isRunning()) {
        setPlaying(false);
        return;
    }
    runs_->stop();
    updateControls();
}

void MainWindow::onRunFinished(const QString& title, const QString& text) {
    if (!title.isEmpty()) showError(title, text);
    views_->invalidateHeatmaps();
    dirty_ = true;
    updateControls();
    updateTitle();
    emit runFinished();
}

void MainWindow::attachRuns() {
    for (int i = 0; i < 2; ++i) panes_[i]->setRun(&runs_->run(i));
    const bool right = !runs_->run(1).empty() || runs_->isRunning(1);
    views_->setRuns(&runs_->run(0), right ? &runs_->run(1) : nullptr);
    dirty_ = true;
}

bool MainWindow::isRunning() const { return runs_ && runs_->isRunning(); }
const ui::RunModel& MainWindow::run(int pane) const { return runs_->run(pane); }
EngineWorker* MainWindow::worker(int pane) const { return runs_->worker(pane); }

// ---------------------------------------------------------------------------------------------
// Playhead and frames

int MainWindow::step() const { return playback_->step(); }
int MainWindow::lastStep() const { return playback_->lastStep(); }
void MainWindow::setPlaying(bool playing) { playback_->setPlaying(playing); }
bool MainWindow::isPlaying() const { return playback_->isPlaying(); }
void MainWindow::setStep(int step) { playback_->setStep(step); }

void MainWindow::onFrame() {
    if (playback_->advance()) dirty_ = true;
    tps_tokens_ += runs_->takeTokenCount();
    if (tps_clock_.elapsed() >= 500) {
        tps_ = tps_tokens_ * 1000.0 / tps_clock_.restart();
        tps_tokens_ = 0;
        updateStatus();
    } else if (isRunning() && tps_ == 0 && tps_clock_.elapsed() > 100) {
        tps_ = tps_tokens_ * 1000.0 / tps_clock_.elapsed();
    }
    if (dirty_) refreshViews();
}

QString MainWindow::paneState(int i) const {
    const auto& r = runs_->run(i);
    if (runs_->isRunning(i)) return runs_->isStopping() ? tr("stopping…") : tr("running");
    if (!runs_->error(i).isEmpty()) return tr("failed");
    if (r.end() && !r.at_end() && !isRunning()) return tr("replay");
    if (!r.end()) return QString();
    const std::string& why = r.end()->metrics.stop_reason;
    return why == "cancelled" ? tr("stopped") : why == "max_tokens" ? tr("token limit") : tr("finished");
}

void MainWindow::refreshViews(bool force) {
    static const bool timing = qEnvironmentVariableIsSet("GISTSCOPE_FRAME_TIMING");
    QElapsedTimer t;
    t.start();
    dirty_ = false;
    runs_->setDisplayStep(playback_->step());
    for (int i = 0; i < 2; ++i) {
        panes_[i]->refresh(paneState(i));
        panes_[i]->stream()->refresh();
    }
    const double panes_ms = t.nsecsElapsed() / 1e6;
    if (views_->refresh(force, isRunning())) dirty_ = true;  // a view that skipped this frame gets the next one
    playback_->updateBar();
    updateStatus();
    if (timing && t.nsecsElapsed() > 10000000)
        std::fprintf(stderr, "frame %.1f ms: panes %.1f, views %.1f\n", t.nsecsElapsed() / 1e6, panes_ms, t.nsecsElapsed() / 1e6 - panes_ms);
}

// ---------------------------------------------------------------------------------------------
// Status, controls, title

void MainWindow::updateControls() { controls_->setRunState(isRunning(), runs_->isStopping(), playback_->isPlaying()); }

void MainWindow::updateStatus() {
    QString device;
    for (int i = 0; i < 2; ++i) {
        if (!runs_->hasStarted(i)) continue;
        const auto& s = runs_->startInfo(i);
        QString d = QStringLiteral("%1 · %2").arg(s.backend.toUpper(), s.device);
        if (!s.note.isEmpty()) d += QStringLiteral(" — %1").arg(s.note);
        if (!device.contains(d)) device += (device.isEmpty() ? QString() : QStringLiteral("  |  ")) + d;
    }
    if (device.isEmpty()) {
        const std::string& recorded = !run(0).empty() ? run(0).header().backend : run(1).header().backend;
        if (!recorded.empty())
            device = tr("Replay, recorded on %1").arg(QString::fromStdString(recorded));
        else
            device = tr("Backend: %1 (chosen when a run starts)").arg(controls_->backendBox()->currentText());
        if (!controls_->cudaUnavailableReason().isEmpty()) device += tr(" — CUDA: %1").arg(controls_->cudaUnavailableReason());
    }
    status_device_->setText(device);
    status_device_->setToolTip(tr("Device and backend of the runs, and why the CPU is used when it is."));
    status_speed_->setText(isRunning() ? tr("%1 tok/s").arg(tps_, 0, 'f', 0)
                           : run(0).end() ? tr("%1 tok/s").arg(run(0).end()->metrics.tokens_per_second, 0, 'f', 0)
                                          : QStringLiteral("– tok/s"));
    QStringList cache;
    for (int i = 0; i < 2; ++i) {
        if (run(i).empty()) continue;
        const int used = run(i).cache_tokens_at(run(i).current_step());
        const int cap = runs_->hasStarted(i) ? runs_->startInfo(i).capacity : 0;
        const double mib = used * double(run(i).kv_bytes_per_token()) / 1048576.0;
        QString c = cap > 0 ? tr("%1 / %2").arg(used).arg(cap) : QString::number(used);
        cache << QStringLiteral("%1 %2 (%3 MiB)")
                     .arg(QString::fromStdString(ui::RunModel::method_display_name(run(i).header().method)), c)
                     .arg(mib, 0, 'f', 2);
    }
    status_cache_->setText(cache.isEmpty() ? tr("cache –") : tr("cache %1").arg(cache.join(QStringLiteral(" · "))));
    // Progress of the left run toward its token limit, while it runs.
    if (isRunning() && !run(0).empty()) {
        const int max_tokens = controls_->maxTokensBox()->value();
        const int generated = run(0).metrics_at(run(0).last_step()).generated_tokens;
        status_progress_->setRange(0, max_tokens);
        status_progress_->setValue(std::min(generated, max_tokens));
        status_progress_->setFormat(tr("%1 / %2 tokens").arg(generated).arg(max_tokens));
    } else if (status_progress_->value() != 0 || status_progress_->maximum() != 1) {
        status_progress_->setRange(0, 1);
        status_progress_->setValue(0);
        status_progress_->setFormat(tr("not running"));
    }
}

void MainWindow::updateTitle() {
    QStringList names;
    for (int i = 0; i < 2; ++i) {
        const QString f = runs_->traceFile(i);
        if (f.isEmpty()) continue;
        // Recorded runs live in a temporary folder: name them by what they are.
        if (f.startsWith(QDir::tempPath()) && f.contains(QLatin1String("/gistscope-")))
            names << QStringLiteral("%1 (%2)").arg(QString::fromStdString(run(i).header().model),
                                                   QString::fromStdString(ui::RunModel::method_display_name(run(i).header().method)));
        else
            names << QFileInfo(f).fileName();
    }
    setWindowTitle(names.isEmpty() ? tr("GistScope") : tr("%1 — GistScope").arg(names.join(QStringLiteral(" vs "))));
}

void MainWindow::showError(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showWarning(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Information, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("warningDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// ---------------------------------------------------------------------------------------------
// Facade for main.cpp, the tests and the benchmark

bool MainWindow::openTraces(const QStringList& paths) { return files_->openTraces(paths); }
bool MainWindow::exportView(ViewId view, const QString& path) { return files_->exportView(view, path); }
bool MainWindow::saveTraces(const QString& base, bool overwrite) { return files_->saveTraces(base, overwrite); }
void MainWindow::showView(ViewId view) { views_->show(view); }
QSlider* MainWindow::stepSlider() const { return playback_->slider(); }
QPlainTextEdit* MainWindow::problemEditor() const { return controls_->problemEditor(); }
QComboBox* MainWindow::modelBox(int pane) const { return controls_->modelBox(pane); }
QComboBox* MainWindow::methodBox(int pane) const { return controls_->methodBox(pane); }
QSpinBox* MainWindow::maxTokensBox() const { return controls_->maxTokensBox(); }
QPushButton* MainWindow::runButton() const { return controls_->runButton(); }
QPushButton* MainWindow::stopButton() const { return controls_->stopButton(); }
QFrame* MainWindow::teachingBanner() const { return playback_->banner(); }
void MainWindow::setMethod(int pane, const QString& method) { controls_->setMethod(pane, method); }
void MainWindow::setProblem(const QString& question, const QString& expected) { controls_->setProblem(question, expected); }

bool MainWindow::setModelDir(int pane, const QString& dir) {
    QString error;
    if (controls_->setModel(pane, dir, &error)) return true;
    showError(tr("Not a usable model"), error);
    return false;
}

bool MainWindow::saveScreenshot(const QString& path, QString* error) {
    if (!ui::check_writable(path, error)) return false;
    refreshViews(true);
    QCoreApplication::processEvents();  // layout settles (a live run may also deliver more events)
    // The last refresh and the plots' replots happen right before the grab, with no event in between,
    // so every view shows the same step.
    refreshViews(true);
    views_->replotAll();
    const QPixmap pm = grab();
    const QString tmp = path + QStringLiteral(".part.png");
    if (!pm.save(tmp, "PNG")) {
        if (error) *error = tr("Cannot write %1.").arg(path);
        QFile::remove(tmp);
        return false;
    }
    QFile::remove(path);
    if (!QFile::rename(tmp, path)) {
        if (error) *error = tr("Cannot write %1.").arg(path);
        return false;
    }
    return true;
}

WindowSnapshot MainWindow::snapshot() const {
    WindowSnapshot s;
    s.problem = controls_->problemEditor()->toPlainText();
    s.expected = controls_->expected();
    for (int i = 0; i < 2; ++i)
        if (!runs_->traceFile(i).isEmpty() && QFileInfo::exists(runs_->traceFile(i))) s.traces << runs_->traceFile(i);
    s.step = playback_->step();
    return s;
}

void MainWindow::restore(const WindowSnapshot& s) {
    if (!s.traces.isEmpty()) {
        openTraces(s.traces);
        setStep(s.step);
    }
    controls_->setProblem(s.problem, s.expected);
}

}  // namespace gistscope::gui
