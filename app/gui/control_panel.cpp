// control_panel.cpp: layout and rules of the controls above the panes.
#include "control_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QVBoxLayout>
#include <algorithm>

#include "gistscope/policy.h"
#include "main_window.h"
#include "settings.h"
#include "widgets/run_model.h"
#ifdef GISTSCOPE_HAVE_BACKEND_SELECT
#include "gistscope/backend_select.h"
#endif

namespace gistscope::gui {

namespace {
struct MethodInfo {
    const char* id;
    const char* tip;
};
// Each tip says in one sentence what the method keeps and what it drops.
const MethodInfo methods[] = {
    {"lightthinker", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                       "LightThinker: keeps the prompt and the few gist tokens the model writes after each "
                                       "thought, and drops the thought's own tokens from the KV cache.")},
    {"lightthinker-token", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                             "LightThinker, token level: keeps the prompt and a few gist tokens for every S "
                                             "generated tokens, and drops those S tokens, wherever the thought stands.")},
    {"anllm", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                "AnLLM: keeps the prompt and the one anchor token the model writes after each thought, and "
                                "drops the thought's tokens.")},
    {"vanilla", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                  "Vanilla: keeps every token and drops nothing, so the cache grows with every step.")},
    {"h2o", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                              "H2O: keeps the recent tokens and the most attended older ones (heavy hitters) within the "
                              "budget, and drops the least attended older tokens.")},
    {"h2o-global", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                     "H2O (global): keeps the recent tokens and one set of most attended older tokens "
                                     "shared by every layer and head, and drops the other older tokens.")},
    {"sepllm", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                 "SepLLM: keeps the first tokens, the separators (punctuation, line breaks) and a recent "
                                 "window within the budget, and drops every other older token.")},
    {"lightthinker-pp", QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel",
                                          "LightThinker++: keeps each finished step as the summary the model wrote for it, "
                                          "and drops the step's raw text from the context except while the model has it "
                                          "expanded.")},
};

// The named comparisons of the paper's Table 1: LightThinker (thought level, left) against one
// other method (right), on the bundled demo models; the last on the bundled SmolLM2 adapters (it
// needs the base GGUF that ./run.sh fetches).
struct ComparisonPreset {
    const char* name;
    const char* tip;
    const char* left_model;
    const char* left_method;
    const char* right_model;
    const char* right_method;
};
const ComparisonPreset presets[] = {
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker vs vanilla"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "How much memory the gists save against the full cache, and what it costs in accuracy."),
     "demo-lightthinker", "lightthinker", "demo-vanilla", "vanilla"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Thought vs token level"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Compressing at the end of each thought against compressing every S tokens, "
                                                     "wherever the thought stands."),
     "demo-lightthinker", "lightthinker", "demo-lightthinker-token", "lightthinker-token"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker vs AnLLM"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Several gist tokens that see the whole history against one anchor token "
                                                     "that sees only its thought."),
     "demo-lightthinker", "lightthinker", "demo-anllm", "anllm"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker vs H2O"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Learned compression against training-free eviction by attention, H2O "
                                                     "running on the vanilla model within the budget."),
     "demo-lightthinker", "lightthinker", "demo-vanilla", "h2o"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker vs SepLLM"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Learned compression against keeping only separators and a recent "
                                                     "window, SepLLM running on the vanilla model within the budget."),
     "demo-lightthinker", "lightthinker", "demo-vanilla", "sepllm"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker++ vs vanilla"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "Explicit memory (summaries, expanded again when a detail is needed) "
                                                     "against the full context, on problems that refer back to earlier steps."),
     "demo-lightthinker-pp", "lightthinker-pp", "demo-vanilla-pp", "vanilla"},
    {QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "LightThinker vs vanilla (SmolLM2)"),
     QT_TRANSLATE_NOOP("gistscope::gui::ControlPanel", "A real pretrained model, SmolLM2-135M-Instruct, taught LightThinker with a "
                                                     "LoRA adapter, against its vanilla twin (the same training without "
                                                     "compression): type a counting problem in your own words."),
     "smollm2-lightthinker", "lightthinker", "smollm2-vanilla", "vanilla"},
};

QString elide(const QString& s, int n) {
    QString t = s.simplified();
    return t.size() > n ? t.left(n - 1) + QChar(0x2026) : t;
}

QLabel* buddy_label(const QString& text, QWidget* buddy, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setBuddy(buddy);
    l->setToolTip(buddy->toolTip());
    return l;
}
}  // namespace

