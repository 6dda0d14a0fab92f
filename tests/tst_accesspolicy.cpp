// AccessPolicy: the Origin and room-key checks, without a server or an event loop.

#include "accesspolicy.h"

#include <QTest>

using namespace PushChat;

namespace {

Http::Request requestWith(const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    Http::Request request;
    request.method = "GET";
    request.path = "/api/room";
    request.headers = headers;
    return request;
}

} // namespace

class tst_AccessPolicy : public QObject
{
    Q_OBJECT

private slots:
    void origin_data();
    void origin();
    void key_data();
    void key();
};

void tst_AccessPolicy::origin_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("origin"); // null: none sent
    QTest::addColumn<int>("status");
    QTest::newRow("no Origin") << QByteArray("127.0.0.1:8765") << QByteArray() << 0;
    QTest::newRow("same origin") << QByteArray("127.0.0.1:8765")
                                 << QByteArray("http://127.0.0.1:8765") << 0;
    QTest::newRow("same origin, other case")
        << QByteArray("Chat.Example:8765") << QByteArray("http://chat.example:8765") << 0;
    QTest::newRow("default port") << QByteArray("chat.example") << QByteArray("http://chat.example")
                                  << 0;
    QTest::newRow("IPv6") << QByteArray("[::1]:8765") << QByteArray("http://[::1]:8765") << 0;
    QTest::newRow("allowed origin")
        << QByteArray("127.0.0.1:8765") << QByteArray("http://teacher.example:8080") << 0;
    QTest::newRow("foreign origin")
        << QByteArray("127.0.0.1:8765") << QByteArray("http://evil.example") << 403;
    QTest::newRow("other port") << QByteArray("127.0.0.1:8765") << QByteArray("http://127.0.0.1:1")
                                << 403;
    QTest::newRow("https on port 80")
        << QByteArray("chat.example") << QByteArray("https://chat.example") << 403;
    QTest::newRow("null") << QByteArray("127.0.0.1:8765") << QByteArray("null") << 403;
}

void tst_AccessPolicy::origin()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    const AccessPolicy policy({QStringLiteral("http://teacher.example:8080")}, QString());
    QList<std::pair<QByteArray, QByteArray>> headers{{"host", host}};
    if (!origin.isNull())
        headers.append({"origin", origin});
    const AccessPolicy::Refusal refusal = policy.check(requestWith(headers), {});
    QCOMPARE(refusal.status, status);
    QCOMPARE(refusal.allowed(), status == 0);
    if (status)
        QVERIFY(refusal.error.contains(QString::fromLatin1(origin)));
}

void tst_AccessPolicy::key_data()
{
    QTest::addColumn<QByteArray>("authorization"); // null: none sent
    QTest::addColumn<QByteArray>("queryKey");      // null: none sent
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("none") << QByteArray() << QByteArray() << 401
                          << QStringLiteral("this room needs a key");
    QTest::newRow("in the query") << QByteArray() << QByteArray("s3cret") << 0 << QString();
    QTest::newRow("wrong in the query")
        << QByteArray() << QByteArray("wrong") << 401 << QStringLiteral("wrong room key");
    QTest::newRow("bearer") << QByteArray("Bearer s3cret") << QByteArray() << 0 << QString();
    QTest::newRow("bearer, a prefix of the key")
        << QByteArray("Bearer s3cre") << QByteArray() << 401 << QStringLiteral("wrong room key");
    // The header, when it says Bearer, is what counts.
    QTest::newRow("wrong bearer, right query") << QByteArray("Bearer nope") << QByteArray("s3cret")
                                               << 401 << QStringLiteral("wrong room key");
}

void tst_AccessPolicy::key()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, queryKey);
    QFETCH(int, status);
    QFETCH(QString, error);
    const AccessPolicy policy({}, QStringLiteral("s3cret"));
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!authorization.isNull())
        headers.append({"authorization", authorization});
    QueryItems query;
    if (!queryKey.isNull())
        query.append({"key", queryKey});
    const AccessPolicy::Refusal refusal = policy.check(requestWith(headers), query);
    QCOMPARE(refusal.status, status);
    QCOMPARE(refusal.error, error);
    QCOMPARE(refusal.extraHeaders,
             status ? QByteArray("WWW-Authenticate: Bearer\r\n") : QByteArray());
    // Without a room key, the same request is let in.
    QVERIFY(AccessPolicy({}, QString()).check(requestWith(headers), query).allowed());
}

QTEST_APPLESS_MAIN(tst_AccessPolicy)
#include "tst_accesspolicy.moc"
