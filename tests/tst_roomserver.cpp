#include "httptestclient.h"
#include "serverhost.h"
#include "systemlimits.h"
#include "websockettestclient.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <memory>
#include <set>
#include <vector>

#include <linux/tcp.h> // tcp_info with tcpi_data_segs_in
#include <netinet/in.h>
#include <sys/socket.h>

using namespace PushChat;

namespace {

// A server on its worker thread, on 127.0.0.1 and a free port.
struct RunningServer
{
    std::unique_ptr<ServerHost> host = std::make_unique<ServerHost>();
    quint16 port = 0;

    bool start(ServerConfig config = {})
    {
        config.bindAddress = QHostAddress::LocalHost;
        config.port = port; // 0 the first time; the same port on a restart
        QSignalSpy started(host.get(), &ServerHost::started);
        host->start(config);
        if (!started.wait(10000))
            return false;
        port = started.first().first().value<quint16>();
        return true;
    }
};

ServerConfig quietConfig()
{
    ServerConfig config;
    config.rateLimitPerSecond = 0;
    return config;
}

QJsonArray messagesOf(const TestHttp::Reply &reply)
{
    return reply.json().value(u"messages").toArray();
}

// A counter of one transport in the server's /api/stats.
int statsCounter(quint16 port, const char *transport, const char *counter)
{
    return TestHttp::get(port, "/api/stats")
        .json()
        .value(QLatin1String(transport))
        .toObject()
        .value(QLatin1String(counter))
        .toInt();
}

QByteArray formRequest(const QByteArray &target, const QByteArray &form)
{
    return TestHttp::request("POST", target, form,
                             "Content-Type: application/x-www-form-urlencoded\r\n");
}

QUrl wsUrl(quint16 port, const QString &pathAndQuery)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(pathAndQuery));
}

// Collects the JSON text frames a WebSocket receives.
struct FrameCollector
{
    QList<QJsonObject> frames;
    explicit FrameCollector(QWebSocket *socket)
    {
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [this](const QString &text) {
                             frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &frame : frames) {
            if (frame.value(u"type").toString() == type)
                out.append(frame);
        }
        return out;
    }
};

} // namespace

class tst_RoomServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void loadsTheTlsBackendAtStartNotAtTheFirstHandshake();
    void startsAndStopsTwiceOnItsThread();
    void reportsListenFailure();
    void postAndShortPoll();
    void formPostAndHead();
    void longPollIsReleasedByPost();
    void longPollAnswersAreBatchedDuringABurst();
    void longPollDeadlineInsideABatchCarriesTheNews();
    void fewLongPollsAreNeverBatched();
    void longPollBatchingCountsClientsNotParkedPolls();
    void longPollTimesOut();
    void pipelinedRequestAnsweredAfterParkedLongPoll();
    void answerLargerThanTheSendBufferArrivesWhole();
    void webSocketReplaysAndReceives();
    void webSocketSendAckAndErrors();
    void webSocketSenderGetsItsMessageAndAckInOneWrite();
    void broadcastReachesEveryClientLeftAfterOthersLeave();
    void webSocketObserverCannotSend();
    void webSocketFrameTooLargeCloses1009();
    void retriedSendIsStoredOnce();
    void echoEndpoint();
    void webSocketFragmentsPingsAndCloseHandshake();
    void webSocketProtocolErrorsClose_data();
    void webSocketProtocolErrorsClose();
    void webSocketClientThatStopsReadingIsDroppedAndCatchesUp();
    void compatibilityEndpoints();
    void errors_data();
    void errors();
    void expectContinue();
    void http10ClosesConnection();
    void rateLimit();
    void headTimeout();
    void headTimeoutOnALaterRequest();
    void keepAliveClosedWhenIdleAfterAParkedPoll();
    void housekeepingSleepsWhileNothingIsDue();
    void connectionLimit();
    void roomKey();
    void originCheck();
    void presenceJoinAndLeave();
    void historyEvictionReportsGap();
    void cursorAheadReportsReset();
    void statsCountBytesAtTheSocket();
    void clientLeavingWhileParkedIsDropped();
    void dropConnectionsKeepsRoom();
    void thousandParkedLongPollsReleasedByOnePost();

private:
    std::unique_ptr<RunningServer> m_sharedServer; ///< for the many rows of errors()
};

void tst_RoomServer::initTestCase()
{
    raiseOpenFileLimit();
}

