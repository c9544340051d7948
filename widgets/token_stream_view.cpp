// token_stream_view.cpp: block layout, folding, painting and hit testing of the reasoning stream.
#include "widgets/token_stream_view.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace gistscope::ui {

namespace {
constexpr double margin = 8;       // around the document
constexpr double pad = 9;          // inside a block
constexpr double bar = 3;          // coloured bar on the left of a block
constexpr double spacing = 6;      // between blocks
constexpr double cell = 11;        // a gist token square in a chip

bool is_special(const QString& s) { return s.size() > 4 && s.startsWith(QLatin1String("<|")) && s.endsWith(QLatin1String("|>")); }
}  // namespace

TokenStreamView::TokenStreamView(QWidget* parent) : QAbstractScrollArea(parent) {
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    palette_ = RolePalette::for_palette(palette());
    font_ = font();
    tag_font_ = font_;
    tag_font_.setPointSizeF(std::max(6.0, font_.pointSizeF() * 0.78));
    verticalScrollBar()->setSingleStep(20);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int v) {
        if (programmatic_) return;
        follow_ = v >= verticalScrollBar()->maximum() - 4;
        emit userScrolled();
    });
}

void TokenStreamView::setRun(const RunModel* run) {
    run_ = run;
    blocks_.clear();
    toggled_.clear();
    selected_position_ = -1;
    hovered_token_ = -1;
    follow_ = true;
    refresh();
}

void TokenStreamView::setPlaceholder(const QString& text) {
    placeholder_ = text;
    viewport()->update();
}

void TokenStreamView::setShowEvicted(bool show) {
    if (show_evicted_ == show) return;
    show_evicted_ = show;
    std::fill(toggled_.begin(), toggled_.end(), false);  // the new default applies to every thought
    refresh();
}

void TokenStreamView::rebuildBlocks() {
    if (!run_) {
        blocks_.clear();
        return;
    }
    const auto& tokens = run_->tokens();
    // Token ranges of the display blocks (blocks are contiguous in event order).
    std::vector<std::pair<int, int>> ranges;  // block -> [first, end)
    for (int i = 0; i < int(tokens.size()); ++i) {
        const int b = tokens[size_t(i)].block;
        if (ranges.empty() || tokens[size_t(ranges.back().first)].block != b)
            ranges.push_back({i, i + 1});
        else
            ranges.back().second = i + 1;
    }
    std::vector<BlockLayout> next(ranges.size());
    for (size_t i = 0; i < ranges.size(); ++i) {
        const int b = tokens[size_t(ranges[i].first)].block;
        if (i < blocks_.size() && blocks_[i].block == b && blocks_[i].first == ranges[i].first)
            next[i] = std::move(blocks_[i]);
        next[i].block = b;
        next[i].first = ranges[i].first;
        next[i].end = ranges[i].second;
    }
    blocks_ = std::move(next);
    if (toggled_.size() < size_t(run_->block_count())) toggled_.resize(size_t(run_->block_count()), false);
}

