#include "httpparser.h"

#include <QTest>

using PushChat::Http::Limits;
using PushChat::Http::parseQuery;
using PushChat::Http::parseRequest;
using Status = PushChat::Http::ParseResult::Status;

class tst_HttpParser : public QObject
{
    Q_OBJECT

private slots:
    void validRequests_data();
    void validRequests();
    void malformedRequests_data();
    void malformedRequests();
    void pipelinedRequestsAreSeparated();
    void headCompleteWhileBodyIsMissing();
    void limitsAreConfigurable();
    void keepAliveRules_data();
    void keepAliveRules();
    void queryDecoding_data();
    void queryDecoding();
};

void tst_HttpParser::validRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("minorVersion");

    const QByteArray host = "Host: 127.0.0.1:8765\r\n";
    QTest::newRow("simple GET") << QByteArray("GET / HTTP/1.1\r\n" + host + "\r\n")
                                << QByteArray("GET") << QByteArray("/") << QByteArray()
                                << QByteArray() << 1;
    QTest::newRow("poll with query")
        << QByteArray("GET /api/messages?after=17 HTTP/1.1\r\n" + host + "\r\n")
        << QByteArray("GET") << QByteArray("/api/messages") << QByteArray("after=17")
        << QByteArray() << 1;
    QTest::newRow("long poll") << QByteArray(
                                      "GET /api/messages?after=3&wait=25&nick=bob HTTP/1.1\r\n" +
                                      host + "Accept: */*\r\n\r\n")
                               << QByteArray("GET") << QByteArray("/api/messages")
                               << QByteArray("after=3&wait=25&nick=bob") << QByteArray() << 1;
    QTest::newRow("POST JSON") << QByteArray(
                                      "POST /api/messages HTTP/1.1\r\n" + host +
                                      "Content-Type: application/json\r\nContent-Length: 29\r\n\r\n"
                                      "{\"nick\":\"al\",\"text\":\"hello\"}\n")
                               << QByteArray("POST") << QByteArray("/api/messages") << QByteArray()
                               << QByteArray("{\"nick\":\"al\",\"text\":\"hello\"}\n") << 1;
    QTest::newRow("POST form")
        << QByteArray("POST /new-message HTTP/1.1\r\n" + host +
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\n"
                      "msg=hi+yo")
        << QByteArray("POST") << QByteArray("/new-message") << QByteArray()
        << QByteArray("msg=hi+yo") << 1;
    QTest::newRow("POST empty body")
        << QByteArray("POST /update-message HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n")
        << QByteArray("POST") << QByteArray("/update-message") << QByteArray() << QByteArray() << 1;
    QTest::newRow("HTTP/1.0 without Host")
        << QByteArray("GET /api/room HTTP/1.0\r\n\r\n") << QByteArray("GET")
        << QByteArray("/api/room") << QByteArray() << QByteArray() << 0;
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("GET /api/stats HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        << QByteArray("GET") << QByteArray("/api/stats") << QByteArray() << QByteArray() << 0;
    QTest::newRow("leading empty line")
        << QByteArray("\r\nGET / HTTP/1.1\r\n" + host + "\r\n") << QByteArray("GET")
        << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("header without space")
        << QByteArray("GET / HTTP/1.1\r\nHost:x\r\n\r\n") << QByteArray("GET") << QByteArray("/")
        << QByteArray() << QByteArray() << 1;
    QTest::newRow("header with tabs")
        << QByteArray("GET / HTTP/1.1\r\nHost:\t x \t\r\n\r\n") << QByteArray("GET")
        << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("empty header value")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-Empty:\r\n\r\n") << QByteArray("GET")
        << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("upper-case header names")
        << QByteArray("GET / HTTP/1.1\r\nHOST: a\r\nCONTENT-LENGTH: 2\r\n\r\nok")
        << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray("ok") << 1;
    QTest::newRow("WebSocket handshake")
        << QByteArray("GET /ws?nick=bob&after=0 HTTP/1.1\r\n" + host +
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n")
        << QByteArray("GET") << QByteArray("/ws") << QByteArray("nick=bob&after=0") << QByteArray()
        << 1;
    QTest::newRow("unknown method is parsed")
        << QByteArray("PURGE /x HTTP/1.1\r\n" + host + "\r\n") << QByteArray("PURGE")
        << QByteArray("/x") << QByteArray() << QByteArray() << 1;
    QTest::newRow("HEAD") << QByteArray("HEAD / HTTP/1.1\r\n" + host + "\r\n") << QByteArray("HEAD")
                          << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("percent-encoded target")
        << QByteArray("GET /api/messages?nick=%E5%B0%8F%E6%98%8E HTTP/1.1\r\n" + host + "\r\n")
        << QByteArray("GET") << QByteArray("/api/messages") << QByteArray("nick=%E5%B0%8F%E6%98%8E")
        << QByteArray() << 1;
    QTest::newRow("empty query") << QByteArray("GET /api/room? HTTP/1.1\r\n" + host + "\r\n")
                                 << QByteArray("GET") << QByteArray("/api/room") << QByteArray()
                                 << QByteArray() << 1;
    QTest::newRow("GET with body")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Content-Length: 3\r\n\r\nabc")
        << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray("abc") << 1;
    QTest::newRow("UTF-8 in header value")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X-Name: caf\xc3\xa9\r\n\r\n")
        << QByteArray("GET") << QByteArray("/") << QByteArray() << QByteArray() << 1;
    QTest::newRow("Content-Length with leading zeros")
        << QByteArray("POST /api/messages HTTP/1.1\r\n" + host + "Content-Length: 002\r\n\r\nhi")
        << QByteArray("POST") << QByteArray("/api/messages") << QByteArray() << QByteArray("hi")
        << 1;
    QTest::newRow("binary body") << QByteArray("POST /a HTTP/1.1\r\n" + host +
                                               "Content-Length: 4\r\n\r\n") +
                                        QByteArray("\r\n\0\xff", 4)
                                 << QByteArray("POST") << QByteArray("/a") << QByteArray()
                                 << QByteArray("\r\n\0\xff", 4) << 1;
}

void tst_HttpParser::validRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(int, minorVersion);

    const auto result = parseRequest(raw);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.consumed, raw.size());
    QCOMPARE(result.request.method, method);
    QCOMPARE(result.request.path, path);
    QCOMPARE(result.request.query, query);
    QCOMPARE(result.request.body, body);
    QCOMPARE(result.request.minorVersion, minorVersion);

    // Every prefix is incomplete: no split point can make a request end early or fail.
    for (qsizetype split = 0; split < raw.size(); ++split) {
        const auto partial = parseRequest(QByteArrayView(raw).first(split));
        if (partial.status != Status::Incomplete)
            QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes gave status %2 (%3)")
                                 .arg(split)
                                 .arg(int(partial.status))
                                 .arg(partial.errorMessage)));
    }
}

