#pragma once

#include "roominfo.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;
class QGroupBox;

namespace PushChat {

class JoinBanner;
class SessionController;

/// The side panel: how others join (hosting), who is online with which transport, the
/// server's own counters and where the history is kept (hosting), and the button to stop
/// hosting or leave.
class RoomPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomPanel)

public:
    explicit RoomPanel(SessionController *session, QWidget *parent = nullptr);

    /// Shows the current session's room (call after entering it).
    void refresh();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    /// The leave button, which depends on hosting.
    void updateRoleTexts();
    void showRoomInfo(const RoomInfo &info);
    void showServerStats();
    void showHistoryFile();
    void confirmClearHistory();

    SessionController *m_session;
    QGroupBox *m_addressBox;
    JoinBanner *m_joinBanner;
    QGroupBox *m_onlineBox;
    QLabel *m_onlineTotals;     ///< named members by transport
    QLabel *m_connectionTotals; ///< open connections by transport (hosting)
    QListWidget *m_onlineList;
    QGroupBox *m_statsBox;
    QTableWidget *m_statsTable;
    QLabel *m_statsSummary;
    QLabel *m_historyLabel;
    QPushButton *m_clearHistoryButton;
    QPushButton *m_leaveButton;
};

} // namespace PushChat