void TokenStreamView::layoutBlock(BlockLayout& b, int visible_end, bool folded, bool hidden, int reopened, int width) {
    if (b.laid_visible == visible_end && b.laid_width == width && b.laid_folded == folded && b.laid_hidden == hidden &&
        b.laid_reopened == reopened)
        return;
    b.laid_reopened = reopened;
    b.chip_toggles = true;
    b.laid_visible = visible_end;
    b.laid_width = width;
    b.laid_folded = folded;
    b.laid_hidden = hidden;
    b.pieces.clear();
    b.cells.clear();
    b.chip = QRectF();
    const QFontMetricsF fm(font_), tm(tag_font_);
    const double lh = fm.lineSpacing() + 3;
    const double left = bar + pad, right = std::max(left + 40.0, width - pad);
    double x = left, y = pad;
    const auto& tokens = run_->tokens();
    if (!hidden) {
        for (int i = b.first; i < visible_end; ++i) {
            const RunToken& t = tokens[size_t(i)];
            if (folded && (t.view_role == ViewRole::gist || t.view_role == ViewRole::continue_) && t.forced) continue;
            const QString text = QString::fromStdString(t.text);
            if (is_special(text) || !t.fed) {
                const QString label = is_special(text) ? text.mid(2, text.size() - 4) : text.trimmed();
                const double w = tm.horizontalAdvance(label) + 8;
                if (x + w > right && x > left) x = left, y += lh;
                b.pieces.push_back({i, QRectF(x, y + 2, w, lh - 4), label, true});
                x += w + 3;
                continue;
            }
            const QStringList lines = QString(text).replace(QLatin1Char('\t'), QLatin1String("    ")).split(QLatin1Char('\n'));
            for (int li = 0; li < lines.size(); ++li) {
                if (li > 0) x = left, y += lh;
                QString piece = lines[li];
                if (piece.isEmpty()) continue;
                if (x == left && piece.startsWith(QLatin1Char(' '))) piece = piece.mid(1);  // no indent after a wrap
                double w = fm.horizontalAdvance(piece);
                if (x + w > right && x > left) {
                    x = left, y += lh;
                    if (piece.startsWith(QLatin1Char(' '))) piece = piece.mid(1), w = fm.horizontalAdvance(piece);
                }
                b.pieces.push_back({i, QRectF(x, y, w, lh), piece, false});
                x += w;
            }
        }
    }
    if (folded) {
        if (!b.pieces.empty()) {
            double bottom = 0;
            for (const auto& pc : b.pieces) bottom = std::max(bottom, pc.rect.bottom());
            x = left, y = bottom + 3;
        }
        if (const RunMemoryStep* m = run_->memory_step_of_block(b.block)) {
            // LightThinker++: the archived step shows what the context holds instead: its summary.
            b.chip_text = tr("step %1 · %2 tokens → summary: ").arg(m->index + 1).arg(m->raw_tokens) +
                          QLatin1Char('\x1f') + QString::fromStdString(m->summary);
            const double want = tm.horizontalAdvance(b.chip_text) + 24;
            b.chip = QRectF(left, y, std::min(right - left, want), lh);
        } else {
            const RunCompression* c = run_->compression_of_block(b.block);
            const int n_thought = c ? int(c->thought_positions.size()) : 0;
            b.chip_text = tr("thought %1 · %2 tokens → ").arg(c ? c->thought + 1 : 0).arg(n_thought);
            const double tw = tm.horizontalAdvance(b.chip_text);
            double cx = left + 8 + tw;
            const double cy = y + (lh - cell) / 2;
            if (c)
                for (int32_t p : c->gist_positions) {
                    const int ti = run_->token_at_position(p);
                    if (ti < 0) continue;
                    b.cells.push_back({ti, QRectF(cx, cy, cell, cell)});
                    cx += cell + 3;
                }
            const QString tail = tr(" %1 kept").arg(b.cells.size());
            b.chip = QRectF(left, y, std::min(right - left, cx - left + tm.horizontalAdvance(tail) + 8), lh);
            b.chip_text += QLatin1Char('\x1f') + tail;  // split at paint time
        }
        y += lh;
        b.height = y + pad;
    } else {
        // Up to the last drawn line: trailing line breaks of the thought add no empty space.
        double bottom = pad;
        for (const auto& pc : b.pieces) bottom = std::max(bottom, pc.rect.bottom());
        const RunMemoryStep* m = reopened >= 0 ? run_->memory_step_of_block(b.block) : nullptr;
        if (m) {
            // LightThinker++: an expanded step says since when, and what the re-render cost.
            int refed = 0;
            for (const auto& c : m->changes)
                if (c.step == reopened) refed = c.reprefilled;
            b.chip_text = tr("step %1 expanded at step %2 · %n token(s) fed again", nullptr, refed)
                              .arg(m->index + 1)
                              .arg(reopened) +
                          QLatin1Char('\x1f');
            b.chip = QRectF(left, bottom + 3, std::min(right - left, tm.horizontalAdvance(b.chip_text) + 24), lh);
            b.chip_toggles = false;
            bottom = b.chip.bottom();
        }
        b.height = bottom + pad;
    }
}

