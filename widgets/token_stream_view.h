// token_stream_view.h: the reasoning stream of one run. Tokens flow as text; each thought is a
// block that, once compressed, folds into a gist chip showing its n cache tokens (its evicted text
// greyed, or hidden by the "show evicted text" toggle). Hover a token for its id, position, role,
// step and cache state; click to select it. Custom painted over a per-block layout cache, so a
// streaming run only re-lays out its last block.
#pragma once
#include <QAbstractScrollArea>
#include <QFont>
#include <QString>
#include <vector>

#include "widgets/role_palette.h"
#include "widgets/run_model.h"

namespace gistscope::ui {

class TokenStreamView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit TokenStreamView(QWidget* parent = nullptr);

    void setRun(const RunModel* run);  // not owned; null clears the view
    // The run grew or its current step changed.
    void refresh();
    void setShowEvicted(bool show);
    bool showEvicted() const { return show_evicted_; }
    // Highlights the token at `position` (expanding its folded thought) and scrolls to it.
    void selectPosition(int32_t position);
    int32_t selectedPosition() const { return selected_position_; }
    void setPlaceholder(const QString& text);
    // Text of the token under a point in viewport coordinates (tests), -1 if none.
    int tokenAt(const QPoint& viewport_pos) const;
    // Viewport rectangle of the token at `position` (after layout), empty if not shown.
    QRect tokenRect(int32_t position) const;

    // Step of the first token at the top of the viewport (-1 if none).
    int topStep() const;
    // Whether the evicted text of compressed display block `block` is hidden (only its chip shows).
    bool isThoughtHidden(int block) const;
    // The chip of a compressed block in viewport coordinates (empty if not laid out).
    QRect chipRect(int block) const;
    // Scrolls so that the first token fed at or after `step` is at the top (stops following).
    void scrollToStep(int step);

signals:
    // The user scrolled (wheel, scroll bar, keys), not the view itself.
    void userScrolled();
    void tokenHovered(int step, int32_t position);  // (-1, -1) when the pointer leaves the tokens
    void tokenClicked(int32_t position);
    // A click on a gist chip showed (hidden = false) or hid the evicted text of a thought.
    void chipToggled(int block, bool hidden);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Piece {
        int token = 0;  // index into run->tokens()
        QRectF rect;    // block coordinates
        QString text;
        bool special = false;  // <|...|> drawn as a small tag
    };
    struct GistCell {
        int token = 0;
        QRectF rect;
    };
    struct BlockLayout {
        int block = 0;
        int first = 0, end = 0;  // token index range [first, end)
        // layout signature
        int laid_visible = -1, laid_width = -1;
        bool laid_folded = false, laid_hidden = false;
        int laid_reopened = -1;  // LightThinker++: step of the expand that opened the step again, -1
        double height = 0;
        double y = 0;  // top in document coordinates
        std::vector<Piece> pieces;
        QRectF chip;  // block coordinates; empty when not folded (or re-opened)
        bool chip_toggles = true;  // a click shows / hides the evicted text (not on a re-opened step)
        QString chip_text;
        std::vector<GistCell> cells;
    };

    void rebuildBlocks();
    void layoutBlock(BlockLayout& b, int visible_end, bool folded, bool hidden, int reopened, int width);
    void relayout();
    int blockAtY(double y) const;
    const Piece* pieceAt(const QPoint& viewport_pos, const BlockLayout** block = nullptr) const;
    const GistCell* cellAt(const QPoint& viewport_pos) const;
    QString tooltipFor(int token) const;
    QColor colourFor(const RunToken& t, int step) const;
    void updateScrollBar();

    const RunModel* run_ = nullptr;
    std::vector<BlockLayout> blocks_;
    std::vector<bool> toggled_;  // (blocks) compressed thoughts a click flipped from the default
    RolePalette palette_;
    QFont font_, tag_font_;
    double doc_height_ = 0;
    bool show_evicted_ = true;
    int32_t selected_position_ = -1;
    int hovered_token_ = -1;
    QString placeholder_;
    bool follow_ = true;        // keep the newest tokens in view (until the user scrolls up)
    bool programmatic_ = false; // scroll bar moved by the view, not by the user
};

}  // namespace gistscope::ui
