// The host's Faults panel in the desktop app: each fault switched live from the panel, the
// room kept (inspector and timeline included), and a labelled marker on the timelines of
// every window in the room, the host's and a guest's.

#include "chatclient.h"
#include "chatpage.h"
#include "compareview.h"
#include "faultspanel.h"
#include "mainwindow.h"
#include "messagelistmodel.h"
#include "sessioncontroller.h"
#include "timelinewidget.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <algorithm>

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

void host(MainWindow &window)
{
    child<QLineEdit>(window, "hostRoomEdit")->setText(QStringLiteral("Faults"));
    child<QSpinBox>(window, "hostPortSpin")->setValue(0);
    child<QLineEdit>(window, "hostKeyEdit")->clear();
    child<QLineEdit>(window, "hostNickEdit")->setText(QStringLiteral("teacher"));
    QTest::mouseClick(child<QPushButton>(window, "hostButton"), Qt::LeftButton);
}

bool connected(const MainWindow &window)
{
    const ChatClient *client = window.session()->client();
    return window.session()->phase() == SessionController::Phase::InRoom && client &&
           client->state() == ChatClient::State::Connected;
}

bool hasFaultMarker(const TimelineWidget *timeline, const QString &label)
{
    const QList<Timeline::Marker> &markers = timeline->timeline().markers;
    return std::any_of(markers.begin(), markers.end(), [&](const Timeline::Marker &m) {
        return m.kind == Timeline::Marker::Kind::Fault && m.label() == label;
    });
}

bool markedEverywhere(const MainWindow &window, const QString &label)
{
    return hasFaultMarker(window.chatPage()->timeline(), label) &&
           hasFaultMarker(window.compareView()->timeline(), label);
}

qsizetype faultMarkers(const TimelineWidget *timeline)
{
    const QList<Timeline::Marker> &markers = timeline->timeline().markers;
    return std::count_if(markers.begin(), markers.end(), [](const Timeline::Marker &m) {
        return m.kind == Timeline::Marker::Kind::Fault;
    });
}

// Waits until the window's client fetched /api/room `count` more times.
bool roomFetched(const MainWindow &window, int count)
{
    const ChatClient *client = window.session()->client();
    int fetches = 0;
    qint64 lastNow = client->roomInfo().now;
    return QTest::qWaitFor(
        [&] {
            if (client->roomInfo().now != lastNow) {
                lastNow = client->roomInfo().now;
                ++fetches;
            }
            return fetches >= count;
        },
        Timeout);
}

} // namespace

class tst_FaultsPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void panelInjectsEachFaultAndKeepsTheRoom();
    void faultScriptRunsWhenHosting();
    void guestWindowMarksTheHostsFaults();

private:
    QTemporaryDir m_settingsDir;
};

void tst_FaultsPanel::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_faultspanel"));
    // Hosted rooms keep their history on disk: start without the last run's.
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

void tst_FaultsPanel::panelInjectsEachFaultAndKeepsTheRoom()
{
    MainWindow window;
    window.show();
    QVERIFY(!window.faultsDock()->isVisible());
    host(window);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QTRY_VERIFY(window.faultsDock()->isVisible());
    FaultsPanel *panel = window.faultsPanel();
    SessionController *session = window.session();
    ChatClient *client = session->client();
    auto *pages = window.findChild<QStackedWidget *>();

    // Drop: the client comes back by itself; the window stays in the room.
    const qint64 opened = client->metrics(Transport::WebSocket).connectionsOpened;
    QTest::mouseClick(panel->dropButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(window, QStringLiteral("drop all")), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(client->metrics(Transport::WebSocket).connectionsOpened > opened &&
                                 connected(window),
                             Timeout);
    QCOMPARE(pages->currentWidget(), window.chatPage());

    // Latency and proxy timeout reach the hosted server.
    panel->latencySpin()->setValue(300);
    QTRY_COMPARE(session->faults().addedLatencyMs, 300);
    QTRY_VERIFY(markedEverywhere(window, QStringLiteral("latency 300 ms")));
    panel->latencySpin()->setValue(0);
    QTRY_COMPARE(session->faults().addedLatencyMs, 0);
    panel->proxyTimeoutSpin()->setValue(15);
    QTRY_COMPARE(session->faults().proxyTimeoutSeconds, 15);
    QTRY_VERIFY(markedEverywhere(window, QStringLiteral("proxy timeout 15 s")));

    // Blocking the client's own technique: it says so; lifting the block brings it back.
    QSignalSpy errors(client, &ChatClient::errorOccurred);
    panel->blockCombo()->setCurrentIndex(panel->blockCombo()->findData(int(Transport::WebSocket)));
    QTRY_VERIFY(markedEverywhere(window, QStringLiteral("block websocket")));
    QTest::mouseClick(panel->dropButton(), Qt::LeftButton); // the open WebSocket must reconnect
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(errors.begin(), errors.end(),
                                         [](const QList<QVariant> &args) {
                                             return args.at(0).value<ErrorCode>() ==
                                                    ErrorCode::Blocked;
                                         }),
                             Timeout);
    QTRY_VERIFY(session->stateText().contains(QStringLiteral("refused")));
    panel->blockCombo()->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(window, QStringLiteral("unblock")), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);

    // Restart: same port, history kept, the window still in the room with its timeline.
    client->send(QStringLiteral("before the restart"));
    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, Timeout);
    const quint16 port = session->port();
    QSignalSpy restarted(session->serverHost(), &ServerHost::restarted);
    QTest::mouseClick(panel->restartButton(), Qt::LeftButton);
    QVERIFY(restarted.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(window, QStringLiteral("restart")), Timeout);
    QCOMPARE(restarted.first().first().value<quint16>(), port);
    QCOMPARE(session->client(), client); // the same session: nothing was re-entered
    QCOMPARE(pages->currentWidget(), window.chatPage());
    client->send(QStringLiteral("after the restart"));
    QTRY_COMPARE_WITH_TIMEOUT(client->pendingCount(), 0, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QStringList texts;
    for (const ChatMessage &message : client->messages())
        if (message.kind == MessageKind::Chat)
            texts << message.text;
    QCOMPARE(texts, QStringList({QStringLiteral("before the restart"),
                                 QStringLiteral("after the restart")}));
    QVERIFY(client->metrics(Transport::WebSocket).recoveries >= 1);
    // The panel still shows the faults that survived the restart.
    QCOMPARE(panel->proxyTimeoutSpin()->value(), 15);

    // The lesson of the proxy timeout: with this window's heartbeat (20 s) longer than the
    // proxy's timeout (2 s) the idle WebSocket is cut again and again; with a 1 s heartbeat,
    // from its next connection on, it is not.
    panel->proxyTimeoutSpin()->setValue(2);
    const auto reconnects = [client] { return client->metrics(Transport::WebSocket).reconnects; };
    const qint64 before = reconnects();
    QTRY_VERIFY_WITH_TIMEOUT(reconnects() >= before + 2 && connected(window), Timeout);
    panel->heartbeatSpin()->setValue(1); // the open connection still pings every 20 s
    QTRY_VERIFY2_WITH_TIMEOUT(reconnects() >= before + 3 && connected(window),
                              qPrintable(QStringLiteral("%1 reconnects after %2; %3")
                                             .arg(reconnects())
                                             .arg(before)
                                             .arg(session->stateText())),
                              Timeout);
    // Now three proxy timeouts pass on the new connection without a cut.
    const qint64 settled = reconnects();
    const qint64 pingsBefore = client->metrics(Transport::WebSocket).framesOut;
    QTRY_VERIFY_WITH_TIMEOUT(client->metrics(Transport::WebSocket).framesOut >= pingsBefore + 6,
                             Timeout);
    QCOMPARE(reconnects(), settled);
    QVERIFY(connected(window));
}

