// RequestDecoding: every field a request carries, read without a server or an event loop.

#include "requestdecoding.h"

#include <QTest>

using namespace PushChat;

namespace {

QueryItems queryOf(QByteArrayView text)
{
    const Decoded<QueryItems> query = RequestDecoding::query(text);
    return query.value;
}

Http::Request postOf(const QByteArray &contentType, const QByteArray &body)
{
    Http::Request request;
    request.method = "POST";
    request.path = "/api/messages";
    if (!contentType.isNull())
        request.headers.append({"content-type", contentType});
    request.body = body;
    return request;
}

} // namespace

class tst_RequestDecoding : public QObject
{
    Q_OBJECT

private slots:
    void query_data();
    void query();
    void cursor_data();
    void cursor();
    void waitSeconds_data();
    void waitSeconds();
    void nick_data();
    void nick();
    void subscriptionReportsTheFirstError();
    void subscriptionReadsWaitOnlyWhereARequestMayWait();
    void via();
    void post_data();
    void post();
    void compatPost_data();
    void compatPost();
    void compatCursor_data();
    void compatCursor();
    void chatError_data();
    void chatError();
};

void tst_RequestDecoding::query_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("status");
    QTest::newRow("empty") << QByteArray() << 0;
    QTest::newRow("pairs") << QByteArray("after=1&nick=a%20b") << 0;
    QTest::newRow("bad escape") << QByteArray("after=%zz") << 400;
}

void tst_RequestDecoding::query()
{
    QFETCH(QByteArray, text);
    QFETCH(int, status);
    const Decoded<QueryItems> query = RequestDecoding::query(text);
    QCOMPARE(query.status, status);
    QCOMPARE(query.error.isEmpty(), status == 0);
}

void tst_RequestDecoding::cursor_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("after");
    QTest::newRow("absent") << QByteArray("nick=a") << 0 << qint64(0);
    QTest::newRow("zero") << QByteArray("after=0") << 0 << qint64(0);
    QTest::newRow("a number") << QByteArray("after=42") << 0 << qint64(42);
    QTest::newRow("2^53 - 1") << QByteArray("after=9007199254740991") << 0
                              << qint64(9007199254740991LL);
    QTest::newRow("2^53") << QByteArray("after=9007199254740992") << 400 << qint64(0);
    QTest::newRow("not a number") << QByteArray("after=abc") << 400 << qint64(0);
    QTest::newRow("negative") << QByteArray("after=-1") << 400 << qint64(0);
    QTest::newRow("fractional") << QByteArray("after=1.5") << 400 << qint64(0);
    QTest::newRow("exponent") << QByteArray("after=1e3") << 400 << qint64(0);
    QTest::newRow("hexadecimal") << QByteArray("after=0x10") << 400 << qint64(0);
    QTest::newRow("no value") << QByteArray("after") << 400 << qint64(0);
}

void tst_RequestDecoding::cursor()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(qint64, after);
    const Decoded<qint64> cursor = RequestDecoding::cursor(queryOf(query));
    QCOMPARE(cursor.status, status);
    QCOMPARE(cursor.value, after);
    if (status)
        QVERIFY(cursor.error.contains(u"\"after\""));
}

void tst_RequestDecoding::waitSeconds_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("absent: a short poll") << QByteArray("after=0") << 0 << qint64(0);
    QTest::newRow("one") << QByteArray("wait=1") << 0 << qint64(1);
    QTest::newRow("the most") << QByteArray("wait=60") << 0 << qint64(60);
    QTest::newRow("zero") << QByteArray("wait=0") << 400 << qint64(0);
    QTest::newRow("too long") << QByteArray("wait=61") << 400 << qint64(0);
    QTest::newRow("not a number") << QByteArray("wait=soon") << 400 << qint64(0);
}

void tst_RequestDecoding::waitSeconds()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(qint64, seconds);
    const Decoded<qint64> wait = RequestDecoding::waitSeconds(queryOf(query), 60);
    QCOMPARE(wait.status, status);
    QCOMPARE(wait.value, seconds);
    if (status)
        QVERIFY(wait.error.contains(u"60"));
}