void tst_RoomServer::cleanupTestCase()
{
    m_sharedServer.reset();
}

namespace {

bool tlsBackendLoaded()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains("/plugins/tls/");
}

} // namespace

void tst_RoomServer::loadsTheTlsBackendAtStartNotAtTheFirstHandshake()
{
    // QWebSocket loads Qt's TLS backend on first use, even for ws://: 10 ms or more that
    // would stall the server thread in the middle of the first client's handshake.
    if (tlsBackendLoaded())
        QSKIP("something in this process loaded the TLS backend before this test");
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QVERIFY(tlsBackendLoaded());
}

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

void tst_RoomServer::formPostAndHead()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const auto posted =
        TestHttp::exchange(server.port, formRequest("/api/messages", "nick=bob&text=a+b%26c"));
    QCOMPARE(posted.status, 201);
    const auto poll = TestHttp::get(server.port, "/api/messages?after=1");
    QCOMPARE(messagesOf(poll).first().toObject().value(u"text").toString(), QString("a b&c"));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write(TestHttp::request("HEAD", "/api/room") + TestHttp::request("GET", "/api/room"));
    QByteArray received;
    QTRY_VERIFY((received += socket.readAll()).count("HTTP/1.1 200 OK") == 2 &&
                received.endsWith("}"));
    // The HEAD answer has the GET's headers and no body: the GET's answer follows at once.
    const qsizetype second = received.indexOf("HTTP/1.1 200 OK", 1);
    QVERIFY(received.left(second).endsWith("\r\n\r\n"));
    QVERIFY(received.left(second).contains("Content-Length: "));
}

void tst_RoomServer::longPollIsReleasedByPost()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QTcpSocket parked;
    parked.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(parked.waitForConnected(5000));
    parked.write(TestHttp::request("GET", "/api/messages?after=0&wait=30"));
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 1);
    QCOMPARE(parked.bytesAvailable(), 0);
    QCOMPARE(
        TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"wake"})").status,
        201);
    QByteArray buffer;
    const auto reply = TestHttp::readReply(parked, &buffer, 5000);
    QCOMPARE(reply.status, 200);
    const QJsonArray messages = messagesOf(reply);
    // Released by the first new message (a's join); the chat follows on the next poll.
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().toObject().value(u"seq").toInteger(), 1);
}

namespace {
// One keep-alive connection making long polls one after another, as a browser's would.
struct LongPoller
{
    quint16 port = 0;
    QTcpSocket socket;
    QByteArray buffer;

    bool open(quint16 serverPort)
    {
        port = serverPort;
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }
    // Asks for messages after `after` and waits until the server has parked the poll.
    bool park(qint64 after, int waitSeconds = 30)
    {
        socket.write(TestHttp::request("GET", "/api/messages?after=" + QByteArray::number(after) +
                                                  "&wait=" + QByteArray::number(waitSeconds)));
        socket.flush();
        const QDeadlineTimer deadline(10000);
        // Each look at the stats is a request of its own, which paces the loop.
        while (statsCounter(port, "longpoll", "parked") != 1) {
            if (deadline.hasExpired())
                return false;
        }
        return true;
    }
    // The seqs of the messages in the next answer.
    QList<qint64> answer(int timeoutMs = 10000)
    {
        QList<qint64> seqs;
        for (const QJsonValue &message :
             messagesOf(TestHttp::readReply(socket, &buffer, timeoutMs)))
            seqs.append(message.toObject().value(u"seq").toInteger());
        return seqs;
    }
};

// Starts a server and parks a first poll on it.
bool startAndPark(RunningServer &server, const ServerConfig &config, LongPoller &poller)
{
    return server.start(config) && poller.open(server.port) && poller.park(0);
}

bool postChat(quint16 port, const QByteArray &text)
{
    return TestHttp::postJson(port, "/api/messages", R"({"nick":"a","text":")" + text + "\"}")
               .status == 201;
}

// A quiet server whose long-poll answers wait `windowMs` once `minimumConnections` long poll.
ServerConfig batchingConfig(int windowMs, int minimumConnections)
{
    ServerConfig config = quietConfig();
    config.longPollBatchMs = windowMs;
    config.longPollBatchMinimumConnections = minimumConnections;
    return config;
}

