// settings.cpp: typed accessors over QSettings.
#include "settings.h"

namespace gistscope::gui {

Settings::Settings(QObject* parent) : QObject(parent), store_(new QSettings(QStringLiteral("GistScope"), QStringLiteral("gistscope"), this)) {}

Settings::Settings(const QString& file, QObject* parent)
    : QObject(parent), store_(new QSettings(file, QSettings::IniFormat, this)) {}

template <typename T, typename Signal>
void Settings::put(const char* key, const T& value, Signal signal) {
    if (store_->contains(QLatin1String(key)) && store_->value(QLatin1String(key)).value<T>() == value) return;
    store_->setValue(QLatin1String(key), value);
    emit(this->*signal)(value);
}

QString Settings::language() const { return store_->value("language", QString()).toString(); }
void Settings::setLanguage(const QString& v) { put("language", v, &Settings::languageChanged); }
int Settings::maxTokens() const { return store_->value("run/maxTokens", 1024).toInt(); }
void Settings::setMaxTokens(int v) { put("run/maxTokens", v, &Settings::maxTokensChanged); }
QString Settings::backend() const { return store_->value("run/backend", QStringLiteral("auto")).toString(); }
void Settings::setBackend(const QString& v) { put("run/backend", v, &Settings::backendChanged); }
int Settings::threads() const { return store_->value("run/threads", 0).toInt(); }
void Settings::setThreads(int v) { put("run/threads", v, &Settings::threadsChanged); }
bool Settings::showEvicted() const { return store_->value("view/showEvicted", true).toBool(); }
void Settings::setShowEvicted(bool v) { put("view/showEvicted", v, &Settings::showEvictedChanged); }
bool Settings::teachingMode() const { return store_->value("view/teachingMode", false).toBool(); }
void Settings::setTeachingMode(bool v) { put("view/teachingMode", v, &Settings::teachingModeChanged); }
int Settings::speed() const { return store_->value("view/speed", 8).toInt(); }
void Settings::setSpeed(int v) { put("view/speed", v, &Settings::speedChanged); }
QString Settings::theme() const { return store_->value("view/theme", QString()).toString(); }
void Settings::setTheme(const QString& v) { put("view/theme", v, &Settings::themeChanged); }
QString Settings::attentionProbe() const { return store_->value("run/attention", QStringLiteral("avg")).toString(); }
void Settings::setAttentionProbe(const QString& v) { put("run/attention", v, &Settings::attentionProbeChanged); }

QString Settings::model(int pane) const { return store_->value(QStringLiteral("pane%1/model").arg(pane)).toString(); }
void Settings::setModel(int pane, const QString& dir) { store_->setValue(QStringLiteral("pane%1/model").arg(pane), dir); }
QString Settings::method(int pane) const { return store_->value(QStringLiteral("pane%1/method").arg(pane)).toString(); }
void Settings::setMethod(int pane, const QString& m) { store_->setValue(QStringLiteral("pane%1/method").arg(pane), m); }
QString Settings::lastDir(const QString& purpose) const { return store_->value(QStringLiteral("dirs/") + purpose).toString(); }
void Settings::setLastDir(const QString& purpose, const QString& dir) { store_->setValue(QStringLiteral("dirs/") + purpose, dir); }
double Settings::temperature() const { return store_->value("run/temperature", 0.0).toDouble(); }
void Settings::setTemperature(double v) { store_->setValue("run/temperature", v); }
double Settings::topP() const { return store_->value("run/topP", 1.0).toDouble(); }
void Settings::setTopP(double v) { store_->setValue("run/topP", v); }
int Settings::seed() const { return store_->value("run/seed", 0).toInt(); }
void Settings::setSeed(int v) { store_->setValue("run/seed", v); }
QStringList Settings::recentTraces() const { return store_->value("files/recentTraces").toStringList(); }
void Settings::addRecentTrace(const QString& path) {
    QStringList list = recentTraces();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > 8) list.removeLast();
    store_->setValue("files/recentTraces", list);
}
QByteArray Settings::windowState() const { return store_->value("window/state").toByteArray(); }
void Settings::setWindowState(const QByteArray& s) { store_->setValue("window/state", s); }
QByteArray Settings::windowGeometry() const { return store_->value("window/geometry").toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& g) { store_->setValue("window/geometry", g); }

}  // namespace gistscope::gui
