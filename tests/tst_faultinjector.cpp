// Faults on demand (FaultInjector, ServerHost, fault scripts) against ChatClient on every
// transport: a real server on its thread, real clients over loopback.

#include "chatclient.h"
#include "clienttestsupport.h"
#include "faultscript.h"
#include "httptestclient.h"
#include "serverhost.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace PushChat;
using ClientTest::isComplete;
using ClientTest::waitUntil;

Q_DECLARE_METATYPE(PushChat::Transport)
Q_DECLARE_METATYPE(PushChat::ErrorCode)

namespace {

struct Server
{
    std::unique_ptr<ServerHost> host = std::make_unique<ServerHost>();
    ServerConfig config = [] {
        ServerConfig c;
        c.port = 0;
        c.bindAddress = QHostAddress::LocalHost;
        c.rateLimitPerSecond = 0;
        return c;
    }();
    quint16 port = 0;

    bool start()
    {
        QSignalSpy started(host.get(), &ServerHost::started);
        host->start(config);
        if (!started.wait(10000))
            return false;
        port = started.first().first().value<quint16>();
        return true;
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); }
    QJsonObject stats() const { return TestHttp::get(port, "/api/stats").json(); }
};

std::unique_ptr<ChatClient> makeClient(const Server &server, const QString &nick, Transport mode)
{
    auto client = std::make_unique<ChatClient>();
    client->setServerUrl(server.url());
    client->setNick(nick);
    client->setMode(mode);
    client->setPollInterval(100);
    return client;
}

QStringList storedChatTexts(const Server &server)
{
    const QJsonArray all =
        TestHttp::get(server.port, "/api/messages?after=0").json()["messages"].toArray();
    QStringList texts;
    for (const QJsonValue &value : all) {
        if (value.toObject()["kind"].toString() == QLatin1String("chat"))
            texts.append(value.toObject()["text"].toString());
    }
    return texts;
}

int countText(const ChatClient &client, const QString &text)
{
    int n = 0;
    for (const ChatMessage &message : client.messages())
        n += message.kind == MessageKind::Chat && message.text == text;
    return n;
}

void addModeRows()
{
    QTest::addColumn<Transport>("mode");
    QTest::newRow("polling") << Transport::Polling;
    QTest::newRow("longpoll") << Transport::LongPoll;
    QTest::newRow("websocket") << Transport::WebSocket;
}

// Sends `texts` from `sender`, one after the other, each once the one before was accepted.
bool sendAll(ChatClient &sender, const QStringList &texts)
{
    for (const QString &text : texts) {
        QSignalSpy accepted(&sender, &ChatClient::sendAccepted);
        sender.send(text);
        if (!waitUntil([&] { return !accepted.isEmpty(); }, 20000))
            return false;
    }
    return true;
}

// Posts "probe" once, even if the connection of the first try is caught by the fault (the
// client_id makes a retry of a stored post store nothing).
bool postProbe(quint16 port)
{
    for (int attempt = 0; attempt < 5; ++attempt) {
        const int status =
            TestHttp::postJson(port, "/api/messages",
                               R"({"nick":"x","text":"probe","client_id":"probe-1"})")
                .status;
        if (status == 201)
            return true;
    }
    return false;
}

// Waits until `client` fetched /api/room `count` more times (each answer has a new `now`).
bool roomFetched(const ChatClient &client, int count)
{
    int fetches = 0;
    qint64 lastNow = client.roomInfo().now;
    return waitUntil(
        [&] {
            if (client.roomInfo().now != lastNow) {
                lastNow = client.roomInfo().now;
                ++fetches;
            }
            return fetches >= count && client.state() == ChatClient::State::Connected;
        },
        20000);
}

// The faults `spy` (on ChatClient::faultAnnounced) saw, in order.
QList<Fault> announcedFaults(const QSignalSpy &spy)
{
    QList<Fault> faults;
    for (const QList<QVariant> &arguments : spy)
        faults << arguments.at(1).value<Fault>();
    return faults;
}