// Starts a server, parks a first poll, and has it answered by the first message after a quiet
// spell: a's join (seq 1), which a chat from a stores before the chat itself (seq 2).
bool startWithOneAnswer(RunningServer &server, const ServerConfig &config, LongPoller &poller)
{
    return startAndPark(server, config, poller) && postChat(server.port, "1") &&
           poller.answer() == QList<qint64>{1};
}
} // namespace

void tst_RoomServer::longPollAnswersAreBatchedDuringABurst()
{
    // A wide window, so the test does not race it.
    const ServerConfig config = batchingConfig(1000, 1);
    RunningServer server;
    LongPoller poller;
    // The first message after a quiet spell is answered at once (a's join, seq 1)...
    QVERIFY(startWithOneAnswer(server, config, poller));
    poller.socket.write(TestHttp::request("GET", "/api/messages?after=1&wait=30"));
    QCOMPARE(poller.answer(), QList<qint64>{2}); // news already: no parking
    QVERIFY(poller.park(2));
    // ...the ones that follow within the window go out together when it ends.
    for (const QByteArray text : {"3", "4", "5"})
        QVERIFY(postChat(server.port, text));
    QCOMPARE(poller.answer(), (QList<qint64>{3, 4, 5}));
    QCOMPARE(statsCounter(server.port, "longpoll", "parked"), 0);
}

void tst_RoomServer::longPollDeadlineInsideABatchCarriesTheNews()
{
    const ServerConfig config = batchingConfig(3000, 1);
    RunningServer server;
    LongPoller poller;
    QVERIFY(startWithOneAnswer(server, config, poller));
    // This poll's time is up a second from now, two seconds before the window ends: it must
    // get the message stored meanwhile, not an empty page that skips past it.
    QVERIFY(poller.park(2, 1));
    QVERIFY(postChat(server.port, "3"));
    QCOMPARE(poller.answer(2500), QList<qint64>{3});
}

void tst_RoomServer::fewLongPollsAreNeverBatched()
{
    // A window that would hold the second answer for a minute.
    const ServerConfig config = batchingConfig(60000, 16);
    RunningServer server;
    LongPoller poller;
    QVERIFY(startWithOneAnswer(server, config, poller));
    QVERIFY(poller.park(2));
    // One long-polling connection, fewer than the 16 that make batching pay: answered at once.
    QVERIFY(postChat(server.port, "3"));
    QCOMPARE(poller.answer(5000), QList<qint64>{3});
}

void tst_RoomServer::longPollBatchingCountsClientsNotParkedPolls()
{
    const ServerConfig config = batchingConfig(2000, 2);
    RunningServer server;
    LongPoller parked;
    QVERIFY(startWithOneAnswer(server, config, parked));
    // A second client long polls too, but is on its way back, not parked, when the burst goes
    // on: the one parked poll alone must not turn batching off.
    LongPoller returning;
    QVERIFY(returning.open(server.port));
    returning.socket.write(TestHttp::request("GET", "/api/messages?after=0&wait=30"));
    QCOMPARE(returning.answer(), (QList<qint64>{1, 2}));
    QVERIFY(parked.park(2));
    QVERIFY(postChat(server.port, "2"));
    QVERIFY(postChat(server.port, "3"));
    QCOMPARE(parked.answer(), (QList<qint64>{3, 4}));
    returning.socket.write(TestHttp::request("GET", "/api/messages?after=2&wait=30"));
    QCOMPARE(returning.answer(), (QList<qint64>{3, 4}));
}

void tst_RoomServer::longPollTimesOut()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const auto reply = TestHttp::get(server.port, "/api/messages?after=0&wait=1");
    QCOMPARE(reply.status, 200);
    QCOMPARE(messagesOf(reply).size(), 0);
    const QJsonObject longpoll =
        TestHttp::get(server.port, "/api/stats").json().value(u"longpoll").toObject();
    QCOMPARE(longpoll.value(u"empty_responses").toInt(), 1);
    QCOMPARE(longpoll.value(u"parked").toInt(), 0);
}

void tst_RoomServer::pipelinedRequestAnsweredAfterParkedLongPoll()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write(TestHttp::request("GET", "/api/messages?after=0&wait=30") +
                 TestHttp::request("GET", "/api/room"));
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 1);
    QCOMPARE(socket.bytesAvailable(), 0); // the room answer waits its turn
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})").status,
             201);
    QByteArray buffer;
    const auto first = TestHttp::readReply(socket, &buffer);
    const auto second = TestHttp::readReply(socket, &buffer);
    QCOMPARE(first.status, 200);
    QVERIFY(first.json().contains(u"messages"));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json().value(u"protocol").toInt(), 1);
}

