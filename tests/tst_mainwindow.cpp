// The desktop app end to end: two windows in one process, one hosting from its start screen
// and one joining it, over real loopback sockets. Over 500 lines because every test drives the
// same two real windows; the pure parts have tests of their own (tst_appoptions, tst_timeline…).

#include "chatclient.h"
#include "chatpage.h"
#include "inspectormodel.h"
#include "mainwindow.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "modetoggle.h"
#include "serverstatspoller.h"
#include "sessioncontroller.h"
#include "startpage.h"
#include "timelinewidget.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace PushChat;

namespace {
constexpr int Timeout = 30000;

template<typename T> T *child(const QWidget &parent, const char *name)
{
    T *found = parent.findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no child %s", name);
    return found;
}

void setMode(const MainWindow &window, Transport mode)
{
    auto *combo = child<QComboBox>(window, "startModeCombo");
    combo->setCurrentIndex(combo->findData(int(mode)));
}

void host(MainWindow &window, const QString &room, const QString &nick, int port,
          Transport mode = Transport::WebSocket)
{
    child<QLineEdit>(window, "hostRoomEdit")->setText(room);
    child<QSpinBox>(window, "hostPortSpin")->setValue(port);
    child<QLineEdit>(window, "hostKeyEdit")->clear();
    child<QLineEdit>(window, "hostNickEdit")->setText(nick);
    setMode(window, mode);
    QTest::mouseClick(child<QPushButton>(window, "hostButton"), Qt::LeftButton);
}

void join(MainWindow &window, const QString &address, const QString &nick, Transport mode)
{
    child<QLineEdit>(window, "joinAddressEdit")->setText(address);
    child<QLineEdit>(window, "joinNickEdit")->setText(nick);
    child<QLineEdit>(window, "joinKeyEdit")->clear();
    setMode(window, mode);
    QTest::mouseClick(child<QPushButton>(window, "joinButton"), Qt::LeftButton);
}

bool connected(const MainWindow &window)
{
    const ChatClient *client = window.session()->client();
    return window.session()->phase() == SessionController::Phase::InRoom && client &&
           client->state() == ChatClient::State::Connected;
}

// Shows both windows, hosts `room` from the first one's start screen as alice and joins it
// from the second one's as bob. Callers check QTest::currentTestFailed() afterwards.
void hostAndJoin(MainWindow &hostWindow, MainWindow &guestWindow, const QString &room,
                 Transport guestMode)
{
    hostWindow.show();
    host(hostWindow, room, QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(hostWindow), Timeout);
    guestWindow.show();
    join(guestWindow, QStringLiteral("127.0.0.1:%1").arg(hostWindow.session()->port()),
         QStringLiteral("bob"), guestMode);
    QTRY_VERIFY_WITH_TIMEOUT(connected(guestWindow), Timeout);
}

int countText(const MessageListModel *model, const QString &text)
{
    int n = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>() ==
                MessageListModel::RowType::Chat &&
            index.data(MessageListModel::TextRole).toString() == text)
            ++n;
    }
    return n;
}

qint64 inspectorValue(const MainWindow &window, Transport mode, InspectorModel::Measure measure)
{
    const InspectorModel *model = window.chatPage()->inspectorModel();
    const int column = int(model->modes().indexOf(mode));
    if (column < 0)
        return -1;
    return model->index(int(measure), column).data(InspectorModel::ValueRole).toLongLong();
}

// A room on loopback that takes messages of at most 64 bytes, and a window that joins it.
// The window goes first, then the server (members end in reverse order).
struct SmallRoom
{
    ServerHost server;
    MainWindow window;

    // Starts the room and asks to join it as `nick`, without waiting for the link.
    bool join(const QString &nick, Transport mode)
    {
        ServerConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        config.maxTextBytes = 64;
        QSignalSpy started(&server, &ServerHost::started);
        server.start(config);
        if (!started.wait(Timeout))
            return false;
        window.show();
        ::join(window, QStringLiteral("127.0.0.1:%1").arg(server.port()), nick, mode);
        return true;
    }
};

