// The server cost panel end to end: a window hosting a room on loopback port 0 (the server on
// its own thread), the counters read in-process, simulated clients on a thread of their own,
// and the online totals.

#include "chatclient.h"
#include "compareview.h"
#include "mainwindow.h"
#include "onlinetotals.h"
#include "servercostmodel.h"
#include "servercostpanel.h"
#include "serverstatspoller.h"
#include "sessioncontroller.h"
#include "simulatedaudience.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolButton>

using namespace PushChat;

namespace {
constexpr int Timeout = 60000;

bool inRoom(const MainWindow &window)
{
    const ChatClient *client = window.session()->client();
    return window.session()->phase() == SessionController::Phase::InRoom && client &&
           client->state() == ChatClient::State::Connected;
}

// The server's counters of `bucket`, as the app last read them.
TransportCounters counters(const MainWindow &window, StatsBucket bucket)
{
    return window.session()->statsPoller()->snapshot().stats[bucket];
}
} // namespace

class tst_ServerCostPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void simulatedLongPollersRaiseAndReturnTheConnections();
    void monitoringIsItsOwnRow();
    void onlineTotalsShowTheNumbers();
    void modelRatesFromTwoReports();
    void openedOrFoldedAsLeft();

private:
    void host();

    QTemporaryDir m_settingsDir;
    MainWindow *m_window = nullptr;
};

void tst_ServerCostPanel::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_servercostpanel"));
}

void tst_ServerCostPanel::init()
{
    m_window = new MainWindow;
    m_window->resize(1280, 720);
    m_window->show();
}

void tst_ServerCostPanel::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

void tst_ServerCostPanel::host()
{
    m_window->applyOptions(AppOptions::parse({"pushchat", "--host", "--port", "0", "--room", "Cost",
                                              "--nick", "teacher", "--mode", "ws"}));
    QTRY_VERIFY_WITH_TIMEOUT(inRoom(*m_window), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->statsPoller()->hasSnapshot(), Timeout);
}