void tst_RoomServer::answerLargerThanTheSendBufferArrivesWhole()
{
    // 2,000 messages of 4,000 bytes: a history page of 8 MB, more than the kernel takes in one
    // send() (net.ipv4.tcp_wmem allows 4 MB), so the rest is written as the client reads.
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    constexpr int Messages = 2000;
    const QByteArray text(4000, 'x');
    QByteArray posts;
    for (int i = 0; i < Messages; ++i)
        posts +=
            TestHttp::request("POST", "/api/messages", R"({"nick":"a","text":")" + text + "\"}",
                              "Content-Type: application/json\r\n");
    QTcpSocket poster;
    poster.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(poster.waitForConnected(5000));
    poster.write(posts);
    QByteArray postReplies;
    for (int i = 0; i < Messages; ++i)
        QCOMPARE(TestHttp::readReply(poster, &postReplies).status, 201);

    QTcpSocket reader;
    reader.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(reader.waitForConnected(5000));
    reader.write(TestHttp::request("GET", "/api/messages?after=0"));
    QByteArray buffer;
    const TestHttp::Reply page = TestHttp::readReply(reader, &buffer, 30000);
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.size() > 8'000'000);
    int posted = 0; // beside them, the poster's join
    for (const QJsonValue &message : messagesOf(page))
        posted += message.toObject().value(u"text").toString() == QLatin1String(text);
    QCOMPARE(posted, Messages);
    // The connection goes on serving requests after the long answer.
    reader.write(TestHttp::request("GET", "/api/room"));
    QCOMPARE(TestHttp::readReply(reader, &buffer).status, 200);
}

void tst_RoomServer::webSocketReplaysAndReceives()
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

void tst_RoomServer::broadcastReachesEveryClientLeftAfterOthersLeave()
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

void tst_RoomServer::webSocketSendAckAndErrors()
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

void tst_RoomServer::webSocketObserverCannotSend()
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

void tst_RoomServer::webSocketFrameTooLargeCloses1009()
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

void tst_RoomServer::webSocketFragmentsPingsAndCloseHandshake()
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

void tst_RoomServer::webSocketSenderGetsItsMessageAndAckInOneWrite()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestWebSocket::Client ws;
    QVERIFY(ws.open(server.port, "/ws?nick=one"));
    QVERIFY(ws.next().payload.contains(R"("type":"hello")"));
    QVERIFY(ws.next().payload.contains(R"("kind":"join")"));
    // The peer holds its writes while it handles a client's input (corked), so the message and
    // its ack leave in one send(): one TCP segment, one wake-up of the client. The kernel
    // counts the segments with data that reach the client's socket.
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

void tst_RoomServer::webSocketProtocolErrorsClose_data()
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

void tst_RoomServer::webSocketProtocolErrorsClose()
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

void tst_RoomServer::webSocketClientThatStopsReadingIsDroppedAndCatchesUp()
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

void tst_RoomServer::echoEndpoint()
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

void tst_RoomServer::compatibilityEndpoints()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    const auto posted =
        TestHttp::exchange(server.port, formRequest("/new-message", "msg=hello+tornado"));
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.json().value(u"text").toString(), QString("hello tornado"));
    QCOMPARE(posted.json().value(u"nick").toString(), QString("guest"));

    const auto backlog =
        TestHttp::exchange(server.port, TestHttp::request("POST", "/update-message", "cursor=0"));
    QCOMPARE(backlog.status, 200);
    const QJsonArray array = QJsonDocument::fromJson(backlog.body).array();
    QCOMPARE(array.size(), 2);
    QCOMPARE(array.at(1).toObject().value(u"text").toString(), QString("hello tornado"));

    // Without a cursor it waits for the next message, like the tutorial.
    QTcpSocket waiting;
    waiting.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(waiting.waitForConnected(5000));
    waiting.write(TestHttp::request("POST", "/update-message", ""));
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 1);
    TestHttp::exchange(server.port,
                       TestHttp::request("POST", "/new-message", "msg=next&nick=guest"));
    QByteArray buffer;
    const auto released = TestHttp::readReply(waiting, &buffer);
    QCOMPARE(released.status, 200);
    QCOMPARE(QJsonDocument::fromJson(released.body).array().first().toObject().value(u"text"),
             QJsonValue("next"));
}

