// ChatClient against a real RoomServer on its worker thread, over loopback.

#include "chatclient.h"
#include "eventlog.h"
#include "httptestclient.h"
#include "serverhost.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace PushChat;

Q_DECLARE_METATYPE(PushChat::Transport)

namespace {

struct Server
{
    std::unique_ptr<ServerHost> host = std::make_unique<ServerHost>();
    ServerConfig config = [] {
        ServerConfig c;
        c.port = 0;
        return c;
    }();
    quint16 port = 0;

    bool start()
    {
        config.bindAddress = QHostAddress::LocalHost;
        QSignalSpy started(host.get(), &ServerHost::started);
        host->start(config);
        if (!started.wait(10000))
            return false;
        port = started.first().first().value<quint16>();
        config.port = port; // a restart comes back on the same port
        return true;
    }
    bool stop()
    {
        QSignalSpy stopped(host.get(), &ServerHost::stopped);
        host->stop();
        return stopped.wait(10000);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)); }
    QJsonObject stats() const { return TestHttp::get(port, "/api/stats").json(); }
};

std::unique_ptr<ChatClient> makeClient(const Server &server, const QString &nick, Transport mode,
                                       int pollMs = 100)
{
    auto client = std::make_unique<ChatClient>();
    client->setServerUrl(server.url());
    client->setNick(nick);
    client->setMode(mode);
    client->setPollInterval(pollMs);
    client->setRoomRefreshInterval(500);
    return client;
}

int countText(const ChatClient &client, const QString &text)
{
    int n = 0;
    for (const ChatMessage &message : client.messages())
        n += message.kind == MessageKind::Chat && message.text == text;
    return n;
}

bool hasPresence(const ChatClient &client, const QString &nick, MessageKind kind)
{
    for (const ChatMessage &message : client.messages()) {
        if (message.nick == nick && message.kind == kind)
            return true;
    }
    return false;
}

// Each seq from 1 to the last exactly once, ascending.
bool isComplete(const ChatClient &client, qint64 lastSeq)
{
    const QList<ChatMessage> &messages = client.messages();
    if (messages.size() != lastSeq)
        return false;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (messages.at(i).seq != i + 1)
            return false;
    }
    return true;
}

void addModeRows()
{
    QTest::addColumn<Transport>("mode");
    QTest::newRow("polling") << Transport::Polling;
    QTest::newRow("longpoll") << Transport::LongPoll;
    QTest::newRow("websocket") << Transport::WebSocket;
}

} // namespace

class tst_ChatClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("pushchat.*.debug=false"));
    }
    void sendsAndReceives_data() { addModeRows(); }
    void sendsAndReceives();
    void switchingLosesNothing_data();
    void switchingLosesNothing();
    void resumesAfterRestart_data() { addModeRows(); }
    void resumesAfterRestart();
    void refusedConnectionKeepsTrying();
    void historyEvictionSignalsGap_data() { addModeRows(); }
    void historyEvictionSignalsGap();
    void pollingIdleCost();
    void longPollIdleCost();
    void webSocketIdleCost();
    void bytesMatchServer_data() { addModeRows(); }
    void bytesMatchServer();
    void refusedMessageIsReported();
    void wrongKeyDisconnects();
};

void tst_ChatClient::sendsAndReceives()
{
    QFETCH(Transport, mode);
    Server server;
    server.config.onlineTimeoutMs = 1500;
    server.config.webSocketLeaveGraceMs = 200;
    QVERIFY(server.start());

    auto bob = makeClient(server, QStringLiteral("bob"), mode);
    bob->connectToServer();
    QTRY_COMPARE(bob->state(), ChatClient::State::Connected);
    auto alice = makeClient(server, QStringLiteral("alice"), mode);
    alice->connectToServer();
    QTRY_VERIFY(hasPresence(*bob, QStringLiteral("alice"), MessageKind::Join));
    QTRY_VERIFY(bob->onlineNicks().contains(QStringLiteral("alice")));

    QSignalSpy accepted(alice.get(), &ChatClient::sendAccepted);
    const qint64 id = alice->send(QStringLiteral("hello from alice"));
    QVERIFY(id > 0);
    QTRY_COMPARE(countText(*bob, QStringLiteral("hello from alice")), 1);
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(accepted.first().at(0).toLongLong(), id);
    bob->send(QStringLiteral("hi alice"));
    QTRY_COMPARE(countText(*alice, QStringLiteral("hi alice")), 1);
    QCOMPARE(alice->pendingCount(), 0);

    alice->disconnectFromServer();
    QTRY_VERIFY_WITH_TIMEOUT(hasPresence(*bob, QStringLiteral("alice"), MessageKind::Leave), 10000);
    QVERIFY(isComplete(*bob, bob->cursor()));
    QVERIFY(bob->metrics(mode).messagesReceived >= 3);
}

