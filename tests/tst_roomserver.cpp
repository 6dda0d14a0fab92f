// RoomServer end to end: its lifecycle on a worker thread, accepting connections, housekeeping,
// the chat core, and one room seen through every transport.

#include "servertestsupport.h"
#include "websockettestclient.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <vector>

using namespace ServerTestSupport;

class tst_RoomServer : public QObject
{
    Q_OBJECT

private slots:
    void startsAndStopsTwiceOnItsThread();
    void reportsListenFailure();
    void postAndShortPoll();
    void retriedSendIsStoredOnce();
    void rateLimit();
    void rotatingNicksFromOneAddressIsLimited_data();
    void rotatingNicksFromOneAddressIsLimited();
    void headTimeout();
    void headTimeoutOnALaterRequest();
    void keepAliveClosedWhenIdleAfterAParkedPoll();
    void housekeepingSleepsWhileNothingIsDue();
    void connectionLimit();
    void presenceJoinAndLeave();
    void historyEvictionReportsGap();
    void statsCountBytesAtTheSocket();
    void cpuIsChargedToTheBucketThatWorked();
    void monitoringIsNotChargedToTheTransports();
    void dropConnectionsKeepsRoom();
};

void tst_RoomServer::startsAndStopsTwiceOnItsThread()
{
    RunningServer server;
    for (int round = 0; round < 2; ++round) {
        QVERIFY(server.start(quietConfig()));
        QCOMPARE(server.host->state(), ServerHost::State::Running);
        const auto posted =
            TestHttp::postJson(server.port, "/api/messages", R"({"nick":"ann","text":"round"})");
        QCOMPARE(posted.status, 201);
        QSignalSpy stopped(server.host.get(), &ServerHost::stopped);
        server.host->stop();
        QVERIFY(stopped.wait(10000));
        QCOMPARE(server.host->state(), ServerHost::State::Stopped);
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, server.port);
        QVERIFY(!probe.waitForConnected(2000) || probe.state() != QAbstractSocket::ConnectedState);
    }
    // The history survived both stops. Presence did not: ann joined in each round.
    QVERIFY(server.start(quietConfig()));
    const auto poll = TestHttp::get(server.port, "/api/messages?after=0");
    QCOMPARE(poll.json().value(u"last_seq").toInteger(), 4);
    QCOMPARE(messagesOf(poll).last().toObject().value(u"text").toString(), QString("round"));
    server.host->stopAndWait();
    QCOMPARE(server.host->state(), ServerHost::State::Stopped);
}

void tst_RoomServer::reportsListenFailure()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    ServerHost host;
    QSignalSpy failed(&host, &ServerHost::failed);
    ServerConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = occupier.serverPort();
    host.start(config);
    QVERIFY(failed.wait(10000));
    // Decided by kind, not by searching the text; the text still names the port.
    const auto error = failed.first().first().value<ServerError>();
    QCOMPARE(error.kind, ServerError::Kind::AddressInUse);
    QVERIFY2(error.message.contains(QString::number(config.port)), qPrintable(error.message));
    QCOMPARE(host.state(), ServerHost::State::Stopped);
    // And the host can start again elsewhere.
    config.port = 0;
    QSignalSpy started(&host, &ServerHost::started);
    host.start(config);
    QVERIFY(started.wait(10000));
}