void tst_RoomServer::errors_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header");

    using TestHttp::request;
    const QByteArray json = "Content-Type: application/json\r\n";
    QTest::newRow("unknown path") << request("GET", "/nope") << 404 << QByteArray();
    QTest::newRow("wrong method") << request("DELETE", "/api/messages") << 405
                                  << QByteArray("allow");
    QTest::newRow("POST to room") << request("POST", "/api/room", "x") << 405
                                  << QByteArray("allow");
    QTest::newRow("GET new-message")
        << request("GET", "/new-message") << 405 << QByteArray("allow");
    QTest::newRow("no length") << QByteArray("POST /api/messages HTTP/1.1\r\nHost: h\r\n\r\n")
                               << 411 << QByteArray();
    QTest::newRow("body too large")
        << QByteArray("POST /api/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 70000\r\n\r\n")
        << 413 << QByteArray();
    QTest::newRow("URI too long") << request("GET", "/api/messages?x=" + QByteArray(5000, 'a'))
                                  << 414 << QByteArray();
    QTest::newRow("head too large")
        << request("GET", "/api/room", {}, "X-Big: " + QByteArray(17000, 'b') + "\r\n") << 431
        << QByteArray();
    QTest::newRow("chunked")
        << QByteArray("POST /api/messages HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\n")
        << 501 << QByteArray();
    QTest::newRow("smuggling: two lengths")
        << QByteArray("POST /api/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n"
                      "Content-Length: 30\r\n\r\n{}")
        << 400 << QByteArray();
    QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505
                            << QByteArray();
    QTest::newRow("malformed JSON")
        << request("POST", "/api/messages", "{\"nick\":", json) << 400 << QByteArray();
    QTest::newRow("JSON array") << request("POST", "/api/messages", "[1]", json) << 400
                                << QByteArray();
    QTest::newRow("missing text") << request("POST", "/api/messages", R"({"nick":"a"})", json)
                                  << 400 << QByteArray();
    QTest::newRow("missing nick") << request("POST", "/api/messages", R"({"text":"a"})", json)
                                  << 400 << QByteArray();
    QTest::newRow("text not a string")
        << request("POST", "/api/messages", R"({"nick":"a","text":5})", json) << 400
        << QByteArray();
    QTest::newRow("empty text") << request("POST", "/api/messages", R"({"nick":"a","text":""})",
                                           json)
                                << 400 << QByteArray();
    QTest::newRow("text too long")
        << request("POST", "/api/messages",
                   R"({"nick":"a","text":")" + QByteArray(4097, 'x') + "\"}", json)
        << 400 << QByteArray();
    QTest::newRow("nick too long")
        << request("POST", "/api/messages",
                   R"({"nick":")" + QByteArray(33, 'n') + R"(","text":"x"})", json)
        << 400 << QByteArray();
    QTest::newRow("nick with control character")
        << request("POST", "/api/messages", R"({"nick":"a\u0007b","text":"x"})", json) << 400
        << QByteArray();
    QTest::newRow("bad UTF-8 body")
        << request("POST", "/api/messages", "{\"nick\":\"a\",\"text\":\"\xc3\x28\"}", json) << 400
        << QByteArray();
    QTest::newRow("bad UTF-8 form")
        << request("POST", "/api/messages", "nick=a&text=%C3%28",
                   "Content-Type: application/x-www-form-urlencoded\r\n")
        << 400 << QByteArray();
    QTest::newRow("unsupported media type")
        << request("POST", "/api/messages", "hello", "Content-Type: text/plain\r\n") << 415
        << QByteArray();
    QTest::newRow("after not a number")
        << request("GET", "/api/messages?after=abc") << 400 << QByteArray();
    QTest::newRow("after negative")
        << request("GET", "/api/messages?after=-1") << 400 << QByteArray();
    QTest::newRow("after fractional")
        << request("GET", "/api/messages?after=1.5") << 400 << QByteArray();
    QTest::newRow("wait zero") << request("GET", "/api/messages?after=0&wait=0") << 400
                               << QByteArray();
    QTest::newRow("wait too long")
        << request("GET", "/api/messages?after=0&wait=61") << 400 << QByteArray();
    QTest::newRow("bad escape in query")
        << request("GET", "/api/messages?after=%zz") << 400 << QByteArray();
    QTest::newRow("plain GET of /ws") << request("GET", "/ws") << 426 << QByteArray("upgrade");
    QTest::newRow("bad cursor") << request("POST", "/update-message", "cursor=x") << 400
                                << QByteArray();
    QTest::newRow("new-message without msg")
        << request("POST", "/new-message", "text=x") << 400 << QByteArray();
    QTest::newRow("WebSocket to unknown path")
        << request("GET", "/nowhere", {},
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
        << 404 << QByteArray();
    QTest::newRow("WebSocket version 8")
        << request("GET", "/ws", {},
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n")
        << 400 << QByteArray("sec-websocket-version");
    QTest::newRow("WebSocket without key")
        << request("GET", "/ws", {},
                   "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
        << 400 << QByteArray();
    QTest::newRow("WebSocket with bad nick")
        << request("GET", "/ws?nick=", {},
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
        << 400 << QByteArray();
}

void tst_RoomServer::errors()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    if (!m_sharedServer) {
        m_sharedServer = std::make_unique<RunningServer>();
        QVERIFY(m_sharedServer->start());
    }
    RunningServer &server = *m_sharedServer;
    const auto reply = TestHttp::exchange(server.port, raw);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    const QString error = reply.json().value(u"error").toString();
    QVERIFY2(!error.isEmpty(), reply.body.constData());
    if (!header.isEmpty())
        QVERIFY2(!reply.header(header).isEmpty(), header.constData());
    // Nothing broke: the server still answers.
    QCOMPARE(TestHttp::get(server.port, "/api/room").status, 200);
}

void tst_RoomServer::expectContinue()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body = R"({"nick":"a","text":"continued"})";
    socket.write("POST /api/messages HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                 "Content-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY((received += socket.readAll()).startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    socket.write(body);
    QByteArray buffer = received;
    const auto reply = TestHttp::readReply(socket, &buffer);
    QCOMPARE(reply.status, 201);
}

void tst_RoomServer::http10ClosesConnection()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QTcpSocket socket;
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /api/room HTTP/1.0\r\n\r\n");
    QByteArray buffer;
    const auto reply = TestHttp::readReply(socket, &buffer);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("connection").toLower(), QByteArray("close"));
    QVERIFY(disconnected.size() == 1 || disconnected.wait(5000));

    // HTTP/1.1 stays open for a second request on the same connection.
    QTcpSocket keepAlive;
    keepAlive.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(keepAlive.waitForConnected(5000));
    QByteArray keepBuffer;
    for (int i = 0; i < 3; ++i) {
        keepAlive.write(TestHttp::request("GET", "/api/room"));
        QCOMPARE(TestHttp::readReply(keepAlive, &keepBuffer).status, 200);
    }
    QCOMPARE(keepAlive.state(), QAbstractSocket::ConnectedState);
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

void tst_RoomServer::roomKey()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.key = QStringLiteral("s3cret");
    QVERIFY(server.start(config));
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0").status, 401);
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0&key=wrong").status, 401);
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0&key=s3cret").status, 200);
    QCOMPARE(TestHttp::get(server.port, "/api/stats", "Authorization: Bearer s3cret\r\n").status,
             200);
    QCOMPARE(TestHttp::get(server.port, "/api/stats", "Authorization: Bearer s3cre\r\n").status,
             401);
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})").status,
             401);
    QCOMPARE(
        TestHttp::exchange(server.port, TestHttp::request("POST", "/new-message", "msg=x")).status,
        401);
    QCOMPARE(TestHttp::get(server.port, "/").status, 200); // the page itself asks for the key

    QWebSocket refused;
    QSignalSpy refusedError(&refused, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    refused.open(wsUrl(server.port, "/ws?nick=x"));
    QVERIFY(refusedError.wait(5000));
    QTRY_COMPARE(refused.state(), QAbstractSocket::UnconnectedState);

    QWebSocket admitted;
    QSignalSpy connected(&admitted, &QWebSocket::connected);
    admitted.open(wsUrl(server.port, "/ws?nick=x&key=s3cret"));
    QVERIFY(connected.wait(5000));
    QWebSocket echo;
    QSignalSpy echoConnected(&echo, &QWebSocket::connected);
    QNetworkRequest echoRequest(wsUrl(server.port, "/echo"));
    echoRequest.setRawHeader("Authorization", "Bearer s3cret");
    echo.open(echoRequest);
    QVERIFY(echoConnected.wait(5000));
}

