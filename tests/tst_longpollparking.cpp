// LongPollParking through a real server: parked long polls released by news, batched during a
// burst, timed out, and forgotten with their connections.

#include "servertestsupport.h"
#include "systemlimits.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTest>

#include <vector>

using namespace ServerTestSupport;

class tst_LongPollParking : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void longPollIsReleasedByPost();
    void longPollAnswersAreBatchedDuringABurst();
    void longPollDeadlineInsideABatchCarriesTheNews();
    void fewLongPollsAreNeverBatched();
    void longPollBatchingCountsClientsNotParkedPolls();
    void longPollTimesOut();
    void pipelinedRequestAnsweredAfterParkedLongPoll();
    void cursorAheadReportsReset();
    void clientLeavingWhileParkedIsDropped();
    void parkedCountFollowsDroppedConnections();
    void thousandParkedLongPollsReleasedByOnePost();
};

void tst_LongPollParking::initTestCase()
{
    raiseOpenFileLimit(); // a thousand parked polls, and as many clients in this process
}

void tst_LongPollParking::longPollIsReleasedByPost()
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
    // Released once by a's join and chat: taken in one pass, they are durable together.
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.first().toObject().value(u"seq").toInteger(), 1);
    QCOMPARE(messages.last().toObject().value(u"text").toString(), QStringLiteral("wake"));
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

// Starts a server, parks a first poll, and has it answered by the first messages after a quiet
// spell: a's join (seq 1) and chat (seq 2), made durable together.
bool startWithOneAnswer(RunningServer &server, const ServerConfig &config, LongPoller &poller)
{
    return startAndPark(server, config, poller) && postChat(server.port, "1") &&
           poller.answer() == QList<qint64>{1, 2};
}
} // namespace

void tst_LongPollParking::longPollAnswersAreBatchedDuringABurst()
{
    // A wide window, so the test does not race it.
    const ServerConfig config = batchingConfig(1000, 1);
    RunningServer server;
    LongPoller poller;
    // The first messages after a quiet spell are answered at once (a's join and chat)...
    QVERIFY(startWithOneAnswer(server, config, poller));
    QVERIFY(poller.park(2));
    // ...the ones that follow within the window go out together when it ends.
    for (const QByteArray text : {"3", "4", "5"})
        QVERIFY(postChat(server.port, text));
    QCOMPARE(poller.answer(), (QList<qint64>{3, 4, 5}));
    QCOMPARE(statsCounter(server.port, "longpoll", "parked"), 0);
}

void tst_LongPollParking::longPollDeadlineInsideABatchCarriesTheNews()
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

void tst_LongPollParking::fewLongPollsAreNeverBatched()
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

void tst_LongPollParking::longPollBatchingCountsClientsNotParkedPolls()
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

void tst_LongPollParking::longPollTimesOut()
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

void tst_LongPollParking::pipelinedRequestAnsweredAfterParkedLongPoll()
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

void tst_LongPollParking::cursorAheadReportsReset()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    TestHttp::postJson(server.port, "/api/messages", R"({"nick":"a","text":"x"})");
    const auto poll = TestHttp::get(server.port, "/api/messages?after=999&wait=30");
    QCOMPARE(poll.status, 200);
    QCOMPARE(poll.json().value(u"reset").toBool(), true);
    QCOMPARE(messagesOf(poll).size(), 2);
}

void tst_LongPollParking::clientLeavingWhileParkedIsDropped()
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

void tst_LongPollParking::parkedCountFollowsDroppedConnections()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    auto parkPolls = [&](int count) {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < count; ++i) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            sockets.back()->connectToHost(QHostAddress::LocalHost, server.port);
            sockets.back()->write(TestHttp::request("GET", "/api/messages?after=0&wait=60"));
        }
        return sockets;
    };
    // A plain poll and one of the tutorial's: both are counted, and both forgotten on a drop.
    auto polls = parkPolls(3);
    QTcpSocket compat;
    compat.connectToHost(QHostAddress::LocalHost, server.port);
    compat.write(TestHttp::request("POST", "/update-message", ""));
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 4);
    server.host->dropConnections();
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 0);
    // Polls parked after the drop count from zero again.
    auto again = parkPolls(2);
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 2);
    QCOMPARE(postChat(server.port, "wake"), true);
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 0);
}

void tst_LongPollParking::thousandParkedLongPollsReleasedByOnePost()
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

QTEST_MAIN(tst_LongPollParking)
#include "tst_longpollparking.moc"
