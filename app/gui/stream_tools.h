// stream_tools.h: find and copy in the two run streams. A find bar (Ctrl+F) that selects and
// scrolls to the next token where the text occurs in either pane, and the generated text of a
// pane copied to the clipboard as plain text (the prompt left out).
#pragma once
#include <QObject>
#include <QString>

class QLabel;
class QLineEdit;
class QWidget;

namespace gistscope::gui {

class RunController;
class RunPane;

class StreamTools : public QObject {
    Q_OBJECT
public:
    StreamTools(const RunController* runs, RunPane* const panes[2], QWidget* parent_widget);
    QWidget* findBar() const { return bar_; }
    QLineEdit* findField() const { return field_; }
    // Shows the bar with the field focused.
    void openFind();
    // Selects the next (or previous) occurrence of `text` after the last match; false if none.
    bool findNext(const QString& text, bool backwards = false);
    // The generated text of `pane` (prompt excluded), as the model wrote it.
    QString generatedText(int pane) const;
    // Puts generatedText(pane) on the clipboard; false when the pane has no run.
    bool copyText(int pane);

signals:
    void message(const QString& text, int ms);

private:
    const RunController* runs_ = nullptr;
    RunPane* panes_[2] = {};
    QWidget* bar_ = nullptr;
    QLineEdit* field_ = nullptr;
    QLabel* result_ = nullptr;
    int match_pane_ = 0;
    int match_offset_ = -1;  // character offset of the last match in generatedText(match_pane_)
};

}  // namespace gistscope::gui