void tst_RoomServer::originCheck()
{
    RunningServer server;
    ServerConfig config = quietConfig();
    config.allowedOrigins = {QStringLiteral("http://teacher.example:8080")};
    QVERIFY(server.start(config));
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(server.port) + "\r\n";
    auto withOrigin = [&](const QByteArray &origin) {
        return TestHttp::exchange(server.port, "GET /api/room HTTP/1.1\r\n" + host +
                                                   "Origin: " + origin + "\r\n\r\n")
            .status;
    };
    QCOMPARE(withOrigin("http://127.0.0.1:" + QByteArray::number(server.port)), 200);
    QCOMPARE(withOrigin("http://evil.example"), 403);
    QCOMPARE(withOrigin("http://127.0.0.1:1"), 403);
    QCOMPARE(withOrigin("null"), 403);
    QCOMPARE(withOrigin("http://teacher.example:8080"), 200);

    // QWebSocket sends no Origin unless asked; ask for a foreign one.
    QWebSocket withForeignOrigin(QStringLiteral("http://evil.example"));
    QSignalSpy evilError(&withForeignOrigin,
                         qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    withForeignOrigin.open(wsUrl(server.port, "/ws?nick=y"));
    QVERIFY(evilError.wait(5000));
    QTRY_COMPARE(withForeignOrigin.state(), QAbstractSocket::UnconnectedState);
    const auto raw = TestHttp::exchange(
        server.port, "GET /ws HTTP/1.1\r\n" + host +
                         "Origin: http://evil.example\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n");
    QCOMPARE(raw.status, 403);
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

void tst_RoomServer::cursorAheadReportsReset()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})");
    const auto poll = TestHttp::get(server.port, "/api/messages?after=999&wait=30");
    QCOMPARE(poll.status, 200);
    QCOMPARE(poll.json().value(u"reset").toBool(), true);
    QCOMPARE(messagesOf(poll).size(), 2);
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