void tst_ChatClient::switchingLosesNothing_data()
{
    QTest::addColumn<bool>("drop");
    QTest::newRow("switching") << false;
    QTest::newRow("switching, connections dropped once") << true;
}

void tst_ChatClient::switchingLosesNothing()
{
    QFETCH(bool, drop);
    constexpr int Count = 2000;
    Server server;
    server.config.rateLimitPerSecond = 0;
    QVERIFY(server.start());

    // The receiver is an observer: only the poster's join and its 2,000 messages are stored.
    auto receiver = makeClient(server, QString(), Transport::Polling);
    receiver->connectToServer();
    QTRY_COMPARE(receiver->state(), ChatClient::State::Connected);

    // Long polling posts one message per round trip, so the stream lasts long enough to switch
    // many times while it flows.
    auto poster = makeClient(server, QStringLiteral("poster"), Transport::LongPoll);
    QSignalSpy drained(poster.get(), &ChatClient::outboxDrained);
    poster->connectToServer();
    for (int i = 1; i <= Count; ++i)
        poster->send(QStringLiteral("m%1").arg(i));

    const Transport cycle[] = {Transport::LongPoll, Transport::WebSocket, Transport::Polling};
    int switches = 0;
    QTimer switcher;
    switcher.setInterval(50);
    QObject::connect(&switcher, &QTimer::timeout, receiver.get(),
                     [&] { receiver->setMode(cycle[switches++ % 3]); });
    switcher.start();
    bool dropped = false;
    QObject::connect(receiver.get(), &ChatClient::messageReceived, receiver.get(),
                     [&](const ChatMessage &message) {
                         if (drop && !dropped && message.seq >= Count / 3) {
                             dropped = true;
                             server.host->dropConnections();
                         }
                     });

    QTRY_VERIFY_WITH_TIMEOUT(poster->pendingCount() == 0, 60000);
    const qint64 lastSeq = TestHttp::get(server.port, "/api/room").json()["last_seq"].toInteger();
    if (lastSeq != Count + 1) {
        for (const ChatMessage &m : poster->messages()) {
            if (m.kind != MessageKind::Chat || m.text != QStringLiteral("m%1").arg(m.seq - 1))
                qWarning() << m.seq << m.nick << m.text << int(m.kind);
        }
    }
    QCOMPARE(lastSeq, Count + 1); // the join, then each message exactly once
    QTRY_VERIFY_WITH_TIMEOUT(receiver->cursor() == lastSeq, 30000);
    switcher.stop();
    QVERIFY(switches >= 3);
    QCOMPARE(dropped, drop);
    QVERIFY(isComplete(*receiver, lastSeq));
    for (int i = 1; i <= Count; ++i)
        QCOMPARE(receiver->messages().at(i).text, QStringLiteral("m%1").arg(i));
    qInfo() << "switches:" << switches << "reconnects:"
            << receiver->metrics(Transport::Polling).reconnects +
                   receiver->metrics(Transport::LongPoll).reconnects +
                   receiver->metrics(Transport::WebSocket).reconnects;
}

