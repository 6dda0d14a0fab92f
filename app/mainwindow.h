#pragma once

#include "appoptions.h"
#include "servererror.h"
#include "startsettings.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QLabel;
class QStackedWidget;

namespace PushChat {

class ChatPage;
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

    SessionController *m_session;
    QStackedWidget *m_stack;
    StartPage *m_startPage;
    ChatPage *m_chatPage;
    QLabel *m_stateLabel;
    QPointer<QMessageBox> m_hostErrorBox;
    StartSettings m_settings;
};

} // namespace PushChat