void tst_HttpParser::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");

    const QByteArray host = "Host: h\r\n";
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("extra spaces") << QByteArray("GET  / HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n" + host + "\r\n") << 505;
    QTest::newRow("HTTP/0.9 style") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n" + host + "\r\n") << 505;
    QTest::newRow("bad version digits") << QByteArray("GET / HTTP/1.x\r\n" + host + "\r\n") << 400;
    QTest::newRow("absolute-form target")
        << QByteArray("GET http://h/ HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("asterisk target") << QByteArray("OPTIONS * HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("control char in target")
        << QByteArray("GET /a\x01 HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("8-bit byte in target")
        << QByteArray("GET /caf\xc3\xa9 HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("bad method token") << QByteArray("G(ET / HTTP/1.1\r\n" + host + "\r\n") << 400;
    QTest::newRow("bare LF request line") << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << 400;
    QTest::newRow("bare LF in headers")
        << QByteArray("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n") << 400;
    QTest::newRow("missing Host on 1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two Host headers")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400;
    QTest::newRow("header without colon")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "Nonsense\r\n\r\n") << 400;
    QTest::newRow("empty header name")
        << QByteArray("GET / HTTP/1.1\r\n" + host + ": x\r\n\r\n") << 400;
    QTest::newRow("obsolete line folding")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\r\n b\r\n\r\n") << 400;
    QTest::newRow("control char in value")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\x7f\r\n\r\n") << 400;
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n", 36)
                                  << 400;
    QTest::newRow("Transfer-Encoding chunked")
        << QByteArray("POST /api/messages HTTP/1.1\r\n" + host +
                      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        << 501;
    QTest::newRow("Transfer-Encoding and Content-Length")
        << QByteArray("POST /api/messages HTTP/1.1\r\n" + host +
                      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello")
        << 501;
    QTest::newRow("duplicate equal Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host +
                      "Content-Length: 2\r\nContent-Length: 2\r\n\r\nhi")
        << 400;
    QTest::newRow("conflicting Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host +
                      "Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi!")
        << 400;
    QTest::newRow("Content-Length list")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length: 2, 2\r\n\r\nhi") << 400;
    QTest::newRow("negative Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n") << 400;
    QTest::newRow("hex Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length: 0x10\r\n\r\n") << 400;
    QTest::newRow("huge Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host +
                      "Content-Length: 99999999999999999999\r\n\r\n")
        << 400;
    QTest::newRow("empty Content-Length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length:\r\n\r\n") << 400;
    QTest::newRow("body over limit")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "Content-Length: 65537\r\n\r\n") << 413;
    QTest::newRow("POST without length")
        << QByteArray("POST /a HTTP/1.1\r\n" + host + "\r\n") << 411;
    QTest::newRow("PUT without length") << QByteArray("PUT /a HTTP/1.1\r\n" + host + "\r\n") << 411;
    QTest::newRow("URI too long") << QByteArray("GET /" + QByteArray(5000, 'a') + " HTTP/1.1\r\n" +
                                                host + "\r\n")
                                  << 414;
    QTest::newRow("URI too long, line unfinished")
        << QByteArray("GET /" + QByteArray(5000, 'a')) << 414;
    QTest::newRow("head too large")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(17000, 'x') + "\r\n\r\n")
        << 431;
    QTest::newRow("head too large, unfinished")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(17000, 'x')) << 431;
    QByteArray manyHeaders = "GET / HTTP/1.1\r\n" + host;
    for (int i = 0; i < 101; ++i)
        manyHeaders += "X-" + QByteArray::number(i) + ": y\r\n";
    QTest::newRow("too many headers") << QByteArray(manyHeaders + "\r\n") << 431;
    QTest::newRow("empty request line") << QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n") << 400;
}

void tst_HttpParser::malformedRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    const auto result = parseRequest(raw);
    QCOMPARE(result.status, Status::Error);
    QCOMPARE(result.errorStatus, status);
    QVERIFY(!result.errorMessage.isEmpty());
}

