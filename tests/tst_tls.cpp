// TLS end to end: a room served over https:// and wss:// with a certificate made at test time
// (openssl), reached by the client library in every mode and by pushchat-cli, trusting it only
// when told.

#include "chatclient.h"
#include "clienttls.h"
#include "serverhost.h"
#include "tlsconfig.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace PushChat;

Q_DECLARE_METATYPE(PushChat::Transport)

class tst_Tls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void clientsTalkOverTls_data();
    void clientsTalkOverTls();
    void pinnedFingerprintIsTrusted();
    void untrustedCertificateIsRefused_data();
    void untrustedCertificateIsRefused();
    void plainHttpGetsNoAnswer();
    void heartbeatOverWss();
    void fullServerAnswers503OverTls();
    void unreadableCertificateFailsTheStart();
    void cliWithCaFile();

private:
    bool startServer(ServerConfig config = {});
    std::unique_ptr<ChatClient> client(const QString &nick, Transport mode) const;

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
    std::unique_ptr<ServerHost> m_host;
    quint16 m_port = 0;
};

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-days", "1", "-subj", "/CN=PushChat test", "-addext",
                   "subjectAltName=IP:127.0.0.1", "-keyout", m_key, "-out", m_certificate});
    QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0,
             openssl.readAllStandardError().constData());
}

bool tst_Tls::startServer(ServerConfig config)
{
    m_host = std::make_unique<ServerHost>();
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.tlsCertificateFile = m_certificate;
    config.tlsKeyFile = m_key;
    QSignalSpy started(m_host.get(), &ServerHost::started);
    m_host->start(config);
    if (!started.wait(10000))
        return false;
    m_port = started.first().first().value<quint16>();
    return true;
}

std::unique_ptr<ChatClient> tst_Tls::client(const QString &nick, Transport mode) const
{
    auto chat = std::make_unique<ChatClient>();
    chat->setServerUrl(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_port)));
    chat->setNick(nick);
    chat->setMode(mode);
    chat->setPollInterval(100);
    return chat;
}

void tst_Tls::clientsTalkOverTls_data()
{
    QTest::addColumn<Transport>("mode");
    QTest::newRow("polling") << Transport::Polling;
    QTest::newRow("longpoll") << Transport::LongPoll;
    QTest::newRow("websocket") << Transport::WebSocket;
}

void tst_Tls::clientsTalkOverTls()
{
    QFETCH(Transport, mode);
    QVERIFY(startServer());
    const QList<QSslCertificate> ca = QSslCertificate::fromPath(m_certificate);
    auto alice = client(QStringLiteral("alice"), mode);
    auto bob = client(QStringLiteral("bob"), Transport::WebSocket);
    alice->setTlsTrust(ca, {});
    bob->setTlsTrust(ca, {});
    alice->connectToServer();
    bob->connectToServer();
    QTRY_COMPARE(alice->state(), ChatClient::State::Connected);
    QTRY_COMPARE(bob->state(), ChatClient::State::Connected);
    QSignalSpy accepted(alice.get(), &ChatClient::sendAccepted);
    alice->send(QStringLiteral("over TLS"));
    QTRY_COMPARE(accepted.size(), 1);
    auto received = [](const ChatClient &client) {
        for (const ChatMessage &message : client.messages()) {
            if (message.text == u"over TLS")
                return true;
        }
        return false;
    };
    QTRY_VERIFY(received(*bob));
    QTRY_VERIFY(received(*alice));
    // The room's own requests (/api/room) go through TLS as well.
    QTRY_VERIFY(bob->onlineNicks().contains(QStringLiteral("alice")));
}

void tst_Tls::pinnedFingerprintIsTrusted()
{
    QVERIFY(startServer());
    const auto pin = ClientTls::parseFingerprint(TlsConfig::fingerprintOfFile(m_certificate));
    QVERIFY(pin.has_value());
    QCOMPARE(pin->size(), 32);
    auto carol = client(QStringLiteral("carol"), Transport::WebSocket);
    carol->setTlsTrust({}, *pin);
    carol->connectToServer();
    QTRY_COMPARE(carol->state(), ChatClient::State::Connected);
}

void tst_Tls::untrustedCertificateIsRefused_data()
{
    QTest::addColumn<Transport>("mode");
    QTest::addColumn<bool>("wrongPin");
    QTest::newRow("polling, nothing trusted") << Transport::Polling << false;
    QTest::newRow("websocket, nothing trusted") << Transport::WebSocket << false;
    QTest::newRow("websocket, another pin") << Transport::WebSocket << true;
}

void tst_Tls::untrustedCertificateIsRefused()
{
    QFETCH(Transport, mode);
    QFETCH(bool, wrongPin);
    QVERIFY(startServer());
    auto mallory = client(QStringLiteral("mallory"), mode);
    if (wrongPin)
        mallory->setTlsTrust({}, QByteArray(32, '\x42'));
    QSignalSpy errors(mallory.get(), &ChatClient::errorOccurred);
    mallory->connectToServer();
    QTRY_COMPARE(mallory->state(), ChatClient::State::Disconnected);
    QVERIFY(!errors.isEmpty());
    QCOMPARE(errors.first().at(0).value<ErrorCode>(), ErrorCode::Untrusted);
    const QString message = errors.first().at(1).toString();
    QVERIFY2(message.contains(u"not trusted") && message.contains(u"fingerprint"),
             qPrintable(message));
    QVERIFY(!mallory->hasConnected());
}

