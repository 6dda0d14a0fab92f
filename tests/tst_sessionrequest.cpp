// What the start screen accepts: join addresses, nicks, room names.

#include "sessionrequest.h"

#include <QTest>

using namespace PushChat;

class tst_SessionRequest : public QObject
{
    Q_OBJECT

private slots:
    void parsesAddress_data();
    void parsesAddress();
    void checksRequest_data();
    void checksRequest();
    void nickFromLoginName_data();
    void nickFromLoginName();
};

void tst_SessionRequest::parsesAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("url"); // empty: invalid

    QTest::newRow("full") << "http://192.168.1.20:8765"
                          << "http://192.168.1.20:8765";
    QTest::newRow("trailing slash") << "http://192.168.1.20:8765/"
                                    << "http://192.168.1.20:8765";
    QTest::newRow("host:port") << "192.168.1.20:9000"
                               << "http://192.168.1.20:9000";
    QTest::newRow("default port") << "classroom.local"
                                  << "http://classroom.local:8765";
    QTest::newRow("spaces") << "  10.0.0.1:1234 "
                            << "http://10.0.0.1:1234";
    QTest::newRow("ipv6") << "http://[fd00::1]:8765"
                          << "http://[fd00::1]:8765";
    QTest::newRow("path dropped") << "http://h:1/api/room?x=1"
                                  << "http://h:1";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("https") << "https://h:1/"
                           << "https://h:1";
    QTest::newRow("ftp scheme") << "ftp://h:1"
                                << "";
    QTest::newRow("ws scheme") << "ws://h:1"
                               << "";
    QTest::newRow("bad port") << "h:99999"
                              << "";
}

void tst_SessionRequest::parsesAddress()
{
    QFETCH(QString, text);
    QFETCH(QString, url);
    const QUrl parsed = SessionRequest::parseAddress(text);
    if (url.isEmpty()) {
        QVERIFY2(!parsed.isValid(), qPrintable(parsed.toString()));
        return;
    }
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed.toString(), url);
}

void tst_SessionRequest::checksRequest_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QString>("roomOrAddress");
    QTest::addColumn<bool>("ok");

    const int host = int(SessionRequest::Kind::Host);
    const int join = int(SessionRequest::Kind::Join);
    QTest::newRow("host ok") << host << "alice"
                             << "Class 4B" << true;
    QTest::newRow("host without room name") << host << "alice"
                                            << "  " << false;
    QTest::newRow("no nick") << host << " "
                             << "Class 4B" << false;
    QTest::newRow("nick too long") << host << QString(33, u'x') << "Class 4B" << false;
    // 32 characters outside the BMP are 64 UTF-16 units: the server counts characters.
    QTest::newRow("32 emoji") << host << QString(QStringLiteral("😀")).repeated(32) << "Class 4B"
                              << true;
    QTest::newRow("33 emoji") << host << QString(QStringLiteral("😀")).repeated(33) << "Class 4B"
                              << false;
    QTest::newRow("nick with line separator")
        << host << QStringLiteral("a\u2028b") << "Class 4B" << false;
    QTest::newRow("nick with control") << join << "a\tb"
                                       << "h:1" << false;
    QTest::newRow("join ok") << join << "bob"
                             << "h:1" << true;
    QTest::newRow("join bad address") << join << "bob"
                                      << "ftp://h" << false;
}

void tst_SessionRequest::checksRequest()
{
    QFETCH(int, kind);
    QFETCH(QString, nick);
    QFETCH(QString, roomOrAddress);
    QFETCH(bool, ok);
    SessionRequest request;
    request.kind = SessionRequest::Kind(kind);
    request.nick = nick;
    request.roomName = roomOrAddress;
    request.address = roomOrAddress;
    QCOMPARE(!request.problem().has_value(), ok);
}

void tst_SessionRequest::nickFromLoginName_data()
{
    QTest::addColumn<QString>("login");
    QTest::addColumn<QString>("nick");

    QTest::newRow("plain") << "alice"
                           << "alice";
    QTest::newRow("spaces trimmed") << " bob "
                                    << "bob";
    QTest::newRow("control characters dropped") << "ann\tlee\n"
                                                << "annlee";
    QTest::newRow("accents kept") << QStringLiteral("zoë") << QStringLiteral("zoë");
    QTest::newRow("too long: cut to 32") << QString(40, u'x') << QString(32, u'x');
    QTest::newRow("emoji counted as characters")
        << QString(QStringLiteral("😀")).repeated(40) << QString(QStringLiteral("😀")).repeated(32);
    QTest::newRow("nothing left") << "\t\n"
                                  << "";
    QTest::newRow("empty") << ""
                           << "";
}

void tst_SessionRequest::nickFromLoginName()
{
    QFETCH(QString, login);
    QFETCH(QString, nick);
    const QString made = SessionRequest::nickFromLoginName(login);
    QCOMPARE(made, nick);
    if (!made.isEmpty())
        QCOMPARE(SessionRequest::nickProblem(made), std::nullopt);
}

QTEST_APPLESS_MAIN(tst_SessionRequest)
#include "tst_sessionrequest.moc"