void tst_RequestDecoding::nick_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("nick");
    QTest::newRow("absent: an observer") << QByteArray("after=0") << 0 << QString();
    QTest::newRow("trimmed") << QByteArray("nick=%20ann%20") << 0 << QStringLiteral("ann");
    QTest::newRow("32 characters of two bytes")
        << "nick=" + QByteArray("%C3%A9").repeated(32) << 0 << QString(32, QChar(0xe9));
    QTest::newRow("empty") << QByteArray("nick=") << 400 << QString();
    QTest::newRow("blank") << QByteArray("nick=%20%20") << 400 << QString();
    QTest::newRow("33 characters") << "nick=" + QByteArray(33, 'n') << 400 << QString();
    QTest::newRow("control character") << QByteArray("nick=a%07b") << 400 << QString();
    QTest::newRow("line separator") << QByteArray("nick=a%E2%80%A8b") << 400 << QString();
    QTest::newRow("not UTF-8") << QByteArray("nick=%C3%28") << 400 << QString();
}

void tst_RequestDecoding::nick()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(QString, nick);
    const Decoded<QString> decoded = RequestDecoding::nick(queryOf(query), 32);
    QCOMPARE(decoded.status, status);
    QCOMPARE(decoded.value, nick);
    QCOMPARE(decoded.error.isEmpty(), status == 0);
}

void tst_RequestDecoding::subscriptionReportsTheFirstError()
{
    const auto decode = [](QByteArrayView query) {
        return RequestDecoding::subscription(queryOf(query), 32, 60);
    };
    const Decoded<Subscription> reader = decode("after=3&wait=20&nick=%20bo%20");
    QVERIFY(reader.ok());
    QCOMPARE(reader.value.after, 3);
    QCOMPARE(reader.value.waitSeconds, 20);
    QCOMPARE(reader.value.nick, QStringLiteral("bo"));
    // In the order a poll reads them: the cursor, the wait, the nick.
    QVERIFY(decode("after=x&wait=0&nick=").error.contains(u"\"after\""));
    QVERIFY(decode("after=1&wait=0&nick=").error.contains(u"\"wait\""));
    QCOMPARE(decode("after=1&wait=1&nick=").error, QStringLiteral("nick is empty"));
}

void tst_RequestDecoding::subscriptionReadsWaitOnlyWhereARequestMayWait()
{
    // A WebSocket handshake never waits: its `wait`, whatever it says, is not read.
    const Decoded<Subscription> reader =
        RequestDecoding::subscription(queryOf("after=2&wait=soon&nick=w"), 32);
    QVERIFY(reader.ok());
    QCOMPARE(reader.value.after, 2);
    QCOMPARE(reader.value.waitSeconds, 0);
    QCOMPARE(reader.value.nick, QStringLiteral("w"));
}

void tst_RequestDecoding::via()
{
    QCOMPARE(RequestDecoding::via(queryOf("via=longpoll")), Transport::LongPoll);
    QCOMPARE(RequestDecoding::via(queryOf("via=polling")), Transport::Polling);
    QCOMPARE(RequestDecoding::via(queryOf("via=websocket")), std::nullopt);
    QCOMPARE(RequestDecoding::via(queryOf("")), std::nullopt);
}

