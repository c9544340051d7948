// main_window.cpp: layout, run control, playhead, teaching mode, files and status of the window.
#include "main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cstdio>

#include "gistscope/error.h"
#include "app_shell.h"
#include "run_pane.h"
#include "settings.h"
#include <qcustomplot.h>

#include "widgets/attention_heatmap.h"
#include "widgets/mask_heatmap.h"
#include "widgets/metrics_table.h"
#include "widgets/occupancy_plot.h"
#include "widgets/plot_view.h"
#include "widgets/token_stream_view.h"

namespace gistscope::gui {

namespace {
// Playback speeds in decoding steps per second; the last one means "as fast as the run".
constexpr double speed_steps[] = {1, 2, 5, 10, 25, 50, 100, 250, 0};
constexpr int speed_count = int(sizeof(speed_steps) / sizeof(speed_steps[0]));
const char* const browse_marker = "__browse__";

struct MethodInfo {
    const char* id;
    const char* tip;
};
const MethodInfo methods[] = {
    {"lightthinker", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow",
                                       "LightThinker: after each thought the model writes a few gist tokens and the thought's KV "
                                       "entries are evicted; later tokens see only the gists.")},
    {"lightthinker-token", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow",
                                             "LightThinker, token level: compress every S generated tokens instead of at "
                                             "each thought.")},
    {"anllm", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow",
                                "AnLLM: the model writes an anchor token after each sentence; the sentence is evicted and "
                                "the anchor stays.")},
    {"vanilla", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow", "Vanilla: nothing is evicted; the cache grows with every token.")},
    {"h2o", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow",
                              "H2O: a fixed cache budget; keeps the recent tokens and the heavy hitters (most attended "
                              "tokens), evicts the rest.")},
    {"sepllm", QT_TRANSLATE_NOOP("gistscope::gui::MainWindow",
                                 "SepLLM: a fixed budget of initial tokens, separator tokens (punctuation) and a recent "
                                 "window.")},
};

QJsonObject read_json(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString elide(const QString& s, int n) {
    QString t = s.simplified();
    return t.size() > n ? t.left(n - 1) + QChar(0x2026) : t;
}
}  // namespace

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
    setWindowTitle(tr("GistScope"));
    register_engine_types();
    buildUi();
    buildMenus();
    populateModels();
    loadExamples();
    attachRuns();
    for (int i = 0; i < 2; ++i) {
        workers_[i] = new EngineWorker;
        workers_[i]->moveToThread(&threads_[i]);
        connect(&threads_[i], &QThread::finished, workers_[i], &QObject::deleteLater);
        connect(workers_[i], &EngineWorker::started, this, &MainWindow::onStarted, Qt::QueuedConnection);
        connect(workers_[i], &EngineWorker::events, this, &MainWindow::onEvents, Qt::QueuedConnection);
        connect(workers_[i], &EngineWorker::finished, this, &MainWindow::onFinished, Qt::QueuedConnection);
        threads_[i].setObjectName(QStringLiteral("engine-%1").arg(i));
        threads_[i].start();
    }
    temp_ = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("gistscope-XXXXXX")));
    temp_dir_ = temp_->path();
    frame_timer_ = new QTimer(this);
    frame_timer_->setInterval(33);
    connect(frame_timer_, &QTimer::timeout, this, &MainWindow::onFrame);
    frame_timer_->start();
    frame_clock_.start();
    metrics_clock_.start();
    tps_clock_.start();
    resize(1560, 980);
    if (!settings_->windowGeometry().isEmpty()) restoreGeometry(settings_->windowGeometry());
    updateControls();
    updateStatus();
}

MainWindow::~MainWindow() {
    for (auto* w : workers_)
        if (w) w->requestStop();
    for (auto& t : threads_) {
        t.quit();
        t.wait();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState());
    for (auto* w : workers_) w->requestStop();
    QMainWindow::closeEvent(event);
}

// ---------------------------------------------------------------------------------------------
// Layout

void MainWindow::buildUi() {
    auto* central = new QWidget(this);
    auto* v = new QVBoxLayout(central);
    v->setContentsMargins(8, 6, 8, 4);
    v->setSpacing(6);
    v->addWidget(buildControls());

    teach_banner_ = new QFrame(central);
    teach_banner_->setObjectName(QStringLiteral("teachingBanner"));
    teach_banner_->setFrameShape(QFrame::StyledPanel);
    {
        const auto pal = ui::RolePalette::for_palette(palette());
        QColor bg = pal.fill(ui::ViewRole::gist);
        bg.setAlpha(40);
        teach_banner_->setStyleSheet(QStringLiteral("#teachingBanner{background:rgba(%1,%2,%3,%4);border:1px solid %5;border-radius:6px;}")
                                         .arg(bg.red()).arg(bg.green()).arg(bg.blue()).arg(bg.alpha())
                                         .arg(pal.fill(ui::ViewRole::gist).name()));
    }
    auto* tb = new QHBoxLayout(teach_banner_);
    tb->setContentsMargins(10, 6, 10, 6);
    teach_text_ = new QLabel(teach_banner_);
    teach_text_->setWordWrap(true);
    teach_text_->setTextFormat(Qt::RichText);
    teach_continue_ = new QPushButton(tr("Continue"), teach_banner_);
    teach_continue_->setToolTip(tr("Resume the playback until the next compression."));
    connect(teach_continue_, &QPushButton::clicked, this, &MainWindow::continueTeaching);
    tb->addWidget(teach_text_, 1);
    tb->addWidget(teach_continue_);
    teach_banner_->hide();
    v->addWidget(teach_banner_);

    v->addWidget(buildStepBar());

    auto* split = new QSplitter(Qt::Horizontal, central);
    split->setChildrenCollapsible(false);
    for (int i = 0; i < 2; ++i) {
        panes_[i] = new RunPane(i, split);
        split->addWidget(panes_[i]);
        // The panes scroll together by decoding step.
        connect(panes_[i]->stream(), &ui::TokenStreamView::userScrolled, this, [this, i] {
            const int step = panes_[i]->stream()->topStep();
            if (step > 0) panes_[1 - i]->stream()->scrollToStep(step);
        });
        connect(panes_[i]->stream(), &ui::TokenStreamView::tokenHovered, this, [this](int step, int32_t) {
            occupancy_->setHoverStep(step);
        });
        connect(panes_[i]->stream(), &ui::TokenStreamView::tokenClicked, this, [this, i](int32_t position) {
            const int ti = runs_[i].token_at_position(position);
            if (ti >= 0) statusBar()->showMessage(tr("Selected position %1 (step %2) in the %3 pane")
                                                      .arg(position)
                                                      .arg(runs_[i].tokens()[size_t(ti)].step)
                                                      .arg(i == 0 ? tr("left") : tr("right")), 4000);
        });
    }
    v->addWidget(split, 1);
    setCentralWidget(central);
    buildDocks();

    status_device_ = new ui::TextStrip(this, 300);
    status_device_->setObjectName(QStringLiteral("statusDevice"));
    status_speed_ = new ui::TextStrip(this, 90);
    status_speed_->setAlignment(Qt::AlignRight);
    status_cache_ = new ui::TextStrip(this, 560);
    status_cache_->setAlignment(Qt::AlignRight);
    status_step_ = new ui::TextStrip(this, 130);
    status_step_->setAlignment(Qt::AlignRight);
    statusBar()->addWidget(status_device_, 1);
    statusBar()->addPermanentWidget(status_speed_);
    statusBar()->addPermanentWidget(status_cache_);
    statusBar()->addPermanentWidget(status_step_);
}

