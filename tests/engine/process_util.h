// process_util.h: running gistscope-cli (or a script) from a test and collecting what it said.
#pragma once
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace testutil {

struct ProcessResult {
    int code = -1;  // -1: crashed, killed or timed out
    QString out, err;
};

// Runs PROGRAM with ARGS, writes INPUT to its stdin and closes it; kills it after timeout_ms.
inline ProcessResult run_process(const QString& program, const QStringList& args, const QByteArray& input = {},
                                 int timeout_ms = 300000,
                                 const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    p.waitForStarted();
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeout_ms)) {
        p.kill();
        p.waitForFinished();
        return {-1, QString::fromUtf8(p.readAllStandardOutput()), "timed out: " + QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace testutil
