// Durable history (issue 15): a room with --store survives restarts and kill -9 with every
// acknowledged message, seq going on and client_id de-duplication intact; a history has an
// identity (its epoch), and a cursor from another history is reset, with a store or without.

#include "roomserver.h"
#include "servertestsupport.h"
#include "websockettestclient.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ServerTestSupport;

class tst_DurableHistory : public QObject
{
    Q_OBJECT

private slots:
    void answeredOnlyOnceDurable();
    void retryWhileStoringWaitsForTheSameMessage();
    void storeRestartKeepsHistorySeqAndClientIds();
    void cursorFromAnotherHistoryIsReset_data();
    void cursorFromAnotherHistoryIsReset();
    void hostRestartInMemoryKeepsTheEpoch();
    void unusableStoreFailsTheStart();
    void clearHistoryResetsEveryReader();
    void killedServerKeepsEveryAcknowledgedMessage();
    void rejectsMalformedEpoch();

private:
    static ServerConfig storeConfig(const QString &path);
};

namespace {

QString epochOf(quint16 port)
{
    return TestHttp::get(port, "/api/room").json().value(u"epoch").toString();
}

TestHttp::Reply postChat(quint16 port, const QByteArray &text, const QByteArray &clientId = {})
{
    QByteArray json = R"({"nick":"a","text":")" + text + '"';
    if (!clientId.isEmpty())
        json += R"(,"client_id":")" + clientId + '"';
    return TestHttp::postJson(port, "/api/messages", json + '}');
}

qint64 seqOf(const TestHttp::Reply &reply)
{
    return reply.json().value(u"seq").toInteger();
}

} // namespace

ServerConfig tst_DurableHistory::storeConfig(const QString &path)
{
    ServerConfig config = quietConfig();
    config.storePath = path;
    config.storeSync = HistoryStore::Sync::Normal; // what survives kill -9; quicker in tests
    return config;
}

void tst_DurableHistory::answeredOnlyOnceDurable()
{
    // The server on this thread, so the test sees each step of the chat core.
    QTemporaryDir dir;
    ServerConfig config = storeConfig(dir.filePath(QStringLiteral("room.sqlite")));
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    RoomServer server(config);
    QSignalSpy started(&server, &RoomServer::started);
    server.start();
    QCOMPARE(started.size(), 1);

    std::optional<RoomServer::ChatOutcome> outcome;
    qint64 seqWhenAnswered = -1;
    server.acceptChat({{QStringLiteral("a"), QStringLiteral("hi"), QStringLiteral("c-1")},
                       QStringLiteral("a@local"),
                       QStringLiteral("127.0.0.1"),
                       Transport::Polling},
                      [&](const RoomServer::ChatOutcome &answered) {
                          outcome = answered;
                          seqWhenAnswered = server.room().lastSeq();
                      });
    // Taken, not durable: no answer yet, and the room (every page, /api/room) does not show it.
    QVERIFY(!outcome);
    QCOMPARE(server.room().lastSeq(), 0);
    QTRY_VERIFY(outcome.has_value());
    QVERIFY(outcome->stored);
    QCOMPARE(outcome->stored->seq, 2); // after a's join
    QCOMPARE(seqWhenAnswered, 2);      // in the room by the time it is answered

    // A refusal is answered at once.
    std::optional<RoomServer::ChatOutcome> refused;
    server.acceptChat({{QStringLiteral("a"), QString(), {}},
                       QStringLiteral("a@local"),
                       QStringLiteral("127.0.0.1"),
                       {}},
                      [&](const RoomServer::ChatOutcome &answered) { refused = answered; });
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    server.stop();
}

void tst_DurableHistory::retryWhileStoringWaitsForTheSameMessage()
{
    RoomServer server([] {
        ServerConfig config = quietConfig();
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        return config;
    }());
    server.start();
    QList<qint64> seqs;
    auto answer = [&](const RoomServer::ChatOutcome &outcome) {
        seqs.append(outcome.stored ? outcome.stored->seq : -outcome.status);
    };
    const RoomServer::ChatSubmission send{
        {QStringLiteral("a"), QStringLiteral("once"), QStringLiteral("same")},
        QStringLiteral("a@local"),
        QStringLiteral("127.0.0.1"),
        Transport::WebSocket};
    server.acceptChat(send, answer);
    server.acceptChat(send, answer); // the retry, before the first is durable
    QVERIFY(seqs.isEmpty());
    QTRY_COMPARE(seqs.size(), 2);
    QCOMPARE(seqs.first(), seqs.last());
    server.acceptChat(send, answer); // and after
    QCOMPARE(seqs.size(), 3);
    QCOMPARE(seqs.last(), seqs.first());
    QCOMPARE(server.room().lastSeq(), 2); // a's join and one message
    server.stop();
}

