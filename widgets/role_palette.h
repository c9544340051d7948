// role_palette.h: the one set of colours for token roles, used by every view (stream, mask heatmap,
// legends, occupancy plot). Okabe-Ito hues, which stay distinct for the common colour-vision
// deficiencies; each role has a fill (cells, chips) and a text colour readable on the window
// background, in a light and a dark variant.
#pragma once
#include <QColor>
#include <QPalette>
#include <QString>

namespace gistscope::ui {

// What a cache slot shows as in the views. Values index the categorical heatmap gradient.
enum class ViewRole : int {
    prompt = 0,
    thought = 1,    // a live (not yet compressed) thought token, splitter included
    gist = 2,       // <|o_j|> cache tokens and AnLLM anchors
    continue_ = 3,  // [o]
    answer = 4,     // tokens after the reasoning
    evicted = 5,    // dropped from the cache
    never_seen = 6, // not generated yet at that step
};
inline constexpr int view_role_count = 7;

QString view_role_label(ViewRole role);  // translated, for legends and tooltips

class RolePalette {
public:
    static RolePalette light();
    static RolePalette dark();
    // Light or dark, following the window colour of `palette`.
    static RolePalette for_palette(const QPalette& palette);

    QColor fill(ViewRole role) const { return fill_[int(role)]; }
    QColor text(ViewRole role) const { return text_[int(role)]; }
    // Series colours of the two run panes (left: LightThinker, right: comparison).
    QColor series(int pane) const { return pane == 0 ? series_[0] : series_[1]; }
    bool is_dark() const { return dark_; }
    QColor background() const { return background_; }
    QColor foreground() const { return foreground_; }
    QColor grid() const { return grid_; }
    QColor block_tint() const { return block_tint_; }

private:
    QColor fill_[view_role_count];
    QColor text_[view_role_count];
    QColor series_[2];
    QColor background_, foreground_, grid_, block_tint_;
    bool dark_ = false;
};

}  // namespace gistscope::ui
