// WebSocketHub through a real server: handshakes, hello and replay, commands and acks, the
// broadcast, the echo endpoint, and the protocol's errors.

#include "servertestsupport.h"
#include "websockettestclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTest>

#include <memory>
#include <set>
#include <vector>

#include "tcpkeepalive.h"

#include <QTcpServer>

#include <linux/tcp.h> // tcp_info with tcpi_data_segs_in
#include <netinet/in.h>
#include <sys/socket.h>

using namespace ServerTestSupport;

class tst_WebSocketHub : public QObject
{
    Q_OBJECT

private slots:
    void loadsTheTlsBackendAtStartNotAtTheFirstHandshake();
    void webSocketReplaysAndReceives();
    void broadcastReachesEveryClientLeftAfterOthersLeave();
    void webSocketSendAckAndErrors();
    void webSocketObserverCannotSend();
    void webSocketFrameTooLargeCloses1009();
    void webSocketFragmentsPingsAndCloseHandshake();
    void webSocketSenderGetsItsMessageAndAckInOneWrite();
    void webSocketProtocolErrorsClose_data();
    void webSocketProtocolErrorsClose();
    void webSocketClientThatStopsReadingIsDroppedAndCatchesUp();
    void echoEndpoint();
    void silentClientIsDroppedAndLeavesWithinTheBound();
    void acceptedConnectionsGetTcpKeepAlive();
};

namespace {

bool tlsBackendLoaded()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains("/plugins/tls/");
}

} // namespace

void tst_WebSocketHub::loadsTheTlsBackendAtStartNotAtTheFirstHandshake()
{
    // QWebSocket loads Qt's TLS backend on first use, even for ws://: 10 ms or more that
    // would stall the server thread in the middle of the first client's handshake.
    if (tlsBackendLoaded())
        QSKIP("something in this process loaded the TLS backend before this test");
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QVERIFY(tlsBackendLoaded());
}

void tst_WebSocketHub::webSocketReplaysAndReceives()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    for (int i = 0; i < 3; ++i)
        TestHttp::postJson(server.port, "/api/messages",
                           QByteArray(R"({"nick":"a","text":"m)") + QByteArray::number(i) + "\"}");
    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws?nick=bob&after=2"));
    // hello, replay of seq 3 and 4, then bob's own join (seq 5).
    QTRY_COMPARE(collector.frames.size(), 4);
    const QJsonObject hello = collector.frames.at(0);
    QCOMPARE(hello.value(u"type").toString(), QString("hello"));
    QCOMPARE(hello.value(u"last_seq").toInteger(), 4);
    QCOMPARE(hello.value(u"observer").toBool(), false);
    QCOMPARE(collector.frames.at(1).value(u"seq").toInteger(), 3);
    QCOMPARE(collector.frames.at(2).value(u"seq").toInteger(), 4);
    QCOMPARE(collector.frames.at(3).value(u"kind").toString(), QString("join"));
    QCOMPARE(collector.frames.at(3).value(u"nick").toString(), QString("bob"));

    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"live"})");
    QTRY_COMPARE(collector.frames.size(), 5);
    QCOMPARE(collector.frames.at(4).value(u"type").toString(), QString("message"));
    QCOMPARE(collector.frames.at(4).value(u"text").toString(), QString("live"));

    const auto room = TestHttp::get(server.port, "/api/room").json();
    bool bobListed = false;
    for (const QJsonValue &member : room.value(u"online").toArray()) {
        if (member.toObject().value(u"nick").toString() == u"bob")
            bobListed = member.toObject().value(u"transport").toString() == u"websocket";
    }
    QVERIFY(bobListed);
}