void tst_FaultsPanel::faultScriptRunsWhenHosting()
{
    QTemporaryFile script;
    QVERIFY(script.open());
    script.write("# short, for the test\n0s latency 200\n300ms drop\n600ms latency 0\n");
    script.flush();
    AppOptions options = AppOptions::parse({QStringLiteral("pushchat"), QStringLiteral("--host"),
                                            QStringLiteral("--port"), QStringLiteral("0"),
                                            QStringLiteral("--nick"), QStringLiteral("teacher"),
                                            QStringLiteral("--fault-script"), script.fileName()});
    QVERIFY2(options.error.isEmpty(), qPrintable(options.error));
    QCOMPARE(options.faultScript, script.fileName());
    MainWindow window;
    window.show();
    window.applyOptions(options);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(window, QStringLiteral("latency off")), Timeout);
    QVERIFY(markedEverywhere(window, QStringLiteral("latency 200 ms")));
    QVERIFY(markedEverywhere(window, QStringLiteral("drop all")));
    QTRY_COMPARE(window.session()->faults().addedLatencyMs, 0);
    QTRY_VERIFY_WITH_TIMEOUT(connected(window), Timeout);
}

// A window that joined the room hears of the host's faults from the room itself.
void tst_FaultsPanel::guestWindowMarksTheHostsFaults()
{
    MainWindow hostWindow;
    hostWindow.show();
    host(hostWindow);
    QTRY_VERIFY_WITH_TIMEOUT(connected(hostWindow), Timeout);
    MainWindow guest;
    guest.show();
    child<QLineEdit>(guest, "joinAddressEdit")
        ->setText(QStringLiteral("http://127.0.0.1:%1").arg(hostWindow.session()->port()));
    child<QLineEdit>(guest, "joinNickEdit")->setText(QStringLiteral("pupil"));
    child<QLineEdit>(guest, "joinKeyEdit")->clear();
    QTest::mouseClick(child<QPushButton>(guest, "joinButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(connected(guest), Timeout);
    QVERIFY(!guest.session()->isHosting());
    QVERIFY(!guest.faultsDock()->isVisible());
    QVERIFY(roomFetched(guest, 1));

    hostWindow.faultsPanel()->latencySpin()->setValue(400);
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(guest, QStringLiteral("latency 400 ms")), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(markedEverywhere(hostWindow, QStringLiteral("latency 400 ms")),
                             Timeout);
    QCOMPARE(guest.statusBar()->currentMessage(), QStringLiteral("Fault: latency 400 ms"));
    // Later fetches of the room mark nothing again, on either side.
    QVERIFY(roomFetched(hostWindow, 2));
    QVERIFY(roomFetched(guest, 2));
    for (const MainWindow *window : {&hostWindow, &guest}) {
        QCOMPARE(faultMarkers(window->chatPage()->timeline()), 1);
        QCOMPARE(faultMarkers(window->compareView()->timeline()), 1);
    }
    QCOMPARE(child<QLabel>(*hostWindow.faultsPanel(), "lastFault")->text().left(28),
             QStringLiteral("Last fault: latency 400 ms a"));
}

QTEST_MAIN(tst_FaultsPanel)
#include "tst_faultspanel.moc"
