// settings.h: every persistent choice of the window behind one class over QSettings, with typed
// properties and a change signal each, so widgets bind to it instead of to string keys.
#pragma once
#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace gistscope::gui {

class Settings : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY maxTokensChanged)
    Q_PROPERTY(QString backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(int threads READ threads WRITE setThreads NOTIFY threadsChanged)
    Q_PROPERTY(bool showEvicted READ showEvicted WRITE setShowEvicted NOTIFY showEvictedChanged)
    Q_PROPERTY(bool teachingMode READ teachingMode WRITE setTeachingMode NOTIFY teachingModeChanged)
    Q_PROPERTY(int speed READ speed WRITE setSpeed NOTIFY speedChanged)
    Q_PROPERTY(QString attentionProbe READ attentionProbe WRITE setAttentionProbe NOTIFY attentionProbeChanged)

public:
    // `organization`/`application` select the QSettings store; tests pass their own.
    explicit Settings(QObject* parent = nullptr);
    Settings(const QString& file, QObject* parent);

    QString language() const;  // "" follows the system, else "en" or "zh_CN"
    void setLanguage(const QString& v);
    int maxTokens() const;
    void setMaxTokens(int v);
    QString backend() const;   // "auto", "cpu", "cuda"
    void setBackend(const QString& v);
    int threads() const;       // 0: all cores
    void setThreads(int v);
    bool showEvicted() const;
    void setShowEvicted(bool v);
    bool teachingMode() const;
    void setTeachingMode(bool v);
    int speed() const;         // index into the speed steps, see MainWindow
    void setSpeed(int v);
    QString theme() const;     // "" follows the system, "light", "dark"
    void setTheme(const QString& v);
    QString attentionProbe() const;  // "off", "avg", or a layer number
    void setAttentionProbe(const QString& v);

    // Per-pane model folder and method, and the last folders of the file dialogs.
    QString model(int pane) const;
    void setModel(int pane, const QString& dir);
    QString method(int pane) const;
    void setMethod(int pane, const QString& method);
    QString lastDir(const QString& purpose) const;
    void setLastDir(const QString& purpose, const QString& dir);
    // Sampling (0 = greedy), as gistscope-cli generate --temperature / --top-p / --seed.
    double temperature() const;
    void setTemperature(double v);
    double topP() const;
    void setTopP(double v);
    int seed() const;
    void setSeed(int v);
    // Traces opened or saved, newest first (at most 8).
    QStringList recentTraces() const;
    void addRecentTrace(const QString& path);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);

    QSettings& store() { return *store_; }

signals:
    void languageChanged(const QString&);
    void maxTokensChanged(int);
    void backendChanged(const QString&);
    void threadsChanged(int);
    void showEvictedChanged(bool);
    void teachingModeChanged(bool);
    void speedChanged(int);
    void attentionProbeChanged(const QString&);
    void themeChanged(const QString&);

private:
    template <typename T, typename Signal>
    void put(const char* key, const T& value, Signal signal);
    QSettings* store_ = nullptr;
};

}  // namespace gistscope::gui
