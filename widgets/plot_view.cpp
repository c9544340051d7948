// plot_view.cpp: theming and export shared by the plots.
#include "widgets/plot_view.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextStream>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace gistscope::ui {

PlotView::PlotView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    plot_ = new QCustomPlot(this);
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setPlottingHint(QCP::phFastPolylines, true);
    layout->addWidget(plot_, 1);
    palette_ = RolePalette::for_palette(palette());
}

void PlotView::setRuns(const RunModel* left, const RunModel* right) {
    runs_[0] = left;
    runs_[1] = right;
    runs_changed_ = true;
}

void PlotView::replotNow() {
    plot_->replot(QCustomPlot::rpQueuedReplot);
    ++replots_;
    emit replotted();
}

void PlotView::styleAxis(QCPAxis* axis) {
    const QColor fg = palette_.foreground();
    axis->setBasePen(QPen(fg, 1));
    axis->setTickPen(QPen(fg, 1));
    axis->setSubTickPen(QPen(fg, 1));
    axis->setTickLabelColor(fg);
    axis->setLabelColor(fg);
    axis->grid()->setPen(QPen(palette_.grid(), 1, Qt::SolidLine));
    axis->grid()->setSubGridVisible(false);
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

void PlotView::applyTheme() {
    palette_ = RolePalette::for_palette(palette());
    plot_->setBackground(palette_.background());
    for (auto* rect : plot_->axisRects()) {
        rect->setBackground(palette_.background());
        for (auto* axis : rect->axes()) styleAxis(axis);
    }
    if (plot_->legend) {
        plot_->legend->setBrush(palette_.background());
        plot_->legend->setTextColor(palette_.foreground());
        plot_->legend->setBorderPen(QPen(palette_.grid()));
    }
}

void PlotView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        runs_changed_ = true;
        refresh();
    }
    QWidget::changeEvent(event);
}

bool check_writable(const QString& path, QString* error) {
    const QFileInfo fi(path);
    const QFileInfo dir(fi.absolutePath());
    if (!dir.exists()) {
        if (error) *error = QObject::tr("Cannot write %1: the folder %2 does not exist.").arg(path, dir.filePath());
        return false;
    }
    if (!dir.isDir() || !dir.isWritable()) {
        if (error) *error = QObject::tr("Cannot write %1: the folder %2 is not writable.").arg(path, dir.filePath());
        return false;
    }
    if (fi.exists() && (!fi.isFile() || !fi.isWritable())) {
        if (error) *error = QObject::tr("Cannot write %1: a file there cannot be replaced.").arg(path);
        return false;
    }
    return true;
}

QString csv_cell(QString s) {
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"'))) s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

bool write_text_file(const QString& path, const QString& text, QString* error) {
    if (!check_writable(path, error)) return false;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) *error = QObject::tr("Cannot write %1: %2.").arg(path, f.errorString());
        return false;
    }
    const QByteArray bytes = text.toUtf8();
    if (f.write(bytes) != bytes.size() || !f.commit()) {
        if (error) *error = QObject::tr("Cannot write %1: %2.").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool PlotView::exportTo(const QString& path, QString* error, QSize size) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv")) return write_text_file(path, csv(), error);
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg")) {
        if (error)
            *error = tr("Cannot export to %1: unknown format '%2', expected .png, .pdf, .svg or .csv.").arg(path, suffix);
        return false;
    }
    if (!check_writable(path, error)) return false;
    const QFileInfo fi(path);
    const QString tmp = fi.absolutePath() + QLatin1String("/.") + fi.fileName() + QLatin1String(".part");
    QFile::remove(tmp);
    plot_->deselectAll();
    prepareExport(true);
    const int w = size.width(), h = size.height();
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = plot_->savePng(tmp, w, h, 2.0, -1, 144);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot_->savePdf(tmp, w, h, QCP::epAllowCosmetic, QStringLiteral("GistScope"), exportName());
    } else {
        QSvgGenerator gen;
        gen.setFileName(tmp);
        gen.setSize(QSize(w, h));
        gen.setViewBox(QRect(0, 0, w, h));
        gen.setTitle(exportName());
        gen.setDescription(QStringLiteral("GistScope"));
        QCPPainter painter;
        if (painter.begin(&gen)) {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            plot_->toPainter(&painter, w, h);
            ok = painter.end();
        }
    }
    prepareExport(false);
    if (ok && QFileInfo(tmp).size() > 0) {
        QFile::remove(path);
        ok = QFile::rename(tmp, path);
    } else {
        ok = false;
    }
    if (!ok) {
        QFile::remove(tmp);
        if (error && error->isEmpty()) *error = tr("Cannot write %1: the %2 export failed.").arg(path, suffix.toUpper());
        return false;
    }
    return true;
}

}  // namespace gistscope::ui
