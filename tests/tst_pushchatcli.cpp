// pushchat-cli end to end: two terminal clients in different modes talk through a
// pushchat-server process.

#include "httptestclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

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
    void survivesFaultScript_data();
    void survivesFaultScript();
    void blockedModeSaysSo();
    void heartbeatOutlivesProxyTimeout();

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

void tst_PushChatCli::survivesFaultScript_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("poll") << "poll";
    QTest::newRow("longpoll") << "longpoll";
    QTest::newRow("ws") << "ws";
}

void tst_PushChatCli::survivesFaultScript()
{
    // A headless server runs a fault scenario; a terminal client in each mode reads through it
    // every message exactly once.
    QFETCH(QString, mode);
    QTemporaryFile script;
    QVERIFY(script.open());
    script.write("2s drop\n2500ms latency 300\n3500ms restart\n4500ms latency 0\n");
    script.flush();
    QProcess server;
    const quint16 port =
        TestHttp::startServerProcess(server, QStringLiteral(PUSHCHAT_SERVER_PATH),
                                     {"--port", "0", "--bind", "127.0.0.1", "--rate-limit", "0",
                                      "--fault-script", script.fileName()});
    QVERIFY(port != 0);
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QProcess reader;
    QProcess writer;
    reader.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                 {"--url", url, "--nick", "reader", "--mode", mode, "--interval", "100"});
    writer.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                 {"--url", url, "--nick", "writer", "--mode", "ws"});
    QVERIFY(reader.waitForStarted(10000));
    QVERIFY(writer.waitForStarted(10000));
    QByteArray readerOut;
    QByteArray writerOut;
    QTRY_VERIFY_WITH_TIMEOUT(saw(reader, readerOut, "* writer joined"), 10000);

    // Lines typed across the whole scenario, a quarter second apart.
    constexpr int Count = 24;
    int written = 0;
    QTimer typing;
    QObject::connect(&typing, &QTimer::timeout, &writer, [&] {
        if (written < Count)
            writer.write(QByteArray("line ") + QByteArray::number(written++) + '\n');
    });
    typing.start(250);
    QTRY_VERIFY_WITH_TIMEOUT(
        saw(reader, readerOut,
            QByteArray("] writer: line ") + QByteArray::number(Count - 1) + '\n'),
        30000);
    for (int i = 0; i < Count; ++i) {
        const QByteArray line = QByteArray("] writer: line ") + QByteArray::number(i) + '\n';
        QVERIFY2(readerOut.count(line) == 1, line.constData());
    }
    QByteArray serverOut = server.readAllStandardOutput();
    QTRY_VERIFY_WITH_TIMEOUT(
        (serverOut += server.readAllStandardOutput()).contains("fault: latency off"), 10000);
    QVERIFY(serverOut.contains("fault: drop all"));
    QVERIFY(serverOut.contains("fault: restart"));
    writer.closeWriteChannel();
    reader.closeWriteChannel();
    QVERIFY(writer.waitForFinished(10000));
    QVERIFY(reader.waitForFinished(10000));
    QCOMPARE(writer.exitCode(), 0);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void tst_PushChatCli::blockedModeSaysSo()
{
    QProcess server;
    const quint16 port = TestHttp::startServerProcess(
        server, QStringLiteral(PUSHCHAT_SERVER_PATH),
        {"--port", "0", "--bind", "127.0.0.1", "--block", "websocket"});
    QVERIFY(port != 0);
    QProcess cli;
    cli.setStandardInputFile(QProcess::nullDevice());
    cli.start(
        QStringLiteral(PUSHCHAT_CLI_PATH),
        {"--url", QStringLiteral("http://127.0.0.1:%1").arg(port), "--nick", "x", "--mode", "ws"});
    QVERIFY(cli.waitForFinished(20000));
    const QByteArray err = cli.readAllStandardError();
    QVERIFY2(err.contains("WebSocket upgrades are refused"), err.constData());
    QCOMPARE(cli.exitCode(), 2);
    // The fallback gets through.
    QProcess fallback;
    fallback.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                   {"--url", QStringLiteral("http://127.0.0.1:%1").arg(port), "--nick", "y",
                    "--mode", "longpoll"});
    QVERIFY(fallback.waitForStarted(10000));
    fallback.write("through long polling\n");
    fallback.closeWriteChannel();
    QVERIFY(fallback.waitForFinished(20000));
    QCOMPARE(fallback.exitCode(), 0);
    QCOMPARE(TestHttp::get(port, "/api/messages?after=0").body.count("through long polling"), 1);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void tst_PushChatCli::heartbeatOutlivesProxyTimeout()
{
    // The lesson of the proxy timeout: an idle WebSocket is cut, one with a heartbeat is not.
    QProcess server;
    const quint16 port = TestHttp::startServerProcess(
        server, QStringLiteral(PUSHCHAT_SERVER_PATH),
        {"--port", "0", "--bind", "127.0.0.1", "--proxy-timeout", "2"});
    QVERIFY(port != 0);
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QProcess quiet;
    QProcess beating;
    quiet.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                {"--url", url, "--nick", "quiet", "--mode", "ws", "--heartbeat", "60"});
    beating.start(QStringLiteral(PUSHCHAT_CLI_PATH),
                  {"--url", url, "--nick", "beating", "--mode", "ws", "--heartbeat", "1"});
    QVERIFY(quiet.waitForStarted(10000));
    QVERIFY(beating.waitForStarted(10000));
    QByteArray quietErr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (quietErr += quiet.readAllStandardError()).count("* reconnecting") >= 2, 30000);
    const QByteArray beatingErr = beating.readAllStandardError();
    QVERIFY2(!beatingErr.contains("reconnecting"), beatingErr.constData());
    QByteArray quietOut;
    beating.write("still here\n");
    QTRY_VERIFY_WITH_TIMEOUT(saw(quiet, quietOut, "] beating: still here\n"), 15000);
    quiet.closeWriteChannel();
    beating.closeWriteChannel();
    QVERIFY(quiet.waitForFinished(10000));
    QVERIFY(beating.waitForFinished(10000));
    QCOMPARE(beating.exitCode(), 0);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

QTEST_GUILESS_MAIN(tst_PushChatCli)
#include "tst_pushchatcli.moc"