QStringList numbered(const QString &prefix, int count)
{
    QStringList texts;
    for (int i = 0; i < count; ++i)
        texts << QStringLiteral("%1 %2").arg(prefix).arg(i);
    return texts;
}

} // namespace

class tst_FaultInjector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("pushchat.*.debug=false"));
    }
    void dropRecovers_data() { addModeRows(); }
    void dropRecovers();
    void restartResumes_data() { addModeRows(); }
    void restartResumes();
    void latencyShowsInDelivery_data();
    void latencyShowsInDelivery();
    void proxyTimeoutReissuesLongPolls();
    void proxyTimeoutCutsSilentWebSocketUnlessHeartbeat();
    void blockedTechniqueSaysSo_data() { addModeRows(); }
    void blockedTechniqueSaysSo();
    void scriptParses_data();
    void scriptParses();
    void scriptRunsAgainstHost();
    void faultsAnnouncedOnceToEveryClient();
};

void tst_FaultInjector::dropRecovers()
{
    QFETCH(Transport, mode);
    Server server;
    QVERIFY(server.start());
    auto receiver = makeClient(server, QStringLiteral("rita"), mode);
    auto sender = makeClient(server, QStringLiteral("sam"), mode);
    receiver->connectToServer();
    sender->connectToServer();
    QTRY_COMPARE(receiver->state(), ChatClient::State::Connected);
    QTRY_COMPARE(sender->state(), ChatClient::State::Connected);

    QVERIFY(sendAll(*sender, numbered(QStringLiteral("before"), 5)));
    const qint64 connectionsBefore = receiver->metrics(mode).connectionsOpened;
    server.host->dropConnections();
    // Recovery time: from the fault to the first message delivered after it.
    QElapsedTimer sinceFault;
    sinceFault.start();
    QVERIFY(postProbe(server.port));
    QVERIFY(waitUntil([&] { return countText(*receiver, QStringLiteral("probe")) == 1; }, 20000));
    const qint64 recoveryMs = sinceFault.elapsed();
    // Sent while the link is being lost and found again: queued, then sent exactly once.
    for (const QString &text : numbered(QStringLiteral("after"), 5))
        sender->send(text);
    QVERIFY(waitUntil([&] { return sender->pendingCount() == 0; }, 20000));
    QVERIFY(waitUntil([&] { return countText(*receiver, QStringLiteral("after 4")) == 1; }, 20000));

    QStringList expected = numbered(QStringLiteral("before"), 5);
    expected.append(QStringLiteral("probe"));
    expected.append(numbered(QStringLiteral("after"), 5));
    QCOMPARE(storedChatTexts(server), expected);
    QVERIFY(isComplete(*receiver, receiver->cursor()));
    QVERIFY(isComplete(*sender, sender->cursor()));
    // The HTTP clients see a dead keep-alive connection and ask again on a new one at once;
    // a WebSocket client sees its link lost and reconnects.
    const TransportMetrics metrics = receiver->metrics(mode);
    QVERIFY(metrics.connectionsOpened > connectionsBefore);
    if (mode == Transport::WebSocket)
        QVERIFY(metrics.recoveries >= 1);
    qInfo("drop, %s: first message after the fault in %lld ms; %lld reconnects (link back in "
          "%lld ms)",
          qPrintable(transportName(mode)), recoveryMs, metrics.reconnects, metrics.lastRecoveryMs);
}

