// text_strip.h: a one-line label for text that changes many times a second (status bar figures,
// pane footers). Unlike QLabel, setText() only repaints: it never asks the window to lay out again,
// which on a busy window costs more than the whole plot update. Rich text is drawn with a
// QTextDocument; the height is one line, the width whatever the layout gives.
#pragma once
#include <QString>
#include <QTextDocument>
#include <QWidget>

namespace gistscope::ui {

class TextStrip : public QWidget {
    Q_OBJECT
public:
    explicit TextStrip(QWidget* parent = nullptr, int min_width = 0);
    void setText(const QString& text);  // rich text allowed
    QString text() const { return text_; }
    // Plain-text content (tests).
    QString plainText() const { return doc_.toPlainText(); }
    void setAlignment(Qt::Alignment a) { align_ = a; update(); }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent*) override;
    void changeEvent(QEvent* e) override;

private:
    QString text_;
    QTextDocument doc_;
    int min_width_ = 0;
    Qt::Alignment align_ = Qt::AlignLeft;
};

}  // namespace gistscope::ui