void tst_WebSocketHub::broadcastReachesEveryClientLeftAfterOthersLeave()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    // The server keeps its clients in a dense list and fills a leaver's slot with the last
    // client: leaving from the front, the middle and the end must not lose anyone.
    constexpr int Clients = 6;
    std::vector<std::unique_ptr<QWebSocket>> sockets;
    std::vector<std::unique_ptr<FrameCollector>> collectors;
    for (int i = 0; i < Clients; ++i) {
        sockets.push_back(std::make_unique<QWebSocket>());
        collectors.push_back(std::make_unique<FrameCollector>(sockets.back().get()));
        sockets.back()->open(wsUrl(server.port, "/ws"));
    }
    for (const auto &collector : collectors)
        QTRY_COMPARE(collector->ofType("hello").size(), 1);
    auto chats = [](const FrameCollector &collector) {
        qsizetype count = 0;
        for (const QJsonObject &message : collector.ofType("message"))
            count += message.value(u"kind").toString() == u"chat";
        return count;
    };
    const std::set<int> leaving = {0, 2, Clients - 1};
    for (const int i : leaving)
        sockets[i]->close();
    QTRY_COMPARE(statsCounter(server.port, "websocket", "open_connections"),
                 Clients - int(leaving.size()));

    for (int round = 0; round < 2; ++round) {
        TestHttp::postJson(server.port, "/api/messages",
                           R"({"nick":"a","text":"after )" + QByteArray::number(round) + "\"}");
        for (int i = 0; i < Clients; ++i) {
            if (!leaving.count(i))
                QTRY_COMPARE(chats(*collectors[i]), round + 1);
        }
    }
    // A newcomer takes the next slot and hears the next message with the others.
    QWebSocket late;
    FrameCollector lateCollector(&late);
    late.open(wsUrl(server.port, "/ws"));
    QTRY_COMPARE(chats(lateCollector), 2); // the replay
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"last"})");
    QTRY_COMPARE(chats(lateCollector), 3);
    for (int i = 0; i < Clients; ++i) {
        if (!leaving.count(i))
            QTRY_COMPARE(chats(*collectors[i]), 3);
        else
            QCOMPARE(chats(*collectors[i]), 0);
    }
}

void tst_WebSocketHub::webSocketSendAckAndErrors()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.maxTextBytes = 10;
    QVERIFY(server.start(config));
    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws?nick=carol"));
    QTRY_COMPARE(collector.frames.size(), 2); // hello + join
    ws.sendTextMessage(R"({"type":"send","text":"hi","id":"c1"})");
    QTRY_COMPARE(collector.ofType("ack").size(), 1);
    QCOMPARE(collector.ofType("ack").first().value(u"id").toString(), QString("c1"));
    QCOMPARE(collector.ofType("ack").first().value(u"seq").toInteger(), 2);
    QCOMPARE(collector.ofType("message").last().value(u"text").toString(), QString("hi"));

    ws.sendTextMessage("not json");
    ws.sendTextMessage(R"({"type":"send","text":"far too long text","id":7})");
    ws.sendTextMessage(R"({"type":"dance"})");
    ws.sendBinaryMessage("\x01\x02");
    QTRY_COMPARE(collector.ofType("error").size(), 4);
    const auto errors = collector.ofType("error");
    QCOMPARE(errors.at(0).value(u"code").toInt(), 400);
    QCOMPARE(errors.at(1).value(u"code").toInt(), 400);
    QCOMPARE(errors.at(1).value(u"id").toInt(), 7);
    QVERIFY(errors.at(1).value(u"error").toString().contains(u"10 bytes"));
    QVERIFY(!errors.at(2).value(u"error").toString().isEmpty());
    QCOMPARE(errors.at(3).value(u"code").toInt(), 400);
    QCOMPARE(ws.state(), QAbstractSocket::ConnectedState);
}

void tst_WebSocketHub::webSocketObserverCannotSend()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QWebSocket ws;
    FrameCollector collector(&ws);
    ws.open(wsUrl(server.port, "/ws"));
    QTRY_COMPARE(collector.frames.size(), 1);
    QCOMPARE(collector.frames.first().value(u"observer").toBool(), true);
    ws.sendTextMessage(R"({"type":"send","text":"hi"})");
    QTRY_COMPARE(collector.ofType("error").size(), 1);
    QCOMPARE(collector.ofType("error").first().value(u"code").toInt(), 403);
    // Observers are neither announced nor listed.
    const auto room = TestHttp::get(server.port, "/api/room").json();
    QCOMPARE(room.value(u"online").toArray().size(), 0);
    QCOMPARE(room.value(u"last_seq").toInt(), 0);
}

void tst_WebSocketHub::webSocketFrameTooLargeCloses1009()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QWebSocket ws;
    QSignalSpy connected(&ws, &QWebSocket::connected);
    QSignalSpy disconnected(&ws, &QWebSocket::disconnected);
    ws.open(wsUrl(server.port, "/ws?nick=big"));
    QVERIFY(connected.wait(5000));
    ws.sendTextMessage(QString(70 * 1024, u'x'));
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(int(ws.closeCode()), 1009);
}