void tst_FaultInjector::restartResumes()
{
    QFETCH(Transport, mode);
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("carol"), mode);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    QVERIFY(sendAll(*client, numbered(QStringLiteral("before"), 3)));

    const qint64 connectionsBefore = client->metrics(mode).connectionsOpened;
    QSignalSpy restarted(server.host.get(), &ServerHost::restarted);
    QSignalSpy stopped(server.host.get(), &ServerHost::stopped);
    QElapsedTimer sinceFault;
    sinceFault.start();
    server.host->restart();
    QVERIFY(restarted.wait(10000));
    QCOMPARE(restarted.first().first().value<quint16>(), server.port); // the same port
    QVERIFY(stopped.isEmpty()); // a restart is no stop for whoever hosts
    QVERIFY(postProbe(server.port));
    QVERIFY(waitUntil([&] { return countText(*client, QStringLiteral("probe")) == 1; }, 20000));
    const qint64 recoveryMs = sinceFault.elapsed();

    QVERIFY(sendAll(*client, numbered(QStringLiteral("after"), 3)));
    QVERIFY(waitUntil([&] { return countText(*client, QStringLiteral("after 2")) == 1; }, 20000));
    QCOMPARE(storedChatTexts(server), numbered(QStringLiteral("before"), 3) +
                                          QStringList{QStringLiteral("probe")} +
                                          numbered(QStringLiteral("after"), 3));
    QVERIFY(isComplete(*client, client->cursor()));
    const TransportMetrics metrics = client->metrics(mode);
    QVERIFY(metrics.connectionsOpened > connectionsBefore);
    qInfo("restart, %s: first message after the fault in %lld ms; %lld reconnects (link back in "
          "%lld ms)",
          qPrintable(transportName(mode)), recoveryMs, metrics.reconnects, metrics.lastRecoveryMs);
}

void tst_FaultInjector::latencyShowsInDelivery_data()
{
    QTest::addColumn<Transport>("mode");
    // Short polling adds its own wait for the next poll: its latency is only bounded below.
    QTest::newRow("longpoll") << Transport::LongPoll;
    QTest::newRow("websocket") << Transport::WebSocket;
}

void tst_FaultInjector::latencyShowsInDelivery()
{
    QFETCH(Transport, mode);
    constexpr int AddedMs = 400;
    Server server;
    QVERIFY(server.start());
    auto receiver = makeClient(server, QStringLiteral("rita"), mode);
    receiver->connectToServer();
    QTRY_COMPARE(receiver->state(), ChatClient::State::Connected);
    // The clock offset is estimated from round trips taken before the latency: a delay on one
    // direction only would otherwise look like half a clock offset.
    QTRY_VERIFY(receiver->clock().isValid());

    FaultSettings faults;
    faults.addedLatencyMs = AddedMs;
    server.host->setFaults(faults);
    QTRY_COMPARE(server.host->faults().addedLatencyMs, AddedMs);
    // The poll parked before the change and its answer go out at once: one message to pass it.
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"sam","text":"warm-up"})");
    QVERIFY(waitUntil([&] { return countText(*receiver, QStringLiteral("warm-up")) == 1; }, 10000));
    receiver->resetMetrics();

    constexpr int Count = 8;
    for (int i = 0; i < Count; ++i) {
        const QString text = QStringLiteral("slow %1").arg(i);
        TestHttp::postJson(server.port, "/api/messages",
                           QStringLiteral(R"({"nick":"sam","text":"%1"})").arg(text).toUtf8());
        QVERIFY(waitUntil([&] { return countText(*receiver, text) == 1; }, 10000));
        // The next long poll is parked again before the next message.
        QTest::qWait(100);
    }
    const LatencyStats latency = receiver->metrics(mode).latency;
    qInfo("latency %d ms, %s: p50 %lld ms, p95 %lld ms over %d messages", AddedMs,
          qPrintable(transportName(mode)), latency.p50, latency.p95, latency.samples);
    QCOMPARE(latency.samples, Count);
    QVERIFY2(latency.p50 >= AddedMs * 0.9 && latency.p50 <= AddedMs * 1.1,
             qPrintable(QStringLiteral("p50 %1 ms").arg(latency.p50)));
}

void tst_FaultInjector::proxyTimeoutReissuesLongPolls()
{
    Server server;
    server.config.faults.proxyTimeoutSeconds = 5;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("lena"), Transport::LongPoll);
    client->setLongPollWait(30);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    const auto empties = [&] { return client->metrics(Transport::LongPoll).emptyResponses; };
    const qint64 before = empties();
    // A 30 s wait ends after 5: two polls end empty and are asked again well within 30 s.
    QVERIFY(waitUntil([&] { return empties() >= before + 2; }, 15000));
    QCOMPARE(client->metrics(Transport::LongPoll).reconnects, 0);
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"sam","text":"still here"})");
    QVERIFY(
        waitUntil([&] { return countText(*client, QStringLiteral("still here")) == 1; }, 10000));
    QVERIFY(isComplete(*client, client->cursor()));
    QCOMPARE(client->state(), ChatClient::State::Connected);
}

