// model_list.cpp: checking model folders and filling the model pickers.
#include "model_list.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

#include "gistscope/model.h"

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

bool is_gguf(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.read(4) == "GGUF";
}

// Methods that need tokens the model learnt (gists, anchors).
bool needs_cache_tokens(const QString& method) {
    return method == QLatin1String("lightthinker") || method == QLatin1String("lightthinker-token") ||
           method == QLatin1String("anllm");
}
}  // namespace

ModelList::ModelList(QString models_dir) : models_dir_(std::move(models_dir)) {
    const QDir dir(models_dir_);
    for (const QFileInfo& fi : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        ModelInfo m = inspect(fi.absoluteFilePath());
        if (m.ok) bundled_.push_back(std::move(m));
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
    if (fi.isFile()) {
        if (fi.suffix().toLower() == QLatin1String("gguf") && is_gguf(m.path)) {
            m.ok = true;
            m.name = fi.completeBaseName();
            return m;
        }
        m.error = tr("%1 is a file, not a model: choose a model folder (config.json, model.safetensors, tokenizer) "
                     "or a .gguf file.").arg(m.path);
        return m;
    }
    const QString config = QDir(m.path).filePath(QStringLiteral("config.json"));
    QFile cf(config);
    if (!cf.exists()) {
        m.error = tr("%1 is not a model folder: it has no config.json. A model folder holds config.json, "
                     "model.safetensors and tokenizer.json or tokenizer.model.").arg(m.path);
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
    try {
        const ModelConfig c = config_parse(text.toStdString(), config.toStdString());
        m.layers = c.num_layers;
    } catch (const std::exception& e) {
        m.error = QString::fromUtf8(e.what());
        return m;
    }
    const QDir d(m.path);
    if (!d.exists(QStringLiteral("model.safetensors")) && !d.exists(QStringLiteral("model.safetensors.index.json"))) {
        m.error = tr("%1 has no weights: model.safetensors (or model.safetensors.index.json) is missing.").arg(m.path);
        return m;
    }
    if (!d.exists(QStringLiteral("tokenizer.json")) && !d.exists(QStringLiteral("tokenizer.model"))) {
        m.error = tr("%1 has no tokenizer: tokenizer.json or tokenizer.model is missing.").arg(m.path);
        return m;
    }
    QFile gf(d.filePath(QStringLiteral("gistscope.json")));
    if (gf.open(QIODevice::ReadOnly)) {
        const QJsonObject g = QJsonDocument::fromJson(gf.readAll()).object();
        m.has_comp_config = !g.isEmpty();
        m.method = g.value(QStringLiteral("method")).toString();
        m.cache_tokens = g.value(QStringLiteral("output")).toObject().value(QStringLiteral("n_token")).toInt(-1);
        m.trained_for = g.value(QStringLiteral("trained_for")).toString();
    }
    // A note next to the weights says which problems a small demo model learnt.
    QFile note(d.filePath(QStringLiteral("trained_for.txt")));
    if (m.trained_for.isEmpty() && note.open(QIODevice::ReadOnly)) m.trained_for = QString::fromUtf8(note.readAll()).trimmed();
    m.ok = true;
    return m;
}

bool ModelList::supports(const ModelInfo& model, const QString& method, QString* why) {
    if (!needs_cache_tokens(method) || !model.has_comp_config || model.cache_tokens != 0) return true;
    if (why)
        *why = tr("%1 was not trained with gist or anchor tokens (its gistscope.json has output.n_token = 0), so it "
                  "cannot compress; choose a model trained for this method, e.g. demo-%2.")
                   .arg(model.name, method);
    return false;
}

void ModelList::fill(QComboBox* box, bool with_none) const {
    QStringList added;  // folders the user added before keep their place
    for (int i = 0; i < box->count(); ++i) {
        const QString d = box->itemData(i).toString();
        if (!d.isEmpty() && d != browseMarker() &&
            std::none_of(bundled_.begin(), bundled_.end(), [&](const ModelInfo& m) { return m.path == d; }))
            added << d;
    }
    box->clear();
    for (const ModelInfo& m : bundled_) {
        box->addItem(m.name, m.path);
        box->setItemData(box->count() - 1, m.path, Qt::ToolTipRole);
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
