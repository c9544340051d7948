// gistscope: the window. `gistscope [--replay TRACE [--replay TRACE2]] [--screenshot FILE.png]
// [--size WxH] [--view kv|mask|attention|metrics|memory] [--step N] [--language zh_CN|en] [--theme
// light|dark] [--run] [--teaching] [--preset NAME] [--problem TEXT]`. The command line is checked before the window system starts:
// --help and --version work without a display, and a bad value is named (exit 2). With --screenshot
// the window is rendered at the trace's last step (or --step), saved as PNG, and the program exits;
// that works with QT_QPA_PLATFORM=offscreen.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCommandLineParser>
#include <QFrame>
#include <QIcon>
#include <QStyleFactory>
#include <QTimer>
#include <cstdio>

#include "app_shell.h"
#include "control_panel.h"
#include "main_window.h"
#include "settings.h"

namespace {
bool has_display() {
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}
}  // namespace

int main(int argc, char** argv) {
    QCoreApplication::setApplicationName(QStringLiteral("gistscope"));
    QCoreApplication::setOrganizationName(QStringLiteral("GistScope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GISTSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GistScope: watch LightThinker compress its thoughts."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption replay(QStringLiteral("replay"), QStringLiteral("Open TRACE for replay (give twice to compare)."),
                                    QStringLiteral("TRACE"));
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Render the window to FILE.png and exit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption view(QStringLiteral("view"), QStringLiteral("Plot tab shown: kv, mask, attention, metrics, memory."),
                                  QStringLiteral("VIEW"), QStringLiteral("kv"));
    const QCommandLineOption step(QStringLiteral("step"), QStringLiteral("Step shown (default: the last)."), QStringLiteral("N"));
    const QCommandLineOption lang(QStringLiteral("language"), QStringLiteral("Language for this session: en or zh_CN."),
                                  QStringLiteral("LANG"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot, WxH."),
                                  QStringLiteral("WxH"), QStringLiteral("1600x1000"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("Theme for this session: light or dark."),
                                   QStringLiteral("THEME"));
    const QCommandLineOption run(QStringLiteral("run"),
                                 QStringLiteral("Start a run at launch (of --problem, else of the first example); with --screenshot the window "
                                                "is rendered live once the run reaches --step (or ends)."));
    const QCommandLineOption teaching(QStringLiteral("teaching"),
                                      QStringLiteral("Teaching mode; with --replay and --screenshot the trace plays from "
                                                     "the start and the window is rendered at the first compression."));
    const QCommandLineOption preset(QStringLiteral("preset"),
                                    QStringLiteral("Comparison shown, by its name in the Compare list, e.g. \"LightThinker vs "
                                                   "vanilla (SmolLM2)\"."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption problem(QStringLiteral("problem"),
                                     QStringLiteral("The problem in the editor (with --run: the one run), as if typed."),
                                     QStringLiteral("TEXT"));
    parser.addOptions({replay, shot, view, step, lang, size, theme, run, teaching, preset, problem});
    // The command line is checked before the window system is touched, so --help, --version and a
    // wrong option work (and say so) without a display.
    // Qt's own options (-platform offscreen, -style ...) are left to QApplication.
    static const QStringList qt_valued = {QStringLiteral("platform"), QStringLiteral("platformpluginpath"),
                                          QStringLiteral("platformtheme"), QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"),
                                          QStringLiteral("qwindowtitle"), QStringLiteral("qwindowicon"), QStringLiteral("style"),
                                          QStringLiteral("stylesheet"), QStringLiteral("display"), QStringLiteral("geometry")};
    static const QStringList qt_flags = {QStringLiteral("reverse"), QStringLiteral("nograb"), QStringLiteral("dograb"),
                                         QStringLiteral("sync"), QStringLiteral("widgetcount")};
    QStringList args;
    bool platform_given = false;
    for (int i = 0; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        QString bare = a;
        while (bare.startsWith(QLatin1Char('-'))) bare.remove(0, 1);
        if (i > 0 && a.startsWith(QLatin1Char('-')) && qt_valued.contains(bare)) {
            platform_given = platform_given || bare == QLatin1String("platform");
            ++i;
            continue;
        }
        if (i > 0 && a.startsWith(QLatin1Char('-')) && qt_flags.contains(bare)) continue;
        args << a;
    }
    if (!parser.parse(args)) {
        std::fprintf(stderr, "gistscope: %s\nRun gistscope --help for the options.\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
        std::printf("%s", qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("gistscope"))));
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("gistscope %s\n", GISTSCOPE_VERSION);
        return 0;
    }
    auto reject = [](const QString& option, const QString& value, const QString& expected) {
        std::fprintf(stderr, "gistscope: --%s %s: expected %s\n", qPrintable(option), qPrintable(value), qPrintable(expected));
        return 2;
    };
    const QStringList views = {QStringLiteral("kv"), QStringLiteral("mask"), QStringLiteral("attention"), QStringLiteral("metrics"),
                               QStringLiteral("memory")};
    if (!views.contains(parser.value(view)))
        return reject(QStringLiteral("view"), parser.value(view), QStringLiteral("kv, mask, attention, metrics or memory"));
    bool number_ok = true;
    if (parser.isSet(step) && (parser.value(step).toInt(&number_ok) < 0 || !number_ok))
        return reject(QStringLiteral("step"), parser.value(step), QStringLiteral("a step number >= 0"));
    if (parser.isSet(lang) && !QStringList{QStringLiteral("en"), QStringLiteral("zh_CN")}.contains(parser.value(lang)))
        return reject(QStringLiteral("language"), parser.value(lang), QStringLiteral("en or zh_CN"));
    if (parser.isSet(theme) && !QStringList{QStringLiteral("light"), QStringLiteral("dark")}.contains(parser.value(theme)))
        return reject(QStringLiteral("theme"), parser.value(theme), QStringLiteral("light or dark"));
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 200)
        return reject(QStringLiteral("size"), parser.value(size), QStringLiteral("WIDTHxHEIGHT, at least 200x200, e.g. 1024x700"));
    if (!parser.positionalArguments().isEmpty())
        return reject(QStringLiteral(""), parser.positionalArguments().join(QLatin1Char(' ')),
                      QStringLiteral("no file arguments (open traces with --replay TRACE)"));
    if (!has_display() && !platform_given) {
        std::fprintf(stderr, "gistscope: no display: set DISPLAY (X11) or WAYLAND_DISPLAY, or QT_QPA_PLATFORM=offscreen "
                             "with --screenshot\n");
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/gistscope.svg")));

    gistscope::gui::Settings settings;
    gistscope::gui::AppShell shell(&settings);
    shell.installLanguage(parser.isSet(lang) ? parser.value(lang) : settings.language());
    gistscope::gui::AppShell::applyTheme(parser.isSet(theme) ? parser.value(theme) : settings.theme());
    auto* window = shell.createWindow();
    const QStringList traces = parser.values(replay);
    if (parser.isSet(shot)) window->resize(wh[0].toInt(), wh[1].toInt());
    window->show();
    if (!traces.isEmpty() && !window->openTraces(traces) && parser.isSet(shot)) {
        std::fprintf(stderr, "gistscope: cannot open %s\n", qPrintable(traces.join(QStringLiteral(", "))));
        return 2;
    }
    if (parser.isSet(preset)) {
        using gistscope::gui::ControlPanel;
        const int id = ControlPanel::findPreset(parser.value(preset));
        if (id < 0)
            return reject(QStringLiteral("preset"), parser.value(preset),
                          QStringLiteral("one of: ") + ControlPanel::presetNames().join(QStringLiteral(", ")));
        if (!window->controls()->applyPreset(id)) {
            // The list's tooltip says why (a model, or the base of an adapter, is missing).
            QComboBox* box = window->controls()->presetBox();
            return reject(QStringLiteral("preset"), parser.value(preset),
                          QStringLiteral("a comparison whose models are here (") +
                              box->itemData(box->findData(id), Qt::ToolTipRole).toString() + QLatin1Char(')'));
        }
    }
    if (parser.isSet(problem)) window->setProblem(parser.value(problem), QString());
    const QString v = parser.value(view);
    using gistscope::gui::ViewId;
    window->showView(v == QLatin1String("mask") ? ViewId::mask
                     : v == QLatin1String("attention") ? ViewId::attention
                     : v == QLatin1String("metrics") ? ViewId::metrics
                     : v == QLatin1String("memory") ? ViewId::memory
                                                       : ViewId::occupancy);
    if (parser.isSet(run)) {
        window->startRun();
        if (parser.isSet(shot)) {
            const int at = parser.isSet(step) ? parser.value(step).toInt() : 1 << 30;
            const QString file = parser.value(shot);
            auto* poll = new QTimer(window);
            QObject::connect(poll, &QTimer::timeout, window, [window, at, file, poll] {
                if (window->isRunning() && window->lastStep() < at) return;
                poll->stop();
                window->setStep(window->lastStep());  // the newest step, whatever the playback speed
                QString error;
                const bool ok = window->saveScreenshot(file, &error);
                std::fprintf(ok ? stdout : stderr, "%s\n", qPrintable(ok ? file : QStringLiteral("gistscope: ") + error));
                window->stopRun();
                QCoreApplication::exit(ok ? 0 : 2);
            });
            poll->start(20);
            return app.exec();
        }
        return app.exec();
    }
    if (parser.isSet(teaching)) {
        if (auto* box = window->findChild<QCheckBox*>(QStringLiteral("teachingMode"))) box->setChecked(true);
        if (!traces.isEmpty() && parser.isSet(shot)) {
            window->setStep(0);
            window->setPlaying(true);
            const QString file = parser.value(shot);
            auto* poll = new QTimer(window);
            QObject::connect(poll, &QTimer::timeout, window, [window, file, poll] {
                if (!window->teachingBanner()->isVisible() && window->isPlaying()) return;
                poll->stop();
                QString error;
                const bool ok = window->saveScreenshot(file, &error);
                std::fprintf(ok ? stdout : stderr, "%s\n", qPrintable(ok ? file : QStringLiteral("gistscope: ") + error));
                QCoreApplication::exit(ok ? 0 : 2);
            });
            poll->start(20);
            return app.exec();
        }
    }
    if (parser.isSet(step)) window->setStep(parser.value(step).toInt());
    if (parser.isSet(shot)) {
        // Let the layout settle (docks, splitters) before rendering.
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        if (!parser.isSet(step)) window->setStep(window->lastStep());
        QString error;
        if (!window->saveScreenshot(parser.value(shot), &error)) {
            std::fprintf(stderr, "gistscope: %s\n", qPrintable(error));
            return 2;
        }
        std::printf("%s\n", qPrintable(parser.value(shot)));
        return 0;
    }
    return app.exec();
}