void tst_DurableHistory::storeRestartKeepsHistorySeqAndClientIds()
{
    QTemporaryDir dir;
    const ServerConfig config = storeConfig(dir.filePath(QStringLiteral("room.sqlite")));
    auto server = std::make_unique<RunningServer>();
    QVERIFY(server->start(config));
    QCOMPARE(postChat(server->port, "one", "k-1").status, 201);
    const TestHttp::Reply second = postChat(server->port, "two", "k-2");
    QCOMPARE(second.status, 201);
    const QString epoch = epochOf(server->port);
    QCOMPARE(epoch.size(), 16);
    const QJsonObject page = TestHttp::get(server->port, "/api/messages?after=0").json();
    QCOMPARE(page.value(u"epoch").toString(), epoch);
    const qint64 cursor = page.value(u"last_seq").toInteger();
    QCOMPARE(cursor, 3);

    // Another process on the same port and file: ServerHost keeps nothing of the first.
    const quint16 port = server->port;
    server.reset();
    server = std::make_unique<RunningServer>();
    server->port = port;
    QVERIFY(server->start(config));
    QCOMPARE(epochOf(port), epoch);
    const QJsonObject restored = TestHttp::get(port, "/api/messages?after=0").json();
    QCOMPARE(restored.value(u"messages").toArray().size(), 3);
    QCOMPARE(restored.value(u"messages").toArray().at(2).toObject().value(u"text").toString(),
             QStringLiteral("two"));
    // A retry of a send the last run acknowledged gets the same answer, and stores nothing.
    const TestHttp::Reply retried = postChat(port, "two", "k-2");
    QCOMPARE(retried.status, 201);
    QCOMPARE(seqOf(retried), seqOf(second));
    QCOMPARE(retried.json().value(u"ts").toInteger(), second.json().value(u"ts").toInteger());
    // Seq goes on (a comes back online first: a join), and a client resuming from its cursor
    // gets exactly what it missed.
    QCOMPARE(seqOf(postChat(port, "three", "k-3")), 5);
    const QJsonObject resumed =
        TestHttp::get(port, "/api/messages?after=" + QByteArray::number(cursor) +
                                "&epoch=" + epoch.toLatin1())
            .json();
    QVERIFY(!resumed.value(u"reset").toBool());
    QCOMPARE(resumed.value(u"messages").toArray().size(), 2);
    QCOMPARE(resumed.value(u"messages").toArray().first().toObject().value(u"seq").toInteger(), 4);
    // So does a WebSocket client.
    TestWebSocket::Client ws;
    QVERIFY(
        ws.open(port, "/ws?after=" + QByteArray::number(cursor) + "&epoch=" + epoch.toLatin1()));
    const QJsonObject hello = QJsonDocument::fromJson(ws.next().payload).object();
    QCOMPARE(hello.value(u"epoch").toString(), epoch);
    QVERIFY(!hello.value(u"reset").toBool());
    QVERIFY(ws.next().payload.contains(R"("kind":"join")"));
    QVERIFY(ws.next().payload.contains(R"("text":"three")"));
}

void tst_DurableHistory::cursorFromAnotherHistoryIsReset_data()
{
    QTest::addColumn<bool>("withStore");
    QTest::addRow("in memory") << false;
    QTest::addRow("another store file") << true;
}

void tst_DurableHistory::cursorFromAnotherHistoryIsReset()
{
    // The issue's finding 4: a client comes back with a cursor the new run has passed.
    QFETCH(bool, withStore);
    QTemporaryDir dir;
    auto configFor = [&](const char *file) {
        return withStore ? storeConfig(dir.filePath(QString::fromLatin1(file))) : quietConfig();
    };
    auto first = std::make_unique<RunningServer>();
    QVERIFY(first->start(configFor("first.sqlite")));
    QCOMPARE(postChat(first->port, "old").status, 201);
    const QString oldEpoch = epochOf(first->port);
    const quint16 port = first->port;
    first.reset();

    RunningServer second;
    second.port = port;
    QVERIFY(second.start(configFor("second.sqlite")));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(postChat(port, "new").status, 201);
    QVERIFY(epochOf(port) != oldEpoch);
    // Cursor 2 of the old history is within the new one's range (6 messages).
    const QJsonObject page =
        TestHttp::get(port, "/api/messages?after=2&epoch=" + oldEpoch.toLatin1()).json();
    QVERIFY(page.value(u"reset").toBool());
    QCOMPARE(page.value(u"messages").toArray().size(), 6);
    QCOMPARE(page.value(u"epoch").toString(), epochOf(port));
    // A long poll is not parked: it is answered at once.
    const QJsonObject longPoll =
        TestHttp::get(port, "/api/messages?after=6&wait=30&epoch=" + oldEpoch.toLatin1()).json();
    QVERIFY(longPoll.value(u"reset").toBool());
    TestWebSocket::Client ws;
    QVERIFY(ws.open(port, "/ws?after=2&epoch=" + oldEpoch.toLatin1()));
    QVERIFY(ws.next().payload.contains(R"("reset":true)"));
    // A client that sends no epoch gets what it always got: the messages after its cursor.
    const QJsonObject legacy = TestHttp::get(port, "/api/messages?after=2").json();
    QVERIFY(!legacy.value(u"reset").toBool());
    QCOMPARE(legacy.value(u"messages").toArray().size(), 4);
}