QWidget* MainWindow::buildControls() {
    auto* box = new QFrame(this);
    box->setObjectName(QStringLiteral("controls"));
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(5);

    // Row 0: the problem.
    auto* problem_label = new QLabel(tr("&Problem:"), box);
    problem_ = new QPlainTextEdit(box);
    problem_->setObjectName(QStringLiteral("problemEditor"));
    problem_->setPlaceholderText(tr("Type a problem, or pick one from the examples."));
    problem_->setToolTip(tr("The question given to both models. The model's chat template and system prompt are added."));
    problem_->setFixedHeight(problem_->fontMetrics().lineSpacing() * 3 + 14);
    problem_label->setBuddy(problem_);
    examples_ = new QComboBox(box);
    examples_->setObjectName(QStringLiteral("examples"));
    examples_->setToolTip(tr("Bundled example problems (resources/datasets/demo-test.jsonl) with their answers."));
    examples_->setMinimumWidth(260);
    examples_->setMaximumWidth(360);
    expected_ = new QLineEdit(box);
    expected_->setObjectName(QStringLiteral("expectedAnswer"));
    expected_->setPlaceholderText(tr("expected answer"));
    expected_->setToolTip(tr("When known, the answers are marked correct or wrong and the accuracy is shown."));
    expected_->setMaximumWidth(360);
    auto* side = new QVBoxLayout;
    side->addWidget(examples_);
    side->addWidget(expected_);
    side->addStretch(1);
    grid->addWidget(problem_label, 0, 0, Qt::AlignTop);
    grid->addWidget(problem_, 0, 1, 1, 5);
    grid->addLayout(side, 0, 6);
    connect(examples_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i <= 0) return;
        problem_->setPlainText(examples_->itemData(i).toString());
        expected_->setText(examples_->itemData(i, Qt::UserRole + 1).toString());
    });

    // Rows 1-2: the two panes' model, method and parameters.
    for (int pane = 0; pane < 2; ++pane) {
        auto* label = new QLabel(pane == 0 ? tr("Left:") : tr("Right:"), box);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        model_box_[pane] = new QComboBox(box);
        model_box_[pane]->setObjectName(pane == 0 ? QStringLiteral("leftModel") : QStringLiteral("rightModel"));
        model_box_[pane]->setToolTip(pane == 0 ? tr("Model of the left pane: a folder with config.json, safetensors, "
                                                    "tokenizer and gistscope.json.")
                                               : tr("Model of the right (comparison) pane; \"none\" runs the left pane only."));
        model_box_[pane]->setMinimumWidth(190);
        method_box_[pane] = new QComboBox(box);
        method_box_[pane]->setObjectName(pane == 0 ? QStringLiteral("leftMethod") : QStringLiteral("rightMethod"));
        method_box_[pane]->setToolTip(tr("How the KV cache is managed during decoding."));
        for (const auto& m : methods) {
            method_box_[pane]->addItem(QString::fromStdString(ui::RunModel::method_display_name(m.id)), QString::fromLatin1(m.id));
            method_box_[pane]->setItemData(method_box_[pane]->count() - 1, tr(m.tip), Qt::ToolTipRole);
        }
        auto* params = new QWidget(box);
        auto* pl = new QHBoxLayout(params);
        pl->setContentsMargins(0, 0, 0, 0);
        pl->setSpacing(4);
        auto spin = [&](QSpinBox*& s, int lo, int hi, int value, const QString& text, const QString& tip, int idx) {
            auto* l = new QLabel(text, params);
            s = new QSpinBox(params);
            s->setRange(lo, hi);
            s->setValue(value);
            s->setToolTip(tip);
            l->setToolTip(tip);
            l->setBuddy(s);
            param_labels_[pane][idx] = l;
            pl->addWidget(l);
            pl->addWidget(s);
        };
        spin(token_step_[pane], 1, 4096, 6, tr("every"), tr("Token-level LightThinker: compress every S generated tokens."), 0);
        spin(cache_size_[pane], 8, 1 << 20, 256, tr("budget"), tr("Cache budget in tokens (H2O, SepLLM): older tokens are evicted beyond it."), 1);
        spin(h2o_recent_[pane], -1, 1 << 20, -1, tr("recent"), tr("H2O: tokens of the recent window kept; -1 uses half the budget, as the paper ran it."), 2);
        spin(sep_init_[pane], 0, 1 << 20, 32, tr("initial"), tr("SepLLM: initial tokens always kept (attention sinks)."), 3);
        spin(sep_separators_[pane], 0, 1 << 20, 64, tr("separators"), tr("SepLLM: separator tokens (punctuation, line breaks) kept at most."), 4);
        spin(sep_local_[pane], 1, 1 << 20, 128, tr("local"), tr("SepLLM: recent window in tokens."), 5);
        pl->addStretch(1);
        param_rows_[pane] = params;
        const int row = 1 + pane;
        grid->addWidget(label, row, 0);
        grid->addWidget(model_box_[pane], row, 1);
        grid->addWidget(method_box_[pane], row, 2);
        grid->addWidget(params, row, 3, 1, 4);
        connect(method_box_[pane], qOverload<int>(&QComboBox::currentIndexChanged), this, [this, pane](int) {
            updateMethodParams(pane);
            settings_->setMethod(pane, methodOf(pane));
        });
        connect(model_box_[pane], qOverload<int>(&QComboBox::activated), this, [this, pane](int i) {
            if (model_box_[pane]->itemData(i).toString() == QLatin1String(browse_marker)) {
                const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"), settings_->lastDir(QStringLiteral("model")));
                if (dir.isEmpty()) {
                    model_box_[pane]->setCurrentIndex(0);
                    return;
                }
                settings_->setLastDir(QStringLiteral("model"), dir);
                setModelDir(pane, dir);
                return;
            }
            setModelDir(pane, model_box_[pane]->itemData(i).toString());
        });
    }

    // Row 3: run settings and control.
    auto* run_row = new QHBoxLayout;
    run_row->setSpacing(6);
    auto* mt_label = new QLabel(tr("Max tokens"), box);
    max_tokens_ = new QSpinBox(box);
    max_tokens_->setObjectName(QStringLiteral("maxTokens"));
    max_tokens_->setRange(1, 1 << 20);
    max_tokens_->setValue(settings_->maxTokens());
    max_tokens_->setToolTip(tr("Largest number of tokens the model may choose per run (forced gist tokens do not count)."));
    mt_label->setBuddy(max_tokens_);
    connect(max_tokens_, qOverload<int>(&QSpinBox::valueChanged), settings_, &Settings::setMaxTokens);
    auto* be_label = new QLabel(tr("Backend"), box);
    backend_box_ = new QComboBox(box);
    backend_box_->setObjectName(QStringLiteral("backend"));
    backend_box_->addItem(tr("Auto"), QStringLiteral("auto"));
    backend_box_->addItem(tr("CPU"), QStringLiteral("cpu"));
    backend_box_->addItem(tr("CUDA"), QStringLiteral("cuda"));
    backend_box_->setToolTip(tr("Auto uses CUDA when a usable GPU is found and falls back to the CPU otherwise; the "
                                "status bar says which one runs and why."));
    backend_box_->setCurrentIndex(std::max(0, backend_box_->findData(settings_->backend())));
    be_label->setBuddy(backend_box_);
    connect(backend_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) { settings_->setBackend(backend_box_->itemData(i).toString()); });
    auto* at_label = new QLabel(tr("Attention probe"), box);
    attention_box_ = new QComboBox(box);
    attention_box_->setObjectName(QStringLiteral("attentionProbe"));
    attention_box_->setToolTip(tr("Record the attention weights of each step's last query row for the Attention weights "
                                  "view: off, the average over layers, or one layer. Costs some speed."));
    at_label->setBuddy(attention_box_);
    attention_box_->addItem(tr("Off"), QStringLiteral("off"));
    attention_box_->addItem(tr("Average of layers"), QStringLiteral("avg"));
    attention_box_->setCurrentIndex(std::max(0, attention_box_->findData(settings_->attentionProbe())));
    connect(attention_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) { settings_->setAttentionProbe(attention_box_->itemData(i).toString()); });
    run_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run"), box);
    run_button_->setObjectName(QStringLiteral("runButton"));
    run_button_->setToolTip(tr("Run both panes on the problem (Ctrl+R)."));
    run_button_->setDefault(true);
    stop_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"), box);
    stop_button_->setObjectName(QStringLiteral("stopButton"));
    stop_button_->setToolTip(tr("Stop both runs after their current step (Esc). What was generated stays."));
    connect(run_button_, &QPushButton::clicked, this, &MainWindow::startRun);
    connect(stop_button_, &QPushButton::clicked, this, &MainWindow::stopRun);
    teaching_box_ = new QCheckBox(tr("Teaching mode"), box);
    teaching_box_->setObjectName(QStringLiteral("teachingMode"));
    teaching_box_->setToolTip(tr("Pause at each compression and explain what was kept and what was evicted."));
    teaching_box_->setChecked(settings_->teachingMode());
    connect(teaching_box_, &QCheckBox::toggled, settings_, &Settings::setTeachingMode);
    auto* sp_label = new QLabel(tr("Speed"), box);
    speed_ = new QSlider(Qt::Horizontal, box);
    speed_->setObjectName(QStringLiteral("speed"));
    speed_->setRange(0, speed_count - 1);
    speed_->setValue(std::clamp(settings_->speed(), 0, speed_count - 1));
    speed_->setFixedWidth(120);
    speed_->setToolTip(tr("Playback speed in decoding steps per second; the rightmost follows the run as fast as it "
                          "goes."));
    sp_label->setBuddy(speed_);
    speed_label_ = new ui::TextStrip(box, 90);
    auto update_speed = [this](int v) {
        speed_label_->setText(speed_steps[v] > 0 ? tr("%1 steps/s").arg(speed_steps[v]) : tr("max"));
        settings_->setSpeed(v);
    };
    connect(speed_, &QSlider::valueChanged, this, update_speed);
    update_speed(speed_->value());
    run_row->addWidget(mt_label);
    run_row->addWidget(max_tokens_);
    run_row->addSpacing(8);
    run_row->addWidget(be_label);
    run_row->addWidget(backend_box_);
    run_row->addSpacing(8);
    run_row->addWidget(at_label);
    run_row->addWidget(attention_box_);
    run_row->addStretch(1);
    run_row->addWidget(teaching_box_);
    run_row->addSpacing(8);
    run_row->addWidget(sp_label);
    run_row->addWidget(speed_);
    run_row->addWidget(speed_label_);
    run_row->addSpacing(12);
    run_row->addWidget(run_button_);
    run_row->addWidget(stop_button_);
    grid->addLayout(run_row, 3, 0, 1, 7);
    grid->setColumnStretch(3, 1);
    return box;
}

