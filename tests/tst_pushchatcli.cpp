// pushchat-cli end to end: two terminal clients in different modes talk through a
// pushchat-server process.

#include "httptestclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

class tst_PushChatCli : public QObject
{
    Q_OBJECT

private slots:
    void twoClientsExchange_data();
    void twoClientsExchange();
    void failsWhenNoServer();
    void inputEndingBeforeConnectingStillFails_data();
    void inputEndingBeforeConnectingStillFails();
    void rejectsBadOptions();

private:
    static quint16 startServer(QProcess &process);
};

namespace {

// Reads what a process wrote so far into `out` and tells whether it contains `text`.
bool saw(QProcess &process, QByteArray &out, const QByteArray &text)
{
    out += process.readAllStandardOutput();
    return out.contains(text);
}

} // namespace

quint16 tst_PushChatCli::startServer(QProcess &process)
{
    return TestHttp::startServerProcess(
        process, QStringLiteral(PUSHCHAT_SERVER_PATH),
        {"--port", "0", "--bind", "127.0.0.1", "--rate-limit", "0"});
}

void tst_PushChatCli::twoClientsExchange_data()
{
    QTest::addColumn<QString>("aliceMode");
    QTest::addColumn<QString>("bobMode");
    QTest::newRow("poll and ws") << "poll"
                                 << "ws";
    QTest::newRow("longpoll and poll") << "longpoll"
                                       << "poll";
}

void tst_PushChatCli::twoClientsExchange()
{
    QFETCH(QString, aliceMode);
    QFETCH(QString, bobMode);
    QProcess server;
    const quint16 port = startServer(server);
    QVERIFY(port != 0);
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);

    QProcess alice;
    QProcess bob;
    alice.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                {"--url", url, "--nick", "alice", "--mode", aliceMode, "--interval", "100"});
    bob.start(QStringLiteral(PUSHCHAT_CLI_PATH),
              {"--url", url, "--nick", "bob", "--mode", bobMode, "--interval", "100"});
    QVERIFY(alice.waitForStarted(10000));
    QVERIFY(bob.waitForStarted(10000));
    QByteArray aliceOut;
    QByteArray bobOut;

    QTRY_VERIFY_WITH_TIMEOUT(saw(alice, aliceOut, "* bob joined"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(saw(bob, bobOut, "* alice joined"), 10000);
    alice.write("hello from alice\n");
    QTRY_VERIFY_WITH_TIMEOUT(saw(bob, bobOut, "] alice: hello from alice\n"), 10000);
    bob.write("hi alice, bob here\n");
    QTRY_VERIFY_WITH_TIMEOUT(saw(alice, aliceOut, "] bob: hi alice, bob here\n"), 10000);

    // Switch live, then talk again.
    alice.write("/mode ws\nafter the switch\n");
    QTRY_VERIFY_WITH_TIMEOUT(saw(bob, bobOut, "] alice: after the switch\n"), 10000);
    alice.write("/stats\n");
    QTRY_VERIFY_WITH_TIMEOUT(saw(alice, aliceOut, "websocket"), 10000);
    QVERIFY(aliceOut.contains("polling") || aliceOut.contains("longpoll"));

    // End of input: leaves once the last message was accepted; /quit the same.
    alice.write("last words\n");
    alice.closeWriteChannel();
    QVERIFY(alice.waitForFinished(10000));
    QCOMPARE(alice.exitStatus(), QProcess::NormalExit);
    QCOMPARE(alice.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(saw(bob, bobOut, "] alice: last words\n"), 10000);
    bob.write("/quit\n");
    QVERIFY(bob.waitForFinished(10000));
    QCOMPARE(bob.exitCode(), 0);

    // Each message once, each line in the documented shape.
    QCOMPARE(bobOut.count("alice: hello from alice\n"), 1);
    QCOMPARE(aliceOut.count("bob: hi alice, bob here\n"), 1);
    const QRegularExpression line(QStringLiteral("^\\[\\d+\\] (\\* \\S+ (joined|left)|\\S+: .*)$"));
    for (const QByteArray &l : bobOut.split('\n')) {
        if (!l.isEmpty())
            QVERIFY2(line.match(QString::fromUtf8(l)).hasMatch(), l.constData());
    }

    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void tst_PushChatCli::failsWhenNoServer()
{
    // A port that was free a moment ago: nothing listens there.
    QProcess server;
    const quint16 port = startServer(server);
    QVERIFY(port != 0);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));

    QProcess cli;
    cli.start(QStringLiteral(PUSHCHAT_CLI_PATH),
              {"--url", QStringLiteral("http://127.0.0.1:%1").arg(port), "--nick", "x"});
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitCode(), 2);
    QVERIFY(cli.readAllStandardError().contains("cannot connect"));
}

void tst_PushChatCli::inputEndingBeforeConnectingStillFails_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("poll") << "poll";
    QTest::newRow("longpoll") << "longpoll";
    QTest::newRow("ws") << "ws";
}

void tst_PushChatCli::inputEndingBeforeConnectingStillFails()
{
    // `pushchat-cli … </dev/null` against a loopback port nothing listens on: the input ends
    // before the first connection's outcome is known, which must still decide the exit.
    QFETCH(QString, mode);
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    QProcess cli;
    cli.setStandardInputFile(QProcess::nullDevice());
    cli.start(
        QStringLiteral(PUSHCHAT_CLI_PATH),
        {"--url", QStringLiteral("http://127.0.0.1:%1").arg(port), "--nick", "x", "--mode", mode});
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    const QByteArray err = cli.readAllStandardError();
    QVERIFY2(err.contains("cannot connect to http://127.0.0.1:"), err.constData());
    QCOMPARE(cli.exitCode(), 2);
}

void tst_PushChatCli::rejectsBadOptions()
{
    QProcess cli;
    cli.start(QStringLiteral(PUSHCHAT_CLI_PATH), {"--url", "http://127.0.0.1:1", "--mode", "x"});
    QVERIFY(cli.waitForFinished(10000));
    QVERIFY(cli.exitCode() != 0);
    QVERIFY(cli.readAllStandardError().contains("--mode"));
    cli.start(QStringLiteral(PUSHCHAT_CLI_PATH), {"--nick", "x"});
    QVERIFY(cli.waitForFinished(10000));
    QVERIFY(cli.exitCode() != 0);
}

QTEST_GUILESS_MAIN(tst_PushChatCli)
#include "tst_pushchatcli.moc"
