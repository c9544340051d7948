// app_shell.h: the application around the window: settings, the translator for the chosen language
// (the system's by default, or the override in Settings), and the switch of language at run time,
// which rebuilds the window and carries the problem, the runs (as traces) and the step over.
#pragma once
#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <QTranslator>
#include <memory>

namespace gistscope::gui {

class MainWindow;
class Settings;

class AppShell : public QObject {
    Q_OBJECT
public:
    explicit AppShell(Settings* settings, QObject* parent = nullptr);
    ~AppShell() override;
    // Installs the translators of `language` ("" = the system's, "en", "zh_CN"). Returns the
    // language actually used.
    QString installLanguage(const QString& language);
    MainWindow* window() const { return window_; }
    // Creates the window (first time) or rebuilds it in the current language.
    MainWindow* createWindow();
    // Applies "light", "dark" or "" (the platform's palette) to the whole application; every view
    // follows through its palette-change handler.
    static void applyTheme(const QString& theme);
    // Switches language and rebuilds the window, keeping its state.
    MainWindow* switchLanguage(const QString& language);

signals:
    void windowReplaced(gistscope::gui::MainWindow* window);

private:
    Settings* settings_ = nullptr;
    MainWindow* window_ = nullptr;
    QTranslator app_translator_, qt_translator_;
    QTemporaryDir carry_;  // traces carried across a rebuild
};

}  // namespace gistscope::gui