QWidget* MainWindow::buildStepBar() {
    step_bar_ = new QWidget(this);
    step_bar_->setObjectName(QStringLiteral("stepBar"));
    auto* h = new QHBoxLayout(step_bar_);
    h->setContentsMargins(0, 0, 0, 0);
    play_button_ = new QToolButton(step_bar_);
    play_button_->setObjectName(QStringLiteral("playButton"));
    play_button_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    play_button_->setToolTip(tr("Play or pause the replay (Space)."));
    connect(play_button_, &QToolButton::clicked, this, [this] {
        if (!playing_ && display_step_ >= lastStep()) setStep(0);
        setPlaying(!playing_);
    });
    auto* label = new QLabel(tr("Step"), step_bar_);
    slider_ = new QSlider(Qt::Horizontal, step_bar_);
    slider_->setObjectName(QStringLiteral("stepSlider"));
    slider_->setToolTip(tr("The decoding step every view shows. Drag to replay the run."));
    slider_->setRange(0, 0);
    label->setBuddy(slider_);
    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        if (v != display_step_) setStep(v);
    });
    step_label_ = new ui::TextStrip(step_bar_, 130);
    step_label_->setAlignment(Qt::AlignRight);
    h->addWidget(play_button_);
    h->addWidget(label);
    h->addWidget(slider_, 1);
    h->addWidget(step_label_);
    return step_bar_;
}