void TokenStreamView::relayout() {
    const int width = viewport()->width() - int(2 * margin);
    const int step = run_ ? run_->current_step() : 0;
    const auto& tokens = run_ ? run_->tokens() : std::vector<RunToken>{};
    double y = margin;
    for (auto& b : blocks_) {
        int vis = b.first;
        while (vis < b.end && tokens[size_t(vis)].step <= step) ++vis;
        if (vis == b.first) {
            b.height = 0;
            b.y = y;
            b.laid_visible = -1;
            continue;
        }
        const bool folded = run_->block_folded_at(b.block, step);
        // A click flips the thought from the default (Show evicted text) to the other state.
        const bool hidden = folded && show_evicted_ == bool(toggled_[size_t(b.block)]);
        int reopened = -1;
        if (const RunMemoryStep* m = folded ? nullptr : run_->memory_step_of_block(b.block))
            for (const auto& c : m->changes)
                if (c.step <= step) reopened = c.active ? c.step : -1;
        layoutBlock(b, vis, folded, hidden, reopened, width);
        b.y = y;
        y += b.height + spacing;
    }
    doc_height_ = y + margin;
}

void TokenStreamView::updateScrollBar() {
    auto* sb = verticalScrollBar();
    sb->setPageStep(viewport()->height());
    sb->setRange(0, std::max(0, int(doc_height_) - viewport()->height()));
}

void TokenStreamView::refresh() {
    auto* sb = verticalScrollBar();
    rebuildBlocks();
    relayout();
    programmatic_ = true;
    updateScrollBar();
    if (follow_) sb->setValue(sb->maximum());
    programmatic_ = false;
    viewport()->update();
}

void TokenStreamView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    relayout();
    programmatic_ = true;
    updateScrollBar();
    if (follow_) verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    programmatic_ = false;
}

void TokenStreamView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        palette_ = RolePalette::for_palette(palette());
        font_ = font();
        tag_font_ = font_;
        tag_font_.setPointSizeF(std::max(6.0, font_.pointSizeF() * 0.78));
        for (auto& b : blocks_) b.laid_visible = -1;
        relayout();
        updateScrollBar();
    }
    QAbstractScrollArea::changeEvent(event);
}

QColor TokenStreamView::colourFor(const RunToken& t, int step) const {
    if (!t.fed) return palette_.text(ViewRole::evicted);
    if (run_->out_at(t, step)) return palette_.text(ViewRole::evicted);
    if (t.view_role == ViewRole::thought) return palette().color(QPalette::Text);
    return palette_.text(t.view_role);
}