void tst_RoomServer::postAndShortPoll()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const auto empty = TestHttp::get(server.port, "/api/messages?after=0");
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.header("content-type"), QByteArray("application/json"));
    QCOMPARE(messagesOf(empty).size(), 0);
    QCOMPARE(empty.json().value(u"gap").toBool(true), false);
    QVERIFY(empty.json().value(u"now").toInteger() > 1700000000000);

    const auto posted = TestHttp::postJson(server.port, "/api/messages",
                                           R"({"nick":"alice","text":"héllo <b>x</b>"})");
    QCOMPARE(posted.status, 201);
    QCOMPARE(posted.json().value(u"seq").toInteger(), 2); // 1 is alice's join
    QVERIFY(posted.json().value(u"ts").toInteger() > 1700000000000);

    const auto poll = TestHttp::get(server.port, "/api/messages?after=0");
    const QJsonArray messages = messagesOf(poll);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(u"kind").toString(), QString("join"));
    const QJsonObject chat = messages.at(1).toObject();
    QCOMPARE(chat.value(u"seq").toInteger(), 2);
    QCOMPARE(chat.value(u"nick").toString(), QString("alice"));
    QCOMPARE(chat.value(u"text").toString(), QString("héllo <b>x</b>"));
    QCOMPARE(chat.value(u"kind").toString(), QString("chat"));
    QCOMPARE(poll.json().value(u"last_seq").toInteger(), 2);

    const auto after = TestHttp::get(server.port, "/api/messages?after=1");
    QCOMPARE(messagesOf(after).size(), 1);
    QCOMPARE(messagesOf(TestHttp::get(server.port, "/api/messages?after=2")).size(), 0);
}

void tst_RoomServer::retriedSendIsStoredOnce()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const QByteArray body = R"({"nick":"rita","text":"once","client_id":"r-1"})";
    const auto first = TestHttp::postJson(server.port, "/api/messages", body);
    const auto retry = TestHttp::postJson(server.port, "/api/messages", body);
    QCOMPARE(first.status, 201);
    QCOMPARE(retry.status, 201);
    QCOMPARE(retry.json().value(u"seq"), first.json().value(u"seq"));
    QCOMPARE(retry.json().value(u"ts"), first.json().value(u"ts"));
    // The same client_id from another nick, or another client_id, is a new message.
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages",
                                R"({"nick":"sam","text":"once","client_id":"r-1"})")
                 .json()
                 .value(u"seq")
                 .toInt(),
             4); // sam's join is 3
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages",
                                R"({"nick":"rita","text":"x","client_id":5})")
                 .status,
             400);

    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws?nick=rita&after=4"));
    QTRY_COMPARE(collector.frames.size(), 1);
    ws.sendTextMessage(R"({"type":"send","text":"once","client_id":"r-1","id":1})");
    ws.sendTextMessage(R"({"type":"send","text":"ws","client_id":"r-2","id":2})");
    ws.sendTextMessage(R"({"type":"send","text":"ws","client_id":"r-2","id":3})");
    QTRY_COMPARE(collector.ofType("ack").size(), 3);
    const auto acks = collector.ofType("ack");
    QCOMPARE(acks.at(0).value(u"seq"), first.json().value(u"seq"));
    QCOMPARE(acks.at(1).value(u"seq").toInt(), 5);
    QCOMPARE(acks.at(2).value(u"seq").toInt(), 5);
    QCOMPARE(TestHttp::get(server.port, "/api/room").json().value(u"last_seq").toInt(), 5);

    // The memory of sent ids survives a stop and start, with the history.
    QSignalSpy stopped(server.host.get(), &ServerHost::stopped);
    server.host->stop();
    QVERIFY(stopped.wait(10000));
    QVERIFY(server.start(quietConfig()));
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages", body).json().value(u"seq"),
             first.json().value(u"seq"));
}

void tst_RoomServer::rateLimit()
{
    RunningServer server;
    ServerConfig config;
    config.rateLimitPerSecond = 2;
    QVERIFY(server.start(config));
    QList<int> statuses;
    for (int i = 0; i < 6; ++i)
        statuses << TestHttp::postJson(server.port, "/api/messages",
                                       R"({"nick":"fast","text":"x"})")
                        .status;
    QCOMPARE(statuses.first(), 201);
    QVERIFY2(statuses.contains(429), qPrintable(QString::number(statuses.count(201))));
    const auto limited =
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"fast","text":"x"})");
    if (limited.status == 429)
        QCOMPARE(limited.header("retry-after"), QByteArray("1"));
    // Another sender is not affected.
    QCOMPARE(
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"slow","text":"x"})").status,
        201);
}