ControlPanel::ControlPanel(Settings* settings, const ModelList* models, QWidget* parent)
    : QFrame(parent), settings_(settings), model_list_(models) {
    setObjectName(QStringLiteral("controls"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);

    // Row 0: the problem, the examples and the expected answer, Run and Stop.
    auto* problem_label = new QLabel(tr("&Problem:"), this);
    problem_ = new QPlainTextEdit(this);
    problem_->setObjectName(QStringLiteral("problemEditor"));
    problem_->setPlaceholderText(tr("Type a problem, or pick one from the examples."));
    problem_->setToolTip(tr("The question given to both models. The model's chat template and system prompt are added."));
    // Exactly two lines (a longer problem scrolls), so no half line peeks out.
    problem_->setFixedHeight(int(problem_->fontMetrics().lineSpacing() * 2 + problem_->document()->documentMargin() +
                                 2 * problem_->frameWidth()));
    problem_label->setBuddy(problem_);
    examples_ = new QComboBox(this);
    examples_->setObjectName(QStringLiteral("examples"));
    examples_->setToolTip(tr("Bundled example problems (resources/datasets/demo-test.jsonl) with their answers."));
    examples_->setMinimumWidth(200);
    examples_->setMaximumWidth(340);
    expected_ = new QLineEdit(this);
    expected_->setObjectName(QStringLiteral("expectedAnswer"));
    expected_->setPlaceholderText(tr("unknown"));
    expected_->setToolTip(tr("When known, the answers are marked correct or wrong and the accuracy is shown."));
    expected_->setMaximumWidth(120);
    auto* expected_label = buddy_label(tr("&Expected answer:"), expected_, this);
    run_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run"), this);
    run_button_->setObjectName(QStringLiteral("runButton"));
    run_button_->setToolTip(tr("Run both panes on the problem (Ctrl+R)."));
    run_button_->setDefault(true);
    stop_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Stop"), this);
    stop_button_->setObjectName(QStringLiteral("stopButton"));
    stop_button_->setToolTip(tr("Stop the runs after their current step, or the playback (Esc). What was generated stays."));
    connect(run_button_, &QPushButton::clicked, this, &ControlPanel::runRequested);
    connect(stop_button_, &QPushButton::clicked, this, &ControlPanel::stopRequested);
    auto* side = new QGridLayout;
    side->setSpacing(4);
    side->addWidget(examples_, 0, 0, 1, 2);
    side->addWidget(expected_label, 1, 0);
    side->addWidget(expected_, 1, 1);
    auto* buttons = new QVBoxLayout;
    buttons->setSpacing(4);
    buttons->addWidget(run_button_);
    buttons->addWidget(stop_button_);
    grid->addWidget(problem_label, 0, 0, Qt::AlignTop);
    grid->addWidget(problem_, 0, 1, 1, 3);
    grid->addLayout(side, 0, 4);
    grid->addLayout(buttons, 0, 5);
    connect(examples_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i <= 0) return;
        setProblem(examples_->itemData(i).toString(), examples_->itemData(i, Qt::UserRole + 1).toString());
    });
    // A problem typed over an example loses the example's answer.
    connect(problem_, &QPlainTextEdit::textChanged, this, [this] {
        if (!example_question_.isEmpty() && problem_->toPlainText().trimmed() != example_question_.trimmed()) {
            example_question_.clear();
            expected_->clear();
            examples_->setCurrentIndex(0);
        }
    });

    // Row 1: the named comparisons, and which problems the chosen models know.
    preset_box_ = new QComboBox(this);
    preset_box_->setObjectName(QStringLiteral("comparisonPreset"));
    preset_box_->setToolTip(tr("A comparison of the paper: sets the model and method of both panes."));
    preset_box_->addItem(tr("Custom"), -1);
    for (int i = 0; i < int(std::size(presets)); ++i) {
        preset_box_->addItem(tr(presets[i].name), i);
        preset_box_->setItemData(i + 1, tr(presets[i].tip), Qt::ToolTipRole);
    }
    connect(preset_box_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        const int preset = preset_box_->itemData(i).toInt();
        if (preset >= 0) applyPreset(preset);
    });
    auto* preset_label = buddy_label(tr("Compare:"), preset_box_, this);
    QFont bold = preset_label->font();
    bold.setBold(true);
    preset_label->setFont(bold);
    model_note_ = new QLabel(this);
    model_note_->setObjectName(QStringLiteral("modelNote"));
    model_note_->setWordWrap(false);
    model_note_->setMinimumWidth(1);  // a long note is cut at the window edge, not widening it
    model_note_->setTextFormat(Qt::RichText);
    model_note_->setForegroundRole(QPalette::PlaceholderText);
    auto* row1 = new QHBoxLayout;
    row1->setSpacing(8);
    row1->addWidget(preset_box_);
    row1->addWidget(model_note_, 1);
    grid->addWidget(preset_label, 1, 0);
    grid->addLayout(row1, 1, 1, 1, 5);

    // Rows 2-3: the two panes' model, method and parameters.
    for (int pane = 0; pane < 2; ++pane) {
        auto* label = new QLabel(pane == 0 ? tr("Left:") : tr("Right:"), this);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        grid->addWidget(label, 2 + pane, 0);
        grid->addWidget(buildPaneRow(pane), 2 + pane, 1, 1, 5);
    }
    // Row 4: run settings.
    grid->addWidget(buildRunRow(), 4, 0, 1, 6);
    grid->setColumnStretch(3, 1);

    probeBackends();
    loadExamples();
    populateModels();
    updatePresetAvailability();
    syncPreset();
}

