#pragma once

#include "protocol.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSlider;
class QTableView;
class QFrame;

namespace PushChat {

class InspectorModel;
class ModeToggle;
class RoomPanel;
class SessionController;
class TimelineWidget;

/// The room: chat on the left, the mode toggle, the transport inspector and the timeline on
/// the right, the room panel beside. Forwards what the user does to the session's client.
class ChatPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPage)

public:
    explicit ChatPage(SessionController *session, QWidget *parent = nullptr);

    /// Binds to the session's current client (a new one per room).
    void enterRoom();
    void focusInput();
    /// Moves the interval slider (and with it the client) to the nearest step to `ms`.
    void setPollInterval(int ms);

    QLineEdit *input() const { return m_input; }
    QListView *messageView() const { return m_messageView; }
    ModeToggle *modeToggle() const { return m_modeToggle; }
    InspectorModel *inspectorModel() const { return m_inspectorModel; }
    TimelineWidget *timeline() const { return m_timeline; }

private:
    void sendInput();
    void updateState();
    void setIntervalFromSlider(int value);
    void scrollToEndIfFollowing();

    SessionController *m_session;
    ModeToggle *m_modeToggle;
    QSlider *m_intervalSlider;
    QLabel *m_intervalLabel;
    QFrame *m_banner;
    QLabel *m_bannerLabel;
    QPushButton *m_reconnectButton;
    QListView *m_messageView;
    QLineEdit *m_input;
    QPushButton *m_sendButton;
    InspectorModel *m_inspectorModel;
    QTableView *m_inspectorView;
    TimelineWidget *m_timeline;
    RoomPanel *m_roomPanel;
    bool m_followEnd = true;
};

} // namespace PushChat