void tst_RoomServer::rotatingNicksFromOneAddressIsLimited_data()
{
    QTest::addColumn<QString>("via");
    QTest::addColumn<bool>("exemptLoopback");
    for (const char *via : {"post", "poll", "websocket"}) {
        QTest::addRow("%s", via) << QString::fromLatin1(via) << false;
        QTest::addRow("%s, loopback exempt", via) << QString::fromLatin1(via) << true;
    }
}

void tst_RoomServer::rotatingNicksFromOneAddressIsLimited()
{
    QFETCH(QString, via);
    QFETCH(bool, exemptLoopback);
    RunningServer server;
    ServerConfig config;
    config.rateLimitPerSecond = 1000; // each nick alone would pass
    config.addressRateLimitPerSecond = 2;
    config.rateLimitExemptLoopback = exemptLoopback;
    QVERIFY(server.start(config));

    // Forty nicks from 127.0.0.1 as fast as the server answers: a post each, a poll each (its
    // join) or a WebSocket each (its join).
    constexpr int Nicks = 40;
    QList<int> statuses;
    std::vector<std::unique_ptr<TestWebSocket::Client>> sockets;
    for (int i = 0; i < Nicks; ++i) {
        const QByteArray nick = "rotating" + QByteArray::number(i);
        if (via == u"post") {
            statuses << TestHttp::postJson(server.port, "/api/messages",
                                           R"({"nick":")" + nick + R"(","text":"spam"})")
                            .status;
        } else if (via == u"poll") {
            statuses << TestHttp::get(server.port, "/api/messages?nick=" + nick).status;
        } else {
            auto socket = std::make_unique<TestWebSocket::Client>();
            statuses << (socket->open(server.port, "/ws?nick=" + nick) ? 101 : 429);
            sockets.push_back(std::move(socket));
        }
    }
    const int accepted = int(Nicks - statuses.count(429));
    const QJsonArray stored = messagesOf(TestHttp::get(server.port, "/api/messages"));
    if (exemptLoopback) {
        QCOMPARE(accepted, Nicks);
        QCOMPARE(stored.size(), via == u"post" ? 2 * Nicks : Nicks); // joins, and posts
        return;
    }
    QVERIFY2(accepted < Nicks / 2, qPrintable(QString::number(accepted)));
    // What was refused left no trace: every join stored belongs to an accepted request.
    QCOMPARE(stored.size(), via == u"post" ? 2 * accepted : accepted);
    if (via != u"websocket") {
        const auto refused = TestHttp::get(server.port, "/api/messages?nick=one-more");
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.header("retry-after"), QByteArray("1"));
        QVERIFY(refused.json().value(u"error").toString().contains(u"one address"));
    }
    // A nick already online keeps polling: its presence costs nothing more.
    QVERIFY(statuses.first() != 429);
    QCOMPARE(TestHttp::get(server.port, "/api/messages?nick=rotating0").status, 200);
}

void tst_RoomServer::headTimeout()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.headTimeoutMs = 300;
    QVERIFY(server.start(config));
    QTcpSocket socket;
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /api/room HTTP/1.1\r\nHost: slow");
    QByteArray buffer;
    const auto reply = TestHttp::readReply(socket, &buffer, 10000);
    QCOMPARE(reply.status, 408);
    QVERIFY(!reply.json().value(u"error").toString().isEmpty());
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));
}

void tst_RoomServer::headTimeoutOnALaterRequest()
{
    // The head timeout must run for a request that starts long after the connection opened,
    // although the next idle timeout is far away.
    RunningServer server;
    ServerConfig config = quietConfig();
    config.headTimeoutMs = 300;
    config.idleTimeoutMs = 600000;
    QVERIFY(server.start(config));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    QByteArray buffer;
    socket.write("GET /api/room HTTP/1.1\r\nHost: t\r\n\r\n");
    QCOMPARE(TestHttp::readReply(socket, &buffer).status, 200);
    // Past the housekeeping pass that looks at the new connection's first head timeout: from
    // then on only its idle timeout, ten minutes away, is due.
    QTest::qWait(1500);
    socket.write("GET /api/room HTTP/1.1\r\nHost: slow");
    const auto reply = TestHttp::readReply(socket, &buffer, 10000);
    QCOMPARE(reply.status, 408);
}

