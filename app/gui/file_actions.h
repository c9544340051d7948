// file_actions.h: what the File menu does. Opening traces (dialog, recent files, drag and drop;
// a pair from two different problems opens with a warning), saving the panes' traces under a base
// name the user chooses (never replacing a file without asking), and exporting a view. A folder is
// remembered for the next dialog only after something was written there, and a remembered folder
// that cannot be used (gone, read-only, a virtual file system such as /proc) is never reopened.
#pragma once
#include <QObject>
#include <QString>
#include <QStringList>

#include "view_tabs.h"

class QMainWindow;
class QMenu;

namespace gistscope::gui {

class ControlPanel;
class RunController;
class Settings;

class FileActions : public QObject {
    Q_OBJECT
public:
    FileActions(QMainWindow* window, Settings* settings, RunController* runs, ControlPanel* controls, ViewTabs* views);

    // Opens one or two traces for replay. Shows a dialog and keeps the current runs on failure.
    bool openTraces(const QStringList& paths);
    // Writes the panes' traces as BASE.trace.jsonl (one pane) or BASE-left-METHOD.trace.jsonl and
    // BASE-right-METHOD.trace.jsonl. Existing files are replaced only when the user agrees (or
    // `overwrite`). Shows a dialog on failure.
    bool saveTraces(const QString& base, bool overwrite = false);
    // The files saveTraces(base) writes.
    QStringList traceTargets(const QString& base) const;
    // Writes a view to `path` (format by suffix). Shows a dialog on failure.
    bool exportView(ViewId view, const QString& path);
    // The folder the next dialog for `purpose` ("export", "trace") opens in: the remembered one if
    // it is still usable (else it is forgotten), else a standard writable one.
    QString startDir(const QString& purpose);
    // Whether `dir` may be offered and remembered: an existing, writable folder, not on a virtual
    // file system (/proc, /sys, /dev) where listing can block.
    static bool usableDir(const QString& dir);
    // Default file name for an export of `view` (method / model / step in the name).
    QString exportFileName(ViewId view) const;

    // The dialogs (non-modal, so tests and a busy window keep running).
    void exportWithDialog(ViewId view);
    void openWithDialog();
    void saveWithDialog();
    // Fills File ▸ Open recent.
    void fillRecentMenu(QMenu* menu);
    // Drops: traces open for replay, a model folder or .gguf file becomes the left model.
    bool acceptsDrop(const QStringList& paths) const;
    bool openDropped(const QStringList& paths);

signals:
    void tracesOpened();
    void message(const QString& text, int ms);
    void error(const QString& title, const QString& text);
    void warning(const QString& title, const QString& text);

private:
    QMainWindow* window_ = nullptr;
    Settings* settings_ = nullptr;
    RunController* runs_ = nullptr;
    ControlPanel* controls_ = nullptr;
    ViewTabs* views_ = nullptr;
};

}  // namespace gistscope::gui
