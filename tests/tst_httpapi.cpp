// HttpApi through a real server: routing, posts and their errors, HTTP/1.0 and 1.1, the
// tutorial's compatibility endpoints, and the access policy (room key, Origin).

#include "servertestsupport.h"

#include <QTcpSocket>
#include <QTest>

using namespace ServerTestSupport;

class tst_HttpApi : public QObject
{
    Q_OBJECT

private slots:
    void cleanupTestCase();
    void formPostAndHead();
    void historyLargerThanAPageArrivesInPages();
    void compatibilityEndpoints();
    void errors_data();
    void errors();
    void expectContinue();
    void http10ClosesConnection();
    void roomKey();
    void originCheck();

private:
    std::unique_ptr<RunningServer> m_sharedServer; ///< for the many rows of errors()
};

void tst_HttpApi::cleanupTestCase()
{
    m_sharedServer.reset();
}

void tst_HttpApi::formPostAndHead()
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

void tst_HttpApi::historyLargerThanAPageArrivesInPages()
{
    // 2,000 messages of 4,000 bytes: a history of 8 MB, which comes in pages of at most 1 MiB,
    // each saying whether more follow, on one keep-alive connection.
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
    QByteArray buffer;
    qint64 cursor = 0;
    int posted = 0; // beside them, the poster's join
    int pages = 0;
    for (bool more = true; more; ++pages) {
        reader.write(TestHttp::request("GET", "/api/messages?after=" + QByteArray::number(cursor)));
        const TestHttp::Reply page = TestHttp::readReply(reader, &buffer, 30000);
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.size() <= 1024 * 1024);
        const QJsonArray messages = messagesOf(page);
        QVERIFY(!messages.isEmpty());
        QCOMPARE(messages.first().toObject().value(u"seq").toInteger(), cursor + 1);
        for (const QJsonValue &message : messages)
            posted += message.toObject().value(u"text").toString() == QLatin1String(text);
        cursor = messages.last().toObject().value(u"seq").toInteger();
        more = page.json().value(u"more").toBool();
        QCOMPARE(page.json().value(u"last_seq").toInteger(), Messages + 1);
    }
    QCOMPARE(posted, Messages);
    QCOMPARE(cursor, Messages + 1);
    QVERIFY(pages >= 8);
    // The connection goes on serving requests after the long answer.
    reader.write(TestHttp::request("GET", "/api/room"));
    QCOMPARE(TestHttp::readReply(reader, &buffer).status, 200);
}

void tst_HttpApi::compatibilityEndpoints()
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

void tst_HttpApi::errors_data()
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

void tst_HttpApi::errors()
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

void tst_HttpApi::expectContinue()
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

void tst_HttpApi::http10ClosesConnection()
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

void tst_HttpApi::roomKey()
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

void tst_HttpApi::originCheck()
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

QTEST_MAIN(tst_HttpApi)
#include "tst_httpapi.moc"
