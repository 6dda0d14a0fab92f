#include "mainwindow.h"

#include "applog.h"
#include "chatpage.h"
#include "sessioncontroller.h"
#include "startpage.h"

#include <QCloseEvent>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

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
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/pushchat/icons/pushchat.png")));
    m_stack->addWidget(m_startPage);
    m_stack->addWidget(m_chatPage);
    setCentralWidget(m_stack);
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_stateLabel->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_stateLabel, 1);

    QSettings settings;
    m_settings = StartSettings::load(settings);
    m_startPage->setValues(m_settings);

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
    updateTitle();
}

MainWindow::~MainWindow()
{
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
}

void MainWindow::onLeft(const QString &reason)
{
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    qCInfo(lcAppUi) << "closing";
    m_session->shutdown();
    event->accept();
}

} // namespace PushChat