void typeAndSend(MainWindow &window, const QString &text)
{
    QLineEdit *input = window.chatPage()->input();
    QTest::keyClicks(input, text);
    QTest::keyClick(input, Qt::Key_Return);
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void hostAndJoinThenChat();
    void hostedHistorySurvivesTheServerAndClears();
    void switchModesDuringTrafficLosesAndRepeatsNothing();
    void inspectorCountsPerMode();
    void portInUseIsExplained();
    void stopHostingShowsGuestDisconnected();
    void closingStopsTheServerThread();
    void commandLineHostsAtOnce();
    void inputCountsBytesAsTheRoomDoes();
    void refusedMessageComesBackToTheInput();
    void longMessageShownFolded();
    void postOnlySenderListedAsSuch();

private:
    QTemporaryDir m_settingsDir;
};

void tst_MainWindow::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void tst_MainWindow::init()
{
    // Hosted rooms keep their history on disk: each test starts without the last one's.
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

void tst_MainWindow::hostedHistorySurvivesTheServerAndClears()
{
    // One file per room name, the name made safe for a file name, distinct names kept apart.
    const QString path = SessionController::historyPath(QStringLiteral("Class 4B/../x"));
    QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    QVERIFY(!QFileInfo(path).fileName().contains(u'/'));
    QVERIFY(QFileInfo(path).fileName().startsWith(u"Class_4B____x-"));
    QVERIFY(path != SessionController::historyPath(QStringLiteral("Class_4B__x")));

    MainWindow window;
    window.show();
    host(window, QStringLiteral("Durable"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    const QString file = window.session()->historyFile();
    QCOMPARE(file, SessionController::historyPath(QStringLiteral("Durable")));
    QVERIFY(QFileInfo::exists(file));
    QVERIFY(child<QLabel>(window, "historyLabel")->text().contains(QFileInfo(file).fileName()));
    QCOMPARE(child<QLabel>(window, "historyLabel")->toolTip(), file);
    typeAndSend(window, QStringLiteral("kept over a restart"));
    QTRY_COMPARE_WITH_TIMEOUT(countText(window.session()->messages(), "kept over a restart"), 1,
                              Timeout);

    // Stop hosting, host the same room again: the history is back.
    QTest::mouseClick(child<QPushButton>(window, "leaveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->phase(), SessionController::Phase::Idle, Timeout);
    host(window, QStringLiteral("Durable"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(countText(window.session()->messages(), "kept over a restart"), 1,
                              Timeout);

    // Clear history: the client starts again from the new history, the chat says so, and the
    // room goes on.
    ChatClient *client = window.session()->client();
    QSignalSpy reset(client, &ChatClient::historyReset);
    QSignalSpy cleared(window.session(), &SessionController::historyCleared);
    window.session()->clearHistory();
    QVERIFY(cleared.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(reset.size(), 1, Timeout);
    QVERIFY(client->messages().isEmpty());
    typeAndSend(window, QStringLiteral("after the clear"));
    QTRY_COMPARE_WITH_TIMEOUT(countText(window.session()->messages(), "after the clear"), 1,
                              Timeout);
}

void tst_MainWindow::hostAndJoinThenChat()
{
    MainWindow hostWindow;
    hostWindow.show();
    host(hostWindow, QStringLiteral("Class 4B"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(hostWindow), Timeout);
    const quint16 port = hostWindow.session()->port();
    QVERIFY(port != 0);
    QTRY_VERIFY(hostWindow.windowTitle().contains(u"Class 4B"));
    QVERIFY(hostWindow.windowTitle().contains(u"Connected"));
    QVERIFY(!hostWindow.session()->joinUrls().isEmpty() ||
            child<QListWidget>(hostWindow, "joinAddressList")->count() == 1);
    QVERIFY(child<QListWidget>(hostWindow, "joinAddressList")->count() >= 1);

    MainWindow guestWindow;
    guestWindow.show();
    join(guestWindow, QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("bob"),
         Transport::LongPoll);
    QTRY_VERIFY_WITH_TIMEOUT(connected(guestWindow), Timeout);
    QCOMPARE(guestWindow.findChild<QStackedWidget *>()->currentWidget(), guestWindow.chatPage());
    QTRY_VERIFY_WITH_TIMEOUT(guestWindow.windowTitle().contains(u"Class 4B"), Timeout);

    // Type and send: Enter sends, clears the line and keeps the focus there.
    typeAndSend(guestWindow, QStringLiteral("hello from bob"));
    QVERIFY(guestWindow.chatPage()->input()->text().isEmpty());
    QCOMPARE(guestWindow.focusWidget(), guestWindow.chatPage()->input());
    QTRY_COMPARE_WITH_TIMEOUT(countText(hostWindow.session()->messages(), "hello from bob"), 1,
                              Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(countText(guestWindow.session()->messages(), "hello from bob"), 1,
                              Timeout);

    // The own message is marked, the other's not.
    const MessageListModel *guestModel = guestWindow.session()->messages();
    for (int row = 0; row < guestModel->rowCount(); ++row) {
        const QModelIndex index = guestModel->index(row);
        if (index.data(MessageListModel::TextRole).toString() == u"hello from bob")
            QVERIFY(index.data(MessageListModel::OwnRole).toBool());
    }

    // Rich text arrives literally, both ways.
    const QString markup = QStringLiteral("<b>x</b> <img src=\"a.png\">");
    typeAndSend(hostWindow, markup);
    QTRY_COMPARE_WITH_TIMEOUT(countText(guestWindow.session()->messages(), markup), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(countText(hostWindow.session()->messages(), markup), 1, Timeout);

    // The host sees bob online with his transport.
    auto *online = child<QListWidget>(hostWindow, "onlineList");
    QTRY_VERIFY_WITH_TIMEOUT(
        !online->findItems(QStringLiteral("bob — Long polling"), Qt::MatchExactly).isEmpty(),
        Timeout);
    // And the server's counters arrived in the host panel.
    QTRY_VERIFY_WITH_TIMEOUT(hostWindow.session()->statsPoller()->hasSnapshot(), Timeout);
}

void tst_MainWindow::switchModesDuringTrafficLosesAndRepeatsNothing()
{
    MainWindow hostWindow;
    MainWindow guestWindow;
    hostAndJoin(hostWindow, guestWindow, QStringLiteral("Switching"), Transport::Polling);
    if (QTest::currentTestFailed())
        return;
    child<QSlider>(guestWindow, "intervalSlider")->setValue(0); // 100 ms
    QCOMPARE(guestWindow.session()->client()->pollInterval(), 100);

    // 16 messages a second: under the server's limit of 20 per sender, so none is refused.
    constexpr int Count = 60;
    const Transport cycle[] = {Transport::LongPoll, Transport::WebSocket, Transport::Polling};
    ChatClient *sender = hostWindow.session()->client();
    QSignalSpy refused(sender, &ChatClient::sendFailed);
    ModeToggle *toggle = guestWindow.chatPage()->modeToggle();
    int sent = 0;
    QTimer pump;
    pump.setInterval(60);
    connect(&pump, &QTimer::timeout, this, [&] {
        if (sent == Count) {
            pump.stop();
            return;
        }
        sender->send(QStringLiteral("m%1").arg(sent));
        ++sent;
        if (sent % 4 == 0)
            QTest::mouseClick(toggle->button(cycle[(sent / 4) % 3]), Qt::LeftButton);
    });
    pump.start();
    QTRY_COMPARE_WITH_TIMEOUT(sent, Count, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(sender->pendingCount(), 0, Timeout);
    const MessageListModel *model = guestWindow.session()->messages();
    // Wait until the host saw all its messages stored and the guest caught up with it; then
    // look for holes and repeats.
    QTRY_COMPARE_WITH_TIMEOUT(hostWindow.session()->messages()->seqs().size(), qsizetype(Count + 2),
                              Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(guestWindow.session()->client()->cursor(), sender->cursor(), Timeout);
    guestWindow.session()->messages()->flush();
    QCOMPARE(refused.size(), 0);
    const QList<ChatMessage> &received = guestWindow.session()->client()->messages();
    for (int i = 0; i < Count; ++i) {
        const QString text = QStringLiteral("m%1").arg(i);
        const int inClient =
            int(std::count_if(received.begin(), received.end(),
                              [&](const ChatMessage &m) { return m.text == text; }));
        if (countText(model, text) != 1) {
            QStringList seen;
            for (const ChatMessage &m : received)
                seen << QStringLiteral("%1:%2").arg(m.seq).arg(m.text);
            qWarning().noquote() << "guest's client holds" << seen.join(u' ');
        }
        QVERIFY2(countText(model, text) == 1,
                 qPrintable(QStringLiteral("%1: %2 times in the view, %3 in the guest's client, "
                                           "%4 in the host's view")
                                .arg(text)
                                .arg(countText(model, text))
                                .arg(inClient)
                                .arg(countText(hostWindow.session()->messages(), text))));
    }
    const QList<qint64> seqs = model->seqs();
    QCOMPARE(seqs.size(), Count + 2); // and two joins
    for (qsizetype i = 1; i < seqs.size(); ++i)
        QVERIFY2(seqs[i] > seqs[i - 1], qPrintable(QStringLiteral("row %1").arg(i)));
    // Every mode was used, and the inspector has a column for each.
    QCOMPARE(guestWindow.chatPage()->inspectorModel()->modes().size(), 3);
}

void tst_MainWindow::inspectorCountsPerMode()
{
    using M = InspectorModel::Measure;
    MainWindow hostWindow;
    MainWindow guestWindow;
    child<QSlider>(guestWindow, "intervalSlider")->setValue(0); // 100 ms
    hostAndJoin(hostWindow, guestWindow, QStringLiteral("Inspector"), Transport::Polling);
    if (QTest::currentTestFailed())
        return;

    // Polling asks again and again, mostly for nothing.
    QTRY_VERIFY_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::Polling, M::Requests) >= 10,
                             Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        inspectorValue(guestWindow, Transport::Polling, M::EmptyResponses) >= 5, Timeout);
    QVERIFY(inspectorValue(guestWindow, Transport::Polling, M::BytesUp) > 0);
    QVERIFY(inspectorValue(guestWindow, Transport::Polling, M::BytesDown) > 0);
    QCOMPARE(inspectorValue(guestWindow, Transport::WebSocket, M::Requests), -1); // not used yet

    // WebSocket: one connection, no HTTP request at all, messages pushed.
    QTest::mouseClick(guestWindow.chatPage()->modeToggle()->button(Transport::WebSocket),
                      Qt::LeftButton);
    QCOMPARE(guestWindow.session()->client()->mode(), Transport::WebSocket);
    QTRY_VERIFY_WITH_TIMEOUT(connected(guestWindow), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::WebSocket, M::OpenConnections),
                              1, Timeout);
    for (int i = 0; i < 3; ++i)
        typeAndSend(hostWindow, QStringLiteral("push %1").arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::WebSocket, M::Messages) >= 3,
                             Timeout);
    QCOMPARE(inspectorValue(guestWindow, Transport::WebSocket, M::Requests), 0);
    QCOMPARE(inspectorValue(guestWindow, Transport::WebSocket, M::EmptyResponses), 0);
    QVERIFY(inspectorValue(guestWindow, Transport::WebSocket, M::Frames) >= 3);
    QTRY_COMPARE_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::Polling, M::OpenConnections),
                              0, Timeout);
    // Polling stopped asking once the mode changed.
    const qint64 pollRequests = inspectorValue(guestWindow, Transport::Polling, M::Requests);
    typeAndSend(hostWindow, QStringLiteral("one more"));
    QTRY_VERIFY_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::WebSocket, M::Messages) >= 4,
                             Timeout);
    QCOMPARE(inspectorValue(guestWindow, Transport::Polling, M::Requests), pollRequests);

    // Long polling: the answer comes with the news.
    QTest::mouseClick(guestWindow.chatPage()->modeToggle()->button(Transport::LongPoll),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::LongPoll, M::Requests) >= 1,
                             Timeout);
    typeAndSend(hostWindow, QStringLiteral("news"));
    QTRY_VERIFY_WITH_TIMEOUT(inspectorValue(guestWindow, Transport::LongPoll, M::Messages) >= 1,
                             Timeout);
    QCOMPARE(guestWindow.chatPage()->inspectorModel()->modes(),
             (QList<Transport>{Transport::Polling, Transport::WebSocket, Transport::LongPoll}));
    // The timeline saw the three transports' traffic.
    QTRY_VERIFY(!guestWindow.chatPage()->timeline()->timeline().bars.isEmpty());
    QTRY_VERIFY(!guestWindow.chatPage()->timeline()->timeline().ticks.isEmpty());
}

void tst_MainWindow::portInUseIsExplained()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::Any, 0));
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::hostErrorShown);
    QSignalSpy failed(window.session(), &SessionController::hostFailed);
    host(window, QStringLiteral("Second"), QStringLiteral("carol"), occupier.serverPort());
    QVERIFY(shown.wait(Timeout));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().value<ServerError>().kind, ServerError::Kind::AddressInUse);
    QVERIFY(shown.first().first().toString().contains(u"in use"));
    // The server's own words are shown too.
    QVERIFY(shown.first().first().toString().contains(
        failed.first().first().value<ServerError>().message));
    QMessageBox *box = window.hostErrorBox();
    QVERIFY(box);
    QVERIFY(box->isVisible());
    QVERIFY(box->text().contains(QString::number(occupier.serverPort())));
    QCOMPARE(window.findChild<QStackedWidget *>()->currentWidget(), window.startPage());
    QCOMPARE(window.session()->phase(), SessionController::Phase::Idle);
    QCOMPARE(window.session()->serverHost()->state(), ServerHost::State::Stopped);

    // "Use any free port" hosts the room after all.
    QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("useAnyPortButton")),
                      Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QVERIFY(window.session()->port() != occupier.serverPort());
}