void tst_HttpParser::pipelinedRequestsAreSeparated()
{
    const QByteArray first =
        "POST /api/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    const QByteArray second = "GET /api/room HTTP/1.1\r\nHost: h\r\n\r\n";
    const auto one = parseRequest(first + second);
    QCOMPARE(one.status, Status::Complete);
    QCOMPARE(one.consumed, first.size());
    QCOMPARE(one.request.body, QByteArray("abc"));
    const auto two = parseRequest(QByteArrayView(first + second).sliced(one.consumed));
    QCOMPARE(two.status, Status::Complete);
    QCOMPARE(two.request.path, QByteArray("/api/room"));
}

void tst_HttpParser::headCompleteWhileBodyIsMissing()
{
    const auto result = parseRequest("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                                     "Content-Length: 10\r\n\r\nabc");
    QCOMPARE(result.status, Status::Incomplete);
    QVERIFY(result.headComplete);
    QCOMPARE(result.request.header("expect"), QByteArray("100-continue"));
}

void tst_HttpParser::limitsAreConfigurable()
{
    Limits limits;
    limits.maxBodyBytes = 4;
    limits.maxUriBytes = 10;
    limits.maxHeadBytes = 64;
    QCOMPARE(parseRequest("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", limits)
                 .errorStatus,
             413);
    QCOMPARE(parseRequest("GET /0123456789 HTTP/1.1\r\nHost: h\r\n\r\n", limits).errorStatus, 414);
    QCOMPARE(
        parseRequest("GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(60, 'x') + "\r\n\r\n", limits)
            .errorStatus,
        431);
    QCOMPARE(
        parseRequest("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nhell", limits).status,
        Status::Complete);
}

void tst_HttpParser::keepAliveRules_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << true
                                 << false;
    QTest::newRow("1.1 close") << QByteArray(
                                      "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                               << false << false;
    QTest::newRow("1.1 Close, mixed case")
        << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, CLOSE\r\n\r\n") << false
        << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false << false;
    QTest::newRow("1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true << false;
    QTest::newRow("upgrade")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
                      "Upgrade: WebSocket\r\n\r\n")
        << true << true;
    QTest::newRow("upgrade header without Connection: upgrade")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n") << true << false;
    QTest::newRow("POST is never an upgrade")
        << QByteArray(
               "POST /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
               "Content-Length: 0\r\n\r\n")
        << true << false;
}

void tst_HttpParser::keepAliveRules()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, keepAlive);
    QFETCH(bool, upgrade);
    const auto result = parseRequest(raw);
    QCOMPARE(result.status, Status::Complete);
    QCOMPARE(result.request.keepAlive(), keepAlive);
    QCOMPARE(result.request.isWebSocketUpgrade(), upgrade);
}