void tst_WebSocketHub::webSocketFragmentsPingsAndCloseHandshake()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestWebSocket::Client ws;
    QVERIFY(ws.open(server.port, "/ws?nick=frag"));
    const TestWebSocket::Frame hello = ws.next();
    QCOMPARE(hello.opcode, 1);
    QVERIFY(hello.payload.contains(R"("type":"hello")"));

    ws.send(0x89, "p1");
    QCOMPARE(ws.nextOfOpcode(0xA).payload, QByteArray("p1"));

    // One message in three fragments, with a ping between them (RFC 6455, 5.4).
    ws.send(0x01, R"({"type":"send",)");
    ws.send(0x00, R"("text":"in pieces",)");
    ws.send(0x89, "p2");
    ws.send(0x80, R"("id":7})");
    QCOMPARE(ws.nextOfOpcode(0xA).payload, QByteArray("p2"));
    bool stored = false;
    bool acked = false;
    while (!acked) {
        const TestWebSocket::Frame frame = ws.nextOfOpcode(1);
        QCOMPARE(frame.opcode, 1);
        const QJsonObject json = QJsonDocument::fromJson(frame.payload).object();
        stored = stored || json.value(u"text").toString() == u"in pieces";
        acked = json.value(u"type").toString() == u"ack" && json.value(u"id").toInt() == 7;
    }
    QVERIFY(stored);
    QCOMPARE(messagesOf(TestHttp::get(server.port, "/api/messages?after=1")).size(), 1);

    // The server answers a close with the same code, then ends the connection.
    ws.send(0x88, TestWebSocket::closePayload(1000, "bye"));
    const TestWebSocket::Frame close = ws.nextOfOpcode(0x8);
    QCOMPARE(close.opcode, 0x8);
    QCOMPARE(close.closeCode(), quint16(1000));
    QVERIFY(ws.waitForEndOfStream());
    QTRY_COMPARE(statsCounter(server.port, "websocket", "open_connections"), 0);
    // hello, join, message, ack, two pongs, close out; two pings, three fragments, close in.
    QCOMPARE(statsCounter(server.port, "websocket", "frames_out"), 7);
    QCOMPARE(statsCounter(server.port, "websocket", "frames_in"), 6);
}

void tst_WebSocketHub::webSocketSenderGetsItsMessageAndAckInOneWrite()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestWebSocket::Client ws;
    QVERIFY(ws.open(server.port, "/ws?nick=one"));
    QVERIFY(ws.next().payload.contains(R"("type":"hello")"));
    QVERIFY(ws.next().payload.contains(R"("kind":"join")"));
    // The ack comes once the message is durable, after its broadcast; the peer holds its writes
    // until then, so the message and its ack leave in one send(): one TCP segment, one wake-up
    // of the client. The kernel counts the segments with data that reach the client's socket.
    auto dataSegmentsIn = [&] {
        tcp_info info{};
        socklen_t length = sizeof info;
        getsockopt(int(ws.socket().socketDescriptor()), IPPROTO_TCP, TCP_INFO, &info, &length);
        return info.tcpi_data_segs_in;
    };
    const auto before = dataSegmentsIn();
    ws.send(0x81, R"({"type":"send","text":"one write","id":1})");
    QVERIFY(ws.next().payload.contains(R"("text":"one write")")); // the message, then its ack
    QVERIFY(ws.next().payload.contains(R"("type":"ack","id":1)"));
    QCOMPARE(dataSegmentsIn() - before, 1u);
    QCOMPARE(statsCounter(server.port, "websocket", "frames_out"), 4); // hello, join, both
}

void tst_WebSocketHub::webSocketProtocolErrorsClose_data()
{
    using TestWebSocket::clientFrame;
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode");

    QTest::newRow("unmasked") << QByteArray("\x81\x02hi") << 1002;
    QTest::newRow("reserved bit") << clientFrame(0xc1, "hi") << 1002;
    QTest::newRow("unknown opcode") << clientFrame(0x83, "hi") << 1002;
    QTest::newRow("continuation of nothing") << clientFrame(0x80, "x") << 1002;
    QTest::newRow("new message inside a fragmented one")
        << clientFrame(0x01, "a") + clientFrame(0x81, "b") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x09, "p") << 1002;
    QTest::newRow("invalid UTF-8") << clientFrame(0x81, "\xc0\xaf") << 1007;
    QTest::newRow("fragments over 64 KiB")
        << clientFrame(0x02, QByteArray(40000, 'x')) + clientFrame(0x80, QByteArray(40000, 'x'))
        << 1009;
    QTest::newRow("close code 1005")
        << clientFrame(0x88, TestWebSocket::closePayload(1005)) << 1002;
    QTest::newRow("one-byte close") << clientFrame(0x88, "\x03") << 1002;
    QTest::newRow("close reason not UTF-8")
        << clientFrame(0x88, TestWebSocket::closePayload(1000, "\xff")) << 1007;
}