void tst_RoomServer::clientLeavingWhileParkedIsDropped()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < 50; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            sockets.back()->connectToHost(QHostAddress::LocalHost, server.port);
            QVERIFY(sockets.back()->waitForConnected(5000));
            sockets.back()->write(TestHttp::request("GET", "/api/messages?after=0&wait=60"));
        }
        QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 50);
    } // all 50 leave while parked
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 0);
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "open_connections"), 0);
    // A message now has no parked poll to write to, and is stored all the same.
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})").status,
             201);
    QCOMPARE(messagesOf(TestHttp::get(server.port, "/api/messages?after=0")).size(), 2);
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

void tst_RoomServer::thousandParkedLongPollsReleasedByOnePost()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    constexpr int Count = 1000;
    // The announcer is online before the polls park, so its post is their first news.
    QCOMPARE(TestHttp::get(server.port, "/api/messages?after=0&nick=announcer").status, 200);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> buffers(Count);
    int released = 0;
    int withMessage = 0;
    for (int i = 0; i < Count; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *raw = socket.get();
        connect(raw, &QTcpSocket::connected, raw,
                [raw] { raw->write(TestHttp::request("GET", "/api/messages?after=1&wait=60")); });
        connect(raw, &QTcpSocket::readyRead, raw, [&, raw, i] {
            buffers[i] += raw->readAll();
            TestHttp::Reply reply;
            if (TestHttp::parseReply(buffers[i], &reply)) {
                ++released;
                const QJsonArray messages = messagesOf(reply);
                if (reply.status == 200 && messages.size() == 1 &&
                    messages.first().toObject().value(u"text").toString() == u"to everyone")
                    ++withMessage;
            }
        });
        raw->connectToHost(QHostAddress::LocalHost, server.port);
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(statsCounter(server.port, "longpoll", "parked"), Count, 60000);
    QCOMPARE(released, 0);
    QCOMPARE(TestHttp::postJson(server.port, "/api/messages",
                                R"({"nick":"announcer","text":"to everyone"})")
                 .status,
             201);
    QTRY_COMPARE_WITH_TIMEOUT(released, Count, 60000);
    QCOMPARE(withMessage, Count);
}

QTEST_MAIN(tst_RoomServer)
#include "tst_roomserver.moc"
