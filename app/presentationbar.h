#pragma once

#include <QWidget>

class QMenu;
class QToolButton;

namespace PushChat {

class JoinBanner;

/// The strip across the top of presentation mode: the join banner while hosting, the
/// window's menus collapsed into one button, and the way out (Esc, F11).
class PresentationBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresentationBar)

public:
    /// `menu` is shown by the collapsed menu button (the window keeps it).
    explicit PresentationBar(QMenu *menu, QWidget *parent = nullptr);

    JoinBanner *joinBanner() const { return m_joinBanner; }

signals:
    void leaveRequested();

private:
    JoinBanner *m_joinBanner;
    QToolButton *m_menuButton;
    QToolButton *m_leaveButton;
};

} // namespace PushChat
