#include "mainwindow.h"

#include "applog.h"
#include "chatpage.h"
#include "compareview.h"
#include "csvexport.h"
#include "deliverylog.h"
#include "eventlog.h"
#include "faultspanel.h"
#include "joinbanner.h"
#include "joinurls.h"
#include "language.h"
#include "languagefont.h"
#include "presentation.h"
#include "presentationbar.h"
#include "servercostpanel.h"
#include "sessioncontroller.h"
#include "simulatedaudience.h"
#include "startpage.h"
#include "timelinewidget.h"
#include "zoom.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace PushChat {

namespace {
// Room for the three columns of the chat page at their starting widths.
constexpr QSize PreferredSize(1360, 860);
constexpr int StatusMessageMs = 5000;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new SessionController(this))
    , m_stack(new QStackedWidget(this))
    , m_startPage(new StartPage(m_stack))
    , m_chatPage(new ChatPage(m_session, m_stack))
    , m_stateLabel(new QLabel(this))
    , m_compareView(new CompareView(m_stack))
    , m_costPanel(new ServerCostPanel(m_session, m_compareView))
    , m_deliveries(new DeliveryLog(this))
    , m_faultsPanel(new FaultsPanel(m_session, this))
    , m_faultsDock(new QDockWidget(tr("Faults"), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/pushchat/icons/pushchat.png")));
    m_stack->addWidget(m_startPage);
    m_stack->addWidget(m_chatPage);
    m_stack->addWidget(m_compareView);
    m_compareView->setServerCostPanel(m_costPanel);
    // A dock, not part of a page: it stays beside the chat page and the compare view alike.
    m_faultsDock->setObjectName(QStringLiteral("faultsDock"));
    // Scrolled, so the panel never widens the window past a 1280×720 projector at 150 % text.
    auto *faultsScroll = new QScrollArea(m_faultsDock);
    faultsScroll->setWidget(m_faultsPanel);
    faultsScroll->setWidgetResizable(true);
    faultsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    faultsScroll->setFrameShape(QFrame::NoFrame);
    // As wide as the panel's words (they change with the language and the text size): without
    // a horizontal scroll bar, a narrower dock would cut its buttons and fields.
    m_faultsDock->setWidget(faultsScroll);
    m_faultsDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                              QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, m_faultsDock);
    m_faultsDock->hide();
    createMenus();
    m_presentationBar = new PresentationBar(m_collapsedMenu, this);
    m_presentationBar->hide();
    connect(m_presentationBar, &PresentationBar::leaveRequested, this,
            [this] { setPresenting(false); });
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_presentationBar);
    centralLayout->addWidget(m_stack, 1);
    setCentralWidget(central);
    retranslateUi();
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_stateLabel->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_stateLabel, 1);

    QSettings settings;
    m_settings = StartSettings::load(settings);
    m_startPage->setValues(m_settings);
    m_zoomPercent = Zoom::load(settings);
    applyFont();

    // Without a window manager (or on a small screen) the size hint alone is not applied.
    QSize size = sizeHint();
    if (const QScreen *screen = this->screen())
        size = size.boundedTo(screen->availableGeometry().size());
    resize(size);

    connect(m_startPage, &StartPage::requested, this, &MainWindow::start);
    connect(m_session, &SessionController::entered, this, &MainWindow::onEntered);
    connect(m_session, &SessionController::left, this, &MainWindow::onLeft);
    connect(m_session, &SessionController::hostFailed, this, &MainWindow::onHostFailed);
    connect(m_session, &SessionController::titleChanged, this, &MainWindow::updateTitle);
    // Every window marks the faults its room announces, hosting or joined (docs/APP.md).
    connect(m_session, &SessionController::faultAnnounced, this,
            [this](qint64 wallClockMs, const Fault &fault) {
                m_chatPage->timeline()->addFaultMarker(wallClockMs, fault);
                m_compareView->timeline()->addFaultMarker(wallClockMs, fault);
                m_statusFault = fault;
                showStatusFault();
            });
    updateTitle();
}