void tst_FaultInjector::proxyTimeoutCutsSilentWebSocketUnlessHeartbeat()
{
    Server server;
    server.config.faults.proxyTimeoutSeconds = 2;
    QVERIFY(server.start());
    auto silent = makeClient(server, QStringLiteral("quiet"), Transport::WebSocket);
    silent->setWebSocketTiming(60000, 10000); // no ping for a minute
    auto beating = makeClient(server, QStringLiteral("pulse"), Transport::WebSocket);
    beating->setWebSocketTiming(500, 5000); // a heartbeat well inside the proxy's timeout
    silent->connectToServer();
    beating->connectToServer();
    QTRY_COMPARE(silent->state(), ChatClient::State::Connected);
    QTRY_COMPARE(beating->state(), ChatClient::State::Connected);

    QVERIFY(
        waitUntil([&] { return silent->metrics(Transport::WebSocket).recoveries >= 2; }, 20000));
    QCOMPARE(beating->metrics(Transport::WebSocket).reconnects, 0);
    QCOMPARE(beating->state(), ChatClient::State::Connected);
    // Cut and back: still nothing lost.
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"sam","text":"after cuts"})");
    QVERIFY(
        waitUntil([&] { return countText(*silent, QStringLiteral("after cuts")) == 1; }, 10000));
    QVERIFY(isComplete(*silent, silent->cursor()));
    QVERIFY(isComplete(*beating, beating->cursor()));
}

void tst_FaultInjector::blockedTechniqueSaysSo()
{
    QFETCH(Transport, mode);
    Server server;
    server.config.faults.blocked = mode;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("bea"), mode);
    QSignalSpy errors(client.get(), &ChatClient::errorOccurred);
    client->connectToServer();
    QVERIFY(errors.wait(10000));
    QCOMPARE(errors.first().at(0).value<ErrorCode>(), ErrorCode::Blocked);
    QVERIFY2(errors.first().at(1).toString().contains(QStringLiteral("refused")),
             qPrintable(errors.first().at(1).toString()));
    QVERIFY(client->state() != ChatClient::State::Connected);
    QVERIFY(client->stateReason().contains(QStringLiteral("refused")));

    // The fallback: another technique gets through at once.
    client->setMode(mode == Transport::WebSocket ? Transport::LongPoll : Transport::WebSocket);
    client->send(QStringLiteral("through another way"));
    QTRY_VERIFY_WITH_TIMEOUT(client->state() == ChatClient::State::Connected, 15000);
    QTRY_COMPARE(countText(*client, QStringLiteral("through another way")), 1);

    // And once the block is lifted, the blocked technique works again.
    server.host->setFaults({});
    client->setMode(mode);
    client->send(QStringLiteral("unblocked"));
    QTRY_COMPARE_WITH_TIMEOUT(countText(*client, QStringLiteral("unblocked")), 1, 15000);
    QCOMPARE(client->mode(), mode);
    QVERIFY(isComplete(*client, client->cursor()));
}

void tst_FaultInjector::scriptParses_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QString>("error");
    QTest::newRow("the example") << QStringLiteral("# a lesson\n5s drop\n10s latency 800\n"
                                                   "20s latency 0\n25s proxy-timeout 5\n"
                                                   "30s block websocket\n35s block none\n"
                                                   "40s restart\n")
                                 << 7 << QString();
    QTest::newRow("milliseconds and comments")
        << QStringLiteral("500ms drop # at once\n\n1.5s restart") << 2 << QString();
    QTest::newRow("no time") << QStringLiteral("drop") << 0 << QStringLiteral("line 1:");
    QTest::newRow("unknown fault")
        << QStringLiteral("1s\n2s explode") << 0 << QStringLiteral("line 1:");
    QTest::newRow("latency too high")
        << QStringLiteral("1s drop\n2s latency 5000") << 0 << QStringLiteral("line 2:");
    QTest::newRow("bad technique")
        << QStringLiteral("2s block carrier-pigeon") << 0 << QStringLiteral("line 1:");
    QTest::newRow("drop takes nothing")
        << QStringLiteral("2s drop 3") << 0 << QStringLiteral("line 1:");
    QTest::newRow("proxy timeout too long")
        << QStringLiteral("2s proxy-timeout 500") << 0 << QStringLiteral("line 1:");
}