void tst_RequestDecoding::post_data()
{
    QTest::addColumn<QByteArray>("contentType"); // null: no header
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("clientId");

    const QByteArray json = "application/json";
    const QByteArray form = "application/x-www-form-urlencoded";
    const QByteArray none;
    QTest::newRow("JSON") << json << QByteArray(R"({"nick":" al ","text":"hi","client_id":"c"})")
                          << 0 << QStringLiteral(" al ") << QStringLiteral("hi")
                          << QStringLiteral("c");
    QTest::newRow("JSON with a charset")
        << QByteArray("Application/JSON; charset=utf-8") << QByteArray(R"({"nick":"a","text":"é"})")
        << 0 << QStringLiteral("a") << QStringLiteral("é") << QString();
    QTest::newRow("JSON without a content type")
        << none << QByteArray(R"( {"nick":"a","text":"b"})") << 0 << QStringLiteral("a")
        << QStringLiteral("b") << QString();
    QTest::newRow("form") << form << QByteArray("nick=bob&text=a+b%26c&client_id=k") << 0
                          << QStringLiteral("bob") << QStringLiteral("a b&c")
                          << QStringLiteral("k");
    QTest::newRow("form without a content type")
        << none << QByteArray("nick=bob&text=x") << 0 << QStringLiteral("bob")
        << QStringLiteral("x") << QString();
    QTest::newRow("malformed JSON")
        << json << QByteArray("{\"nick\":") << 400 << QString() << QString() << QString();
    QTest::newRow("JSON array") << json << QByteArray("[1]") << 400 << QString() << QString()
                                << QString();
    QTest::newRow("missing text") << json << QByteArray(R"({"nick":"a"})") << 400 << QString()
                                  << QString() << QString();
    QTest::newRow("missing nick") << json << QByteArray(R"({"text":"a"})") << 400 << QString()
                                  << QString() << QString();
    QTest::newRow("text not a string") << json << QByteArray(R"({"nick":"a","text":5})") << 400
                                       << QString() << QString() << QString();
    QTest::newRow("client_id not a string")
        << json << QByteArray(R"({"nick":"a","text":"x","client_id":5})") << 400 << QString()
        << QString() << QString();
    QTest::newRow("bad UTF-8 body") << json << QByteArray("{\"nick\":\"a\",\"text\":\"\xc3\x28\"}")
                                    << 400 << QString() << QString() << QString();
    QTest::newRow("bad UTF-8 form")
        << form << QByteArray("nick=a&text=%C3%28") << 400 << QString() << QString() << QString();
    QTest::newRow("form missing text")
        << form << QByteArray("nick=a") << 400 << QString() << QString() << QString();
    QTest::newRow("malformed form")
        << form << QByteArray("nick=%zz&text=x") << 400 << QString() << QString() << QString();
    QTest::newRow("unsupported media type") << QByteArray("text/plain") << QByteArray("hello")
                                            << 415 << QString() << QString() << QString();
}

void tst_RequestDecoding::post()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, nick);
    QFETCH(QString, text);
    QFETCH(QString, clientId);
    const Decoded<ChatPost> post = RequestDecoding::post(postOf(contentType, body));
    QCOMPARE(post.status, status);
    QCOMPARE(post.error.isEmpty(), status == 0);
    QCOMPARE(post.value.nick, nick);
    QCOMPARE(post.value.text, text);
    QCOMPARE(post.value.clientId, clientId);
}

void tst_RequestDecoding::compatPost_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("text");
    QTest::newRow("a guest") << QByteArray() << QByteArray("msg=hello+tornado") << 0
                             << QStringLiteral("guest") << QStringLiteral("hello tornado");
    QTest::newRow("nick in the query") << QByteArray("nick=q") << QByteArray("msg=x") << 0
                                       << QStringLiteral("q") << QStringLiteral("x");
    QTest::newRow("the form's nick first") << QByteArray("nick=q") << QByteArray("msg=x&nick=f")
                                           << 0 << QStringLiteral("f") << QStringLiteral("x");
    QTest::newRow("without msg") << QByteArray() << QByteArray("text=x") << 400 << QString()
                                 << QString();
    QTest::newRow("malformed form")
        << QByteArray() << QByteArray("msg=%zz") << 400 << QString() << QString();
    QTest::newRow("nick not UTF-8")
        << QByteArray() << QByteArray("msg=x&nick=%C3%28") << 400 << QString() << QString();
}