void tst_RoomServer::keepAliveClosedWhenIdleAfterAParkedPoll()
{
    // A connection busy with a parked poll at the last housekeeping pass still has its idle
    // timeout counted from its answer.
    RunningServer server;
    ServerConfig config = quietConfig();
    config.headTimeoutMs = 1000;
    config.idleTimeoutMs = 1500;
    QVERIFY(server.start(config));
    QTcpSocket socket;
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    QByteArray buffer;
    socket.write("GET /api/messages?after=0&wait=2 HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto reply = TestHttp::readReply(socket, &buffer, 10000);
    QCOMPARE(reply.status, 200);
    QVERIFY(messagesOf(reply).isEmpty());
    QVERIFY(disconnected.wait(15000));
    QVERIFY(buffer.isEmpty()); // closed without a word: no 408
}

namespace {

// How many times the server thread has been switched onto a CPU (schedstat's third field),
// found by the thread name ServerHost gives it.
qint64 serverThreadTimeslices()
{
    QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "PushChat server")
            continue;
        QFile schedstat(tasks.filePath(tid + QStringLiteral("/schedstat")));
        if (!schedstat.open(QIODevice::ReadOnly))
            return -1;
        const QList<QByteArray> fields = schedstat.readAll().simplified().split(' ');
        return fields.size() == 3 ? fields[2].toLongLong() : -1;
    }
    return -1;
}

} // namespace

void tst_RoomServer::housekeepingSleepsWhileNothingIsDue()
{
    // An open keep-alive connection between requests (a short poller between polls) has
    // nothing due for two minutes: the server thread must not wake once a second for it.
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    QByteArray buffer;
    socket.write("GET /api/messages?after=0 HTTP/1.1\r\nHost: t\r\n\r\n");
    QCOMPARE(TestHttp::readReply(socket, &buffer).status, 200);
    // The first pass after the connection opened looks at its head timeout once.
    QTest::qWait(1500);
    const qint64 before = serverThreadTimeslices();
    QVERIFY(before >= 0);
    // Absence of wake-ups can only be observed over an interval.
    QTest::qWait(3500);
    const qint64 wakeUps = serverThreadTimeslices() - before;
    QVERIFY2(wakeUps <= 1, qPrintable(QStringLiteral("%1 wake-ups in 3.5 s").arg(wakeUps)));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
}

void tst_RoomServer::connectionLimit()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.maxConnections = 3;
    QVERIFY(server.start(config));
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<QTcpSocket>());
        held.back()->connectToHost(QHostAddress::LocalHost, server.port);
        QVERIFY(held.back()->waitForConnected(5000));
        QByteArray buffer;
        held.back()->write(TestHttp::request("GET", "/api/room"));
        QCOMPARE(TestHttp::readReply(*held.back(), &buffer).status, 200);
    }
    const auto refused = TestHttp::get(server.port, "/api/room");
    QCOMPARE(refused.status, 503);
    QVERIFY(!refused.json().value(u"error").toString().isEmpty());
    held.pop_back();
    // Not QTRY: it re-evaluates its condition after success, and every probe is itself a
    // connection that counts until the server sees it close, so probes alternate 200/503.
    QDeadlineTimer deadline(20000);
    int status = 0;
    while ((status = TestHttp::get(server.port, "/api/room").status) != 200 &&
           !deadline.hasExpired())
        QTest::qWait(50);
    QCOMPARE(status, 200);
}