MainWindow::~MainWindow()
{
    m_compareView->stop();
    m_costPanel->audience()->stop();
    m_session->shutdown();
}

QSize MainWindow::sizeHint() const
{
    return PreferredSize;
}

void MainWindow::applyOptions(const AppOptions &options)
{
    m_settings.apply(options);
    m_startPage->setValues(m_settings);
    m_session->setTour(options.tourSeconds);
    if (options.intervalMs)
        m_chatPage->setPollInterval(*options.intervalMs);
    m_compareOnEnter = options.compare;
    if (options.present)
        setPresenting(true);
    m_botOnEnter = options.botRate;
    if (!options.faultScript.isEmpty()) {
        const FaultScript::Parsed script = FaultScript::load(options.faultScript);
        if (script.ok())
            m_session->setFaultScript(script.steps);
        else
            QMessageBox::warning(this, tr("Fault script"),
                                 tr("The fault script was not run: %1").arg(script.error));
    }
    if (options.start == AppOptions::Start::Host)
        start(m_settings.hostRequest());
    else if (options.start == AppOptions::Start::Join)
        start(m_settings.joinRequest());
}

void MainWindow::start(const SessionRequest &request)
{
    if (const auto problem = request.problem()) {
        m_stack->setCurrentWidget(m_startPage);
        m_startPage->showProblem(*problem);
        return;
    }
    if (m_hostErrorBox)
        m_hostErrorBox->close();
    m_settings.remember(request);
    QSettings settings;
    m_settings.save(settings);
    m_startPage->setEnabled(false);
    m_session->start(request);
}

void MainWindow::onEntered()
{
    m_startPage->setEnabled(true);
    m_chatPage->enterRoom();
    m_stack->setCurrentWidget(m_chatPage);
    m_chatPage->focusInput();
    ChatClient *client = m_session->client();
    m_deliveries->clear();
    m_deliveries->attach(client, client ? client->cursor() : 0);
    m_compareAction->setEnabled(true);
    updateJoinBanner();
    m_faultsPanel->showCurrentFaults();
    fitFaultsDock(); // docked or floating, before it shows and can widen the window
    // Presentation mode (--present) shows the essentials only: Ctrl+Shift+F brings it.
    m_faultsDock->setVisible(m_session->isHosting() && !m_presenting);
    fitFaultsDock();
    m_faultsDock->toggleViewAction()->setEnabled(m_session->isHosting());
    if (std::exchange(m_compareOnEnter, false) && client) {
        // Once the room has answered, its last seq tells the history (not timed) from what
        // the observers will see arrive.
        connect(
            client, &ChatClient::roomInfoChanged, this,
            [this] {
                showCompare(true);
                if (const auto rate = std::exchange(m_botOnEnter, std::nullopt))
                    m_compareView->startBot(*rate);
            },
            Qt::SingleShotConnection);
    }
}

void MainWindow::onLeft(const QString &reason)
{
    showCompare(false);
    // The start screen is no page to project: its controls need the menus and the status bar.
    setPresenting(false);
    updateJoinBanner();
    m_compareAction->setEnabled(false);
    m_faultsDock->hide();
    m_faultsDock->toggleViewAction()->setEnabled(false);
    m_startPage->setEnabled(true);
    m_stack->setCurrentWidget(m_startPage);
    statusBar()->showMessage(reason, StatusMessageMs);
}

