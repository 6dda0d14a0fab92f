#pragma once

#include "appoptions.h"
#include "fault.h"
#include "servererror.h"
#include "startsettings.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;

namespace PushChat {

class ChatPage;
class CompareView;
class DeliveryLog;
class ServerCostPanel;
class PresentationBar;
class FaultsPanel;
class SessionController;
class StartPage;

/// The window: the start screen, then the room. Owns one SessionController.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// QSettings key of the language chosen in View > Language ("en", "zh_CN").
    static constexpr auto LanguageSetting = "language";

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
    /// View > Language: switches every text of the window at once and remembers the choice.
    void setLanguage(const QString &language);

    /// Opens (or closes) the compare view; only in a room.
    void showCompare(bool on);
    bool isComparing() const;
    /// CSV of the current view: the compare view's three observers, or the inspector's client.
    QByteArray currentViewCsv() const;
    /// Writes the current view as CSV / as a PNG picture; false (and a status message) if the
    /// file could not be written.
    bool exportCsv(const QString &path);
    bool exportPng(const QString &path);
    /// The host's Faults panel, docked beside the room and the compare view while hosting.
    FaultsPanel *faultsPanel() const { return m_faultsPanel; }
    QDockWidget *faultsDock() const { return m_faultsDock; }
    /// The explanation shown when hosting failed (non-modal), or null.
    QMessageBox *hostErrorBox() const { return m_hostErrorBox; }

    /// Presentation mode (F11, View menu, --present): full screen, type at least 3 % of the
    /// screen's height, the essentials only, the join banner on top. Esc or F11 leaves it.
    void setPresenting(bool on);
    bool isPresenting() const { return m_presenting; }
    QAction *presentAction() const { return m_presentAction; }
    PresentationBar *presentationBar() const { return m_presentationBar; }
    /// The text size in percent of the desktop's (Ctrl+= / Ctrl+- / Ctrl+0), remembered.
    int zoomPercent() const { return m_zoomPercent; }
    void setZoomPercent(int percent);

    QSize sizeHint() const override;

signals:
    /// Hosting failed and the explanation is on screen.
    void hostErrorShown(const QString &text);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onEntered();
    void onLeft(const QString &reason);
    void onHostFailed(const ServerError &error);
    void updateTitle();
    void createMenus();
    void retranslateUi();
    /// Asks for the Faults dock as wide as its panel's words (they change with the language).
    void fitFaultsDock();
    /// "Fault: …" in the status bar, for m_statusFault.
    void showStatusFault();
    void exportWithDialog(bool png);
    void createViewActions(QMenu *view);
    void applyFont();
    void updateJoinBanner();

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
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QAction *m_exportCsvAction = nullptr;
    QAction *m_exportPngAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_compareAction = nullptr;
    QActionGroup *m_languageGroup = nullptr;
    QAction *m_presentAction = nullptr;
    QMenu *m_collapsedMenu = nullptr; ///< the menus, for presentation mode's one button
    PresentationBar *m_presentationBar = nullptr;
    int m_zoomPercent = 100;
    bool m_presenting = false;
    bool m_wasMaximized = false;
    FaultsPanel *m_faultsPanel;
    QDockWidget *m_faultsDock;
    bool m_compareOnEnter = false;
    std::optional<double> m_botOnEnter;
    std::optional<Fault> m_statusFault; ///< the last fault announced, worded when shown
    QString m_statusFaultText;          ///< as the status bar shows it
};

} // namespace PushChat