void TokenStreamView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    if (!run_ || run_->empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const int step = run_->current_step();
    const double top = verticalScrollBar()->value(), bottom = top + viewport()->height();
    const auto& tokens = run_->tokens();
    const QFontMetricsF fm(font_);
    const double width = viewport()->width() - 2 * margin;
    for (const auto& b : blocks_) {
        if (b.height <= 0 || b.y + b.height < top) continue;
        if (b.y > bottom) break;
        const double oy = b.y - top;
        const QRectF box(margin, oy, width, b.height);
        const bool folded = run_->block_folded_at(b.block, step);
        const ViewRole first_role = tokens[size_t(b.first)].view_role;
        ViewRole bar_role = folded ? ViewRole::gist : first_role == ViewRole::gist ? ViewRole::thought : first_role;
        QColor tint = palette_.fill(bar_role);
        tint.setAlpha(palette_.is_dark() ? 34 : 20);
        if (folded) tint.setAlpha(palette_.is_dark() ? 20 : 10);
        QPainterPath path;
        path.addRoundedRect(box, 5, 5);
        p.fillPath(path, tint);
        p.fillRect(QRectF(box.left(), box.top() + 2, bar, box.height() - 4), palette_.fill(bar_role));

        // Consecutive plain pieces of one colour on one line are drawn with one drawText: a few
        // calls per line instead of one per token keeps a full repaint cheap.
        QString run_text;
        QPointF run_at;
        QColor run_colour;
        double run_right = 0;
        auto flush = [&] {
            if (run_text.isEmpty()) return;
            p.setPen(run_colour);
            p.drawText(run_at, run_text);
            run_text.clear();
        };
        for (const auto& pc : b.pieces) {
            const RunToken& t = tokens[size_t(pc.token)];
            const QRectF r = pc.rect.translated(margin, oy);
            if (r.bottom() < 0 || r.top() > viewport()->height()) continue;
            const bool selected = t.position == selected_position_ && selected_position_ >= 0;
            if (selected || pc.token == hovered_token_) {
                QColor hl = palette().color(QPalette::Highlight);
                hl.setAlpha(selected ? 110 : 45);
                p.fillRect(r.adjusted(-1, 1, 1, -1), hl);
            }
            const QColor c = colourFor(t, step);
            if (pc.special) {
                flush();
                QColor bg = palette_.fill(t.fed ? t.view_role : ViewRole::evicted);
                if (run_->out_at(t, step)) bg = palette_.fill(ViewRole::evicted);
                bg.setAlpha(60);
                QPainterPath tag;
                tag.addRoundedRect(r, 3, 3);
                p.fillPath(tag, bg);
                p.setFont(tag_font_);
                p.setPen(c);
                p.drawText(r, Qt::AlignCenter, pc.text);
                p.setFont(font_);
                continue;
            }
            const QPointF at(r.left(), r.top() + fm.ascent() + 1.5);
            if (!run_text.isEmpty() && c == run_colour && at.y() == run_at.y() && std::abs(r.left() - run_right) < 0.5) {
                run_text += pc.text;
            } else {
                flush();
                run_text = pc.text;
                run_at = at;
                run_colour = c;
            }
            run_right = r.right();
        }
        flush();
        if (!b.chip.isEmpty()) {
            const QRectF chip = b.chip.translated(margin, oy);
            const ViewRole chip_role = b.chip_toggles ? ViewRole::gist : ViewRole::continue_;
            QColor bg = palette_.fill(chip_role);
            bg.setAlpha(palette_.is_dark() ? 70 : 40);
            QPainterPath cp;
            cp.addRoundedRect(chip, chip.height() / 2, chip.height() / 2);
            p.fillPath(cp, bg);
            p.setPen(QPen(palette_.fill(chip_role), 1));
            p.drawPath(cp);
            const QStringList parts = b.chip_text.split(QLatin1Char('\x1f'));
            p.setFont(tag_font_);
            p.setPen(palette_.text(chip_role));
            p.drawText(chip.adjusted(8, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, parts.value(0));
            double tail_x = chip.left() + 8 + QFontMetricsF(tag_font_).horizontalAdvance(parts.value(0));
            for (const auto& gc : b.cells) {
                const QRectF r = gc.rect.translated(margin, oy);
                const RunToken& t = tokens[size_t(gc.token)];
                const ViewRole role = run_->role_at(t, step);
                p.fillRect(r, palette_.fill(role == ViewRole::evicted ? ViewRole::evicted : t.view_role));
                if (t.position == selected_position_ || gc.token == hovered_token_) {
                    p.setPen(QPen(palette().color(QPalette::Text), 1.5));
                    p.drawRect(r.adjusted(-1, -1, 1, 1));
                }
                tail_x = r.right() + 3;
            }
            p.setPen(palette_.text(chip_role));
            p.drawText(QRectF(tail_x, chip.top(), chip.right() - tail_x, chip.height()), Qt::AlignVCenter | Qt::AlignLeft,
                       parts.value(1));
            p.setFont(font_);
        }
    }
}

int TokenStreamView::blockAtY(double y) const {
    auto it = std::upper_bound(blocks_.begin(), blocks_.end(), y, [](double v, const BlockLayout& b) { return v < b.y; });
    if (it == blocks_.begin()) return -1;
    return int(std::prev(it) - blocks_.begin());
}

const TokenStreamView::Piece* TokenStreamView::pieceAt(const QPoint& pos, const BlockLayout** block) const {
    const double y = pos.y() + verticalScrollBar()->value();
    const int bi = blockAtY(y);
    if (bi < 0) return nullptr;
    const auto& b = blocks_[size_t(bi)];
    const QPointF local(pos.x() - margin, y - b.y);
    for (const auto& pc : b.pieces)
        if (pc.rect.contains(local)) {
            if (block) *block = &b;
            return &pc;
        }
    return nullptr;
}

const TokenStreamView::GistCell* TokenStreamView::cellAt(const QPoint& pos) const {
    const double y = pos.y() + verticalScrollBar()->value();
    const int bi = blockAtY(y);
    if (bi < 0) return nullptr;
    const auto& b = blocks_[size_t(bi)];
    const QPointF local(pos.x() - margin, y - b.y);
    for (const auto& c : b.cells)
        if (c.rect.adjusted(-2, -2, 2, 2).contains(local)) return &c;
    return nullptr;
}

int TokenStreamView::tokenAt(const QPoint& pos) const {
    if (const auto* c = cellAt(pos)) return c->token;
    if (const auto* p = pieceAt(pos)) return p->token;
    return -1;
}

QRect TokenStreamView::tokenRect(int32_t position) const {
    if (!run_) return {};
    const int ti = run_->token_at_position(position);
    for (const auto& b : blocks_) {
        if (ti < b.first || ti >= b.end) continue;
        for (const auto& pc : b.pieces)
            if (pc.token == ti) return pc.rect.translated(margin, b.y - verticalScrollBar()->value()).toAlignedRect();
        for (const auto& c : b.cells)
            if (c.token == ti) return c.rect.translated(margin, b.y - verticalScrollBar()->value()).toAlignedRect();
    }
    return {};
}

QString TokenStreamView::tooltipFor(int ti) const {
    const RunToken& t = run_->tokens()[size_t(ti)];
    const int step = run_->current_step();
    QString state;
    if (!t.fed)
        state = tr("chosen but never fed (end of the run)");
    else if (t.evicted_step >= 0 && t.evicted_step <= step)
        state = tr("evicted at step %1").arg(t.evicted_step);
    else if (run_->out_at(t, step))
        state = tr("archived: the context holds its step's summary");
    else
        state = tr("in the cache");
    QString text = QString::fromStdString(t.text).toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("\\n"));
    QString s = QStringLiteral("<b>%1</b><br>").arg(text.isEmpty() ? QStringLiteral("&nbsp;") : text);
    s += tr("id %1 · position %2").arg(t.id).arg(t.position) + QLatin1String("<br>");
    s += tr("role: %1%2").arg(view_role_label(t.view_role), t.forced ? tr(" (inserted by the method)") : QString()) +
         QLatin1String("<br>");
    s += t.role == SlotRole::prompt ? tr("prefill (step 0)") : tr("step %1 · thought %2").arg(t.step).arg(t.thought + 1);
    s += QLatin1String("<br>") + state;
    return s;
}