namespace {
struct Explanation
{
    QString text;
    QString details;
};

Explanation explainHostError(const ServerError &error, quint16 port)
{
    switch (error.kind) {
    case ServerError::Kind::AddressInUse:
        return {MainWindow::tr("Port %1 is already in use.").arg(port),
                MainWindow::tr("Another program on this computer is listening on port %1 — "
                               "perhaps another PushChat that is hosting a room already.\n\n"
                               "Choose another port (others then join with that port), stop "
                               "the other program, or join the room it hosts instead.\n\n"
                               "The server said: %2")
                    .arg(port)
                    .arg(error.message)};
    case ServerError::Kind::AccessDenied:
        return {MainWindow::tr("Port %1 needs administrator rights.").arg(port),
                MainWindow::tr("Ports below 1024 are reserved for administrators; try a port "
                               "such as 8765, or let PushChat pick a free one.\n\n"
                               "The server said: %1")
                    .arg(error.message)};
    case ServerError::Kind::AddressNotAvailable:
        return {MainWindow::tr("This computer has no such address to host on."),
                MainWindow::tr("The server said: %1").arg(error.message)};
    case ServerError::Kind::Other:
        break;
    }
    return {MainWindow::tr("The room could not be started."),
            MainWindow::tr("The server said: %1\n\nTry another port, or let PushChat pick a "
                           "free one.")
                .arg(error.message)};
}
} // namespace

void MainWindow::onHostFailed(const ServerError &error)
{
    m_startPage->setEnabled(true);
    m_stack->setCurrentWidget(m_startPage);
    const auto [text, details] = explainHostError(error, m_session->request().port);
    if (m_hostErrorBox)
        m_hostErrorBox->close();
    // Non-modal: the window stays usable and tests can find and close the box.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot host the room"), text,
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("hostErrorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(details);
    QPushButton *anyPort = box->addButton(tr("Use &any free port"), QMessageBox::AcceptRole);
    anyPort->setObjectName(QStringLiteral("useAnyPortButton"));
    QPushButton *choose = box->addButton(tr("&Choose another port"), QMessageBox::RejectRole);
    box->setDefaultButton(choose);
    connect(box, &QMessageBox::buttonClicked, this, [this, anyPort](QAbstractButton *button) {
        if (button == anyPort) {
            SessionRequest request = m_session->request();
            request.port = 0;
            start(request);
        } else {
            m_startPage->focusPort();
        }
    });
    m_hostErrorBox = box;
    box->open();
    emit hostErrorShown(text + QLatin1Char('\n') + details);
}

void MainWindow::updateTitle()
{
    setWindowTitle(m_session->windowTitle());
    m_stateLabel->setText(m_session->stateText());
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_exportCsvAction = m_fileMenu->addAction(QString(), this, [this] { exportWithDialog(false); });
    m_exportCsvAction->setObjectName(QStringLiteral("exportCsvAction"));
    // Not Ctrl+E: on Linux desktops the chat's input line takes it (end of line).
    m_exportCsvAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportPngAction = m_fileMenu->addAction(QString(), this, [this] { exportWithDialog(true); });
    m_exportPngAction->setObjectName(QStringLiteral("exportPngAction"));
    m_exportPngAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);

    m_viewMenu = menuBar()->addMenu(QString());
    m_compareAction = m_viewMenu->addAction(QString());
    m_compareAction->setObjectName(QStringLiteral("compareAction"));
    m_compareAction->setCheckable(true);
    m_compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_compareAction->setEnabled(false);
    connect(m_compareAction, &QAction::triggered, this, &MainWindow::showCompare);
    connect(m_compareView, &CompareView::closeRequested, this, [this] { showCompare(false); });
    QAction *faults = m_faultsDock->toggleViewAction();
    faults->setObjectName(QStringLiteral("faultsAction"));
    faults->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    faults->setEnabled(false);
    m_viewMenu->addAction(faults);
    createViewActions(m_viewMenu);

    // Each language named in itself, so whoever cannot read the current one finds theirs.
    m_viewMenu->addSeparator();
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    m_languageGroup = new QActionGroup(this);
    for (const QString &language : Language::available()) {
        QAction *action = m_languageMenu->addAction(Language::nativeName(language));
        action->setObjectName(QStringLiteral("language_%1").arg(language));
        action->setData(language);
        action->setCheckable(true);
        action->setChecked(language == Language::current());
        m_languageGroup->addAction(action);
    }
    connect(m_languageGroup, &QActionGroup::triggered, this,
            [this](QAction *action) { setLanguage(action->data().toString()); });

    // The button: in the menu bar's corner, so it costs no height on a 720-pixel projector.
    auto *button = new QToolButton(this);
    button->setObjectName(QStringLiteral("compareButton"));
    button->setDefaultAction(m_compareAction);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    menuBar()->setCornerWidget(button, Qt::TopRightCorner);

    // Presentation mode hides the menu bar: the window keeps every shortcut, and one button
    // holds the menus.
    addActions(m_fileMenu->actions());
    addActions(m_viewMenu->actions());
    m_collapsedMenu = new QMenu(this);
    m_collapsedMenu->addMenu(m_fileMenu);
    m_collapsedMenu->addMenu(m_viewMenu);
}