QWidget* ControlPanel::buildPaneRow(int pane) {
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(6);
    model_box_[pane] = new QComboBox(row);
    model_box_[pane]->setObjectName(pane == 0 ? QStringLiteral("leftModel") : QStringLiteral("rightModel"));
    model_box_[pane]->setToolTip(pane == 0 ? tr("Model of the left pane: a folder with config.json, safetensors, "
                                                "tokenizer and gistscope.json, or a .gguf file.")
                                           : tr("Model of the right (comparison) pane; \"none\" runs the left pane only."));
    model_box_[pane]->setMinimumWidth(170);
    method_box_[pane] = new QComboBox(row);
    method_box_[pane]->setObjectName(pane == 0 ? QStringLiteral("leftMethod") : QStringLiteral("rightMethod"));
    method_box_[pane]->setToolTip(tr("How the KV cache is managed during decoding."));
    for (const auto& m : methods) {
        method_box_[pane]->addItem(QString::fromStdString(ui::RunModel::method_display_name(m.id)), QString::fromLatin1(m.id));
        method_box_[pane]->setItemData(method_box_[pane]->count() - 1, tr(m.tip), Qt::ToolTipRole);
    }
    auto* params = new QWidget(row);
    auto* pl = new QHBoxLayout(params);
    pl->setContentsMargins(0, 0, 0, 0);
    pl->setSpacing(4);
    auto spin = [&](QSpinBox*& s, int lo, int hi, int value, const QString& text, const QString& tip, int idx) {
        s = new QSpinBox(params);
        s->setRange(lo, hi);
        s->setValue(value);
        s->setToolTip(tip);
        param_labels_[pane][idx] = buddy_label(text, s, params);
        pl->addWidget(param_labels_[pane][idx]);
        pl->addWidget(s);
    };
    spin(token_step_[pane], 1, 4096, 6, tr("every"), tr("Token-level LightThinker: compress every S generated tokens."), 0);
    spin(cache_size_[pane], 8, 1 << 20, 256, tr("budget"), tr("Cache budget in tokens (H2O, SepLLM): older tokens are evicted beyond it."), 1);
    // -1 is "auto": the paper's share of the budget (with_budget_defaults), shown in the box.
    spin(h2o_recent_[pane], -1, 1 << 20, -1, tr("recent"),
         tr("H2O: tokens of the recent window kept; auto is half the budget, as the paper ran it. The heavy hitters get the rest."), 2);
    spin(sep_init_[pane], -1, 1 << 20, -1, tr("initial"),
         tr("SepLLM: initial tokens always kept (attention sinks); auto is 3/8 of the budget, as the paper ran it (384 of 1024)."), 3);
    spin(sep_separators_[pane], -1, 1 << 20, -1, tr("separators"),
         tr("SepLLM: separator tokens (punctuation, line breaks) kept at most; auto is 1/16 of the budget (64 of 1024)."), 4);
    spin(sep_local_[pane], -1, 1 << 20, -1, tr("local"), tr("SepLLM: recent window in tokens; auto is 1/4 of the budget (256 of 1024)."), 5);
    const QString side = pane == 0 ? QStringLiteral("left") : QStringLiteral("right");
    cache_size_[pane]->setObjectName(side + QStringLiteral("Budget"));
    h2o_recent_[pane]->setObjectName(side + QStringLiteral("H2oRecent"));
    sep_init_[pane]->setObjectName(side + QStringLiteral("SepllmInit"));
    sep_separators_[pane]->setObjectName(side + QStringLiteral("SepllmSeparators"));
    sep_local_[pane]->setObjectName(side + QStringLiteral("SepllmLocal"));
    connect(cache_size_[pane], qOverload<int>(&QSpinBox::valueChanged), this, [this, pane](int) { updateBudgetAuto(pane); });
    updateBudgetAuto(pane);
    pl->addStretch(1);
    param_rows_[pane] = params;
    h->addWidget(model_box_[pane]);
    h->addWidget(method_box_[pane]);
    h->addWidget(params, 1);
    connect(method_box_[pane], qOverload<int>(&QComboBox::currentIndexChanged), this, [this, pane](int) {
        updateMethodParams(pane);
        settings_->setMethod(pane, method(pane));
        syncPreset();
    });
    connect(model_box_[pane], qOverload<int>(&QComboBox::activated), this, [this, pane](int i) {
        QString path = model_box_[pane]->itemData(i).toString();
        if (path == ModelList::browseMarker()) {
            path = QFileDialog::getExistingDirectory(this, tr("Choose a model folder"), settings_->lastDir(QStringLiteral("model")));
            if (path.isEmpty()) {
                // Back to the model in use.
                model_box_[pane]->setCurrentIndex(std::max(0, model_box_[pane]->findData(models_[pane].path)));
                return;
            }
        }
        QString error;
        if (!setModel(pane, path, &error)) {
            model_box_[pane]->setCurrentIndex(std::max(0, model_box_[pane]->findData(models_[pane].path)));
            emit modelRejected(tr("Not a usable model"), error);
            return;
        }
        if (path != model_box_[pane]->itemData(i).toString())
            settings_->setLastDir(QStringLiteral("model"), QFileInfo(path).absolutePath());
    });
    return row;
}