void tst_DurableHistory::hostRestartInMemoryKeepsTheEpoch()
{
    // The desktop app's stop and start of its server: the history, and so its identity, stays.
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    QCOMPARE(postChat(server.port, "kept").status, 201);
    const QString epoch = epochOf(server.port);
    QSignalSpy stopped(server.host.get(), &ServerHost::stopped);
    server.host->stop();
    QVERIFY(stopped.wait(10000));
    QVERIFY(server.start(quietConfig()));
    QCOMPARE(epochOf(server.port), epoch);
    const QJsonObject page =
        TestHttp::get(server.port, "/api/messages?after=2&epoch=" + epoch.toLatin1()).json();
    QVERIFY(!page.value(u"reset").toBool());
    QCOMPARE(seqOf(postChat(server.port, "next")), 4); // a's join again, then this
}

void tst_DurableHistory::unusableStoreFailsTheStart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("room.sqlite"));
    RunningServer holder;
    QVERIFY(holder.start(storeConfig(path)));
    // A second server on the same file is refused: two servers never write one history.
    ServerHost second;
    QSignalSpy failed(&second, &ServerHost::failed);
    ServerConfig config = storeConfig(path);
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    second.start(config);
    QVERIFY(failed.wait(10000));
    const auto error = failed.first().first().value<ServerError>();
    QVERIFY2(error.message.startsWith(u"history: "), qPrintable(error.message));
    QCOMPARE(second.state(), ServerHost::State::Stopped);
}

void tst_DurableHistory::clearHistoryResetsEveryReader()
{
    QTemporaryDir dir;
    RunningServer server;
    QVERIFY(server.start(storeConfig(dir.filePath(QStringLiteral("room.sqlite")))));
    QCOMPARE(postChat(server.port, "before").status, 201);
    const QString oldEpoch = epochOf(server.port);
    TestWebSocket::Client ws;
    QVERIFY(ws.open(server.port, "/ws?after=2&epoch=" + oldEpoch.toLatin1()));
    QVERIFY(ws.next().payload.contains(R"("type":"hello")"));
    QTcpSocket parked;
    parked.connectToHost(QHostAddress::LocalHost, server.port);
    QVERIFY(parked.waitForConnected(5000));
    parked.write(
        TestHttp::request("GET", "/api/messages?after=2&wait=30&epoch=" + oldEpoch.toLatin1()));
    QTRY_COMPARE(statsCounter(server.port, "longpoll", "parked"), 1);

    QSignalSpy cleared(server.host.get(), &ServerHost::historyCleared);
    server.host->clearHistory();
    QVERIFY(cleared.wait(10000));
    const QString newEpoch = epochOf(server.port);
    QVERIFY(newEpoch != oldEpoch);
    // The parked poll is answered with reset and the new epoch...
    QByteArray buffer = parked.readAll(); // what came while the test waited for the signal
    const TestHttp::Reply reply = TestHttp::readReply(parked, &buffer, 5000);
    const QJsonObject page = reply.json();
    QVERIFY2(page.value(u"reset").toBool(), QByteArray::number(reply.status) + reply.body);
    QVERIFY(page.value(u"reset").toBool());
    QCOMPARE(page.value(u"epoch").toString(), newEpoch);
    QCOMPARE(page.value(u"messages").toArray().size(), 0);
    // ...the WebSocket client gets a new hello with reset...
    const QJsonObject hello = QJsonDocument::fromJson(ws.next().payload).object();
    QCOMPARE(hello.value(u"type").toString(), QStringLiteral("hello"));
    QVERIFY(hello.value(u"reset").toBool());
    QCOMPARE(hello.value(u"epoch").toString(), newEpoch);
    // ...and seq goes on in the new history, which alone survives a restart.
    QCOMPARE(seqOf(postChat(server.port, "after")), 3);
    QVERIFY(ws.next().payload.contains(R"("text":"after")"));
    const QJsonObject fresh = TestHttp::get(server.port, "/api/messages?after=0").json();
    QCOMPARE(fresh.value(u"messages").toArray().size(), 1);
    QVERIFY(!fresh.value(u"gap").toBool()); // seqs 1…2 were cleared, not missed
}