void tst_RequestDecoding::compatPost()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, nick);
    QFETCH(QString, text);
    const Decoded<ChatPost> post = RequestDecoding::compatPost(
        postOf("application/x-www-form-urlencoded", body), queryOf(query));
    QCOMPARE(post.status, status);
    QCOMPARE(post.error.isEmpty(), status == 0);
    QCOMPARE(post.value.nick, nick);
    QCOMPARE(post.value.text, text);
    QVERIFY(post.value.clientId.isEmpty());
}

void tst_RequestDecoding::compatCursor_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("cursor");
    QTest::newRow("none: the newest") << QByteArray() << QByteArray() << 0 << qint64(7);
    QTest::newRow("empty: the newest") << QByteArray() << QByteArray("cursor=") << 0 << qint64(7);
    QTest::newRow("in the form") << QByteArray("cursor=1") << QByteArray("cursor=0") << 0
                                 << qint64(0);
    QTest::newRow("in the query") << QByteArray("cursor=3") << QByteArray() << 0 << qint64(3);
    QTest::newRow("ahead of the room")
        << QByteArray() << QByteArray("cursor=99") << 0 << qint64(99);
    QTest::newRow("bad cursor") << QByteArray() << QByteArray("cursor=x") << 400 << qint64(0);
    QTest::newRow("malformed form") << QByteArray() << QByteArray("cursor=%zz") << 400 << qint64(0);
}

void tst_RequestDecoding::compatCursor()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(qint64, cursor);
    const Decoded<qint64> decoded = RequestDecoding::compatCursor(
        postOf("application/x-www-form-urlencoded", body), queryOf(query), 7);
    QCOMPARE(decoded.status, status);
    QCOMPARE(decoded.error.isEmpty(), status == 0);
    QCOMPARE(decoded.value, cursor);
}

void tst_RequestDecoding::chatError_data()
{
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("mentions"); // empty: accepted
    QTest::newRow("fine") << QStringLiteral("a") << QStringLiteral("x") << QStringLiteral("id")
                          << QString();
    QTest::newRow("4,096 bytes") << QStringLiteral("a") << QString(4096, u'x') << QString()
                                 << QString();
    QTest::newRow("no nick") << QString() << QStringLiteral("x") << QString()
                             << QStringLiteral("\"nick\"");
    QTest::newRow("nick too long")
        << QString(33, u'n') << QStringLiteral("x") << QString() << QStringLiteral("32");
    QTest::newRow("nick with control character")
        << QStringLiteral("a\u0007b") << QStringLiteral("x") << QString()
        << QStringLiteral("control");
    QTest::newRow("empty text") << QStringLiteral("a") << QString() << QString()
                                << QStringLiteral("\"text\"");
    QTest::newRow("text too long")
        << QStringLiteral("a") << QString(4097, u'x') << QString() << QStringLiteral("4096 bytes");
    // Counted in UTF-8 bytes: 2,049 characters of two bytes each are too many.
    QTest::newRow("text too long in bytes") << QStringLiteral("a") << QString(2049, QChar(0xe9))
                                            << QString() << QStringLiteral("4096 bytes");
    QTest::newRow("client_id too long") << QStringLiteral("a") << QStringLiteral("x")
                                        << QString(65, u'c') << QStringLiteral("\"client_id\"");
    QTest::newRow("client_id with control character")
        << QStringLiteral("a") << QStringLiteral("x") << QStringLiteral("c\nd")
        << QStringLiteral("\"client_id\"");
}

void tst_RequestDecoding::chatError()
{
    QFETCH(QString, nick);
    QFETCH(QString, text);
    QFETCH(QString, clientId);
    QFETCH(QString, mentions);
    const QString error = RequestDecoding::chatError({nick, text, clientId}, 32, 4096);
    if (mentions.isEmpty())
        QCOMPARE(error, QString());
    else
        QVERIFY2(error.contains(mentions), qPrintable(error));
}

QTEST_APPLESS_MAIN(tst_RequestDecoding)
#include "tst_requestdecoding.moc"