void MainWindow::buildDocks() {
    occupancy_ = new ui::OccupancyPlot(this);
    occupancy_->setObjectName(QStringLiteral("occupancyPlot"));
    mask_ = new ui::MaskHeatmap(this);
    mask_->setObjectName(QStringLiteral("maskHeatmap"));
    attention_ = new ui::AttentionHeatmap(this);
    attention_->setObjectName(QStringLiteral("attentionHeatmap"));
    metrics_ = new ui::MetricsTable(this);
    metrics_->setObjectName(QStringLiteral("metricsTable"));
    const QString titles[4] = {tr("KV cache"), tr("Attention mask"), tr("Attention weights"), tr("Metrics")};
    QWidget* widgets[4] = {occupancy_, mask_, attention_, metrics_};
    const char* names[4] = {"occupancyDock", "maskDock", "attentionDock", "metricsDock"};
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    for (int i = 0; i < 4; ++i) {
        docks_[i] = new QDockWidget(titles[i], this);
        docks_[i]->setObjectName(QString::fromLatin1(names[i]));
        docks_[i]->setWidget(widgets[i]);
        docks_[i]->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        addDockWidget(Qt::BottomDockWidgetArea, docks_[i]);
        if (i > 0) tabifyDockWidget(docks_[0], docks_[i]);
        connect(docks_[i], &QDockWidget::visibilityChanged, this, [this](bool visible) {
            if (visible) {
                dirty_ = true;
                mask_->invalidate();
                attention_->invalidate();
            }
        });
    }
    docks_[0]->raise();
    resizeDocks({docks_[0]}, {400}, Qt::Vertical);
    connect(mask_, &ui::HeatmapView::cellClicked, this, [this](int pane, int32_t position, int) {
        panes_[pane]->stream()->selectPosition(position);
    });
    connect(attention_, &ui::HeatmapView::cellClicked, this, [this](int pane, int32_t position, int) {
        panes_[pane]->stream()->selectPosition(position);
    });
    connect(occupancy_, &ui::OccupancyPlot::stepClicked, this, [this](int step) {
        if (!isRunning() && step >= 0 && step <= lastStep()) setStep(step);
    });
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open traces…"), this, &MainWindow::openWithDialog);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open one or two recorded runs (JSON Lines traces) to replay them without a model."));
    auto* save = file->addAction(tr("&Save traces…"), this, &MainWindow::saveWithDialog);
    save->setShortcut(QKeySequence::Save);
    auto* exp = file->addMenu(tr("&Export"));
    exp->addAction(tr("KV cache plot…"), this, [this] { exportWithDialog(ViewId::occupancy); });
    exp->addAction(tr("Attention mask…"), this, [this] { exportWithDialog(ViewId::mask); });
    exp->addAction(tr("Attention weights…"), this, [this] { exportWithDialog(ViewId::attention); });
    exp->addAction(tr("Metrics table (CSV)…"), this, [this] { exportWithDialog(ViewId::metrics); });
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* run_action = run->addAction(tr("&Run"), this, &MainWindow::startRun);
    run_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    auto* stop_action = run->addAction(tr("&Stop"), this, &MainWindow::stopRun);
    stop_action->setShortcut(QKeySequence(Qt::Key_Escape));
    auto* play_action = run->addAction(tr("&Play / pause"), this, [this] { play_button_->click(); });
    play_action->setShortcut(QKeySequence(Qt::Key_Space));
    run->addSeparator();
    auto* teach = run->addAction(tr("&Teaching mode"));
    teach->setCheckable(true);
    teach->setChecked(teaching_box_->isChecked());
    connect(teach, &QAction::toggled, teaching_box_, &QCheckBox::setChecked);
    connect(teaching_box_, &QCheckBox::toggled, teach, &QAction::setChecked);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* evicted = view->addAction(tr("Show &evicted text"));
    evicted->setCheckable(true);
    evicted->setChecked(settings_->showEvicted());
    evicted->setToolTip(tr("Show the greyed text of compressed thoughts, or only their gist chips."));
    auto apply_evicted = [this](bool on) {
        settings_->setShowEvicted(on);
        for (auto* p : panes_) p->stream()->setShowEvicted(on);
    };
    connect(evicted, &QAction::toggled, this, apply_evicted);
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
    for (auto* d : docks_) view->addAction(d->toggleViewAction());

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
    help->addAction(tr("&About GistScope"), this, [this] {
        QMessageBox::about(this, tr("About GistScope"),
                           tr("<b>GistScope</b> %1<br>Watch a LightThinker model compress its thoughts into gist "
                              "tokens, next to a vanilla or KV-eviction baseline.<br><br>Plots: QCustomPlot (GPL-3.0).")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::loadExamples() {
    examples_->clear();
    examples_->addItem(tr("Examples…"));
    QFile f(resourcesDir() + QStringLiteral("/datasets/demo-test.jsonl"));
    if (!f.open(QIODevice::ReadOnly)) {
        examples_->setItemText(0, tr("No examples found"));
        return;
    }
    int n = 0;
    while (!f.atEnd() && n < 40) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        const QString q = o.value(QStringLiteral("question")).toString();
        if (q.isEmpty()) continue;
        ++n;
        examples_->addItem(QStringLiteral("%1. %2").arg(n).arg(elide(q, 60)), q);
        examples_->setItemData(examples_->count() - 1, o.value(QStringLiteral("answer")).toVariant().toString(), Qt::UserRole + 1);
        examples_->setItemData(examples_->count() - 1, q, Qt::ToolTipRole);
    }
    if (problem_->toPlainText().isEmpty() && examples_->count() > 1) {
        problem_->setPlainText(examples_->itemData(1).toString());
        expected_->setText(examples_->itemData(1, Qt::UserRole + 1).toString());
    }
}

void MainWindow::populateModels() {
    const QDir models(resourcesDir() + QStringLiteral("/models"));
    QStringList dirs;
    for (const QFileInfo& fi : models.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFileInfo(fi.filePath() + QStringLiteral("/config.json")).exists()) dirs << fi.absoluteFilePath();
    for (int pane = 0; pane < 2; ++pane) {
        auto* box = model_box_[pane];
        box->clear();
        for (const QString& d : dirs) box->addItem(QFileInfo(d).fileName(), d);
        if (pane == 1) box->addItem(tr("none (left pane only)"), QString());
        box->addItem(tr("Browse…"), QString::fromLatin1(browse_marker));
        QString want = settings_->model(pane);
        if (want.isEmpty() || (!QFileInfo(want).isDir() && !(pane == 1 && want == QLatin1String("-")))) {
            const QString preferred = pane == 0 ? QStringLiteral("demo-lightthinker") : QStringLiteral("demo-vanilla");
            want.clear();
            for (const QString& d : dirs)
                if (QFileInfo(d).fileName() == preferred) want = d;
            if (want.isEmpty() && !dirs.isEmpty()) want = dirs.front();
        }
        if (!want.isEmpty() && want != QLatin1String("-")) setModelDir(pane, want);
        else if (pane == 1 && want == QLatin1String("-")) box->setCurrentIndex(box->findData(QString()));
        const QString method = settings_->method(pane);
        if (!method.isEmpty()) setMethod(pane, method);
        else setMethod(pane, pane == 0 ? QStringLiteral("lightthinker") : QStringLiteral("vanilla"));
        updateMethodParams(pane);
    }
}

void MainWindow::setModelDir(int pane, const QString& dir) {
    auto* box = model_box_[pane];
    if (dir.isEmpty()) {
        box->setCurrentIndex(box->findData(QString()));
        settings_->setModel(pane, QStringLiteral("-"));
        return;
    }
    int i = box->findData(dir);
    if (i < 0) {
        box->insertItem(0, QFileInfo(dir).fileName(), dir);
        i = 0;
    }
    box->setCurrentIndex(i);
    box->setItemData(i, dir, Qt::ToolTipRole);
    settings_->setModel(pane, dir);
    // The model's own method (gistscope.json) preselects the method of the left pane.
    const QJsonObject cfg = read_json(dir + QStringLiteral("/gistscope.json"));
    const QString m = cfg.value(QStringLiteral("method")).toString();
    if (pane == 0 && !m.isEmpty() && m != QLatin1String("vanilla")) setMethod(pane, m);
    if (pane == 0) {
        // Layers for the attention probe.
        const int layers = read_json(dir + QStringLiteral("/config.json")).value(QStringLiteral("num_hidden_layers")).toInt(4);
        const QString keep = attention_box_->count() ? attention_box_->currentData().toString() : settings_->attentionProbe();
        attention_box_->clear();
        attention_box_->addItem(tr("Off"), QStringLiteral("off"));
        attention_box_->addItem(tr("Average of layers"), QStringLiteral("avg"));
        for (int l = 0; l < layers; ++l) attention_box_->addItem(tr("Layer %1").arg(l), QString::number(l));
        attention_box_->setCurrentIndex(std::max(0, attention_box_->findData(keep)));
    }
}

void MainWindow::setMethod(int pane, const QString& method) {
    const int i = method_box_[pane]->findData(method);
    if (i >= 0) method_box_[pane]->setCurrentIndex(i);
}

void MainWindow::setProblem(const QString& question, const QString& expected) {
    problem_->setPlainText(question);
    expected_->setText(expected);
}

QString MainWindow::methodOf(int pane) const { return method_box_[pane]->currentData().toString(); }

void MainWindow::updateMethodParams(int pane) {
    const QString m = methodOf(pane);
    const bool show[6] = {m == QLatin1String("lightthinker-token"), m == QLatin1String("h2o") || m == QLatin1String("sepllm"),
                          m == QLatin1String("h2o"), m == QLatin1String("sepllm"), m == QLatin1String("sepllm"),
                          m == QLatin1String("sepllm")};
    QSpinBox* spins[6] = {token_step_[pane], cache_size_[pane], h2o_recent_[pane], sep_init_[pane], sep_separators_[pane], sep_local_[pane]};
    for (int i = 0; i < 6; ++i) {
        spins[i]->setVisible(show[i]);
        param_labels_[pane][i]->setVisible(show[i]);
    }
}

SessionParams MainWindow::paramsFor(int pane) const {
    SessionParams p;
    p.policy.method = methodOf(pane).toStdString();
    p.max_new_tokens = max_tokens_->value();
    p.policy.token_step = token_step_[pane]->value();
    p.policy.cache_size = cache_size_[pane]->value();
    p.policy.h2o_recent = h2o_recent_[pane]->value();
    p.policy.sepllm_init = sep_init_[pane]->value();
    p.policy.sepllm_separators = sep_separators_[pane]->value();
    p.policy.sepllm_local = sep_local_[pane]->value();
    const QString probe = attention_box_->currentData().toString();
    if (probe == QLatin1String("avg")) {
        p.attention = AttentionProbeRequest::Mode::average;
    } else if (!probe.isEmpty() && probe != QLatin1String("off")) {
        p.attention = AttentionProbeRequest::Mode::layer;
        p.attention_layer = probe.toInt();
    }
    return p;
}

void MainWindow::attachRuns() {
    for (int i = 0; i < 2; ++i) panes_[i]->setRun(&runs_[i]);
    occupancy_->setRuns(&runs_[0], runs_[1].empty() && !running_[1] ? nullptr : &runs_[1]);
    mask_->setRuns(&runs_[0], runs_[1].empty() && !running_[1] ? nullptr : &runs_[1]);
    attention_->setRuns(&runs_[0], runs_[1].empty() && !running_[1] ? nullptr : &runs_[1]);
    metrics_->setRuns(&runs_[0], &runs_[1]);
    mask_->invalidate();
    attention_->invalidate();
    dirty_ = true;
}

// ---------------------------------------------------------------------------------------------
// Running

void MainWindow::startRun() {
    if (isRunning()) return;
    const QString question = problem_->toPlainText().trimmed();
    if (question.isEmpty()) {
        showError(tr("No problem"), tr("Type a problem or choose one from the examples first."));
        return;
    }
    QString dirs[2] = {model_box_[0]->currentData().toString(), model_box_[1]->currentData().toString()};
    for (int pane = 0; pane < 2; ++pane) {
        if (pane == 1 && dirs[1].isEmpty()) continue;
        if (dirs[pane].isEmpty() || dirs[pane] == QLatin1String(browse_marker) ||
            !QFileInfo(dirs[pane] + QStringLiteral("/config.json")).exists()) {
            showError(tr("Model missing"),
                      tr("The %1 pane has no usable model: %2 is not a model folder (config.json, model.safetensors, "
                         "tokenizer). Choose another model, or build the demo models with training/train_all.sh.")
                          .arg(pane == 0 ? tr("left") : tr("right"),
                               dirs[pane].isEmpty() || dirs[pane] == QLatin1String(browse_marker) ? tr("(none chosen)")
                                                                                                 : dirs[pane]));
            return;
        }
    }
    teach_banner_->hide();
    teach_paused_ = false;
    explained_.clear();
    stopping_ = false;
    QDir().mkpath(temp_dir_);
    for (int pane = 0; pane < 2; ++pane) {
        ++run_ids_[pane];
        runs_[pane] = ui::RunModel();
        have_started_[pane] = false;
        run_errors_[pane].clear();
        trace_files_[pane].clear();
        if (pane == 1 && dirs[1].isEmpty()) continue;
        RunRequest req;
        req.pane = pane;
        req.run_id = run_ids_[pane];
        req.model_dir = dirs[pane];
        req.question = question.toStdString();
        if (!expected_->text().trimmed().isEmpty()) req.expected_answer = expected_->text().trimmed().toStdString();
        req.params = paramsFor(pane);
        req.backend = backend_box_->currentData().toString();
        req.threads = settings_->threads();
        req.trace_path = QDir(temp_dir_).filePath(QStringLiteral("%1-%2-%3.trace.jsonl")
                                                      .arg(pane == 0 ? QStringLiteral("left") : QStringLiteral("right"))
                                                      .arg(run_ids_[pane])
                                                      .arg(methodOf(pane)));
        trace_files_[pane] = req.trace_path;
        running_[pane] = true;
        EngineWorker* w = workers_[pane];
        QMetaObject::invokeMethod(w, [w, req] { w->run(req); }, Qt::QueuedConnection);
    }
    display_step_ = 0;
    display_pos_ = 0;
    playing_ = true;
    tps_tokens_ = 0;
    tps_ = 0;
    tps_clock_.restart();
    attachRuns();
    updateControls();
    updateStatus();
}

void MainWindow::stopRun() {
    if (!isRunning()) {
        setPlaying(false);
        return;
    }
    stopping_ = true;
    for (int pane = 0; pane < 2; ++pane)
        if (running_[pane]) workers_[pane]->requestStop();
    updateControls();
}

void MainWindow::onStarted(const RunStarted& info) {
    if (info.run_id != run_ids_[info.pane]) return;
    started_[info.pane] = info;
    have_started_[info.pane] = true;
    runs_[info.pane] = ui::RunModel(info.header);
    runs_[info.pane].set_kv_bytes_per_token(info.kv_bytes_per_token);
    attachRuns();
    updateStatus();
}

void MainWindow::onEvents(int pane, int run_id, const EventBatch& batch) {
    if (run_id != run_ids_[pane] || !batch) return;
    for (const auto& e : *batch) {
        if (const auto* t = std::get_if<TokenEvent>(&e); t && t->role != SlotRole::prompt && !t->forced) ++tps_tokens_;
        runs_[pane].apply(e);
    }
    dirty_ = true;
}

void MainWindow::onFinished(int pane, int run_id, const QString& error, const QString& kind) {
    if (run_id != run_ids_[pane]) return;
    running_[pane] = false;
    if (!error.isEmpty()) {
        run_errors_[pane] = error;
        const QString side = pane == 0 ? tr("left") : tr("right");
        if (kind == QLatin1String("model"))
            showError(tr("Cannot load the model"),
                      tr("The model of the %1 pane could not be loaded:\n%2").arg(side, error));
        else if (kind == QLatin1String("input"))
            showError(tr("Cannot run this problem"), tr("The %1 pane cannot run this problem:\n%2").arg(side, error));
        else
            showError(tr("The run failed"), tr("The %1 pane stopped with an error:\n%2").arg(side, error));
    }
    if (!isRunning()) {
        stopping_ = false;
        mask_->invalidate();
        attention_->invalidate();
        emit runFinished();
    }
    dirty_ = true;
    updateControls();
}

// ---------------------------------------------------------------------------------------------
// Playhead

int MainWindow::lastStep() const { return std::max(runs_[0].last_step(), runs_[1].last_step()); }

double MainWindow::speedStepsPerSecond() const { return speed_steps[speed_->value()]; }

void MainWindow::setPlaying(bool playing) {
    playing_ = playing;
    display_pos_ = display_step_;
    play_button_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    frame_clock_.restart();
}

void MainWindow::setStep(int step) {
    step = std::clamp(step, 0, lastStep());
    if (playing_ && !isRunning()) setPlaying(false);
    if (isRunning() && step < lastStep()) setPlaying(false);
    display_step_ = step;
    display_pos_ = step;
    dirty_ = true;
    refreshViews(true);
}

void MainWindow::continueTeaching() {
    teach_banner_->hide();
    teach_paused_ = false;
    frame_clock_.restart();
}

void MainWindow::onFrame() {
    const double dt = std::min(0.25, frame_clock_.restart() / 1000.0);
    const int latest = lastStep();
    if (playing_ && !teach_paused_) {
        const double sps = speedStepsPerSecond();
        int next = latest;
        if (sps > 0 || teaching_box_->isChecked()) {
            display_pos_ = std::min(double(latest), display_pos_ + (sps > 0 ? sps : 400.0) * dt);
            next = int(display_pos_);
        } else {
            display_pos_ = latest;
        }
        if (teaching_box_->isChecked()) {
            // The earliest compression in (display_step_, next] not yet explained stops the playhead.
            int stop_step = -1, stop_pane = -1, stop_index = -1;
            for (int pane = 0; pane < 2; ++pane) {
                const auto& comps = runs_[pane].compressions();
                for (int i = 0; i < int(comps.size()); ++i) {
                    const int s = comps[size_t(i)].step;
                    if (s <= display_step_ || s > next || explained_.count({pane, i})) continue;
                    if (stop_step < 0 || s < stop_step) stop_step = s, stop_pane = pane, stop_index = i;
                    break;
                }
            }
            if (stop_step >= 0) {
                next = stop_step;
                display_pos_ = stop_step;
                explained_.insert({stop_pane, stop_index});
                const auto& run = runs_[stop_pane];
                const auto& c = run.compressions()[size_t(stop_index)];
                int32_t lo = 0, hi = 0;
                if (!c.thought_positions.empty())
                    lo = *std::min_element(c.thought_positions.begin(), c.thought_positions.end()),
                    hi = *std::max_element(c.thought_positions.begin(), c.thought_positions.end());
                int gists = 0, conts = 0;
                for (int32_t p : c.gist_positions) {
                    const int ti = run.token_at_position(p);
                    if (ti >= 0 && run.tokens()[size_t(ti)].view_role == ui::ViewRole::continue_) ++conts;
                    else ++gists;
                }
                teach_text_->setText(
                    tr("<b>Step %1 — %2 compressed thought %3.</b> The thought's %4 tokens (positions %5–%6, its "
                       "splitter included) were written into %7 gist token(s)%8, then evicted from the KV cache. "
                       "Kept: the prompt (%9 tokens), the gists of earlier thoughts and the new gists. The cache went "
                       "from %10 to %11 tokens; the next token sees only what was kept.")
                        .arg(stop_step)
                        .arg(QString::fromStdString(ui::RunModel::method_display_name(run.header().method)))
                        .arg(c.thought + 1)
                        .arg(c.thought_positions.size())
                        .arg(lo)
                        .arg(hi)
                        .arg(gists)
                        .arg(conts > 0 ? tr(" and the continue token [o]") : QString())
                        .arg(run.prompt_tokens())
                        .arg(c.cache_before)
                        .arg(c.cache_after));
                teach_banner_->show();
                teach_paused_ = true;
                panes_[stop_pane]->stream()->selectPosition(c.gist_positions.empty() ? lo : c.gist_positions.front());
            }
        }
        if (next != display_step_) {
            display_step_ = next;
            dirty_ = true;
        }
        if (!isRunning() && display_step_ >= latest && !teach_paused_) setPlaying(false);
    }
    if (tps_clock_.elapsed() >= 500) {
        tps_ = tps_tokens_ * 1000.0 / tps_clock_.restart();
        tps_tokens_ = 0;
        updateStatus();
    } else if (isRunning() && tps_ == 0 && tps_clock_.elapsed() > 100) {
        tps_ = tps_tokens_ * 1000.0 / tps_clock_.elapsed();
    }
    if (dirty_) refreshViews();
}

void MainWindow::refreshViews(bool force) {
    static const bool timing = qEnvironmentVariableIsSet("GISTSCOPE_FRAME_TIMING");
    QElapsedTimer t;
    t.start();
    double marks[6] = {};
    dirty_ = false;
    for (int i = 0; i < 2; ++i) {
        runs_[i].set_current_step(display_step_);
        QString state;
        if (running_[i]) state = stopping_ ? tr("stopping…") : tr("running");
        else if (!run_errors_[i].isEmpty()) state = tr("failed");
        else if (runs_[i].end() && !runs_[i].at_end() && !isRunning()) state = tr("replay");
        else if (runs_[i].end()) state = runs_[i].end()->metrics.stop_reason == "cancelled" ? tr("stopped") : tr("finished");
        panes_[i]->refresh(state);
        panes_[i]->stream()->refresh();
    }
    marks[0] = t.nsecsElapsed() / 1e6;
    if (force) occupancy_->markChanged();
    occupancy_->refresh();
    marks[1] = t.nsecsElapsed() / 1e6;
    if (force) {
        mask_->invalidate();
        attention_->invalidate();
    }
    if (force || !docks_[1]->visibleRegion().isEmpty() || docks_[1]->isFloating()) mask_->refresh();
    if (force || !docks_[2]->visibleRegion().isEmpty() || docks_[2]->isFloating()) attention_->refresh();
    marks[2] = t.nsecsElapsed() / 1e6;
    const bool metrics_visible = !docks_[3]->visibleRegion().isEmpty() || docks_[3]->isFloating();
    if (force || (metrics_visible && (metrics_clock_.elapsed() > 250 || !isRunning()))) {
        metrics_->refresh();
        metrics_clock_.restart();
    }
    marks[3] = t.nsecsElapsed() / 1e6;
    const int latest = lastStep();
    slider_->blockSignals(true);
    slider_->setRange(0, latest);
    slider_->setValue(display_step_);
    slider_->blockSignals(false);
    step_label_->setText(tr("step %1 / %2").arg(display_step_).arg(latest));
    updateStatus();
    // A view that skipped this frame (rate limit) gets the next one.
    if (occupancy_->deferred() || mask_->deferred() || attention_->deferred()) dirty_ = true;
    if (timing && t.nsecsElapsed() > 10000000)
        std::fprintf(stderr, "frame %.1f ms: panes %.1f, kv %.1f, heatmaps %.1f, metrics %.1f\n", t.nsecsElapsed() / 1e6,
                     marks[0], marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2]);
}

// ---------------------------------------------------------------------------------------------
// Status and controls

void MainWindow::updateControls() {
    const bool running = isRunning();
    run_button_->setEnabled(!running);
    stop_button_->setEnabled(running && !stopping_);
    for (int i = 0; i < 2; ++i) {
        model_box_[i]->setEnabled(!running);
        method_box_[i]->setEnabled(!running);
        param_rows_[i]->setEnabled(!running);
    }
    max_tokens_->setEnabled(!running);
    backend_box_->setEnabled(!running);
    attention_box_->setEnabled(!running);
    problem_->setReadOnly(running);
    examples_->setEnabled(!running);
}

void MainWindow::updateStatus() {
    QString device;
    for (int i = 0; i < 2; ++i) {
        if (!have_started_[i]) continue;
        const auto& s = started_[i];
        QString d = QStringLiteral("%1 · %2").arg(s.backend.toUpper(), s.device);
        if (!s.note.isEmpty()) d += QStringLiteral(" — %1").arg(s.note);
        if (!device.contains(d)) device += (device.isEmpty() ? QString() : QStringLiteral("  |  ")) + d;
    }
    if (device.isEmpty()) {
        const std::string& recorded = !runs_[0].empty() ? runs_[0].header().backend : runs_[1].header().backend;
        if (!recorded.empty())
            device = tr("Replay, recorded on %1").arg(QString::fromStdString(recorded));
        else
            device = tr("Backend: %1 (chosen when a run starts)").arg(backend_box_->currentText());
    }
    status_device_->setText(device);
    status_device_->setToolTip(tr("Device and backend of the runs, and why the CPU is used when it is."));
    status_speed_->setText(isRunning() ? tr("%1 tok/s").arg(tps_, 0, 'f', 0)
                                       : runs_[0].end() ? tr("%1 tok/s").arg(runs_[0].end()->metrics.tokens_per_second, 0, 'f', 0)
                                                        : QStringLiteral("– tok/s"));
    QStringList cache;
    for (int i = 0; i < 2; ++i) {
        if (runs_[i].empty()) continue;
        const int used = runs_[i].cache_tokens_at(runs_[i].current_step());
        const int cap = have_started_[i] ? started_[i].capacity : 0;
        const double mib = used * double(runs_[i].kv_bytes_per_token()) / 1048576.0;
        QString c = cap > 0 ? tr("%1 / %2").arg(used).arg(cap) : QString::number(used);
        cache << QStringLiteral("%1 %2 (%3 MiB)")
                     .arg(QString::fromStdString(ui::RunModel::method_display_name(runs_[i].header().method)), c)
                     .arg(mib, 0, 'f', 2);
    }
    status_cache_->setText(cache.isEmpty() ? tr("cache –") : tr("cache %1").arg(cache.join(QStringLiteral(" · "))));
    status_step_->setText(tr("step %1 / %2").arg(display_step_).arg(lastStep()));
}

void MainWindow::showError(const QString& title, const QString& text) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// ---------------------------------------------------------------------------------------------
// Files

bool MainWindow::openTraces(const QStringList& paths) {
    if (paths.isEmpty()) return false;
    if (paths.size() > 2) {
        showError(tr("Too many traces"), tr("Open one trace, or two to compare them side by side (left, right)."));
        return false;
    }
    if (isRunning()) {
        showError(tr("A run is in progress"), tr("Stop the run before opening traces."));
        return false;
    }
    std::vector<Trace> traces;
    for (const QString& p : paths) {
        try {
            traces.push_back(trace_read(std::filesystem::path(p.toStdString())));
        } catch (const std::exception& e) {
            showError(tr("Cannot open the trace"),
                      tr("%1 is not a readable GistScope trace:\n%2\n\nThe runs on screen are unchanged.").arg(p, QString::fromUtf8(e.what())));
            return false;
        }
    }
    QStringList files = paths;
    auto is_lt = [](const Trace& t) { return t.header.method.rfind("lightthinker", 0) == 0 || t.header.method == "anllm"; };
    if (traces.size() == 2 && !is_lt(traces[0]) && is_lt(traces[1])) {
        std::swap(traces[0], traces[1]);
        files.swapItemsAt(0, 1);
    }
    for (int i = 0; i < 2; ++i) {
        ++run_ids_[i];
        have_started_[i] = false;
        run_errors_[i].clear();
        runs_[i] = size_t(i) < traces.size() ? ui::RunModel::from_trace(traces[size_t(i)]) : ui::RunModel();
        trace_files_[i] = size_t(i) < traces.size() ? files[i] : QString();
    }
    for (int i = 0; i < int(traces.size()); ++i) {
        // The pickers show what is replayed, when that model is installed.
        const QString dir = resourcesDir() + QStringLiteral("/models/") + QString::fromStdString(traces[size_t(i)].header.model);
        // Not installed: the picker still names it, and Run says the model is missing.
        setModelDir(i, QDir(dir).absolutePath());
        setMethod(i, QString::fromStdString(traces[size_t(i)].header.method));
        // ... and the method's parameters as recorded.
        const auto& params = traces[size_t(i)].header.params;
        auto take = [&](const char* key, QSpinBox* box) {
            if (params.is_object() && params.contains(key) && params[key].is_number_integer()) box->setValue(params[key].get<int>());
        };
        take("token_step", token_step_[i]);
        take("cache_size", cache_size_[i]);
        take("recent", h2o_recent_[i]);
        take("init", sep_init_[i]);
        take("separators", sep_separators_[i]);
        take("local", sep_local_[i]);
        take("max_new_tokens", max_tokens_);
    }
    const auto& h = traces[0].header;
    if (!h.question.empty()) problem_->setPlainText(QString::fromStdString(h.question));
    expected_->setText(h.expected_answer ? QString::fromStdString(*h.expected_answer) : QString());
    teach_banner_->hide();
    teach_paused_ = false;
    explained_.clear();
    attachRuns();
    display_step_ = lastStep();
    setPlaying(false);
    refreshViews(true);
    settings_->setLastDir(QStringLiteral("trace"), QFileInfo(paths.front()).absolutePath());
    return true;
}

bool MainWindow::saveTraces(const QString& dir) {
    int saved = 0;
    for (int i = 0; i < 2; ++i) {
        if (trace_files_[i].isEmpty() || !QFileInfo::exists(trace_files_[i])) continue;
        const QString name = QStringLiteral("%1-%2.trace.jsonl")
                                 .arg(i == 0 ? QStringLiteral("left") : QStringLiteral("right"),
                                      QString::fromStdString(runs_[i].header().method));
        const QString target = QDir(dir).filePath(name);
        QString error;
        if (!ui::check_writable(target, &error)) {
            showError(tr("Cannot save the traces"), error);
            return false;
        }
        if (QFileInfo(target).canonicalFilePath() == QFileInfo(trace_files_[i]).canonicalFilePath()) {
            ++saved;
            continue;
        }
        const QString tmp = target + QStringLiteral(".part");
        QFile::remove(tmp);
        if (!QFile::copy(trace_files_[i], tmp) || (QFile::exists(target) && !QFile::remove(target)) || !QFile::rename(tmp, target)) {
            QFile::remove(tmp);
            showError(tr("Cannot save the traces"), tr("Cannot write %1.").arg(target));
            return false;
        }
        ++saved;
    }
    if (saved == 0) {
        showError(tr("Nothing to save"), tr("Run a problem first: its two runs are recorded as traces."));
        return false;
    }
    statusBar()->showMessage(tr("Saved %n trace(s) to %1", nullptr, saved).arg(dir), 6000);
    return true;
}

bool MainWindow::exportView(ViewId view, const QString& path) {
    QString error;
    bool ok = false;
    if (view == ViewId::metrics) {
        if (QFileInfo(path).suffix().toLower() != QLatin1String("csv"))
            error = tr("Cannot export the metrics to %1: the table is written as CSV, use a .csv file.").arg(path);
        else
            ok = ui::write_text_file(path, metrics_->csv(), &error);
    } else {
        ui::PlotView* plot = view == ViewId::occupancy ? static_cast<ui::PlotView*>(occupancy_)
                             : view == ViewId::mask    ? static_cast<ui::PlotView*>(mask_)
                                                       : static_cast<ui::PlotView*>(attention_);
        ok = plot->exportTo(path, &error);
    }
    if (!ok) {
        showError(tr("Export failed"), error + QStringLiteral("\n\n") + tr("Nothing was written; the views are unchanged."));
        return false;
    }
    statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
    return true;
}

void MainWindow::exportWithDialog(ViewId view) {
    static const char* names[] = {"kv-cache", "attention-mask", "attention-weights", "metrics"};
    const QString dir = settings_->lastDir(QStringLiteral("export")).isEmpty()
                            ? QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                            : settings_->lastDir(QStringLiteral("export"));
    const QString filters = view == ViewId::metrics
                                ? tr("CSV table (*.csv)")
                                : tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export"), QDir(dir).filePath(QString::fromLatin1(names[int(view)]) + (view == ViewId::metrics ? QStringLiteral(".csv") : QStringLiteral(".png"))),
        filters);
    if (path.isEmpty()) return;
    settings_->setLastDir(QStringLiteral("export"), QFileInfo(path).absolutePath());
    exportView(view, path);
}

