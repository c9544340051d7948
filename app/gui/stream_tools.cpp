// stream_tools.cpp: find bar and copy of the generated text.
#include "stream_tools.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QToolButton>
#include <vector>

#include "run_controller.h"
#include "run_pane.h"

namespace gistscope::gui {

namespace {
// The generated text of a run and, per character, the index of the token it belongs to.
QString text_with_owners(const ui::RunModel& run, std::vector<int>* owners) {
    QString text;
    const auto& tokens = run.tokens();
    for (int i = 0; i < int(tokens.size()); ++i) {
        if (tokens[size_t(i)].role == SlotRole::prompt || tokens[size_t(i)].step > run.current_step()) continue;
        const QString piece = QString::fromStdString(tokens[size_t(i)].text);
        text += piece;
        if (owners) owners->insert(owners->end(), size_t(piece.size()), i);
    }
    return text;
}
}  // namespace

StreamTools::StreamTools(const RunController* runs, RunPane* const panes[2], QWidget* parent_widget)
    : QObject(parent_widget), runs_(runs) {
    panes_[0] = panes[0];
    panes_[1] = panes[1];
    bar_ = new QWidget(parent_widget);
    bar_->setObjectName(QStringLiteral("findBar"));
    auto* h = new QHBoxLayout(bar_);
    h->setContentsMargins(0, 0, 0, 0);
    field_ = new QLineEdit(bar_);
    field_->setObjectName(QStringLiteral("findField"));
    field_->setPlaceholderText(tr("Find in the streams (Enter: next, Shift+Enter: previous)"));
    field_->setClearButtonEnabled(true);
    auto* next = new QToolButton(bar_);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    auto* prev = new QToolButton(bar_);
    prev->setArrowType(Qt::UpArrow);
    prev->setToolTip(tr("Previous match (Shift+F3)"));
    auto* close = new QToolButton(bar_);
    close->setIcon(bar_->style()->standardIcon(QStyle::SP_DialogCloseButton));
    close->setToolTip(tr("Close the find bar (Esc in the field)"));
    result_ = new QLabel(bar_);
    h->addWidget(new QLabel(tr("Find:"), bar_));
    h->addWidget(field_, 1);
    h->addWidget(prev);
    h->addWidget(next);
    h->addWidget(result_);
    h->addWidget(close);
    connect(field_, &QLineEdit::returnPressed, this, [this] {
        findNext(field_->text(), QApplication::keyboardModifiers() & Qt::ShiftModifier);
    });
    connect(field_, &QLineEdit::textEdited, this, [this] { match_offset_ = -1; });
    connect(next, &QToolButton::clicked, this, [this] { findNext(field_->text()); });
    connect(prev, &QToolButton::clicked, this, [this] { findNext(field_->text(), true); });
    connect(close, &QToolButton::clicked, bar_, &QWidget::hide);
    bar_->hide();
}

void StreamTools::openFind() {
    bar_->show();
    field_->setFocus();
    field_->selectAll();
}

bool StreamTools::findNext(const QString& text, bool backwards) {
    if (text.isEmpty()) return false;
    // Search on from the last match, through the left pane, then the right, then wrap around.
    for (int k = 0; k <= 2; ++k) {
        const int pane = backwards ? (match_pane_ + 2 - k) % 2 : (match_pane_ + k) % 2;
        std::vector<int> owners;
        const QString hay = text_with_owners(runs_->run(pane), &owners);
        int at = -1;
        const bool same = pane == match_pane_ && k == 0;
        if (backwards) at = hay.lastIndexOf(text, same && match_offset_ > 0 ? match_offset_ - 1 : -1, Qt::CaseInsensitive);
        else at = hay.indexOf(text, same && match_offset_ >= 0 ? match_offset_ + 1 : 0, Qt::CaseInsensitive);
        if (same && k == 2) break;
        if (at < 0) continue;
        match_pane_ = pane;
        match_offset_ = at;
        const auto& token = runs_->run(pane).tokens()[size_t(owners[size_t(at)])];
        panes_[pane]->stream()->selectPosition(token.position);
        result_->setText(tr("%1 pane, step %2").arg(pane == 0 ? tr("left") : tr("right")).arg(token.step));
        return true;
    }
    result_->setText(tr("not found"));
    return false;
}

QString StreamTools::generatedText(int pane) const { return text_with_owners(runs_->run(pane), nullptr); }

bool StreamTools::copyText(int pane) {
    const QString text = generatedText(pane);
    if (text.isEmpty()) {
        emit message(tr("Nothing to copy: the %1 pane has no generated text.").arg(pane == 0 ? tr("left") : tr("right")), 4000);
        return false;
    }
    QApplication::clipboard()->setText(text);
    emit message(tr("Copied the %1 pane's text (%n character(s))", nullptr, int(text.size())).arg(pane == 0 ? tr("left") : tr("right")), 4000);
    return true;
}

}  // namespace gistscope::gui
