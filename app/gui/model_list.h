// model_list.h: the models the window offers. One class finds the bundled models, checks a folder
// (or model file) when it is added — before it can reach a run — and fills the two model pickers,
// so new kinds of models (GGUF files, discovered downloads) are added here and nowhere else.
#pragma once
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <vector>

class QComboBox;

namespace gistscope::gui {

// What the window knows about a model before loading it.
struct ModelInfo {
    QString path;           // folder (or .gguf file), absolute
    QString name;           // shown in the picker
    bool ok = false;
    QString error;          // why `path` is not a usable model (one plain sentence)
    QString method;         // gistscope.json "method" ("" when the folder has none)
    bool has_comp_config = false;  // a gistscope.json: the method tokens are known
    int cache_tokens = -1;  // gistscope.json output.n_token: gist / anchor tokens (-1: unknown)
    int layers = 0;         // config.json num_hidden_layers
    QString trained_for;    // which problems the model was trained on ("" = a general model)
};

class ModelList {
    Q_DECLARE_TR_FUNCTIONS(gistscope::gui::ModelList)
public:
    // Folder of the bundled models: resources/models.
    explicit ModelList(QString models_dir);
    // Checks `path` without loading weights: config.json readable JSON with the fields the loader
    // needs, weights and tokenizer present (or a .gguf file with its magic).
    static ModelInfo inspect(const QString& path);
    // Whether `model` can run `method`; `why` says why not (for a tooltip).
    static bool supports(const ModelInfo& model, const QString& method, QString* why);
    // The bundled models that pass inspect(), sorted by name.
    const std::vector<ModelInfo>& bundled() const { return bundled_; }
    // Fills a picker: the bundled models, models added before, "none" (right pane), "Browse…".
    void fill(QComboBox* box, bool with_none) const;
    // Adds a checked model to `box` (before "none"/"Browse…") and selects it.
    static void addTo(QComboBox* box, const ModelInfo& model);
    // Marker of the "Browse…" entry's data.
    static QString browseMarker() { return QStringLiteral("__browse__"); }

private:
    QString models_dir_;
    std::vector<ModelInfo> bundled_;
};

}  // namespace gistscope::gui