QWidget* ControlPanel::buildRunRow() {
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(5);
    max_tokens_ = new QSpinBox(row);
    max_tokens_->setObjectName(QStringLiteral("maxTokens"));
    max_tokens_->setRange(1, 1 << 20);
    max_tokens_->setValue(settings_->maxTokens());
    max_tokens_->setToolTip(tr("Largest number of tokens the model may choose per run (forced gist tokens do not count)."));
    connect(max_tokens_, qOverload<int>(&QSpinBox::valueChanged), settings_, &Settings::setMaxTokens);
    temperature_ = new QDoubleSpinBox(row);
    temperature_->setObjectName(QStringLiteral("temperature"));
    temperature_->setRange(0, 2);
    temperature_->setSingleStep(0.1);
    temperature_->setDecimals(2);
    temperature_->setValue(settings_->temperature());
    temperature_->setSpecialValueText(tr("greedy"));
    temperature_->setToolTip(tr("Sampling temperature; 0 (greedy) always takes the most likely token, as the paper's runs do."));
    connect(temperature_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double v) {
        settings_->setTemperature(v);
        top_p_->setEnabled(v > 0);
        seed_->setEnabled(v > 0);
    });
    top_p_ = new QDoubleSpinBox(row);
    top_p_->setObjectName(QStringLiteral("topP"));
    top_p_->setRange(0.01, 1);
    top_p_->setSingleStep(0.05);
    top_p_->setValue(settings_->topP());
    top_p_->setToolTip(tr("Nucleus sampling: sample only from the most likely tokens whose probabilities add up to p "
                          "(used when the temperature is above 0)."));
    connect(top_p_, qOverload<double>(&QDoubleSpinBox::valueChanged), settings_, &Settings::setTopP);
    seed_ = new QSpinBox(row);
    seed_->setObjectName(QStringLiteral("seed"));
    seed_->setRange(0, 1 << 30);
    seed_->setValue(settings_->seed());
    seed_->setToolTip(tr("Random seed of the sampler: the same seed gives the same run (used when the temperature is above 0)."));
    connect(seed_, qOverload<int>(&QSpinBox::valueChanged), settings_, &Settings::setSeed);
    top_p_->setEnabled(temperature_->value() > 0);
    seed_->setEnabled(temperature_->value() > 0);

    backend_box_ = new QComboBox(row);
    backend_box_->setObjectName(QStringLiteral("backend"));
    backend_box_->addItem(tr("Auto"), QStringLiteral("auto"));
    backend_box_->addItem(tr("CPU"), QStringLiteral("cpu"));
    backend_box_->addItem(tr("CUDA"), QStringLiteral("cuda"));
    backend_box_->setToolTip(tr("Auto uses CUDA when a usable GPU is found and falls back to the CPU otherwise; the "
                                "status bar says which one runs and why."));
    connect(backend_box_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { settings_->setBackend(backend_box_->itemData(i).toString()); });
    attention_box_ = new QComboBox(row);
    attention_box_->setObjectName(QStringLiteral("attentionProbe"));
    attention_box_->setToolTip(tr("Record the attention weights of each step's last query row for the Attention weights "
                                  "view: off, the average over layers, one layer, or every layer and head (then chosen in "
                                  "the tab after the run). Costs some speed."));
    attention_box_->addItem(tr("Off"), QStringLiteral("off"));
    attention_box_->addItem(tr("Average of layers"), QStringLiteral("avg"));
    attention_box_->setCurrentIndex(std::max(0, attention_box_->findData(settings_->attentionProbe())));
    connect(attention_box_, qOverload<int>(&QComboBox::activated), this,
            [this](int i) { settings_->setAttentionProbe(attention_box_->itemData(i).toString()); });
    connect(max_tokens_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { updateAllHeadsProbe(); });

    h->addWidget(buddy_label(tr("Max tokens"), max_tokens_, row));
    h->addWidget(max_tokens_);
    h->addSpacing(6);
    h->addWidget(buddy_label(tr("Temperature"), temperature_, row));
    h->addWidget(temperature_);
    h->addWidget(buddy_label(tr("Top-p"), top_p_, row));
    h->addWidget(top_p_);
    h->addWidget(buddy_label(tr("Seed"), seed_, row));
    h->addWidget(seed_);
    h->addSpacing(6);
    h->addWidget(buddy_label(tr("Backend"), backend_box_, row));
    h->addWidget(backend_box_);
    h->addSpacing(6);
    h->addWidget(buddy_label(tr("Attention probe"), attention_box_, row));
    h->addWidget(attention_box_);
    h->addStretch(1);
    return row;
}