bool TokenStreamView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip && run_) {
        auto* he = static_cast<QHelpEvent*>(event);
        const int ti = tokenAt(he->pos());
        if (ti >= 0) {
            QToolTip::showText(he->globalPos(), tooltipFor(ti), viewport());
        } else {
            const BlockLayout* hit = nullptr;
            const double y = he->pos().y() + verticalScrollBar()->value();
            const int bi = blockAtY(y);
            if (bi >= 0) hit = &blocks_[size_t(bi)];
            if (hit && hit->chip.translated(0, hit->y).contains(QPointF(he->pos().x() - margin, y)))
                QToolTip::showText(he->globalPos(),
                                   !hit->chip_toggles
                                       ? tr("The model expanded this step: its raw text is in the context again until it "
                                            "folds it.")
                                   : run_->is_memory_run()
                                       ? tr("Archived step: the context holds only its summary. Click to show or hide its "
                                            "raw text.")
                                       : tr("Compressed thought: click to show or hide its evicted text."),
                                   viewport());
            else
                QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TokenStreamView::mouseMoveEvent(QMouseEvent* event) {
    if (!run_) return;
    const int ti = tokenAt(event->position().toPoint());
    if (ti != hovered_token_) {
        hovered_token_ = ti;
        viewport()->update();
        if (ti >= 0)
            emit tokenHovered(run_->tokens()[size_t(ti)].step, run_->tokens()[size_t(ti)].position);
        else
            emit tokenHovered(-1, -1);
    }
}

void TokenStreamView::leaveEvent(QEvent* event) {
    if (hovered_token_ >= 0) {
        hovered_token_ = -1;
        viewport()->update();
        emit tokenHovered(-1, -1);
    }
    QAbstractScrollArea::leaveEvent(event);
}

void TokenStreamView::mousePressEvent(QMouseEvent* event) {
    if (!run_ || event->button() != Qt::LeftButton) return;
    const QPoint pos = event->position().toPoint();
    const int ti = tokenAt(pos);
    if (ti >= 0) {
        selected_position_ = run_->tokens()[size_t(ti)].position;
        viewport()->update();
        emit tokenClicked(selected_position_);
        return;
    }
    // A click on a chip opens or closes its thought.
    const double y = pos.y() + verticalScrollBar()->value();
    const int bi = blockAtY(y);
    if (bi < 0) return;
    const auto& b = blocks_[size_t(bi)];
    if (!b.chip.isEmpty() && b.chip_toggles && b.chip.translated(0, b.y).contains(QPointF(pos.x() - margin, y))) {
        toggled_[size_t(b.block)] = !toggled_[size_t(b.block)];
        emit chipToggled(b.block, isThoughtHidden(b.block));
        const double keep = verticalScrollBar()->value();
        relayout();
        updateScrollBar();
        verticalScrollBar()->setValue(int(keep));
        viewport()->update();
    }
}

bool TokenStreamView::isThoughtHidden(int block) const {
    return size_t(block) < toggled_.size() && show_evicted_ == bool(toggled_[size_t(block)]);
}

QRect TokenStreamView::chipRect(int block) const {
    for (const auto& b : blocks_)
        if (b.block == block && !b.chip.isEmpty())
            return b.chip.translated(margin, b.y - verticalScrollBar()->value()).toAlignedRect();
    return {};
}

int TokenStreamView::topStep() const {
    if (!run_) return -1;
    const double y = verticalScrollBar()->value();
    const int bi = std::max(0, blockAtY(y));
    for (size_t i = size_t(bi); i < blocks_.size(); ++i)
        for (const auto& pc : blocks_[i].pieces)
            if (blocks_[i].y + pc.rect.bottom() >= y) return run_->tokens()[size_t(pc.token)].step;
    return -1;
}

void TokenStreamView::scrollToStep(int step) {
    if (!run_) return;
    for (const auto& b : blocks_) {
        if (b.height <= 0) continue;
        for (const auto& pc : b.pieces) {
            if (run_->tokens()[size_t(pc.token)].step < step) continue;
            follow_ = false;
            programmatic_ = true;
            verticalScrollBar()->setValue(int(b.y + pc.rect.top() - 4));
            programmatic_ = false;
            viewport()->update();
            return;
        }
    }
}

void TokenStreamView::selectPosition(int32_t position) {
    selected_position_ = position;
    if (!run_) return;
    const int ti = run_->token_at_position(position);
    if (ti < 0) return;
    const int block = run_->tokens()[size_t(ti)].block;
    if (size_t(block) < toggled_.size()) toggled_[size_t(block)] = !show_evicted_;  // shown
    relayout();
    updateScrollBar();
    for (const auto& b : blocks_) {
        if (ti < b.first || ti >= b.end) continue;
        double y = b.y;
        for (const auto& pc : b.pieces)
            if (pc.token == ti) y = b.y + pc.rect.top();
        for (const auto& c : b.cells)
            if (c.token == ti) y = b.y + c.rect.top();
        follow_ = false;
        programmatic_ = true;
        verticalScrollBar()->setValue(int(y - viewport()->height() / 3));
        programmatic_ = false;
    }
    viewport()->update();
}

}  // namespace gistscope::ui