void tst_WebSocketHub::webSocketProtocolErrorsClose()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestWebSocket::Client ws;
    QVERIFY(ws.open(server.port, "/ws?nick=bad"));
    ws.sendRaw(bytes);
    const TestWebSocket::Frame close = ws.nextOfOpcode(0x8);
    QCOMPARE(close.opcode, 0x8);
    QCOMPARE(int(close.closeCode()), closeCode);
    QVERIFY(close.payload.size() > 2); // a reason follows the code
    QVERIFY(ws.waitForEndOfStream());
    QTRY_COMPARE(statsCounter(server.port, "websocket", "open_connections"), 0);
    // The room goes on for everybody else.
    QCOMPARE(
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"ok","text":"still"})").status,
        201);
}

void tst_WebSocketHub::webSocketClientThatStopsReadingIsDroppedAndCatchesUp()
{
    ServerConfig config = quietConfig();
    config.maxTextBytes = 50000;
    config.maxWebSocketBacklogBytes = 64 * 1024;
    RunningServer server;
    QVERIFY(server.start(config));

    QWebSocket reader;
    FrameCollector readerFrames(&reader);
    reader.open(wsUrl(server.port, "/ws"));
    TestWebSocket::Client stalled;
    QVERIFY(stalled.open(server.port, "/ws"));
    // Qt reads no more than this from the kernel: the socket's receive window fills and stays
    // full, as with a client whose process hangs.
    stalled.socket().setReadBufferSize(1);
    QTRY_COMPARE(statsCounter(server.port, "websocket", "open_connections"), 2);

    const QByteArray text(45000, 'w');
    int posted = 0;
    const QDeadlineTimer deadline(60000);
    while (statsCounter(server.port, "websocket", "open_connections") == 2) {
        QVERIFY2(!deadline.hasExpired() && posted < 2000, "the stalled client was never dropped");
        const QByteArray body = R"({"nick":"flood","text":")" + text + R"("})";
        QCOMPARE(TestHttp::postJson(server.port, "/api/messages", body).status, 201);
        ++posted;
        // The posts above block this thread; the reader reads between them.
        QCoreApplication::processEvents();
    }
    // The client that reads lost nothing while the other one was being dropped.
    QCOMPARE(reader.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE_WITH_TIMEOUT(readerFrames.ofType("message").size(), posted + 1, 20000);

    // Coming back, the dropped client gets the whole history, although the replay is far
    // larger than the backlog a live client may build up.
    QWebSocket back;
    FrameCollector backFrames(&back);
    back.open(wsUrl(server.port, "/ws?after=0"));
    QTRY_COMPARE_WITH_TIMEOUT(backFrames.ofType("message").size(), posted + 1, 20000);
    QCOMPARE(backFrames.ofType("message").last().value(u"text").toString().size(), text.size());
    QVERIFY(posted * text.size() > 64 * 1024);
}

void tst_WebSocketHub::echoEndpoint()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QWebSocket ws;
    QSignalSpy text(&ws, &QWebSocket::textMessageReceived);
    QSignalSpy binary(&ws, &QWebSocket::binaryMessageReceived);
    QSignalSpy connected(&ws, &QWebSocket::connected);
    ws.open(wsUrl(server.port, "/echo"));
    QVERIFY(connected.wait(5000));
    ws.sendTextMessage("Hello, World");
    QVERIFY(text.wait(5000));
    QCOMPARE(text.first().first().toString(), QString("Hello, World"));
    ws.sendBinaryMessage(QByteArray("\x00\x01\xff", 3));
    QVERIFY(binary.wait(5000));
    QCOMPARE(binary.first().first().toByteArray(), QByteArray("\x00\x01\xff", 3));
}

