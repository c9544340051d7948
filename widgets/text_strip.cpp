// text_strip.cpp: paint-only label.
#include "widgets/text_strip.h"

#include <QAbstractTextDocumentLayout>
#include <QEvent>
#include <QPainter>

namespace gistscope::ui {

TextStrip::TextStrip(QWidget* parent, int min_width) : QWidget(parent), min_width_(min_width) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    doc_.setDocumentMargin(0);
    doc_.setDefaultFont(font());
}

void TextStrip::setText(const QString& text) {
    if (text == text_) return;
    text_ = text;
    doc_.setHtml(text);
    setToolTip(doc_.toPlainText().size() > 60 ? doc_.toPlainText() : QString());
    update();
}

QSize TextStrip::sizeHint() const { return QSize(min_width_, fontMetrics().height() + 6); }

void TextStrip::changeEvent(QEvent* e) {
    if (e->type() == QEvent::FontChange) doc_.setDefaultFont(font());
    QWidget::changeEvent(e);
}

void TextStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette = palette();
    ctx.palette.setColor(QPalette::Text, palette().color(foregroundRole()));
    const double w = doc_.idealWidth();
    double x = 0;
    if (align_ & Qt::AlignRight) x = std::max(0.0, width() - w);
    else if (align_ & Qt::AlignHCenter) x = std::max(0.0, (width() - w) / 2);
    p.translate(x, (height() - doc_.size().height()) / 2);
    p.setClipRect(QRectF(-x, 0, width(), height()));
    doc_.documentLayout()->draw(&p, ctx);
}

}  // namespace gistscope::ui
