// control_panel.h: the controls above the panes. The problem with its examples and expected
// answer; per pane the model (checked when it is chosen), the method (methods the model cannot run
// are disabled with the reason) and its parameters; max tokens, sampling, backend (CUDA disabled
// with the reason when no driver or device is there), attention probe; Run and Stop. Playback
// (speed, teaching mode) lives in the step bar. It knows nothing about runs: the window asks it for the run's parameters.
#pragma once
#include <QFrame>
#include <QString>

#include "engine_worker.h"
#include "model_list.h"
#include "widgets/text_strip.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace gistscope::gui {

class Settings;

class ControlPanel : public QFrame {
    Q_OBJECT
public:
    ControlPanel(Settings* settings, const ModelList* models, QWidget* parent = nullptr);

    // Sets a pane's model (a folder or .gguf file; "" = none, right pane only). A path that is not a
    // usable model is not kept: `error` says why and the picker is unchanged.
    bool setModel(int pane, const QString& path, QString* error);
    QString modelPath(int pane) const;  // "" = none
    const ModelInfo& model(int pane) const { return models_[pane]; }
    void setMethod(int pane, const QString& method);
    QString method(int pane) const;
    // The method's parameters as recorded in a trace header (`key` as in the trace).
    void setParam(int pane, const char* key, int value);
    void setProblem(const QString& question, const QString& expected);
    // The named comparisons (LightThinker vs vanilla, thought vs token level, vs AnLLM, vs H2O, vs
    // SepLLM): applyPreset sets both panes' bundled model and method; false (nothing changed) when
    // a model is missing. currentPreset() is the one the panes show, -1 for none ("Custom").
    static int presetCount();
    // The preset named `name`, in English or in the window's language; -1 when none is.
    static int findPreset(const QString& name);
    // Every preset's English name, in the list's order (for a command line that names one).
    static QStringList presetNames();
    bool applyPreset(int preset);
    int currentPreset() const;
    QComboBox* presetBox() const { return preset_box_; }
    QString question() const;
    QString expected() const;
    SessionParams paramsFor(int pane) const;
    QString backend() const;
    // Locks what a run uses while it runs; Stop is enabled while running or playing.
    void setRunState(bool running, bool stopping, bool playing);
    // Why CUDA cannot be chosen ("" when it can).
    QString cudaUnavailableReason() const { return cuda_reason_; }

    QPlainTextEdit* problemEditor() const { return problem_; }
    QComboBox* examples() const { return examples_; }
    QComboBox* modelBox(int pane) const { return model_box_[pane]; }
    QComboBox* methodBox(int pane) const { return method_box_[pane]; }
    QSpinBox* maxTokensBox() const { return max_tokens_; }
    QComboBox* backendBox() const { return backend_box_; }
    QComboBox* attentionBox() const { return attention_box_; }
    QPushButton* runButton() const { return run_button_; }
    QPushButton* stopButton() const { return stop_button_; }
    QLabel* modelNote() const { return model_note_; }

signals:
    void runRequested();
    void stopRequested();
    // A model the user picked could not be used.
    void modelRejected(const QString& title, const QString& text);

private:
    QWidget* buildPaneRow(int pane);
    QWidget* buildRunRow();
    void loadExamples();
    void populateModels();
    void updateMethodParams(int pane);
    void updateBudgetAuto(int pane);
    void syncPreset();                // the picker follows the panes
    void updatePresetAvailability();  // presets whose models are missing are disabled, saying which
    QString bundledModelPath(const char* name) const;  // the "auto" texts of the H2O / SepLLM boxes at this budget
    void updateMethodAvailability(int pane);
    // "Every layer and head" only while what it records fits the window's memory (model, Max tokens).
    void updateAllHeadsProbe();
    void updateModelNote();
    void probeBackends();

    Settings* settings_ = nullptr;
    const ModelList* model_list_ = nullptr;
    ModelInfo models_[2];
    QString example_question_;  // the example's text, to tell a typed problem from it
    QString cuda_reason_;

    QPlainTextEdit* problem_ = nullptr;
    QComboBox* examples_ = nullptr;
    QLineEdit* expected_ = nullptr;
    QLabel* model_note_ = nullptr;
    QComboBox* preset_box_ = nullptr;
    QComboBox* model_box_[2] = {};
    QComboBox* method_box_[2] = {};
    QWidget* param_rows_[2] = {};
    QSpinBox* token_step_[2] = {};
    QSpinBox* cache_size_[2] = {};
    QSpinBox* h2o_recent_[2] = {};
    QSpinBox* sep_init_[2] = {};
    QSpinBox* sep_separators_[2] = {};
    QSpinBox* sep_local_[2] = {};
    QLabel* param_labels_[2][6] = {};
    QSpinBox* max_tokens_ = nullptr;
    QDoubleSpinBox* temperature_ = nullptr;
    QDoubleSpinBox* top_p_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* backend_box_ = nullptr;
    QComboBox* attention_box_ = nullptr;
    QPushButton* run_button_ = nullptr;
    QPushButton* stop_button_ = nullptr;
};

}  // namespace gistscope::gui
