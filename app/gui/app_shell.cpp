// app_shell.cpp: translators and window rebuilds.
#include "app_shell.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QStyle>

#include "main_window.h"
#include "settings.h"

namespace gistscope::gui {

AppShell::AppShell(Settings* settings, QObject* parent) : QObject(parent), settings_(settings) {}

AppShell::~AppShell() { delete window_; }

QString AppShell::installLanguage(const QString& language) {
    QCoreApplication::removeTranslator(&app_translator_);
    QCoreApplication::removeTranslator(&qt_translator_);
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QString used = QStringLiteral("en");
    if (locale.language() == QLocale::Chinese && app_translator_.load(QStringLiteral(":/i18n/gistscope_zh_CN.qm"))) {
        QCoreApplication::installTranslator(&app_translator_);
        if (qt_translator_.load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"), QStringLiteral("_"),
                                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&qt_translator_);
        used = QStringLiteral("zh_CN");
        QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    } else {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    return used;
}

void AppShell::applyTheme(const QString& theme) {
    static const QPalette platform = QApplication::palette();
    if (theme != QLatin1String("dark")) {
        QApplication::setPalette(theme == QLatin1String("light") ? QApplication::style()->standardPalette() : platform);
        return;
    }
    QPalette p;
    const QColor window(0x2B, 0x2B, 0x2E), base(0x1E, 0x1E, 0x20), text(0xE0, 0xE0, 0xE0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x2A));
    p.setColor(QPalette::ToolTipBase, QColor(0x3A, 0x3A, 0x3E));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3D, 0x7E, 0xC4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x70, 0x70));
    QApplication::setPalette(p);
}

MainWindow* AppShell::createWindow() {
    window_ = new MainWindow(settings_);
    window_->setAttribute(Qt::WA_DeleteOnClose, false);
    connect(window_, &MainWindow::languageChangeRequested, this, [this](const QString& lang) {
        // Rebuild after the menu's signal has returned.
        QMetaObject::invokeMethod(this, [this, lang] { switchLanguage(lang)->show(); }, Qt::QueuedConnection);
    });
    return window_;
}

MainWindow* AppShell::switchLanguage(const QString& language) {
    settings_->setLanguage(language);
    WindowSnapshot snap;
    QRect geometry;
    bool visible = false;
    if (window_) {
        snap = window_->snapshot();
        geometry = window_->geometry();
        visible = window_->isVisible();
        // The old window's recorded traces are deleted with it: carry copies over.
        QStringList carried;
        for (int i = 0; i < snap.traces.size(); ++i) {
            const QString to = QDir(carry_.path()).filePath(QStringLiteral("%1-%2").arg(i).arg(QFileInfo(snap.traces[i]).fileName()));
            if (QFileInfo(snap.traces[i]).absoluteFilePath() != to) {
                QFile::remove(to);
                QFile::copy(snap.traces[i], to);
            }
            carried << to;
        }
        snap.traces = carried;
        window_->hide();
        window_->deleteLater();
        window_ = nullptr;
    }
    installLanguage(language);
    createWindow();
    if (geometry.isValid()) window_->setGeometry(geometry);
    window_->restore(snap);
    if (visible) window_->show();
    emit windowReplaced(window_);
    return window_;
}

}  // namespace gistscope::gui