void MainWindow::createViewActions(QMenu *view)
{
    view->addSeparator();
    m_presentAction = view->addAction(QString());
    m_presentAction->setObjectName(QStringLiteral("presentAction"));
    m_presentAction->setCheckable(true);
    m_presentAction->setShortcut(QKeySequence(Qt::Key_F11));
    connect(m_presentAction, &QAction::triggered, this, &MainWindow::setPresenting);
    auto *leave = new QAction(this);
    leave->setObjectName(QStringLiteral("leavePresentationAction"));
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    leave->setEnabled(false);
    connect(leave, &QAction::triggered, this, [this] { setPresenting(false); });
    connect(m_presentAction, &QAction::toggled, leave, &QAction::setEnabled);
    addAction(leave);

    view->addSeparator();
    QAction *zoomIn =
        view->addAction(QString(), this, [this] { setZoomPercent(Zoom::step(m_zoomPercent, 1)); });
    zoomIn->setObjectName(QStringLiteral("zoomInAction"));
    zoomIn->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    QAction *zoomOut =
        view->addAction(QString(), this, [this] { setZoomPercent(Zoom::step(m_zoomPercent, -1)); });
    zoomOut->setObjectName(QStringLiteral("zoomOutAction"));
    zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    QAction *zoomReset =
        view->addAction(QString(), this, [this] { setZoomPercent(Zoom::DefaultPercent); });
    zoomReset->setObjectName(QStringLiteral("zoomResetAction"));
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
}

void MainWindow::setZoomPercent(int percent)
{
    m_zoomPercent = Zoom::snapped(percent);
    QSettings settings;
    Zoom::save(settings, m_zoomPercent);
    applyFont();
    statusBar()->showMessage(tr("Text at %1 %").arg(m_zoomPercent), StatusMessageMs);
}

void MainWindow::applyFont()
{
    QFont font = QApplication::font();
    if (m_presenting) {
        const QScreen *screen = this->screen();
        font.setPixelSize(Presentation::bodyPixelSize(screen ? screen->geometry().size() : QSize(),
                                                      m_zoomPercent));
    } else {
        font = Zoom::scaled(font, m_zoomPercent);
    }
    setFont(font);
    // Once the panel has its new size: it may fit beside the page now, or no longer.
    QTimer::singleShot(0, this, &MainWindow::fitFaultsDock);
    // The platform's font for table headers outranks the one they would inherit.
    const auto headers = findChildren<QHeaderView *>();
    for (QHeaderView *header : headers)
        header->setFont(font);
}

void MainWindow::setPresenting(bool on)
{
    if (m_presentAction)
        m_presentAction->setChecked(on);
    if (on == m_presenting)
        return;
    m_presenting = on;
    menuBar()->setVisible(!on);
    statusBar()->setVisible(!on);
    m_presentationBar->setVisible(on);
    // The essentials only: the Faults panel steps aside (Ctrl+Shift+F brings it back).
    if (m_session->isHosting())
        m_faultsDock->setVisible(!on);
    m_chatPage->setPresenting(on);
    m_compareView->setPresenting(on);
    m_costPanel->setPresenting(on);
    if (on) {
        m_wasMaximized = isMaximized();
        showFullScreen();
        // Without a window manager (a projector's kiosk, Xvfb) nobody applies the state.
        if (const QScreen *screen = this->screen())
            setGeometry(screen->geometry());
    } else if (m_wasMaximized) {
        showMaximized();
    } else {
        showNormal();
    }
    applyFont();
    updateJoinBanner();
}

