// file_actions.cpp: open, save and export, with their dialogs.
#include "file_actions.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include "control_panel.h"
#include "main_window.h"
#include "run_controller.h"
#include "settings.h"
#include "widgets/plot_view.h"

namespace gistscope::gui {

namespace {
bool is_trace_file(const QString& path) {
    return QFileInfo(path).isFile() && (path.endsWith(QLatin1String(".jsonl")) || path.endsWith(QLatin1String(".trace")));
}
QString strip_trace_suffix(QString base) {
    for (const char* s : {".trace.jsonl", ".jsonl", ".trace"})
        if (base.endsWith(QLatin1String(s))) return base.chopped(int(qstrlen(s)));
    return base;
}
}  // namespace

FileActions::FileActions(QMainWindow* window, Settings* settings, RunController* runs, ControlPanel* controls, ViewTabs* views)
    : QObject(window), window_(window), settings_(settings), runs_(runs), controls_(controls), views_(views) {}

bool FileActions::usableDir(const QString& dir) {
    if (dir.isEmpty()) return false;
    const QFileInfo fi(dir);
    if (!fi.isDir() || !fi.isWritable()) return false;
    const QString canonical = fi.canonicalFilePath();
    for (const char* virt : {"/proc", "/sys", "/dev"})
        if (canonical == QLatin1String(virt) || canonical.startsWith(QLatin1String(virt) + QLatin1Char('/'))) return false;
    return true;
}

QString FileActions::startDir(const QString& purpose) {
    const QString remembered = settings_->lastDir(purpose);
    if (usableDir(remembered)) return remembered;
    if (!remembered.isEmpty()) settings_->setLastDir(purpose, QString());
    for (auto loc : {purpose == QLatin1String("export") ? QStandardPaths::PicturesLocation : QStandardPaths::DocumentsLocation,
                     QStandardPaths::HomeLocation})
        if (const QString d = QStandardPaths::writableLocation(loc); usableDir(d)) return d;
    return QDir::tempPath();
}

bool FileActions::openTraces(const QStringList& paths) {
    if (paths.isEmpty()) return false;
    if (paths.size() > 2) {
        emit error(tr("Too many traces"), tr("Open one trace, or two to compare them side by side (left, right)."));
        return false;
    }
    if (runs_->isRunning()) {
        emit error(tr("A run is in progress"), tr("Stop the run before opening traces."));
        return false;
    }
    std::vector<Trace> traces;
    for (const QString& p : paths) {
        try {
            traces.push_back(trace_read(std::filesystem::path(p.toStdString())));
        } catch (const std::exception& e) {
            emit error(tr("Cannot open the trace"),
                       tr("%1 is not a readable GistScope trace:\n%2\n\nThe runs on screen are unchanged.").arg(p, QString::fromUtf8(e.what())));
            return false;
        }
    }
    QStringList files;
    for (const QString& p : paths) files << QFileInfo(p).absoluteFilePath();
    auto is_lt = [](const Trace& t) { return t.header.method.rfind("lightthinker", 0) == 0 || t.header.method == "anllm"; };
    if (traces.size() == 2 && !is_lt(traces[0]) && is_lt(traces[1])) {
        std::swap(traces[0], traces[1]);
        files.swapItemsAt(0, 1);
    }
    QString mismatch;
    if (traces.size() == 2) {
        const auto& a = traces[0].header;
        const auto& b = traces[1].header;
        const bool differ = (!a.question.empty() && !b.question.empty()) ? a.question != b.question : a.prompt_ids != b.prompt_ids;
        if (differ)
            mismatch = tr("%1 and %2 are runs of different problems:\n\nleft: %3\nright: %4\n\nTheir curves and metrics "
                          "are shown side by side, but they do not compare the methods on one problem.")
                           .arg(QFileInfo(files[0]).fileName(), QFileInfo(files[1]).fileName(),
                                QString::fromStdString(a.question).left(160), QString::fromStdString(b.question).left(160));
    }
    for (int i = 0; i < int(traces.size()); ++i) {
        const auto& h = traces[size_t(i)].header;
        // The pickers show what is replayed, when that model is installed.
        const QString dir = MainWindow::resourcesDir() + QStringLiteral("/models/") + QString::fromStdString(h.model);
        QString ignored;
        if (QFileInfo(dir).isDir()) controls_->setModel(i, QDir(dir).absolutePath(), &ignored);
        controls_->setMethod(i, QString::fromStdString(h.method));
        // ... and the method's parameters as recorded.
        if (h.params.is_object())
            for (const char* key : {"token_step", "cache_size", "recent", "init", "separators", "local", "max_new_tokens"})
                if (h.params.contains(key) && h.params[key].is_number_integer()) controls_->setParam(i, key, h.params[key].get<int>());
    }
    const auto& h = traces[0].header;
    controls_->setProblem(QString::fromStdString(h.question), h.expected_answer ? QString::fromStdString(*h.expected_answer) : QString());
    runs_->openTraces(std::move(traces), files);
    for (const QString& f : files) settings_->addRecentTrace(f);
    if (usableDir(QFileInfo(files.front()).absolutePath())) settings_->setLastDir(QStringLiteral("trace"), QFileInfo(files.front()).absolutePath());
    emit tracesOpened();
    if (!mismatch.isEmpty()) emit warning(tr("Traces of different problems"), mismatch);
    return true;
}

QStringList FileActions::traceTargets(const QString& base_path) const {
    const QString base = strip_trace_suffix(base_path);
    QStringList out;
    int panes = 0;
    for (int i = 0; i < 2; ++i)
        if (!runs_->traceFile(i).isEmpty() && QFileInfo::exists(runs_->traceFile(i))) ++panes;
    for (int i = 0; i < 2; ++i) {
        if (runs_->traceFile(i).isEmpty() || !QFileInfo::exists(runs_->traceFile(i))) continue;
        out << (panes == 1 ? base + QStringLiteral(".trace.jsonl")
                           : QStringLiteral("%1-%2-%3.trace.jsonl")
                                 .arg(base, i == 0 ? QStringLiteral("left") : QStringLiteral("right"),
                                      QString::fromStdString(runs_->run(i).header().method)));
    }
    return out;
}

bool FileActions::saveTraces(const QString& base, bool overwrite) {
    const QStringList targets = traceTargets(base);
    if (targets.isEmpty()) {
        emit error(tr("Nothing to save"), tr("Run a problem first: its two runs are recorded as traces."));
        return false;
    }
    QStringList sources;
    for (int i = 0; i < 2; ++i)
        if (!runs_->traceFile(i).isEmpty() && QFileInfo::exists(runs_->traceFile(i))) sources << runs_->traceFile(i);
    QStringList existing;
    for (int i = 0; i < targets.size(); ++i) {
        QString err;
        if (!ui::check_writable(targets[i], &err)) {
            emit error(tr("Cannot save the traces"), err);
            return false;
        }
        if (QFileInfo::exists(targets[i]) && QFileInfo(targets[i]).canonicalFilePath() != QFileInfo(sources[i]).canonicalFilePath())
            existing << targets[i];
    }
    if (!existing.isEmpty() && !overwrite) {
        QMessageBox ask(QMessageBox::Question, tr("Replace existing traces?"),
                        tr("These files exist already:\n%1\n\nReplace them?").arg(existing.join(QLatin1Char('\n'))),
                        QMessageBox::NoButton, window_);
        ask.setObjectName(QStringLiteral("overwriteDialog"));
        auto* replace = ask.addButton(tr("Replace"), QMessageBox::AcceptRole);
        ask.addButton(QMessageBox::Cancel);
        ask.setDefaultButton(QMessageBox::Cancel);
        ask.exec();
        if (ask.clickedButton() != replace) {
            emit message(tr("Nothing was saved."), 4000);
            return false;
        }
    }
    for (int i = 0; i < targets.size(); ++i) {
        const QString& target = targets[i];
        if (QFileInfo(target).canonicalFilePath() == QFileInfo(sources[i]).canonicalFilePath()) continue;
        const QString tmp = target + QStringLiteral(".part");
        QFile::remove(tmp);
        if (!QFile::copy(sources[i], tmp) || (QFile::exists(target) && !QFile::remove(target)) || !QFile::rename(tmp, target)) {
            QFile::remove(tmp);
            emit error(tr("Cannot save the traces"), tr("Cannot write %1.").arg(target));
            return false;
        }
    }
    for (const QString& t : targets) settings_->addRecentTrace(t);
    settings_->setLastDir(QStringLiteral("trace"), QFileInfo(targets.front()).absolutePath());
    emit message(tr("Saved %1").arg(targets.join(QStringLiteral(", "))), 6000);
    return true;
}

bool FileActions::exportView(ViewId view, const QString& path) {
    QString err;
    if (!views_->exportView(view, path, &err)) {
        emit error(tr("Export failed"), err + QStringLiteral("\n\n") + tr("Nothing was written; the views are unchanged."));
        return false;
    }
    // Remembered only now: a folder where the export failed is never offered again.
    const QString dir = QFileInfo(path).absolutePath();
    if (usableDir(dir)) settings_->setLastDir(QStringLiteral("export"), dir);
    emit message(tr("Exported %1").arg(path), 5000);
    return true;
}

QString FileActions::exportFileName(ViewId view) const {
    static const char* names[] = {"kv-cache", "attention-mask", "attention-weights", "metrics", "memory-timeline"};
    QString name = QString::fromLatin1(names[int(view)]);
    for (int i = 0; i < 2; ++i)
        if (!runs_->run(i).empty())
            name += (i == 0 ? QStringLiteral("-") : QStringLiteral("-vs-")) + QString::fromStdString(runs_->run(i).header().method) +
                    QStringLiteral("-") + QString::fromStdString(runs_->run(i).header().model);
    if (!runs_->run(0).empty() && !runs_->run(0).at_end()) name += QStringLiteral("-step%1").arg(runs_->run(0).current_step());
    return name + (view == ViewId::metrics ? QStringLiteral(".csv") : QStringLiteral(".png"));
}

void FileActions::exportWithDialog(ViewId view) {
    auto* dialog = new QFileDialog(window_, tr("Export"), startDir(QStringLiteral("export")),
                                   view == ViewId::metrics ? tr("CSV table (*.csv)")
                                                           : tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->selectFile(exportFileName(view));
    connect(dialog, &QFileDialog::fileSelected, this, [this, view](const QString& path) {
        if (!path.isEmpty()) exportView(view, path);
    });
    dialog->open();
}

void FileActions::openWithDialog() {
    const QStringList paths = QFileDialog::getOpenFileNames(window_, tr("Open traces"), startDir(QStringLiteral("trace")),
                                                            tr("GistScope traces (*.jsonl *.trace);;All files (*)"));
    if (!paths.isEmpty()) openTraces(paths);
}

void FileActions::saveWithDialog() {
    if (traceTargets(QStringLiteral("x")).isEmpty()) {
        emit error(tr("Nothing to save"), tr("Run a problem first: its two runs are recorded as traces."));
        return;
    }
    QString suggestion = QStringLiteral("gistscope-run");
    if (!runs_->run(0).empty()) suggestion = QString::fromStdString(runs_->run(0).header().model);
    // Overwrites are asked by saveTraces for every file it writes, not only the base name.
    const QString base = QFileDialog::getSaveFileName(
        window_, tr("Save traces (base name; one file per pane)"), QDir(startDir(QStringLiteral("trace"))).filePath(suggestion),
        tr("GistScope traces (*.trace.jsonl)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!base.isEmpty()) saveTraces(base);
}

void FileActions::fillRecentMenu(QMenu* menu) {
    menu->clear();
    const QStringList recent = settings_->recentTraces();
    for (const QString& path : recent) {
        auto* a = menu->addAction(QFileInfo(path).fileName(), this, [this, path] { openTraces({path}); });
        a->setToolTip(path);
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty()) menu->addAction(tr("(no recent traces)"))->setEnabled(false);
}

bool FileActions::acceptsDrop(const QStringList& paths) const {
    if (paths.isEmpty() || paths.size() > 2) return false;
    for (const QString& p : paths)
        if (!is_trace_file(p) && !QFileInfo(p).isDir() && !p.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive)) return false;
    return true;
}

bool FileActions::openDropped(const QStringList& paths) {
    if (!acceptsDrop(paths)) {
        emit error(tr("Cannot open the dropped files"),
                   tr("Drop one or two traces (.jsonl) to replay them, or a model folder or .gguf file to run it."));
        return false;
    }
    if (is_trace_file(paths.front())) return openTraces(paths);
    QString err;
    for (int i = 0; i < paths.size(); ++i)
        if (!controls_->setModel(i, paths[i], &err)) {
            emit error(tr("Not a usable model"), err);
            return false;
        }
    emit message(tr("Model %1 chosen for the left pane").arg(paths.front()), 5000);
    return true;
}

}  // namespace gistscope::gui
