#pragma once

#include "appoptions.h"
#include "servererror.h"
#include "startsettings.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QAction;
class QLabel;
class QStackedWidget;

namespace PushChat {

class ChatPage;
class CompareView;
class DeliveryLog;
class ServerCostPanel;
class SessionController;
class StartPage;

/// The window: the start screen, then the room. Owns one SessionController.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Fills the start screen from QSettings and the command line; hosts or joins at once
    /// when the command line said --host or --join.
    void applyOptions(const AppOptions &options);
    void start(const SessionRequest &request);

    SessionController *session() const { return m_session; }
    StartPage *startPage() const { return m_startPage; }
    ChatPage *chatPage() const { return m_chatPage; }
    CompareView *compareView() const { return m_compareView; }
    ServerCostPanel *serverCostPanel() const { return m_costPanel; }
    /// The action that opens the compare view (button, View menu, Ctrl+K).
    QAction *compareAction() const { return m_compareAction; }

    /// Opens (or closes) the compare view; only in a room.
    void showCompare(bool on);
    bool isComparing() const;
    /// CSV of the current view: the compare view's three observers, or the inspector's client.
    QByteArray currentViewCsv() const;
    /// Writes the current view as CSV / as a PNG picture; false (and a status message) if the
    /// file could not be written.
    bool exportCsv(const QString &path);
    bool exportPng(const QString &path);
    /// The explanation shown when hosting failed (non-modal), or null.
    QMessageBox *hostErrorBox() const { return m_hostErrorBox; }

    QSize sizeHint() const override;

signals:
    /// Hosting failed and the explanation is on screen.
    void hostErrorShown(const QString &text);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onEntered();
    void onLeft(const QString &reason);
    void onHostFailed(const ServerError &error);
    void updateTitle();
    void createMenus();
    void exportWithDialog(bool png);

    SessionController *m_session;
    QStackedWidget *m_stack;
    StartPage *m_startPage;
    ChatPage *m_chatPage;
    QLabel *m_stateLabel;
    QPointer<QMessageBox> m_hostErrorBox;
    StartSettings m_settings;
    CompareView *m_compareView;
    ServerCostPanel *m_costPanel;
    DeliveryLog *m_deliveries; ///< the inspector's client's deliveries, for the CSV export
    QAction *m_compareAction = nullptr;
    bool m_compareOnEnter = false;
    std::optional<double> m_botOnEnter;
};

} // namespace PushChat