void tst_Tls::plainHttpGetsNoAnswer()
{
    QVERIFY(startServer());
    QTcpSocket plain;
    plain.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(plain.waitForConnected(5000));
    plain.write("GET /api/room HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    // The TLS handshake fails on the plain request and the connection ends; no HTTP answer.
    QTRY_COMPARE_WITH_TIMEOUT(plain.state(), QAbstractSocket::UnconnectedState, 15000);
    QVERIFY(!plain.readAll().startsWith("HTTP/"));
}

void tst_Tls::heartbeatOverWss()
{
    ServerConfig config;
    config.webSocketPingIntervalMs = 300;
    config.webSocketPongTimeoutMs = 200;
    config.webSocketLeaveGraceMs = 100;
    QVERIFY(startServer(config));
    // Our client answers pings through TLS as well (its own pings off).
    auto alice = client(QStringLiteral("alice"), Transport::WebSocket);
    alice->setTlsTrust(QSslCertificate::fromPath(m_certificate), {});
    alice->setWebSocketTiming(600000, 600000);
    alice->connectToServer();
    QTRY_COMPARE(alice->state(), ChatClient::State::Connected);
    QSignalSpy states(alice.get(), &ChatClient::stateChanged);

    // A wss client that completed the handshake and then reads nothing and answers nothing.
    QSslSocket ghost;
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.addCaCertificates(QSslCertificate::fromPath(m_certificate));
    ghost.setSslConfiguration(trust);
    ghost.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
    QVERIFY(ghost.waitForEncrypted(10000));
    ghost.write("GET /ws?nick=ghost HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(ghost.peek(64).startsWith("HTTP/1.1 101 "));
    QTRY_VERIFY(alice->onlineNicks().contains(QStringLiteral("ghost")));
    QTRY_COMPARE_WITH_TIMEOUT(ghost.state(), QAbstractSocket::UnconnectedState, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!alice->onlineNicks().contains(QStringLiteral("ghost")), 10000);
    QCOMPARE(alice->state(), ChatClient::State::Connected);
    QCOMPARE(states.size(), 0); // never dropped
}

void tst_Tls::fullServerAnswers503OverTls()
{
    ServerConfig config;
    config.maxConnections = 1;
    QVERIFY(startServer(config));
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.addCaCertificates(QSslCertificate::fromPath(m_certificate));
    auto get = [&](QSslSocket &socket) {
        socket.setSslConfiguration(trust);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
        if (!socket.waitForEncrypted(10000))
            return QByteArray();
        socket.write("GET /api/room HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray reply;
        while (!reply.contains("\r\n\r\n") && socket.waitForReadyRead(10000))
            reply += socket.readAll();
        return reply;
    };
    QSslSocket first;
    QVERIFY(get(first).startsWith("HTTP/1.1 200 "));
    QSslSocket second; // the first stays open: the server is full
    const QByteArray refused = get(second);
    QVERIFY2(refused.startsWith("HTTP/1.1 503 "),
             qPrintable(second.errorString() + QString::fromUtf8(refused)));
}

void tst_Tls::unreadableCertificateFailsTheStart()
{
    ServerHost host;
    ServerConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.tlsCertificateFile = m_dir.filePath(QStringLiteral("missing.pem"));
    config.tlsKeyFile = m_key;
    QSignalSpy failed(&host, &ServerHost::failed);
    host.start(config);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().value<ServerError>().message.contains(u"missing.pem"));
}

void tst_Tls::cliWithCaFile()
{
    QProcess server;
    server.start(
        QStringLiteral(PUSHCHAT_SERVER_PATH),
        {"--port", "0", "--bind", "127.0.0.1", "--tls-cert", m_certificate, "--tls-key", m_key});
    QVERIFY(server.waitForStarted(10000));
    QByteArray banner;
    QTRY_VERIFY_WITH_TIMEOUT((banner += server.readAllStandardOutput()).contains("Press Ctrl+C"),
                             10000);
    const QRegularExpressionMatch url =
        QRegularExpression(QStringLiteral("https://127\\.0\\.0\\.1:(\\d+)/"))
            .match(QString::fromUtf8(banner));
    QVERIFY2(url.hasMatch(), banner.constData());
    QVERIFY(banner.contains(TlsConfig::fingerprintOfFile(m_certificate).toUtf8()));
    const QString base = url.captured(0).chopped(1);

    QProcess cli;
    cli.start(QStringLiteral(PUSHCHAT_CLI_PATH),
              {"--url", base, "--nick", "dave", "--mode", "ws", "--ca", m_certificate});
    QVERIFY(cli.waitForStarted(10000));
    cli.write("hello over wss\n");
    cli.closeWriteChannel();
    QVERIFY(cli.waitForFinished(20000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(cli.readAllStandardOutput().contains("dave: hello over wss"));

    // Without --ca the same certificate is refused, and the CLI says so.
    QProcess untrusting;
    untrusting.start(QStringLiteral(PUSHCHAT_CLI_PATH), {"--url", base, "--nick", "eve"});
    QVERIFY(untrusting.waitForStarted(10000));
    untrusting.closeWriteChannel();
    QVERIFY(untrusting.waitForFinished(20000));
    QVERIFY(untrusting.exitCode() != 0);
    QVERIFY(untrusting.readAllStandardError().contains("not trusted"));

    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

QTEST_MAIN(tst_Tls)
#include "tst_tls.moc"