void tst_ServerCostPanel::simulatedLongPollersRaiseAndReturnTheConnections()
{
    host();
    if (QTest::currentTestFailed())
        return;
    m_window->showCompare(true);
    ServerCostPanel *panel = m_window->serverCostPanel();
    QVERIFY(panel->isVisible());
    QVERIFY(!panel->isExpanded()); // folded to its summary line until opened
    panel->setExpanded(true);
    QVERIFY(panel->table()->isVisible());
    // The compare view's own long-polling observer is part of the baseline.
    QTRY_VERIFY_WITH_TIMEOUT(counters(*m_window, StatsBucket::LongPoll).openConnections >= 1,
                             Timeout);
    const qint64 baseline = counters(*m_window, StatsBucket::LongPoll).openConnections;

    panel->audienceSpin(Transport::LongPoll)->setValue(50);
    QTest::mouseClick(panel->audienceButton(Transport::LongPoll), Qt::LeftButton);
    SimulatedAudience *audience = panel->audience();
    QCOMPARE(audience->count(Transport::LongPoll), 50);
    QTRY_COMPARE_WITH_TIMEOUT(audience->connectedCount(Transport::LongPoll), 50, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        counters(*m_window, StatsBucket::LongPoll).openConnections >= baseline + 50, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(counters(*m_window, StatsBucket::LongPoll).parked >= 50, Timeout);
    QVERIFY(panel->audienceButton(Transport::LongPoll)->text().contains(u"50"));

    // The clients and their sockets live on the audience's thread: neither this (GUI) thread
    // nor the server's.
    QThread *clientThread = audience->clientThread();
    QVERIFY(clientThread);
    QVERIFY(clientThread != QThread::currentThread());
    QVERIFY(clientThread->isRunning());
    QCOMPARE(audience->worker()->thread(), clientThread);
    qsizetype sockets = 0;
    bool allOnTheirThread = true;
    QMetaObject::invokeMethod(
        audience->worker(),
        [&] {
            const auto found = audience->worker()->findChildren<QTcpSocket *>();
            sockets = found.size();
            for (const QTcpSocket *socket : found)
                allOnTheirThread = allOnTheirThread && socket->thread() == QThread::currentThread();
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(sockets >= 50);
    QVERIFY(allOnTheirThread);
    QVERIFY(m_window->findChildren<QTcpSocket *>().size() < 50);

    // The server thread spends CPU on the long pollers (parking them, answering the expiry).
    const qint64 cpuBefore = counters(*m_window, StatsBucket::LongPoll).cpuNs;
    QTRY_VERIFY_WITH_TIMEOUT(counters(*m_window, StatsBucket::LongPoll).cpuNs > cpuBefore ||
                                 counters(*m_window, StatsBucket::LongPoll).requests > 50,
                             Timeout);

    // Stopping brings the count back to what it was.
    QTest::mouseClick(panel->audienceButton(Transport::LongPoll), Qt::LeftButton);
    QCOMPARE(audience->count(Transport::LongPoll), 0);
    QTRY_COMPARE_WITH_TIMEOUT(counters(*m_window, StatsBucket::LongPoll).openConnections, baseline,
                              Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(audience->connectedCount(Transport::LongPoll), 0, Timeout);
}

void tst_ServerCostPanel::monitoringIsItsOwnRow()
{
    host();
    if (QTest::currentTestFailed())
        return;
    // The app reads its counters without HTTP; the chat client's room refreshes are monitoring.
    const ChatClient *client = m_window->session()->client();
    QVERIFY(client);
    QTRY_VERIFY_WITH_TIMEOUT(counters(*m_window, StatsBucket::Monitoring).requests >= 1, Timeout);
    const TransportCounters other = counters(*m_window, StatsBucket::Other);
    QCOMPARE(other.requests, 0);
    // Several seconds of reading the counters every second add nothing to any transport.
    const qint64 monitoringBefore = counters(*m_window, StatsBucket::Monitoring).requests;
    QSignalSpy updates(m_window->session()->statsPoller(), &ServerStatsPoller::updated);
    QTRY_VERIFY_WITH_TIMEOUT(updates.size() >= 3, Timeout);
    QVERIFY(counters(*m_window, StatsBucket::Monitoring).requests - monitoringBefore <= 1);
    QCOMPARE(counters(*m_window, StatsBucket::Other).requests, 0);
    QCOMPARE(counters(*m_window, StatsBucket::Polling).requests, 0);
    QCOMPARE(counters(*m_window, StatsBucket::LongPoll).requests, 0);

    m_window->showCompare(true);
    const QTableWidget *table = m_window->serverCostPanel()->table();
    QCOMPARE(table->rowCount(), 5);
    QCOMPARE(table->verticalHeaderItem(3)->text(), ServerCostPanel::tr("Monitoring"));
    QTRY_VERIFY_WITH_TIMEOUT(
        table->item(2, 2)->text() ==
            QLocale().toString(counters(*m_window, StatsBucket::WebSocket).openConnections),
        Timeout);
}

void tst_ServerCostPanel::onlineTotalsShowTheNumbers()
{
    host();
    if (QTest::currentTestFailed())
        return;
    auto *members = m_window->findChild<QLabel *>(QStringLiteral("onlineTotals"));
    auto *connections = m_window->findChild<QLabel *>(QStringLiteral("connectionTotals"));
    QVERIFY(members);
    QVERIFY(connections);
    QTRY_COMPARE_WITH_TIMEOUT(
        members->text(),
        QStringLiteral("1 online — 0 polling · 0 long polling · 1 WebSocket · 0 other"), Timeout);

    // Twenty simulated WebSocket observers: no nick, so not members; connections all the same.
    m_window->showCompare(true);
    m_window->serverCostPanel()->simulate(Transport::WebSocket, 20);
    QTRY_VERIFY_WITH_TIMEOUT(counters(*m_window, StatsBucket::WebSocket).openConnections >= 21,
                             Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        connections->text(),
        OnlineTotals::connections(m_window->session()->statsPoller()->snapshot().stats), Timeout);
    const qint64 webSockets = counters(*m_window, StatsBucket::WebSocket).openConnections;
    QVERIFY2(connections->text().contains(QStringLiteral("%1 WebSocket").arg(webSockets)),
             qPrintable(connections->text()));
    QVERIFY(connections->text().startsWith(QStringLiteral("Connected: ")));
    QVERIFY(members->text().startsWith(QStringLiteral("1 online")));
}

void tst_ServerCostPanel::modelRatesFromTwoReports()
{
    ServerCostModel model;
    StatsReport first;
    first.uptimeMs = 1000;
    first.serverCpuNs = 100'000'000;
    first.stats[StatsBucket::Polling] = {.requests = 10,
                                         .bytesIn = 1000,
                                         .bytesOut = 3000,
                                         .openConnections = 5,
                                         .cpuNs = 10'000'000};
    model.add(first, 500'000'000, 0);
    QVERIFY(!model.hasRates());
    StatsReport second = first;
    second.uptimeMs = 3000;
    second.serverCpuNs = 300'000'000; // 200 ms in 2 s: 10 % of a core
    second.stats[StatsBucket::Polling] = {.requests = 30,
                                          .framesIn = 0,
                                          .bytesIn = 3000,
                                          .bytesOut = 9000,
                                          .openConnections = 7,
                                          .cpuNs = 50'000'000};
    model.add(second, 1'100'000'000, 200'000'000);
    QVERIFY(model.hasRates());
    const ServerCostModel::Rates polling = model.rates(StatsBucket::Polling);
    QCOMPARE(polling.requestsPerSecond, 10.0);
    QCOMPARE(polling.bytesPerSecond, 4000.0);
    QCOMPARE(polling.openConnections, 7);
    QCOMPARE(polling.cpuPercent, 2.0);
    QCOMPARE(model.serverThreadCpuPercent(), 10.0);
    QCOMPARE(model.audienceCpuPercent(), 10.0);
    QCOMPARE(model.appCpuPercent(), 10.0); // 600 ms of process CPU: 30 %, less the two threads
    // A restarted server's counters start again: no rate across the restart.
    StatsReport restarted;
    restarted.uptimeMs = 500;
    model.add(restarted, 1'200'000'000, 200'000'000);
    QVERIFY(!model.hasRates());
}

void tst_ServerCostPanel::openedOrFoldedAsLeft()
{
    host();
    if (QTest::currentTestFailed())
        return;
    m_window->showCompare(true);
    ServerCostPanel *panel = m_window->serverCostPanel();
    auto *toggle = panel->findChild<QToolButton *>(QStringLiteral("serverCostToggle"));
    QVERIFY(toggle);
    QVERIFY(!panel->isExpanded());
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(panel->isExpanded());
    QVERIFY(panel->table()->isVisible());
    // The next window (the next lesson) opens it as it was left.
    {
        MainWindow next;
        QVERIFY(next.serverCostPanel()->isExpanded());
    }
    // Every row whole at a larger text size: the table's height follows the font.
    m_window->setZoomPercent(200);
    QTRY_VERIFY(panel->table()->height() >=
                panel->table()->horizontalHeader()->height() +
                    panel->table()->model()->rowCount() * panel->table()->fontMetrics().height());
    m_window->setZoomPercent(100);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(!panel->isExpanded());
    MainWindow folded;
    QVERIFY(!folded.serverCostPanel()->isExpanded());
}

QTEST_MAIN(tst_ServerCostPanel)
#include "tst_servercostpanel.moc"