void tst_FaultInjector::scriptParses()
{
    QFETCH(QString, script);
    QFETCH(int, steps);
    QFETCH(QString, error);
    const FaultScript::Parsed parsed = FaultScript::parse(script);
    QCOMPARE(parsed.steps.size(), steps);
    if (error.isEmpty())
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    else
        QVERIFY2(parsed.error.startsWith(error), qPrintable(parsed.error));
}

void tst_FaultInjector::scriptRunsAgainstHost()
{
    Server server;
    QVERIFY(server.start());
    const FaultScript::Parsed parsed = FaultScript::parse(
        QStringLiteral("0s latency 100\n100ms block websocket\n200ms proxy-timeout 7\n"
                       "300ms restart\n400ms drop\n"));
    QVERIFY(parsed.ok());
    FaultScriptRunner runner(server.host.get(), parsed.steps);
    QSignalSpy applied(&runner, &FaultScriptRunner::stepApplied);
    QSignalSpy finished(&runner, &FaultScriptRunner::finished);
    QSignalSpy restarted(server.host.get(), &ServerHost::restarted);
    QSignalSpy announced(server.host.get(), &ServerHost::faultAnnounced);
    runner.start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(applied.size(), 5);
    QCOMPARE(applied.at(0).first().value<FaultStep>().label(), QStringLiteral("latency 100 ms"));
    QTRY_VERIFY_WITH_TIMEOUT(!restarted.isEmpty(), 10000);
    // The last step, the drop, is done once the server listed it: no connection of ours is
    // caught by it.
    QTRY_VERIFY_WITH_TIMEOUT(!announced.isEmpty() &&
                                 announced.constLast().first().value<FaultNotice>().fault.action ==
                                     Fault::Action::Drop,
                             10000);
    // The faults set before the restart hold after it.
    const FaultSettings faults = server.host->faults();
    QCOMPARE(faults.addedLatencyMs, 100);
    QCOMPARE(faults.proxyTimeoutSeconds, 7);
    QCOMPARE(faults.blocked, std::optional<Transport>(Transport::WebSocket));
    const TestHttp::Reply refused =
        TestHttp::get(server.port, "/ws",
                      "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.header("pushchat-blocked"), QByteArray("websocket"));
    QVERIFY(refused.json()["error"].toString().contains(QStringLiteral("WebSocket")));
    // A headless server's script is announced to its clients like the app's Faults panel.
    QStringList listed;
    for (const QJsonValue fault :
         TestHttp::get(server.port, "/api/room").json()["faults"].toArray())
        listed << fault["action"].toString();
    QCOMPARE(listed, QStringList({"latency", "block", "proxy-timeout", "restart", "drop"}));
}

// Every client of the room, not only whoever did the fault, hears of it once: through a drop
// and a restart (the new server lists the same faults again), on every later room fetch.
void tst_FaultInjector::faultsAnnouncedOnceToEveryClient()
{
    Server server;
    QVERIFY(server.start());
    auto first = makeClient(server, QStringLiteral("hana"), Transport::WebSocket);
    auto second = makeClient(server, QStringLiteral("ivo"), Transport::LongPoll);
    QSignalSpy firstHeard(first.get(), &ChatClient::faultAnnounced);
    QSignalSpy secondHeard(second.get(), &ChatClient::faultAnnounced);
    QSignalSpy announced(server.host.get(), &ServerHost::faultAnnounced);
    for (ChatClient *client : {first.get(), second.get()}) {
        client->setRoomRefreshInterval(100);
        client->connectToServer();
    }
    QVERIFY(roomFetched(*first, 1));
    QVERIFY(roomFetched(*second, 1));

    using Action = Fault::Action;
    const Fault latency{Action::Latency, 300, std::nullopt};
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    server.host->injectFault(latency);
    QVERIFY(announced.wait(10000));
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(waitUntil([&] { return firstHeard.size() == 1 && secondHeard.size() == 1; }, 20000));
    QCOMPARE(announcedFaults(firstHeard), QList<Fault>{latency});
    QCOMPARE(announcedFaults(secondHeard), QList<Fault>{latency});
    QCOMPARE(server.host->faults().addedLatencyMs, 300);
    // When it was done, on this machine's clock (the same clock here, give or take the
    // offset's error bound).
    const qint64 heardAt = firstHeard.first().first().toLongLong();
    const qint64 slack = first->clock().uncertaintyMs() + 1;
    QVERIFY2(heardAt >= before - slack && heardAt <= after + slack,
             qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(heardAt).arg(before).arg(after)));
    // /api/room lists it for whoever asks.
    const QJsonArray listed = TestHttp::get(server.port, "/api/room").json()["faults"].toArray();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first()["action"].toString(), QStringLiteral("latency"));
    QCOMPARE(listed.first()["value"].toInt(), 300);

    // A drop: the clients come back and hear of it once.
    const Fault drop{Action::Drop, 0, std::nullopt};
    const qint64 opened = first->metrics(Transport::WebSocket).connectionsOpened;
    server.host->injectFault(drop);
    QVERIFY(waitUntil([&] { return firstHeard.size() == 2 && secondHeard.size() == 2; }, 20000));
    QVERIFY(waitUntil(
        [&] { return first->metrics(Transport::WebSocket).connectionsOpened > opened; }, 20000));
    QVERIFY(roomFetched(*first, 3));
    QVERIFY(roomFetched(*second, 3));
    QCOMPARE(announcedFaults(firstHeard), (QList<Fault>{latency, drop}));
    QCOMPARE(announcedFaults(secondHeard), (QList<Fault>{latency, drop}));

    // A restart: the new server lists every fault again; each is still heard of once.
    const Fault restart{Action::Restart, 0, std::nullopt};
    QSignalSpy restarted(server.host.get(), &ServerHost::restarted);
    server.host->injectFault(restart);
    QVERIFY(restarted.wait(10000));
    QVERIFY(waitUntil([&] { return firstHeard.size() == 3 && secondHeard.size() == 3; }, 20000));
    QVERIFY(roomFetched(*first, 3));
    QVERIFY(roomFetched(*second, 3));
    QCOMPARE(announcedFaults(firstHeard), (QList<Fault>{latency, drop, restart}));
    QCOMPARE(announcedFaults(secondHeard), (QList<Fault>{latency, drop, restart}));
    QCOMPARE(TestHttp::get(server.port, "/api/room").json()["faults"].toArray().size(), 3);
    QCOMPARE(server.host->faults().addedLatencyMs, 300); // kept across the restart

    // Who joins now hears of what was done moments before (ChatClient::RecentFaultMs; how
    // many of these three depends on how long the reconnects took), never of one twice, and
    // then of what follows.
    auto late = makeClient(server, QStringLiteral("jo"), Transport::Polling);
    QSignalSpy lateHeard(late.get(), &ChatClient::faultAnnounced);
    late->setRoomRefreshInterval(100);
    late->connectToServer();
    QVERIFY(roomFetched(*late, 2));
    const QList<Fault> done{latency, drop, restart};
    const QList<Fault> heardOnJoining = announcedFaults(lateHeard);
    QCOMPARE(heardOnJoining, done.mid(done.size() - heardOnJoining.size()));
    const Fault unblock{Action::Block, 0, std::nullopt};
    server.host->injectFault(unblock);
    QVERIFY(waitUntil(
        [&] { return lateHeard.size() == heardOnJoining.size() + 1 && firstHeard.size() == 4; },
        20000));
    QVERIFY(roomFetched(*late, 3));
    QCOMPARE(announcedFaults(lateHeard), heardOnJoining + QList<Fault>{unblock});
    QCOMPARE(announcedFaults(firstHeard), done + QList<Fault>{unblock});
}

QTEST_MAIN(tst_FaultInjector)
#include "tst_faultinjector.moc"