void tst_MainWindow::stopHostingShowsGuestDisconnected()
{
    MainWindow hostWindow;
    MainWindow guestWindow;
    hostAndJoin(hostWindow, guestWindow, QStringLiteral("Short-lived"), Transport::WebSocket);
    if (QTest::currentTestFailed())
        return;
    auto *banner = child<QWidget>(guestWindow, "connectionBanner");
    QVERIFY(!banner->isVisible());

    auto *stop = child<QPushButton>(hostWindow, "leaveButton");
    QVERIFY(stop->text().contains(u"Stop hosting"));
    QTest::mouseClick(stop, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(hostWindow.session()->serverHost()->state(),
                              ServerHost::State::Stopped, Timeout);
    QTRY_COMPARE(hostWindow.findChild<QStackedWidget *>()->currentWidget(), hostWindow.startPage());

    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), Timeout);
    QVERIFY(!child<QLabel>(guestWindow, "connectionBannerLabel")->text().isEmpty());
    QVERIFY(guestWindow.windowTitle().contains(u"Reconnecting") ||
            guestWindow.windowTitle().contains(u"Disconnected"));
}

void tst_MainWindow::closingStopsTheServerThread()
{
    auto *window = new MainWindow;
    window->show();
    host(*window, QStringLiteral("Closing"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(*window), Timeout);
    const quint16 port = window->session()->port();
    typeAndSend(*window, QStringLiteral("bye"));
    QTRY_COMPARE_WITH_TIMEOUT(countText(window->session()->messages(), "bye"), 1, Timeout);

    QVERIFY(window->close());
    QCOMPARE(window->session()->serverHost()->state(), ServerHost::State::Stopped);
    // The port is free again at once: the server thread closed its socket and was joined.
    QTcpServer again;
    QVERIFY(again.listen(QHostAddress::Any, port));
    delete window;
}

void tst_MainWindow::commandLineHostsAtOnce()
{
    MainWindow window;
    window.show();
    window.applyOptions(AppOptions::parse({"pushchat", "--host", "--port", "0", "--room",
                                           "Scripted", "--nick", "teacher", "--mode", "poll"}));
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QCOMPARE(window.session()->client()->mode(), Transport::Polling);
    QCOMPARE(window.chatPage()->modeToggle()->mode(), Transport::Polling);
    QVERIFY(window.windowTitle().contains(u"Scripted"));
    QVERIFY(!window.windowIcon().pixmap(64, 64).isNull());
    // The three modes have shortcuts.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(window.chatPage()->input(), Qt::Key_3, Qt::ControlModifier);
    QTRY_COMPARE(window.session()->client()->mode(), Transport::WebSocket);
    QTest::keyClick(window.chatPage()->input(), Qt::Key_2, Qt::ControlModifier);
    QTRY_COMPARE(window.session()->client()->mode(), Transport::LongPoll);
    QCOMPARE(window.chatPage()->modeToggle()->mode(), Transport::LongPoll);
    // Remembered for the next start screen.
    QSettings settings;
    QCOMPARE(settings.value("start/roomName").toString(), QStringLiteral("Scripted"));
}

void tst_MainWindow::inputCountsBytesAsTheRoomDoes()
{
    SmallRoom room;
    QVERIFY(room.join(QStringLiteral("dan"), Transport::LongPoll));
    MainWindow &window = room.window;
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    ChatPage *page = window.chatPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->maxTextBytes(), 64, Timeout);

    // 20 Chinese characters are 60 bytes: under the room's 64, and the counter shows it.
    QLabel *counter = page->inputByteCounter();
    QVERIFY(!counter->isVisible());
    page->input()->setText(QString(20, QChar(0x4e2d)));
    QVERIFY(counter->isVisible());
    QCOMPARE(counter->text(), QStringLiteral("60 / 64 bytes"));
    QVERIFY(child<QPushButton>(window, "sendButton")->isEnabled());
    // 22 are 66: over it, though only 22 characters. Not sent, kept, and said why.
    page->input()->setText(QString(22, QChar(0x4e2d)));
    QCOMPARE(counter->text(), QStringLiteral("66 / 64 bytes"));
    QVERIFY(!child<QPushButton>(window, "sendButton")->isEnabled());
    ChatClient *client = window.session()->client();
    QTest::keyClick(page->input(), Qt::Key_Return);
    QCOMPARE(client->outbox().size(), 0);
    QCOMPARE(page->input()->text(), QString(22, QChar(0x4e2d)));
    QVERIFY(page->inputNote()->isVisible());
    QVERIFY2(page->inputNote()->text().contains(u"66"), qPrintable(page->inputNote()->text()));
    // Shortened, it goes.
    QTest::keyClick(page->input(), Qt::Key_Backspace);
    QTest::keyClick(page->input(), Qt::Key_Backspace);
    QVERIFY(!page->inputNote()->isVisible() || page->inputNote()->text().isEmpty());
    QTest::keyClick(page->input(), Qt::Key_Return);
    QVERIFY(page->input()->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(countText(window.session()->messages(), QString(20, QChar(0x4e2d))),
                              1, Timeout);
}

void tst_MainWindow::refusedMessageComesBackToTheInput()
{
    SmallRoom room;
    QVERIFY(room.join(QStringLiteral("erin"), Transport::WebSocket));
    MainWindow &window = room.window;
    // Typed before the room said its limit (the app assumes the usual 4,096 bytes until then):
    // the server refuses it, and the text must not be lost.
    QCOMPARE(window.chatPage()->maxTextBytes(), 4096);
    const QString text = QString(30, QChar(0x6587)); // 90 bytes
    window.chatPage()->input()->setText(text);       // keyClicks() types Latin-1 only
    QTest::keyClick(window.chatPage()->input(), Qt::Key_Return);
    QVERIFY(window.chatPage()->input()->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(window.chatPage()->input()->text(), text, Timeout);
    QLabel *note = window.chatPage()->inputNote();
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(u"back in the box"), qPrintable(note->text()));
    QVERIFY2(note->text().contains(u"64 bytes"), qPrintable(note->text()));
    // The chat says so too, quoting the text (not an empty "").
    const MessageListModel *model = window.session()->messages();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < model->rowCount(); ++row) {
                const QModelIndex index = model->index(row);
                if (index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>() ==
                        MessageListModel::RowType::Notice &&
                    index.data().toString().contains(text))
                    return true;
            }
            return false;
        }(),
        Timeout);
}