void ControlPanel::probeBackends() {
#ifdef GISTSCOPE_HAVE_BACKEND_SELECT
    const GpuProbe probe = probe_gpu();
    if (!probe.usable) cuda_reason_ = QString::fromStdString(probe.reason.empty() ? std::string("no usable CUDA device") : probe.reason);
#else
    cuda_reason_ = tr("this build has no CUDA backend");
#endif
    const int cuda = backend_box_->findData(QStringLiteral("cuda"));
    if (auto* model = qobject_cast<QStandardItemModel*>(backend_box_->model()); model && !cuda_reason_.isEmpty()) {
        model->item(cuda)->setEnabled(false);
        model->item(cuda)->setToolTip(tr("CUDA cannot be used here: %1.").arg(cuda_reason_));
    }
    QString want = settings_->backend();
    if (want == QLatin1String("cuda") && !cuda_reason_.isEmpty()) want = QStringLiteral("auto");
    backend_box_->setCurrentIndex(std::max(0, backend_box_->findData(want)));
}

void ControlPanel::loadExamples() {
    examples_->clear();
    examples_->addItem(tr("Examples…"));
    QFile f(MainWindow::resourcesDir() + QStringLiteral("/datasets/demo-test.jsonl"));
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
    if (problem_->toPlainText().isEmpty() && examples_->count() > 1)
        setProblem(examples_->itemData(1).toString(), examples_->itemData(1, Qt::UserRole + 1).toString());
}

void ControlPanel::populateModels() {
    for (int pane = 0; pane < 2; ++pane) {
        auto* box = model_box_[pane];
        model_list_->fill(box, pane == 1);
        const QString saved = settings_->model(pane);
        QString error;
        bool chosen = false;
        if (pane == 1 && saved == QLatin1String("-")) chosen = setModel(1, QString(), &error);
        else if (!saved.isEmpty()) chosen = setModel(pane, saved, &error);  // a saved folder that went away is dropped
        if (!chosen) {
            const QString preferred = pane == 0 ? QStringLiteral("demo-lightthinker") : QStringLiteral("demo-vanilla");
            QString want;
            for (const ModelInfo& m : model_list_->bundled())
                if (m.name == preferred) want = m.path;
            if (want.isEmpty() && !model_list_->bundled().empty()) want = model_list_->bundled().front().path;
            if (!want.isEmpty()) setModel(pane, want, &error);
        }
        const QString m = settings_->method(pane);
        setMethod(pane, !m.isEmpty() ? m : pane == 0 ? QStringLiteral("lightthinker") : QStringLiteral("vanilla"));
        updateMethodParams(pane);
    }
}