void tst_ChatClient::resumesAfterRestart()
{
    QFETCH(Transport, mode);
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("carol"), mode);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    client->send(QStringLiteral("before"));
    QTRY_COMPARE(countText(*client, QStringLiteral("before")), 1);
    const qint64 cursor = client->cursor();

    QVERIFY(server.stop());
    QTRY_COMPARE(client->state(), ChatClient::State::Reconnecting);
    QSignalSpy failed(client.get(), &ChatClient::sendFailed);
    const qint64 id = client->send(QStringLiteral("typed while down"));
    QSignalSpy accepted(client.get(), &ChatClient::sendAccepted);
    QVERIFY(server.start());

    QTRY_VERIFY_WITH_TIMEOUT(client->state() == ChatClient::State::Connected, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!accepted.isEmpty(), 10000);
    QCOMPARE(accepted.first().at(0).toLongLong(), id);
    QTRY_COMPARE(countText(*client, QStringLiteral("typed while down")), 1);
    QVERIFY(client->cursor() > cursor);
    QVERIFY(isComplete(*client, client->cursor()));
    QCOMPARE(countText(*client, QStringLiteral("before")), 1);
    QVERIFY(failed.isEmpty());

    // Exactly once in the room, not only on our screen.
    const QJsonArray all =
        TestHttp::get(server.port, "/api/messages?after=0").json()["messages"].toArray();
    int stored = 0;
    for (const QJsonValue &value : all)
        stored += value.toObject()["text"].toString() == QLatin1String("typed while down");
    QCOMPARE(stored, 1);
    QVERIFY(client->metrics(mode).reconnects >= 1);
}

void tst_ChatClient::refusedConnectionKeepsTrying()
{
    Server server;
    QVERIFY(server.start());
    QVERIFY(server.stop());
    auto client = makeClient(server, QStringLiteral("dave"), Transport::LongPoll);
    QSignalSpy errors(client.get(), &ChatClient::errorOccurred);
    client->connectToServer();
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.first().first().value<ErrorCode>(), ErrorCode::ConnectionRefused);
    QCOMPARE(client->state(), ChatClient::State::Connecting);
    QVERIFY(!client->stateReason().isEmpty());
    QVERIFY(!client->hasConnected());
    const qint64 id = client->send(QStringLiteral("queued before the first connection"));
    QSignalSpy accepted(client.get(), &ChatClient::sendAccepted);
    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(client->state() == ChatClient::State::Connected, 15000);
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(accepted.first().first().toLongLong(), id);
}

void tst_ChatClient::historyEvictionSignalsGap()
{
    QFETCH(Transport, mode);
    Server server;
    server.config.historyLimit = 5;
    server.config.rateLimitPerSecond = 0;
    QVERIFY(server.start());
    auto client = makeClient(server, QString(), mode);
    QSignalSpy gap(client.get(), &ChatClient::gapDetected);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    QVERIFY(
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"eve","text":"one"})").status ==
        201);
    QTRY_COMPARE(client->cursor(), 2);
    client->disconnectFromServer();
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(TestHttp::postJson(server.port, "/api/messages",
                                    QByteArray(R"({"nick":"eve","text":"m)") +
                                        QByteArray::number(i) + "\"}")
                     .status,
                 201);
    }
    QVERIFY(gap.isEmpty());
    client->connectToServer();
    QTRY_COMPARE(gap.size(), 1);
    QCOMPARE(gap.first().first().toLongLong(), 2);
    QTRY_COMPARE(client->cursor(), 22);
    QCOMPARE(client->messages().size(), 2 + 5);
}

void tst_ChatClient::pollingIdleCost()
{
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QString(), Transport::Polling, 100);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    client->resetMetrics();
    QTest::qWait(2000); // the measurement window itself
    const TransportMetrics metrics = client->metrics(Transport::Polling);
    qInfo() << "polling 100 ms, 2 s idle:" << metrics.httpRequests << "requests,"
            << metrics.bytesSent << "B out," << metrics.bytesReceived << "B in";
    QVERIFY2(metrics.httpRequests >= 15, qPrintable(QString::number(metrics.httpRequests)));
    QCOMPARE(metrics.emptyResponses, metrics.httpResponses);
    QCOMPARE(metrics.messagesReceived, 0);
    QVERIFY(metrics.openConnections >= 1);
    QVERIFY(client->eventLog()->size() >= 30);
}

void tst_ChatClient::longPollIdleCost()
{
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QString(), Transport::LongPoll);
    client->connectToServer();
    QTest::qWait(2000);
    const TransportMetrics metrics = client->metrics(Transport::LongPoll);
    qInfo() << "long polling, 2 s idle:" << metrics.httpRequests << "requests";
    QCOMPARE(client->state(), ChatClient::State::Connected);
    QVERIFY(metrics.httpRequests >= 1);
    QVERIFY(metrics.httpRequests <= 2);
    QTRY_COMPARE(server.stats()["longpoll"].toObject()["parked"].toInt(), 1);
}