void MainWindow::openWithDialog() {
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open traces"), settings_->lastDir(QStringLiteral("trace")),
                                                            tr("GistScope traces (*.jsonl *.trace);;All files (*)"));
    if (!paths.isEmpty()) openTraces(paths);
}

void MainWindow::saveWithDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save traces to folder"), settings_->lastDir(QStringLiteral("trace")));
    if (dir.isEmpty()) return;
    settings_->setLastDir(QStringLiteral("trace"), dir);
    saveTraces(dir);
}

void MainWindow::showView(ViewId view) {
    docks_[int(view)]->show();
    docks_[int(view)]->raise();
    dirty_ = true;
}

bool MainWindow::saveScreenshot(const QString& path, QString* error) {
    if (!ui::check_writable(path, error)) return false;
    refreshViews(true);
    QCoreApplication::processEvents();  // layout settles (a live run may also deliver more events)
    // The last refresh and the plots' replots happen right before the grab, with no event in between,
    // so every view shows the same step.
    refreshViews(true);
    for (ui::PlotView* plot : {static_cast<ui::PlotView*>(occupancy_), static_cast<ui::PlotView*>(mask_),
                               static_cast<ui::PlotView*>(attention_)})
        plot->plot()->replot(QCustomPlot::rpImmediateRefresh);
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
    s.problem = problem_->toPlainText();
    s.expected = expected_->text();
    for (const auto& t : trace_files_)
        if (!t.isEmpty() && QFileInfo::exists(t)) s.traces << t;
    s.step = display_step_;
    return s;
}

void MainWindow::restore(const WindowSnapshot& s) {
    if (!s.traces.isEmpty()) {
        // Traces of the old window's runs live in its temp folder: copy them out before it goes.
        openTraces(s.traces);
        setStep(s.step);
    }
    problem_->setPlainText(s.problem);
    expected_->setText(s.expected);
}

}  // namespace gistscope::gui
