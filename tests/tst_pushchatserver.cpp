// The headless executable, end to end: options, the printed join URL, SIGTERM/SIGINT.

#include "httptestclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <csignal>

class tst_PushChatServer : public QObject
{
    Q_OBJECT

private slots:
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void reportsPortInUse();
    void rejectsBadOptions();
    void rejectsBadOptions_data();
    void rateLimitPerAddressAndLoopbackExemption_data();
    void rateLimitPerAddressAndLoopbackExemption();

private:
    static quint16 startAndReadPort(QProcess &process, const QStringList &arguments);
};

quint16 tst_PushChatServer::startAndReadPort(QProcess &process, const QStringList &arguments)
{
    return TestHttp::startServerProcess(process, QStringLiteral(PUSHCHAT_SERVER_PATH), arguments);
}

void tst_PushChatServer::servesAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

void tst_PushChatServer::servesAndStopsOnSignal()
{
    QFETCH(int, signal);
    QProcess process;
    const quint16 port = startAndReadPort(
        process, {"--port", "0", "--bind", "127.0.0.1", "--name", "Class 4B", "--key", "k"});
    QVERIFY(port != 0);
    const auto room = TestHttp::get(port, "/api/room?key=k");
    QCOMPARE(room.status, 200);
    QCOMPARE(room.json().value(u"name").toString(), QString("Class 4B"));
    QCOMPARE(TestHttp::get(port, "/api/room").status, 401);
    ::kill(pid_t(process.processId()), signal);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void tst_PushChatServer::reportsPortInUse()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    QProcess process;
    process.start(QStringLiteral(PUSHCHAT_SERVER_PATH),
                  {"--port", QString::number(occupier.serverPort()), "--bind", "127.0.0.1"});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 1);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(u"in use", Qt::CaseInsensitive), qPrintable(error));
}

void tst_PushChatServer::rejectsBadOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named");
    QTest::newRow("port") << QStringList{"--port", "70000"} << "--port";
    QTest::newRow("address rate") << QStringList{"--rate-limit-address", "-1"}
                                  << "--rate-limit-address";
    QTest::newRow("ping interval") << QStringList{"--ping-interval", "x"} << "--ping-interval";
    QTest::newRow("pong timeout not below the interval")
        << QStringList{"--ping-interval", "1000", "--pong-timeout", "1000"} << "--pong-timeout";
    QTest::newRow("keepalive") << QStringList{"--tcp-keepalive", "20,5"} << "--tcp-keepalive";
}

void tst_PushChatServer::rejectsBadOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    QProcess process;
    process.start(QStringLiteral(PUSHCHAT_SERVER_PATH), arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardError().contains(named.toUtf8()));
}

void tst_PushChatServer::rateLimitPerAddressAndLoopbackExemption_data()
{
    QTest::addColumn<bool>("exempt");
    QTest::newRow("limited") << false;
    QTest::newRow("--rate-exempt-loopback") << true;
}

void tst_PushChatServer::rateLimitPerAddressAndLoopbackExemption()
{
    QFETCH(bool, exempt);
    QStringList arguments{
        "--port",          "0",    "--bind",         "127.0.0.1", "--rate-limit-address", "1",
        "--ping-interval", "5000", "--pong-timeout", "1000",      "--tcp-keepalive",      "10,2,3"};
    if (exempt)
        arguments << "--rate-exempt-loopback";
    QProcess process;
    const quint16 port = startAndReadPort(process, arguments);
    QVERIFY(port != 0);
    int created = 0;
    for (int i = 0; i < 10; ++i) {
        const QByteArray body = R"({"nick":"n)" + QByteArray::number(i) + R"(","text":"x"})";
        created += TestHttp::postJson(port, "/api/messages", body).status == 201 ? 1 : 0;
    }
    if (exempt)
        QCOMPARE(created, 10);
    else
        QVERIFY2(created < 5, qPrintable(QString::number(created)));
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_PushChatServer)
#include "tst_pushchatserver.moc"