void tst_RoomServer::presenceJoinAndLeave()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.onlineTimeoutMs = 300;
    config.webSocketLeaveGraceMs = 200;
    QVERIFY(server.start(config));
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0&nick=dora").status, 200);
    auto room = TestHttp::get(server.port, "/api/room").json();
    QCOMPARE(room.value(u"online").toArray().size(), 1);
    QCOMPARE(room.value(u"online").toArray().first().toObject().value(u"transport").toString(),
             QString("polling"));
    // dora stops polling: after the timeout the server writes her leave.
    QTRY_COMPARE(
        TestHttp::get(server.port, "/api/messages?after=1").json().value(u"last_seq").toInt(), 2);
    const auto leave = messagesOf(TestHttp::get(server.port, "/api/messages?after=1"));
    QCOMPARE(leave.first().toObject().value(u"kind").toString(), QString("leave"));
    QCOMPARE(leave.first().toObject().value(u"nick").toString(), QString("dora"));
    QCOMPARE(TestHttp::get(server.port, "/api/room").json().value(u"online").toArray().size(), 0);

    // A WebSocket keeps its nick online however long it stays quiet; closing lets it leave.
    auto ws = std::make_unique<QWebSocket>();
    QSignalSpy connected(ws.get(), &QWebSocket::connected);
    ws->open(wsUrl(server.port, "/ws?nick=eve"));
    QVERIFY(connected.wait(5000));
    QTRY_COMPARE(TestHttp::get(server.port, "/api/room").json().value(u"last_seq").toInt(), 3);
    ws->close();
    QTRY_COMPARE(TestHttp::get(server.port, "/api/room").json().value(u"last_seq").toInt(), 4);
    QCOMPARE(messagesOf(TestHttp::get(server.port, "/api/messages?after=3"))
                 .first()
                 .toObject()
                 .value(u"kind")
                 .toString(),
             QString("leave"));
}

void tst_RoomServer::historyEvictionReportsGap()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.historyLimit = 5;
    QVERIFY(server.start(config));
    for (int i = 0; i < 10; ++i)
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})");
    const auto poll = TestHttp::get(server.port, "/api/messages?after=2");
    QCOMPARE(poll.json().value(u"gap").toBool(), true);
    const QJsonArray messages = messagesOf(poll);
    QCOMPARE(messages.size(), 5);
    QCOMPARE(messages.first().toObject().value(u"seq").toInteger(), 7);
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=6").json().value(u"gap").toBool(),
             false);

    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws?after=1"));
    QTRY_COMPARE(collector.frames.size(), 6);
    QCOMPARE(collector.frames.first().value(u"gap").toBool(), true);
}

void tst_RoomServer::statsCountBytesAtTheSocket()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const QByteArray raw = TestHttp::request("GET", "/api/messages?after=0");
    const auto reply = TestHttp::exchange(server.port, raw);
    QCOMPARE(reply.status, 200);
    const auto stats = TestHttp::get(server.port, "/api/stats").json();
    const QJsonObject polling = stats.value(u"polling").toObject();
    QCOMPARE(polling.value(u"requests").toInt(), 1);
    QCOMPARE(polling.value(u"empty_responses").toInt(), 1);
    QCOMPARE(polling.value(u"bytes_in").toInteger(), raw.size());
    QCOMPARE(polling.value(u"bytes_out").toInteger(), reply.wireBytes);

    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws"));
    QTRY_COMPARE(collector.frames.size(), 1);
    const QJsonObject websocket =
        TestHttp::get(server.port, "/api/stats").json().value(u"websocket").toObject();
    QCOMPARE(websocket.value(u"open_connections").toInt(), 1);
    QCOMPARE(websocket.value(u"frames_out").toInt(), 1);
    // 101 answer + hello frame: more than the frame alone.
    QVERIFY(websocket.value(u"bytes_out").toInteger() > 129);
    QVERIFY(websocket.value(u"bytes_in").toInteger() > 100);
}

