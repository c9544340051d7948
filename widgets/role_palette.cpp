// role_palette.cpp: the Okabe-Ito role colours in light and dark variants.
#include "widgets/role_palette.h"

#include <QCoreApplication>

namespace gistscope::ui {

QString view_role_label(ViewRole role) {
    switch (role) {
    case ViewRole::prompt: return QCoreApplication::translate("gistscope::ui::RolePalette", "prompt");
    case ViewRole::thought: return QCoreApplication::translate("gistscope::ui::RolePalette", "live thought");
    case ViewRole::gist: return QCoreApplication::translate("gistscope::ui::RolePalette", "gist");
    case ViewRole::continue_: return QCoreApplication::translate("gistscope::ui::RolePalette", "continue [o]");
    case ViewRole::answer: return QCoreApplication::translate("gistscope::ui::RolePalette", "answer");
    case ViewRole::evicted: return QCoreApplication::translate("gistscope::ui::RolePalette", "evicted");
    case ViewRole::never_seen: return QCoreApplication::translate("gistscope::ui::RolePalette", "not generated yet");
    }
    return {};
}

RolePalette RolePalette::light() {
    RolePalette p;
    // fills: Okabe-Ito blue, orange, bluish green, reddish purple, vermillion, grey, near white
    const QColor fills[] = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                            QColor(0xCC, 0x79, 0xA7), QColor(0xD5, 0x5E, 0x00), QColor(0xB4, 0xB4, 0xB4),
                            QColor(0xF4, 0xF4, 0xF2)};
    const QColor texts[] = {QColor(0x00, 0x5A, 0x8C), QColor(0x23, 0x23, 0x23), QColor(0x00, 0x6E, 0x50),
                            QColor(0x9E, 0x4A, 0x7C), QColor(0xA8, 0x44, 0x00), QColor(0xA6, 0xA6, 0xA6),
                            QColor(0xC8, 0xC8, 0xC8)};
    for (int i = 0; i < view_role_count; ++i) p.fill_[i] = fills[i], p.text_[i] = texts[i];
    p.series_[0] = QColor(0x00, 0x9E, 0x73);  // LightThinker: the gist colour
    p.series_[1] = QColor(0xD5, 0x5E, 0x00);  // comparison: vermillion
    p.background_ = QColor(0xFF, 0xFF, 0xFF);
    p.foreground_ = QColor(0x30, 0x30, 0x30);
    p.grid_ = QColor(0xE4, 0xE4, 0xE4);
    p.block_tint_ = QColor(0xFB, 0xF4, 0xE4);
    return p;
}

RolePalette RolePalette::dark() {
    RolePalette p;
    const QColor fills[] = {QColor(0x56, 0xB4, 0xE9), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0xB8, 0x88),
                            QColor(0xE0, 0x8F, 0xC0), QColor(0xF0, 0x72, 0x1C), QColor(0x5E, 0x5E, 0x5E),
                            QColor(0x26, 0x26, 0x28)};
    const QColor texts[] = {QColor(0x7C, 0xC6, 0xF0), QColor(0xE8, 0xE8, 0xE8), QColor(0x3C, 0xD6, 0xA8),
                            QColor(0xEC, 0xA8, 0xD0), QColor(0xFF, 0x9A, 0x55), QColor(0x72, 0x72, 0x72),
                            QColor(0x44, 0x44, 0x46)};
    for (int i = 0; i < view_role_count; ++i) p.fill_[i] = fills[i], p.text_[i] = texts[i];
    p.series_[0] = QColor(0x00, 0xC4, 0x90);
    p.series_[1] = QColor(0xF0, 0x80, 0x30);
    p.background_ = QColor(0x1E, 0x1E, 0x20);
    p.foreground_ = QColor(0xDD, 0xDD, 0xDD);
    p.grid_ = QColor(0x36, 0x36, 0x3A);
    p.block_tint_ = QColor(0x2C, 0x28, 0x20);
    p.dark_ = true;
    return p;
}

RolePalette RolePalette::for_palette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightnessF() < 0.5 ? dark() : light();
}

}  // namespace gistscope::ui