void tst_ChatClient::webSocketIdleCost()
{
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("frank"), Transport::WebSocket);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    QTest::qWait(2000);
    const TransportMetrics metrics = client->metrics(Transport::WebSocket);
    QCOMPARE(metrics.httpRequests, 0);
    QCOMPARE(metrics.openConnections, 1);
    QCOMPARE(metrics.connectionsOpened, 1);
    QVERIFY(metrics.framesIn >= 2); // hello and the join
    QCOMPARE(server.stats()["websocket"].toObject()["open_connections"].toInt(), 1);
}

void tst_ChatClient::bytesMatchServer()
{
    QFETCH(Transport, mode);
    Server server;
    QVERIFY(server.start());
    auto client = makeClient(server, QStringLiteral("grace"), mode, 200);
    client->connectToServer();
    QTRY_COMPARE(client->state(), ChatClient::State::Connected);
    for (int i = 0; i < 5; ++i)
        client->send(QStringLiteral("message number %1 with some text").arg(i));
    QTRY_COMPARE(client->pendingCount(), 0);
    QTRY_COMPARE(client->cursor(), 6);
    QTest::qWait(500);

    const TransportMetrics metrics = client->metrics(mode);
    const QJsonObject bucket = server.stats()[transportName(mode)].toObject();
    const qint64 serverIn = bucket["bytes_in"].toInteger();
    const qint64 serverOut = bucket["bytes_out"].toInteger();
    qInfo() << transportName(mode) << "client out/in" << metrics.bytesSent << metrics.bytesReceived
            << "server in/out" << serverIn << serverOut;
    // Within one request and its answer: a poll may be on its way at the moment of asking.
    constexpr qint64 OneRequest = 400;
    QVERIFY(metrics.bytesSent > 0 && metrics.bytesReceived > 0);
    QVERIFY2(qAbs(metrics.bytesSent - serverIn) <= OneRequest,
             qPrintable(QStringLiteral("%1 vs %2").arg(metrics.bytesSent).arg(serverIn)));
    QVERIFY2(qAbs(metrics.bytesReceived - serverOut) <= OneRequest,
             qPrintable(QStringLiteral("%1 vs %2").arg(metrics.bytesReceived).arg(serverOut)));
    if (mode != Transport::WebSocket) {
        QVERIFY(qAbs(metrics.httpRequests - bucket["requests"].toInteger()) <= 1);
    } else {
        QCOMPARE(metrics.framesOut, bucket["frames_in"].toInteger());
        QCOMPARE(metrics.framesIn, bucket["frames_out"].toInteger());
    }
    const LatencyStats latency = metrics.latency;
    QVERIFY(latency.samples >= 1);
    QVERIFY(latency.p50 <= latency.p95 && latency.p95 <= latency.max);
}

void tst_ChatClient::refusedMessageIsReported()
{
    Server server;
    server.config.maxTextBytes = 10;
    QVERIFY(server.start());
    for (const Transport mode : {Transport::Polling, Transport::WebSocket}) {
        auto client = makeClient(server, QStringLiteral("henry"), mode);
        QSignalSpy failed(client.get(), &ChatClient::sendFailed);
        client->connectToServer();
        const qint64 id = client->send(QStringLiteral("this text is far too long"));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().first().toLongLong(), id);
        QCOMPARE(client->pendingCount(), 0);
        QCOMPARE(client->state(), ChatClient::State::Connected);
    }
}

void tst_ChatClient::wrongKeyDisconnects()
{
    Server server;
    server.config.key = QStringLiteral("right");
    QVERIFY(server.start());
    for (const Transport mode : {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        auto client = makeClient(server, QStringLiteral("ivan"), mode);
        client->setKey(QStringLiteral("wrong"));
        client->connectToServer();
        QTRY_COMPARE(client->state(), ChatClient::State::Disconnected);
        auto good = makeClient(server, QStringLiteral("ivan"), mode);
        good->setKey(QStringLiteral("right"));
        good->connectToServer();
        QTRY_COMPARE(good->state(), ChatClient::State::Connected);
    }
}

QTEST_GUILESS_MAIN(tst_ChatClient)
#include "tst_chatclient.moc"