void tst_MainWindow::longMessageShownFolded()
{
    MainWindow window;
    window.show();
    host(window, QStringLiteral("Folding"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    // The offscreen screen is small: give the window its usual size.
    window.resize(window.sizeHint());
    child<QSplitter>(window, "chatColumns")->setSizes({270, 480, 590});
    const QString longText = QStringLiteral("lorem ipsum ").repeated(341) + QStringLiteral("end!");
    window.chatPage()->input()->setText(longText);
    QTest::keyClick(window.chatPage()->input(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(countText(window.session()->messages(), longText), 1, Timeout);
    QListView *view = window.chatPage()->messageView();
    const MessageListModel *model = window.session()->messages();
    QModelIndex index;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row).data(MessageListModel::TextRole).toString() == longText)
            index = model->index(row);
    }
    QVERIFY(index.isValid());
    // Folded, the 4 KB message takes a small part of the chat column, not all of it.
    QTRY_VERIFY(view->visualRect(index).height() > 0);
    const int folded = view->visualRect(index).height();
    QVERIFY2(folded < view->viewport()->height() / 2,
             qPrintable(QStringLiteral("%1 of %2").arg(folded).arg(view->viewport()->height())));
    view->scrollTo(index);
    auto *delegate = qobject_cast<MessageDelegate *>(view->itemDelegate());
    QVERIFY(delegate);
    QStyleOptionViewItem option;
    option.initFrom(view->viewport());
    option.font = view->font();
    option.widget = view;
    option.rect = view->visualRect(index);
    const QRect toggle = delegate->foldToggleRect(option, index);
    QVERIFY(!toggle.isEmpty());
    QVERIFY(view->viewport()->rect().contains(toggle));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, toggle.center());
    QVERIFY(index.data(MessageListModel::ExpandedRole).toBool());
    QTRY_VERIFY(view->visualRect(index).height() > 2 * folded);
}

void tst_MainWindow::postOnlySenderListedAsSuch()
{
    MainWindow window;
    window.show();
    host(window, QStringLiteral("Tutorial"), QStringLiteral("alice"), 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    // What curl or the tutorial's form does: a form post, no `via`, no poll afterwards.
    QNetworkAccessManager network;
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/api/messages").arg(window.session()->port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
    std::unique_ptr<QNetworkReply> reply(network.post(request, "nick=curl&text=hello"));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), Timeout);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    auto *online = child<QListWidget>(window, "onlineList");
    QTRY_VERIFY_WITH_TIMEOUT(
        !online->findItems(QStringLiteral("curl — sender only (HTTP posts)"), Qt::MatchExactly)
             .isEmpty(),
        Timeout);
    QVERIFY(online->findItems(QStringLiteral("curl — Polling"), Qt::MatchExactly).isEmpty());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