QTEST_MAIN(tst_WebSocketHub)
void tst_WebSocketHub::silentClientIsDroppedAndLeavesWithinTheBound()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.webSocketPingIntervalMs = 300;
    config.webSocketPongTimeoutMs = 200;
    config.webSocketLeaveGraceMs = 100;
    QVERIFY(server.start(config));
    // The documented bound: the check after the next ping round, the leave grace, and the
    // presence sweep, which runs at most once a second.
    const int boundMs = config.webSocketPingIntervalMs + config.webSocketPongTimeoutMs +
                        config.webSocketLeaveGraceMs + 1000;

    // Did the handshake, then ignores everything: a laptop closed with the connection open.
    TestWebSocket::Client ghost;
    QVERIFY(ghost.open(server.port, "/ws?nick=ghost"));
    // Answers every ping, and sends nothing else.
    TestWebSocket::Client alive;
    QVERIFY(alive.open(server.port, "/ws?nick=alive"));
    int pingsAnswered = 0;
    while (pingsAnswered < 5) {
        const TestWebSocket::Frame frame = alive.next(5000);
        QVERIFY2(frame.opcode != -1, "the live client was dropped or never pinged");
        if (frame.opcode == 0x9) {
            alive.send(0x8A, frame.payload);
            ++pingsAnswered;
        }
    }

    // The ghost's join and leave as the server stamped them.
    auto presenceOf = [&](const QString &nick, const QString &kind) {
        QList<qint64> stamps;
        for (const QJsonValue &value : messagesOf(TestHttp::get(server.port, "/api/messages"))) {
            const QJsonObject message = value.toObject();
            if (message.value(u"kind").toString() == kind &&
                message.value(u"nick").toString() == nick)
                stamps.append(message.value(u"ts").toInteger());
        }
        return stamps;
    };
    QTRY_COMPARE_WITH_TIMEOUT(presenceOf(QStringLiteral("ghost"), QStringLiteral("leave")).size(),
                              1, 10000);
    const qint64 joinedMs = presenceOf(QStringLiteral("ghost"), QStringLiteral("join")).value(0);
    const qint64 leftMs = presenceOf(QStringLiteral("ghost"), QStringLiteral("leave")).value(0);
    // The sweep's timer may fire up to 5 % late (a coarse QTimer): 50 ms of the second.
    QVERIFY2(leftMs - joinedMs <= boundMs + 50,
             qPrintable(QStringLiteral("left %1 ms after it went silent").arg(leftMs - joinedMs)));
    QVERIFY(ghost.waitForEndOfStream());
    QVERIFY(presenceOf(QStringLiteral("alive"), QStringLiteral("leave")).isEmpty());
    const QJsonArray online =
        TestHttp::get(server.port, "/api/room").json().value(u"online").toArray();
    QCOMPARE(online.size(), 1);
    QCOMPARE(online.first().toObject().value(u"nick").toString(), QString("alive"));
    // Still served after five rounds: its message goes out and comes back.
    alive.send(0x81, R"({"type":"send","text":"still here","id":"1"})");
    bool acked = false;
    for (int i = 0; i < 20 && !acked; ++i) {
        const TestWebSocket::Frame frame = alive.next(5000);
        QVERIFY(frame.opcode != -1);
        if (frame.opcode == 0x9)
            alive.send(0x8A, frame.payload);
        acked = frame.opcode == 0x1 && frame.payload.contains(R"("type":"ack")");
    }
    QVERIFY(acked);
}

void tst_WebSocketHub::acceptedConnectionsGetTcpKeepAlive()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    std::unique_ptr<QTcpSocket> accepted(listener.nextPendingConnection());
    const int descriptor = int(accepted->socketDescriptor());

    const TcpKeepAlive keepAlive{7, 3, 2};
    QVERIFY(keepAlive.applyTo(descriptor));
    auto option = [descriptor](int level, int name) {
        int value = -1;
        socklen_t size = sizeof value;
        return ::getsockopt(descriptor, level, name, &value, &size) == 0 ? value : -1;
    };
    QCOMPARE(option(SOL_SOCKET, SO_KEEPALIVE), 1);
    QCOMPARE(option(IPPROTO_TCP, TCP_KEEPIDLE), 7);
    QCOMPARE(option(IPPROTO_TCP, TCP_KEEPINTVL), 3);
    QCOMPARE(option(IPPROTO_TCP, TCP_KEEPCNT), 2);
    QCOMPARE(option(IPPROTO_TCP, TCP_USER_TIMEOUT), (7 + 3 * 2) * 1000);
    QCOMPARE(keepAlive.deadPeerSeconds(), 13);

    QVERIFY(TcpKeepAlive::parse(QStringLiteral("0")).has_value());
    QVERIFY(!TcpKeepAlive::parse(QStringLiteral("0"))->enabled());
    QCOMPARE(TcpKeepAlive::parse(QStringLiteral("20,5,4"))->deadPeerSeconds(), 40);
    QVERIFY(!TcpKeepAlive::parse(QStringLiteral("20,5")));
    QVERIFY(!TcpKeepAlive::parse(QStringLiteral("20,0,4")));
    QVERIFY(!TcpKeepAlive::parse(QStringLiteral("a,b,c")));
    // The server's defaults keep a dead peer within the documented 45 s.
    QVERIFY(ServerConfig{}.tcpKeepAlive.deadPeerSeconds() <= 45);
}

#include "tst_websockethub.moc"