bool ControlPanel::setModel(int pane, const QString& path, QString* error) {
    auto* box = model_box_[pane];
    if (path.isEmpty()) {
        if (pane == 0) {
            if (error) *error = tr("The left pane needs a model.");
            return false;
        }
        models_[1] = ModelInfo();
        box->setCurrentIndex(box->findData(QString()));
        settings_->setModel(1, QStringLiteral("-"));
        updateModelNote();
        syncPreset();
        return true;
    }
    ModelInfo info = ModelList::inspect(path);
    if (!info.ok) {
        if (error) *error = info.error;
        return false;
    }
    models_[pane] = info;
    ModelList::addTo(box, info);
    settings_->setModel(pane, info.path);
    updateMethodAvailability(pane);
    // The model's own method (gistscope.json) preselects the method of the left pane.
    if (pane == 0 && !info.method.isEmpty() && info.method != QLatin1String("vanilla")) setMethod(pane, info.method);
    if (pane == 0) {
        // Layers for the attention probe.
        const QString keep = attention_box_->count() ? attention_box_->currentData().toString() : settings_->attentionProbe();
        attention_box_->clear();
        attention_box_->addItem(tr("Off"), QStringLiteral("off"));
        attention_box_->addItem(tr("Average of layers"), QStringLiteral("avg"));
        for (int l = 0; l < info.layers; ++l) attention_box_->addItem(tr("Layer %1").arg(l), QString::number(l));
        if (info.layers > 0 && info.heads > 0)
            attention_box_->addItem(tr("Every layer and head (choose after the run)"), QStringLiteral("all"));
        updateAllHeadsProbe();
        attention_box_->setCurrentIndex(std::max(0, attention_box_->findData(keep)));
        if (auto* m = qobject_cast<QStandardItemModel*>(attention_box_->model()); m && !m->item(attention_box_->currentIndex())->isEnabled())
            attention_box_->setCurrentIndex(attention_box_->findData(QStringLiteral("avg")));
    }
    updateModelNote();
    syncPreset();
    return true;
}

void ControlPanel::updateAllHeadsProbe() {
    const int i = attention_box_->findData(QStringLiteral("all"));
    auto* model = qobject_cast<QStandardItemModel*>(attention_box_->model());
    if (i < 0 || !model) return;
    // What the window keeps: a row per head, per layer and the average, each step, over the context
    // it saw (at most the prompt plus the tokens so far), 8 bytes per entry (position, weight).
    const ModelInfo& m = models_[0];
    const double rows = 1.0 + m.layers + double(m.layers) * m.heads;
    const double n = max_tokens_->value(), context = 64 + n / 2;
    const double bytes = rows * 8.0 * n * context;
    const double limit = 1024.0 * 1024.0 * 1024.0;
    const bool ok = bytes <= limit;
    model->item(i)->setEnabled(ok);
    model->item(i)->setToolTip(
        ok ? tr("Records all %1 layers × %2 heads, so the Attention weights tab can show any layer and head after the run "
                "(about %3 MiB for %4 tokens).")
                 .arg(m.layers)
                 .arg(m.heads)
                 .arg(qRound(bytes / 1048576.0))
                 .arg(max_tokens_->value())
           : tr("%1 layers × %2 heads over %3 tokens would take about %4 MiB, more than the 1024 MiB the window allows: "
                "lower Max tokens, or record one layer.")
                 .arg(m.layers)
                 .arg(m.heads)
                 .arg(max_tokens_->value())
                 .arg(qRound(bytes / 1048576.0)));
    if (!ok && attention_box_->currentIndex() == i) attention_box_->setCurrentIndex(attention_box_->findData(QStringLiteral("avg")));
}

QString ControlPanel::bundledModelPath(const char* name) const {
    for (const ModelInfo& m : model_list_->bundled())
        if (m.name == QLatin1String(name)) return m.path;
    return QString();
}

int ControlPanel::presetCount() { return int(std::size(presets)); }

int ControlPanel::findPreset(const QString& name) {
    for (int i = 0; i < presetCount(); ++i)
        if (name == QLatin1String(presets[i].name) || name == tr(presets[i].name)) return i;
    return -1;
}

QStringList ControlPanel::presetNames() {
    QStringList names;
    for (const ComparisonPreset& p : presets) names << QLatin1String(p.name);
    return names;
}

bool ControlPanel::applyPreset(int i) {
    if (i < 0 || i >= presetCount()) return false;
    const ComparisonPreset& p = presets[i];
    const QString left = bundledModelPath(p.left_model), right = bundledModelPath(p.right_model);
    QString error;
    if (left.isEmpty() || right.isEmpty() || !setModel(0, left, &error) || !setModel(1, right, &error)) {
        syncPreset();
        return false;
    }
    setMethod(0, QLatin1String(p.left_method));
    setMethod(1, QLatin1String(p.right_method));
    syncPreset();
    return true;
}

int ControlPanel::currentPreset() const { return preset_box_->currentData().toInt(); }