namespace {
// The counters as the app reads them when it hosts: from the server thread, without HTTP.
StatsReport statsInProcess(RunningServer &server)
{
    QSignalSpy reported(server.host.get(), &ServerHost::statsReported);
    server.host->requestStats();
    if (!reported.wait(10000))
        return {};
    return reported.first().first().value<StatsReport>();
}
} // namespace

void tst_RoomServer::cpuIsChargedToTheBucketThatWorked()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const StatsReport before = statsInProcess(server);
    QVERIFY(before.serverCpuNs > 0);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0").status, 200);
    // Closing a connection is its bucket's work too: wait until the last one has closed.
    QTRY_COMPARE(statsInProcess(server).stats[StatsBucket::Polling].openConnections, 0);
    const StatsReport afterPolls = statsInProcess(server);
    QVERIFY(afterPolls.stats[StatsBucket::Polling].cpuNs >
            before.stats[StatsBucket::Polling].cpuNs);
    // Nobody used WebSocket or long polling: their buckets did no work.
    QCOMPARE(afterPolls.stats[StatsBucket::WebSocket].cpuNs, 0);
    QCOMPARE(afterPolls.stats[StatsBucket::LongPoll].cpuNs, 0);

    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws?nick=wendy"));
    QTRY_VERIFY(!collector.frames.isEmpty());
    ws.sendTextMessage(R"({"type":"send","text":"over the socket"})");
    QTRY_VERIFY(statsInProcess(server).stats[StatsBucket::WebSocket].framesIn >= 1);
    const StatsReport afterSocket = statsInProcess(server);
    QVERIFY(afterSocket.stats[StatsBucket::WebSocket].cpuNs > 0);
    QCOMPARE(afterSocket.stats[StatsBucket::Polling].cpuNs,
             afterPolls.stats[StatsBucket::Polling].cpuNs);
    qint64 charged = 0;
    for (const TransportCounters &counters : afterSocket.stats.buckets)
        charged += counters.cpuNs;
    QVERIFY(charged <= afterSocket.serverCpuNs);
}

void tst_RoomServer::monitoringIsNotChargedToTheTransports()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(TestHttp::get(server.port, "/api/stats").status, 200);
        QCOMPARE(TestHttp::get(server.port, "/api/room").status, 200);
    }
    const StatsReport report = statsInProcess(server);
    QCOMPARE(report.stats[StatsBucket::Monitoring].requests, 10);
    QVERIFY(report.stats[StatsBucket::Monitoring].bytesOut > 0);
    QVERIFY(report.stats[StatsBucket::Monitoring].cpuNs > 0);
    for (const StatsBucket transport :
         {StatsBucket::Polling, StatsBucket::LongPoll, StatsBucket::WebSocket}) {
        QCOMPARE(report.stats[transport].requests, 0);
        QCOMPARE(report.stats[transport].cpuNs, 0);
    }
    // Accepting the connections is "other" work (their transport is not known yet); their
    // requests are not.
    QCOMPARE(report.stats[StatsBucket::Other].requests, 0);
    // And over HTTP the same bucket is published.
    const QJsonObject monitoring =
        TestHttp::get(server.port, "/api/stats").json().value(u"monitoring").toObject();
    QCOMPARE(monitoring.value(u"requests").toInt(), 11);
    QVERIFY(monitoring.value(u"cpu_ns").toInteger() > 0);
}

void tst_RoomServer::dropConnectionsKeepsRoom()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"kept"})");
    QWebSocket ws;
    QSignalSpy connected(&ws, &QWebSocket::connected);
    QSignalSpy disconnected(&ws, &QWebSocket::disconnected);
    ws.open(wsUrl(server.port, "/ws?nick=w"));
    QVERIFY(connected.wait(5000));
    server.host->dropConnections();
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(messagesOf(TestHttp::get(server.port, "/api/messages?after=0")).size(), 3);
}

QTEST_MAIN(tst_RoomServer)
#include "tst_roomserver.moc"
