#pragma once

#include "protocol.h"

#include <QHash>
#include <QWidget>

class QFrame;
class QGroupBox;
class QLabel;
class QLayout;
class QLineEdit;
class QListView;
class QPushButton;
class QSlider;
class QSplitter;
class QToolButton;

namespace PushChat {

class HowItWorksDialog;
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
    /// Presentation mode: the chat and the inspector only; the room panel (addresses, people,
    /// server counters, Stop hosting) steps aside for the window's join banner.
    void setPresenting(bool on);

    QLineEdit *input() const { return m_input; }
    /// "3,912 / 4,096 bytes": shown once the input nears the room's limit.
    QLabel *inputByteCounter() const { return m_inputCounter; }
    /// Why the input was not sent (too long, refused by the server), or hidden.
    QLabel *inputNote() const { return m_inputNote; }
    QListView *messageView() const { return m_messageView; }
    ModeToggle *modeToggle() const { return m_modeToggle; }
    InspectorModel *inspectorModel() const { return m_inspectorModel; }
    TimelineWidget *timeline() const { return m_timeline; }

    /// The most UTF-8 bytes a message may have in the current room (docs/PROTOCOL.md).
    int maxTextBytes() const;
    /// Opens the "How it works" pane on the current mode (the button beside the toggle).
    void showHowItWorks();
    HowItWorksDialog *howItWorks() const { return m_howItWorks; }

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslateUi();
    QLayout *buildModeRow();
    void buildBanner();
    QWidget *buildChat();
    QWidget *buildInspectorAndTimeline();
    QSplitter *buildColumns(QWidget *chat, QWidget *inspectorAndTimeline);
    void connectControls();
    void setTabOrders();

    void sendInput();
    void updateByteCounter();
    void showInputNote(const QString &note);
    void onSendAccepted(qint64 id);
    void onSendFailed(qint64 id, const QString &reason);
    void updateState();
    void setIntervalFromSlider(int value);
    void scrollToEndIfFollowing();

    SessionController *m_session;
    ModeToggle *m_modeToggle;
    QLabel *m_modeCaption;
    QToolButton *m_howButton;
    HowItWorksDialog *m_howItWorks = nullptr;
    QLabel *m_intervalCaption;
    QSlider *m_intervalSlider;
    QLabel *m_intervalLabel;
    QFrame *m_banner;
    QLabel *m_bannerLabel;
    QPushButton *m_reconnectButton;
    QListView *m_messageView;
    QLineEdit *m_input;
    QLabel *m_inputCounter;
    QLabel *m_inputNote;
    QPushButton *m_sendButton;
    InspectorModel *m_inspectorModel;
    QGroupBox *m_inspectorBox;
    QGroupBox *m_timelineBox;
    TimelineWidget *m_timeline;
    RoomPanel *m_roomPanel;
    QWidget *m_roomColumn = nullptr; ///< scrolls m_roomPanel
    /// What this page sent and the server has not answered yet, by the client's local id: a
    /// refused text goes back to the input box (the client forgets it on refusal).
    QHash<qint64, QString> m_unconfirmed;
    bool m_followEnd = true;
};

} // namespace PushChat