void MainWindow::updateJoinBanner()
{
    JoinBanner *banner = m_presentationBar->joinBanner();
    const bool hosting =
        m_session->isHosting() && m_session->phase() == SessionController::Phase::InRoom;
    banner->setVisible(hosting);
    if (hosting)
        banner->setAddresses(m_session->joinUrls(), JoinUrls::loopback(m_session->port()),
                             !m_session->request().key.isEmpty(), m_session->tlsFingerprint());
}

void MainWindow::retranslateUi()
{
    // Qt 6.4 tells an action's widgets of a change while walking their list, and the menu bar,
    // laying out a new title, may add its overflow menu to that list meanwhile: the walk then
    // reads freed memory unless the menu bar is the only widget. So the presentation mode's
    // menu lets go of the two menus while they are renamed.
    m_collapsedMenu->clear();
    m_fileMenu->setTitle(tr("&File"));
    m_exportCsvAction->setText(tr("Export &CSV…"));
    m_exportCsvAction->setToolTip(
        tr("Every delivered message and every request and frame of this view"));
    m_exportPngAction->setText(tr("Export &picture (PNG)…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_collapsedMenu->addMenu(m_fileMenu);
    m_collapsedMenu->addMenu(m_viewMenu);
    m_compareAction->setText(tr("C&ompare the three techniques"));
    m_compareAction->setIconText(tr("Compare"));
    m_compareAction->setToolTip(
        tr("Watch every message arrive by polling, long polling and WebSocket side by side"));
    m_presentAction->setText(tr("&Presentation mode"));
    m_presentAction->setToolTip(tr("Full screen, large type, the essentials only (Esc leaves)"));
    const auto setText = [this](const char *action, const QString &text) {
        findChild<QAction *>(QLatin1String(action))->setText(text);
    };
    setText("leavePresentationAction", tr("Leave presentation mode"));
    setText("zoomInAction", tr("Zoom &in"));
    setText("zoomOutAction", tr("Zoom &out"));
    setText("zoomResetAction", tr("&Actual size"));
    // The dock's title first: it renames the dock's action too.
    m_faultsDock->setWindowTitle(tr("Faults"));
    findChild<QAction *>(QStringLiteral("faultsAction"))->setText(tr("&Faults (when hosting)"));
    m_languageMenu->setTitle(tr("&Language"));
    if (m_statusFault && statusBar()->currentMessage() == m_statusFaultText)
        showStatusFault(); // still on show: in the new language
    for (QAction *action : m_languageGroup->actions())
        action->setChecked(action->data().toString() == Language::current());
    updateTitle();
}

void MainWindow::setLanguage(const QString &language)
{
    if (!Language::install(language))
        return;
    applyLanguageFont(Language::current());
    applyFont(); // the window's own font (zoom, presentation) takes the new families
    QSettings settings;
    settings.setValue(QLatin1String(LanguageSetting), Language::current());
}

void MainWindow::showStatusFault()
{
    m_statusFaultText = tr("Fault: %1").arg(m_statusFault->label());
    statusBar()->showMessage(m_statusFaultText, StatusMessageMs);
}

void MainWindow::fitFaultsDock()
{
    const auto *scroll = static_cast<QScrollArea *>(m_faultsDock->widget());
    const int scrollBar = scroll->verticalScrollBar()->sizeHint().width();
    // Its labels beside their fields where the width allows, above them where not.
    const int leastWidth = m_faultsPanel->minimumSizeHint().width() + scrollBar;
    const int preferredWidth = m_faultsPanel->sizeHint().width() + scrollBar;
    // Beside the page where the screen has room for both; floating over the window where it
    // has not (a 1280×720 projector at 150 % scaling is 853 wide to us), rather than widening
    // the window past the screen or cutting the panel's fields.
    const QScreen *screen = this->screen();
    const QRect available = screen ? screen->availableGeometry() : QRect();
    const int page = centralWidget()->minimumSizeHint().width() +
                     style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent, nullptr, this);
    const bool docked = available.isEmpty() || page + leastWidth <= available.width();
    if (m_faultsDock->isFloating() == docked) {
        const bool shown = m_faultsDock->isVisible();
        m_faultsDock->setFloating(!docked);
        m_faultsDock->setVisible(shown); // a dock made floating is hidden until shown again
        // The dock beside the page may have widened the window past the screen.
        if (!docked)
            resize(size().boundedTo(available.size()));
    }
    if (!m_faultsDock->isVisible())
        return;
    if (docked) {
        const int room = available.isEmpty() ? preferredWidth : available.width() - page;
        resizeDocks({m_faultsDock}, {std::min(preferredWidth, room)}, Qt::Horizontal);
        return;
    }
    // At the window's top right, under the menu bar, and on the screen.
    m_faultsDock->resize(preferredWidth, m_faultsDock->sizeHint().height());
    QRect placed(QPoint(), m_faultsDock->frameGeometry().size().boundedTo(available.size()));
    placed.moveTopRight(frameGeometry().topRight() + QPoint(0, menuBar()->height()));
    m_faultsDock->move(
        std::clamp(placed.x(), available.left(), available.right() + 1 - placed.width()),
        std::clamp(placed.y(), available.top(), available.bottom() + 1 - placed.height()));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // Once the panel has its new words (the window hears of the change before it).
        QTimer::singleShot(0, this, &MainWindow::fitFaultsDock);
    }
    QMainWindow::changeEvent(event);
}

