// model_list.h: the models the window offers. One class lists the models model discovery finds
// (bundled, the user's model folder, the Hugging Face cache; broken ones shown disabled with the
// reason), checks a folder or .gguf file when it is added — before it can reach a run — with a plain
// message, and fills the two model pickers. New places or kinds of models go here and nowhere else.
#pragma once
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <vector>

class QComboBox;

namespace gistscope {
struct DiscoveredModel;
}

namespace gistscope::gui {

// What the window knows about a model before loading it.
struct ModelInfo {
    QString path;           // folder (or .gguf file), absolute
    QString name;           // shown in the picker
    bool ok = false;
    QString error;          // why `path` is not a usable model (one plain sentence)
    QString method;         // gistscope.json "method" ("" when the folder has none)
    int layers = 0;         // decoder layers
    int heads = 0;          // query heads per layer
    QStringList methods;    // what it can run (model discovery): its trained method, vanilla, h2o, sepllm
    QString source;         // "bundled", "user", "huggingface", "added"
    QString summary;        // one line for the tooltip: format, architecture, parameters, weights
    QString trained_for;    // which problems the model was trained on ("" = a general model)
    bool adapter = false;   // a LoRA adapter on a pretrained base (it reads any English, knows one domain)
};

class ModelList {
    Q_DECLARE_TR_FUNCTIONS(gistscope::gui::ModelList)
public:
    // Lists the models found from the bundled folder (resources/models) and the standard places.
    explicit ModelList(QString models_dir);
    // Checks `path`: a folder with a readable config.json (a parse error says line and column),
    // then the engine's description (config fields, weights mapped, tokenizer read), or a .gguf file.
    static ModelInfo inspect(const QString& path);
    // Whether `model` can run `method`; `why` says why not (for a tooltip).
    static bool supports(const ModelInfo& model, const QString& method, QString* why);
    // The usable models found, bundled first.
    const std::vector<ModelInfo>& bundled() const { return bundled_; }
    // Models found that cannot be used, with the reason in `error`.
    const std::vector<ModelInfo>& broken() const { return broken_; }
    // Fills a picker: the bundled models, models added before, "none" (right pane), "Browse…".
    void fill(QComboBox* box, bool with_none) const;
    // Adds a checked model to `box` (before "none"/"Browse…") and selects it.
    static void addTo(QComboBox* box, const ModelInfo& model);
    // Marker of the "Browse…" entry's data.
    static QString browseMarker() { return QStringLiteral("__browse__"); }

private:
    static ModelInfo from_discovery(const DiscoveredModel& d);
    QString models_dir_;
    std::vector<ModelInfo> bundled_;
    std::vector<ModelInfo> broken_;
};

}  // namespace gistscope::gui