void ControlPanel::syncPreset() {
    if (!preset_box_ || !method_box_[0] || !method_box_[1]) return;  // during construction
    // The picker names the comparison the panes now show, or "Custom".
    int match = -1;
    for (int i = 0; i < presetCount() && match < 0; ++i) {
        const ComparisonPreset& p = presets[i];
        if (!models_[0].path.isEmpty() && models_[0].path == bundledModelPath(p.left_model) && method(0) == QLatin1String(p.left_method) &&
            !models_[1].path.isEmpty() && models_[1].path == bundledModelPath(p.right_model) && method(1) == QLatin1String(p.right_method))
            match = i;
    }
    preset_box_->setCurrentIndex(std::max(0, preset_box_->findData(match)));
}

void ControlPanel::updatePresetAvailability() {
    auto* model = qobject_cast<QStandardItemModel*>(preset_box_->model());
    if (!model) return;
    for (int i = 0; i < presetCount(); ++i) {
        const ComparisonPreset& p = presets[i];
        QStringList missing, why;
        for (const char* name : {p.left_model, p.right_model}) {
            if (!bundledModelPath(name).isEmpty() || missing.contains(QLatin1String(name))) continue;
            missing << QLatin1String(name);
            // A bundled adapter whose base is not downloaded is listed broken, with the reason.
            for (const ModelInfo& m : model_list_->broken())
                if (m.name == QLatin1String(name) && !why.contains(m.error)) why << m.error;
        }
        QStandardItem* item = model->item(preset_box_->findData(i));
        item->setEnabled(missing.isEmpty());
        item->setToolTip(missing.isEmpty() ? tr(p.tip)
                         : !why.isEmpty() ? tr("Cannot run %1: %2").arg(missing.join(QStringLiteral(", ")), why.join(QLatin1Char('\n')))
                                          : tr("Needs the bundled model %1, which is not in resources/models.")
                                                .arg(missing.join(QStringLiteral(", "))));
    }
}

QString ControlPanel::modelPath(int pane) const { return models_[pane].path; }

void ControlPanel::updateMethodAvailability(int pane) {
    auto* model = qobject_cast<QStandardItemModel*>(method_box_[pane]->model());
    if (!model) return;
    for (int i = 0; i < method_box_[pane]->count(); ++i) {
        QString why;
        const QString m = method_box_[pane]->itemData(i).toString();
        const bool ok = models_[pane].path.isEmpty() || ModelList::supports(models_[pane], m, &why);
        model->item(i)->setEnabled(ok);
        model->item(i)->setToolTip(ok ? tr(methods[i].tip) : why + QLatin1Char('\n') + tr(methods[i].tip));
    }
    if (!model->item(method_box_[pane]->currentIndex())->isEnabled()) setMethod(pane, QStringLiteral("vanilla"));
}

void ControlPanel::updateModelNote() {
    // One line: the models with a note, grouped by what they were trained on.
    // Small demo models know nothing else; an adapter on a pretrained model reads any English but
    // was fine-tuned on one domain.
    QStringList names, kinds;
    bool all_adapters = true;
    for (int pane = 0; pane < 2; ++pane) {
        const ModelInfo& m = models_[pane];
        if (m.path.isEmpty() || m.trained_for.isEmpty() || names.contains(m.name)) continue;
        names << m.name;
        all_adapters = all_adapters && m.adapter;
        if (!kinds.contains(m.trained_for)) kinds << m.trained_for;
    }
    if (names.isEmpty()) {
        model_note_->hide();
        return;
    }
    const QString list = names.join(QStringLiteral(", ")).toHtmlEscaped(), what = kinds.join(QStringLiteral("; ")).toHtmlEscaped();
    const QString text = all_adapters ? tr("<b>%1</b> was fine-tuned on %2: type such a problem in your own words.").arg(list, what)
                                      : tr("For your own problems choose a real model (Browse…, e.g. SmolLM2 or a .gguf file): "
                                           "<b>%1</b> was trained only on %2.").arg(list, what);
    model_note_->setText(text);
    model_note_->setToolTip(all_adapters ? tr("A LoRA adapter reads any English its base model reads, but solves reliably "
                                              "only the kind of problem it was fine-tuned on.")
                                         : tr("Small demo models learn only the problems they were trained on; other problems give "
                                              "repeated or meaningless text."));
    model_note_->show();
}

void ControlPanel::setMethod(int pane, const QString& m) {
    const int i = method_box_[pane]->findData(m);
    auto* model = qobject_cast<QStandardItemModel*>(method_box_[pane]->model());
    if (i >= 0 && (!model || model->item(i)->isEnabled())) method_box_[pane]->setCurrentIndex(i);
}

QString ControlPanel::method(int pane) const { return method_box_[pane]->currentData().toString(); }