bool MainWindow::isComparing() const
{
    return m_stack->currentWidget() == m_compareView;
}

void MainWindow::showCompare(bool on)
{
    ChatClient *client = m_session->client();
    if (on && client && m_session->phase() == SessionController::Phase::InRoom) {
        if (!isComparing()) {
            // Messages already in the room are history: only what comes after is timed.
            m_compareView->start(client->serverUrl(), client->key(), client->pollInterval(),
                                 std::max(client->cursor(), client->roomInfo().lastSeq),
                                 client->tls());
            m_stack->setCurrentWidget(m_compareView);
        }
    } else if (isComparing()) {
        m_compareView->stop();
        m_stack->setCurrentWidget(m_session->phase() == SessionController::Phase::InRoom
                                      ? static_cast<QWidget *>(m_chatPage)
                                      : m_startPage);
    }
    m_compareAction->setChecked(isComparing());
}

QByteArray MainWindow::currentViewCsv() const
{
    if (isComparing())
        return m_compareView->csv();
    CsvExport csv;
    csv.addDeliveries(m_deliveries->deliveries());
    if (const ChatClient *client = m_session->client())
        csv.addEvents(client->eventLog()->events());
    return csv.toCsv();
}

bool MainWindow::exportCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(currentViewCsv()) < 0 || !file.flush()) {
        statusBar()->showMessage(tr("Could not write %1: %2").arg(path, file.errorString()), 8000);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::exportPng(const QString &path)
{
    if (!m_stack->currentWidget()->grab().save(path, "PNG")) {
        statusBar()->showMessage(tr("Could not write %1").arg(path), 8000);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::exportWithDialog(bool png)
{
    const QString name =
        isComparing() ? QStringLiteral("pushchat-compare") : QStringLiteral("pushchat-inspector");
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(
        this, png ? tr("Export picture") : tr("Export CSV"),
        QDir(dir).filePath(name + (png ? QStringLiteral(".png") : QStringLiteral(".csv"))),
        png ? tr("PNG pictures (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (png)
        exportPng(path);
    else
        exportCsv(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    qCInfo(lcAppUi) << "closing";
    m_compareView->stop();
    m_costPanel->audience()->stop();
    m_session->shutdown();
    event->accept();
}

} // namespace PushChat