void tst_HttpParser::queryDecoding_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("firstKey");
    QTest::addColumn<QByteArray>("firstValue");
    QTest::addColumn<int>("count");
    QTest::newRow("plain") << QByteArray("after=3&wait=25") << true << QByteArray("after")
                           << QByteArray("3") << 2;
    QTest::newRow("plus and escapes")
        << QByteArray("text=a+b%26c%3D") << true << QByteArray("text") << QByteArray("a b&c=") << 1;
    QTest::newRow("UTF-8 escapes") << QByteArray("nick=%E5%B0%8F") << true << QByteArray("nick")
                                   << QByteArray("\xe5\xb0\x8f") << 1;
    QTest::newRow("key without value")
        << QByteArray("flag&x=1") << true << QByteArray("flag") << QByteArray() << 2;
    QTest::newRow("empty parts") << QByteArray("&&a=1&") << true << QByteArray("a")
                                 << QByteArray("1") << 1;
    QTest::newRow("truncated escape")
        << QByteArray("a=%4") << false << QByteArray() << QByteArray() << 0;
    QTest::newRow("bad escape") << QByteArray("a=%zz") << false << QByteArray() << QByteArray()
                                << 0;
}

void tst_HttpParser::queryDecoding()
{
    QFETCH(QByteArray, query);
    QFETCH(bool, ok);
    QFETCH(QByteArray, firstKey);
    QFETCH(QByteArray, firstValue);
    QFETCH(int, count);
    QList<std::pair<QByteArray, QByteArray>> items;
    QCOMPARE(parseQuery(query, &items), ok);
    if (!ok)
        return;
    QCOMPARE(items.size(), count);
    QCOMPARE(items.first().first, firstKey);
    QCOMPARE(items.first().second, firstValue);
}

QTEST_APPLESS_MAIN(tst_HttpParser)
#include "tst_httpparser.moc"