void ControlPanel::setParam(int pane, const char* key, int value) {
    const std::pair<const char*, QSpinBox*> boxes[] = {{"token_step", token_step_[pane]}, {"cache_size", cache_size_[pane]},
                                                       {"recent", h2o_recent_[pane]},     {"init", sep_init_[pane]},
                                                       {"separators", sep_separators_[pane]}, {"local", sep_local_[pane]},
                                                       {"max_new_tokens", max_tokens_}};
    for (const auto& [k, box] : boxes)
        if (qstrcmp(k, key) == 0) box->setValue(value);
}

void ControlPanel::setProblem(const QString& question, const QString& expected) {
    example_question_.clear();
    problem_->setPlainText(question);
    expected_->setText(expected);
    example_question_ = expected.isEmpty() ? QString() : question;
}

QString ControlPanel::question() const { return problem_->toPlainText().trimmed(); }
QString ControlPanel::expected() const { return expected_->text().trimmed(); }
QString ControlPanel::backend() const { return backend_box_->currentData().toString(); }

void ControlPanel::updateMethodParams(int pane) {
    const QString m = method(pane);
    const bool h2o = m == QLatin1String("h2o") || m == QLatin1String("h2o-global");
    const bool show[6] = {m == QLatin1String("lightthinker-token"), h2o || m == QLatin1String("sepllm"), h2o,
                          m == QLatin1String("sepllm"), m == QLatin1String("sepllm"), m == QLatin1String("sepllm")};
    QSpinBox* spins[6] = {token_step_[pane], cache_size_[pane], h2o_recent_[pane], sep_init_[pane], sep_separators_[pane], sep_local_[pane]};
    for (int i = 0; i < 6; ++i) {
        spins[i]->setVisible(show[i]);
        param_labels_[pane][i]->setVisible(show[i]);
    }
}

void ControlPanel::updateBudgetAuto(int pane) {
    // What "auto" means at this budget, from the engine's own rule (the CLI uses the same).
    PolicyParams h2o{.method = "h2o"}, sep{.method = "sepllm"};
    h2o.cache_size = sep.cache_size = cache_size_[pane]->value();
    h2o = with_budget_defaults(h2o);
    sep = with_budget_defaults(sep);
    const std::pair<QSpinBox*, int> autos[] = {{h2o_recent_[pane], h2o.h2o_recent},
                                               {sep_init_[pane], sep.sepllm_init},
                                               {sep_separators_[pane], sep.sepllm_separators},
                                               {sep_local_[pane], sep.sepllm_local}};
    for (const auto& [box, value] : autos) {
        box->setSpecialValueText(tr("auto (%1)").arg(value));
        // The box sizes itself to its longest text once; let it grow with the budget's digits.
        box->updateGeometry();
    }
}

SessionParams ControlPanel::paramsFor(int pane) const {
    SessionParams p;
    p.policy.method = method(pane).toStdString();
    p.max_new_tokens = max_tokens_->value();
    p.temperature = float(temperature_->value());
    p.top_p = float(top_p_->value());
    p.seed = uint64_t(seed_->value());
    p.policy.token_step = token_step_[pane]->value();
    p.policy.cache_size = cache_size_[pane]->value();
    p.policy.h2o_recent = h2o_recent_[pane]->value();
    p.policy.sepllm_init = sep_init_[pane]->value();
    p.policy.sepllm_separators = sep_separators_[pane]->value();
    p.policy.sepllm_local = sep_local_[pane]->value();
    const QString probe = attention_box_->currentData().toString();
    if (probe == QLatin1String("avg")) {
        p.attention = AttentionProbeRequest::Mode::average;
    } else if (probe == QLatin1String("all")) {
        p.attention = AttentionProbeRequest::Mode::heads;
    } else if (!probe.isEmpty() && probe != QLatin1String("off")) {
        p.attention = AttentionProbeRequest::Mode::layer;
        p.attention_layer = probe.toInt();
    }
    return p;
}

void ControlPanel::setRunState(bool running, bool stopping, bool playing) {
    run_button_->setEnabled(!running);
    stop_button_->setEnabled((running && !stopping) || playing);
    for (int i = 0; i < 2; ++i) {
        model_box_[i]->setEnabled(!running);
        method_box_[i]->setEnabled(!running);
        param_rows_[i]->setEnabled(!running);
    }
    for (QWidget* w : std::initializer_list<QWidget*>{max_tokens_, backend_box_, attention_box_, examples_})
        w->setEnabled(!running);
    temperature_->setEnabled(!running);
    top_p_->setEnabled(!running && temperature_->value() > 0);
    seed_->setEnabled(!running && temperature_->value() > 0);
    problem_->setReadOnly(running);
}

}  // namespace gistscope::gui