void tst_DurableHistory::killedServerKeepsEveryAcknowledgedMessage()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("room.sqlite"));
    const QStringList arguments{"--port", "0",       "--bind", "127.0.0.1",    "--rate-limit",
                                "0",      "--store", store,    "--store-sync", "normal"};
    QProcess process;
    const quint16 port =
        TestHttp::startServerProcess(process, QStringLiteral(PUSHCHAT_SERVER_PATH), arguments);
    QVERIFY(port != 0);

    // Four connections, each with fifty posts pipelined: the kill comes while some are in
    // flight, some taken but not durable, some acknowledged.
    constexpr int Connections = 4;
    constexpr int PostsEach = 50;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    std::vector<QByteArray> buffers(Connections);
    for (int c = 0; c < Connections; ++c) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket->waitForConnected(5000));
        QByteArray requests;
        for (int i = 0; i < PostsEach; ++i) {
            const QByteArray id = QByteArray::number(c) + '-' + QByteArray::number(i);
            requests +=
                TestHttp::request("POST", "/api/messages",
                                  R"({"nick":"n)" + QByteArray::number(c) + R"(","text":"m)" + id +
                                      R"(","client_id":")" + id + R"("})",
                                  "Content-Type: application/json\r\n");
        }
        socket->write(requests);
        sockets.push_back(std::move(socket));
    }
    QHash<QByteArray, qint64> acknowledged; // client_id → seq
    std::vector<int> answered(Connections, 0);
    auto readAcks = [&] {
        for (int c = 0; c < Connections; ++c) {
            sockets[c]->waitForReadyRead(20);
            buffers[c] += sockets[c]->readAll();
            TestHttp::Reply reply;
            while (const qsizetype used = TestHttp::parseReply(buffers[c], &reply)) {
                buffers[c].remove(0, used);
                if (reply.status == 201) {
                    acknowledged.insert(QByteArray::number(c) + '-' +
                                            QByteArray::number(answered[c]),
                                        seqOf(reply));
                }
                ++answered[c];
            }
        }
    };
    QTRY_VERIFY_WITH_TIMEOUT((readAcks(), acknowledged.size() >= 60), 20000);
    ::kill(pid_t(process.processId()), SIGKILL);
    QVERIFY(process.waitForFinished(10000));
    readAcks(); // answers the kernel already held count as acknowledged too
    QVERIFY(acknowledged.size() >= 60);

    QProcess restarted;
    const quint16 newPort =
        TestHttp::startServerProcess(restarted, QStringLiteral(PUSHCHAT_SERVER_PATH), arguments);
    QVERIFY(newPort != 0);
    const QJsonArray messages =
        TestHttp::get(newPort, "/api/messages?after=0").json().value(u"messages").toArray();
    QHash<QString, qint64> stored; // text → seq
    qint64 previous = 0;
    for (const QJsonValue &value : messages) {
        const QJsonObject message = value.toObject();
        const qint64 seq = message.value(u"seq").toInteger();
        QCOMPARE(seq, previous + 1); // consecutive: nothing half-written
        previous = seq;
        if (message.value(u"kind").toString() == u"chat")
            stored.insert(message.value(u"text").toString(), seq);
    }
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
        const QString text = QStringLiteral("m") + QString::fromLatin1(it.key());
        QVERIFY2(stored.contains(text),
                 qPrintable(text + QStringLiteral(" was acknowledged, then lost")));
        QCOMPARE(stored.value(text), it.value());
    }
    // A client retrying an acknowledged send after the restart gets the same seq.
    const QByteArray someId = acknowledged.cbegin().key();
    const TestHttp::Reply retried =
        TestHttp::postJson(newPort, "/api/messages",
                           R"({"nick":"n)" + someId.left(1) + R"(","text":"m)" + someId +
                               R"(","client_id":")" + someId + R"("})");
    QCOMPARE(retried.status, 201);
    QCOMPARE(seqOf(retried), acknowledged.cbegin().value());
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
}

void tst_DurableHistory::rejectsMalformedEpoch()
{
    RunningServer server;
    QVERIFY(server.start(quietConfig()));
    for (const QByteArray epoch : {"xyz", "0000000000000000", "0123456789ABCDEF", ""}) {
        const TestHttp::Reply reply =
            TestHttp::get(server.port, "/api/messages?after=1&epoch=" + epoch);
        QCOMPARE(reply.status, 400);
        QVERIFY(reply.json().value(u"error").toString().contains(u"epoch"));
    }
}

QTEST_MAIN(tst_DurableHistory)
#include "tst_durablehistory.moc"
