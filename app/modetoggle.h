#pragma once

#include "protocol.h"

#include <QWidget>

class QButtonGroup;
class QToolButton;

namespace PushChat {

/// The segmented toggle Polling | Long polling | WebSocket, with Ctrl+1, Ctrl+2, Ctrl+3.
class ModeToggle final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModeToggle)

public:
    explicit ModeToggle(QWidget *parent = nullptr);

    /// Shows `mode` as chosen without emitting modeRequested().
    void setMode(Transport mode);
    Transport mode() const;
    QToolButton *button(Transport mode) const;

signals:
    void modeRequested(PushChat::Transport mode);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QButtonGroup *m_group;
};

} // namespace PushChat
