// pushchat-server: the room server without a window.

#include "faultscript.h"
#include "language.h"
#include "serverhost.h"
#include "serverlog.h"
#include "systemlimits.h"
#include "tlsconfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkInterface>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// The context of the command line's translations (resources/translations).
struct ServerCommandLine
{
    Q_DECLARE_TR_FUNCTIONS(ServerCommandLine)
};

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

QStringList joinUrls(const QHostAddress &bind, quint16 port, bool tls)
{
    QStringList urls;
    auto add = [&](const QHostAddress &address) {
        QString host = address.toString();
        if (address.protocol() == QAbstractSocket::IPv6Protocol)
            host = u'[' + host + u']';
        urls << QStringLiteral("%1://%2:%3/")
                    .arg(tls ? QStringLiteral("https") : QStringLiteral("http"), host)
                    .arg(port);
    };
    const QList<QHostAddress> wildcards{QHostAddress::Any, QHostAddress::AnyIPv4,
                                        QHostAddress::AnyIPv6};
    if (!wildcards.contains(bind)) {
        add(bind);
        return urls;
    }
    add(QHostAddress::LocalHost);
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.isLinkLocal())
            continue;
        if (bind == QHostAddress::AnyIPv4 && address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        add(address);
    }
    return urls;
}

} // namespace

int main(int argc, char *argv[])
{
    // Process-wide, so here rather than in the room: thousands of sockets, and large answers
    // whose memory is reused rather than handed back to the kernel after each burst.
    PushChat::raiseOpenFileLimit();
    PushChat::keepFreedMemoryForReuse();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pushchat-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));
    const QString language = PushChat::Language::fromArguments(QCoreApplication::arguments());
    if (!PushChat::Language::install(language.isEmpty() ? PushChat::Language::systemDefault()
                                                        : language)) {
        std::fprintf(
            stderr, "pushchat-server: %s\n",
            qPrintable(ServerCommandLine::tr("--lang is en or zh_CN, not \"%1\".").arg(language)));
        return 2;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        ServerCommandLine::tr("PushChat room server: polling, long polling and WebSocket on one "
                              "port."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOption({QStringLiteral("p"), QStringLiteral("port")},
                                        ServerCommandLine::tr("TCP port (0 picks a free one)."),
                                        QStringLiteral("port"), QStringLiteral("8765"));
    const QCommandLineOption bindOption(
        QStringLiteral("bind"), ServerCommandLine::tr("Address to listen on (default: all)."),
        QStringLiteral("address"));
    const QCommandLineOption keyOption(QStringLiteral("key"),
                                       ServerCommandLine::tr("Room key clients must present."),
                                       QStringLiteral("key"));
    const QCommandLineOption nameOption(QStringLiteral("name"), ServerCommandLine::tr("Room name."),
                                        QStringLiteral("name"), QStringLiteral("PushChat"));
    const QCommandLineOption historyOption(QStringLiteral("history"),
                                           ServerCommandLine::tr("Messages kept for replay."),
                                           QStringLiteral("count"), QStringLiteral("10000"));
    const QCommandLineOption maxTextOption(QStringLiteral("max-text"),
                                           ServerCommandLine::tr("Longest message in UTF-8 bytes."),
                                           QStringLiteral("bytes"), QStringLiteral("4096"));
    const QCommandLineOption rateOption(
        QStringLiteral("rate-limit"),
        ServerCommandLine::tr("Messages per second per sender; 0 turns every rate limit off."),
        QStringLiteral("rate"), QStringLiteral("20"));
    const QCommandLineOption originOption(
        QStringLiteral("allow-origin"),
        ServerCommandLine::tr("Allow browser pages from this origin too (repeatable)."),
        QStringLiteral("origin"));
    const QCommandLineOption batchOption(
        QStringLiteral("long-poll-batch"),
        ServerCommandLine::tr("While many long polls wait, answer them at most once every this "
                              "many milliseconds (0 answers every message at once)."),
        QStringLiteral("ms"), QStringLiteral("5"));
    const QCommandLineOption storeOption(
        QStringLiteral("store"),
        ServerCommandLine::tr(
            "Keep the history in this SQLite file (created if missing), so that it "
            "survives a restart; without it the history lives in memory."),
        QStringLiteral("path"));
    const QCommandLineOption storeSyncOption(
        QStringLiteral("store-sync"),
        ServerCommandLine::tr(
            "full: every commit survives a power cut; normal: it survives the server "
            "being killed, and costs less."),
        QStringLiteral("full|normal"), QStringLiteral("full"));
    const QCommandLineOption addressRateOption(
        QStringLiteral("rate-limit-address"),
        ServerCommandLine::tr(
            "Messages and new nicks per second per client address, over all its nicks; 0 "
            "turns the limit off."),
        QStringLiteral("rate"), QStringLiteral("20"));
    const QCommandLineOption exemptLoopbackOption(
        QStringLiteral("rate-exempt-loopback"),
        ServerCommandLine::tr(
            "No rate limit for clients on this machine (127.0.0.1, ::1): a teacher's bots."));
    const QCommandLineOption pingOption(
        QStringLiteral("ping-interval"),
        ServerCommandLine::tr("Ping every WebSocket client this often, in ms (0: never)."),
        QStringLiteral("ms"), QStringLiteral("25000"));
    const QCommandLineOption pongOption(
        QStringLiteral("pong-timeout"),
        ServerCommandLine::tr(
            "Drop a WebSocket client that sent nothing this many ms after a ping."),
        QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption keepAliveOption(
        QStringLiteral("tcp-keepalive"),
        ServerCommandLine::tr("TCP keepalive as IDLE,INTERVAL,PROBES in seconds "
                              "(0 turns it off)."),
        QStringLiteral("idle,interval,probes"), QStringLiteral("20,5,4"));
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"),
        ServerCommandLine::tr("PEM certificate (and chain): serve https:// and wss:// "
                              "instead of http:// and ws://. Needs --tls-key."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(
        QStringLiteral("tls-key"),
        ServerCommandLine::tr("PEM private key (EC or RSA, unencrypted) of --tls-cert."),
        QStringLiteral("file"));
    // Faults on demand (docs/PROTOCOL.md): a headless server can show them too.
    const QCommandLineOption latencyOption(
        QStringLiteral("latency"),
        ServerCommandLine::tr("Fault: add this many milliseconds (0…2000) to every answer "
                              "and frame the server sends."),
        QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption proxyTimeoutOption(
        QStringLiteral("proxy-timeout"),
        ServerCommandLine::tr("Fault: end requests held longer than this many seconds "
                              "(1…120) and cut WebSockets silent that long, as a proxy "
                              "does."),
        QStringLiteral("seconds"), QStringLiteral("0"));
    const QCommandLineOption blockOption(
        QStringLiteral("block"),
        ServerCommandLine::tr("Fault: refuse one technique (websocket, longpoll or "
                              "polling), as a network in between would."),
        QStringLiteral("technique"));
    const QCommandLineOption faultScriptOption(
        QStringLiteral("fault-script"),
        ServerCommandLine::tr("Run a timed sequence of faults from FILE, one a line "
                              "(e.g. \"5s drop\", \"10s latency 800\", \"40s restart\")."),
        QStringLiteral("file"));
    const QCommandLineOption languageOption(
        QStringLiteral("lang"),
        ServerCommandLine::tr("Language of these messages: en or zh_CN (default: the system's)."),
        QStringLiteral("language"));
    parser.addOptions({portOption,        bindOption,           keyOption,
                       nameOption,        historyOption,        maxTextOption,
                       rateOption,        originOption,         batchOption,
                       addressRateOption, exemptLoopbackOption, pingOption,
                       pongOption,        keepAliveOption,      tlsCertOption,
                       tlsKeyOption,      latencyOption,        proxyTimeoutOption,
                       blockOption,       faultScriptOption,    storeOption,
                       storeSyncOption,   languageOption});
    parser.process(app);

    const auto usage = [](const QString &message) {
        std::fprintf(stderr, "pushchat-server: %s\n", qPrintable(message));
    };
    PushChat::ServerConfig config;
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        usage(ServerCommandLine::tr("--port must be 0…65535"));
        return 2;
    }
    config.port = quint16(port);
    if (parser.isSet(bindOption) && !config.bindAddress.setAddress(parser.value(bindOption))) {
        usage(ServerCommandLine::tr("--bind needs an IP address"));
        return 2;
    }
    config.key = parser.value(keyOption);
    config.roomName = parser.value(nameOption);
    config.historyLimit = parser.value(historyOption).toInt(&ok);
    if (!ok || config.historyLimit < 1) {
        usage(ServerCommandLine::tr("--history must be a positive number"));
        return 2;
    }
    config.maxTextBytes = parser.value(maxTextOption).toInt(&ok);
    if (!ok || config.maxTextBytes < 1) {
        usage(ServerCommandLine::tr("--max-text must be a positive number"));
        return 2;
    }
    config.rateLimitPerSecond = parser.value(rateOption).toDouble(&ok);
    if (!ok || config.rateLimitPerSecond < 0) {
        usage(ServerCommandLine::tr("--rate-limit must be >= 0"));
        return 2;
    }
    config.longPollBatchMs = parser.value(batchOption).toInt(&ok);
    if (!ok || config.longPollBatchMs < 0 || config.longPollBatchMs > 1000) {
        usage(ServerCommandLine::tr("--long-poll-batch must be 0…1000"));
        return 2;
    }
    config.allowedOrigins = parser.values(originOption);
    config.storePath = parser.value(storeOption);
    if (const QString sync = parser.value(storeSyncOption); sync == u"normal") {
        config.storeSync = PushChat::HistoryStore::Sync::Normal;
    } else if (sync != u"full") {
        std::fprintf(stderr, "%s\n",
                     qPrintable(ServerCommandLine::tr(
                         "pushchat-server: --store-sync must be full or normal")));
        return 2;
    }

    config.addressRateLimitPerSecond = parser.value(addressRateOption).toDouble(&ok);
    if (!ok || config.addressRateLimitPerSecond < 0) {
        usage(ServerCommandLine::tr("--rate-limit-address must be >= 0"));
        return 2;
    }
    config.rateLimitExemptLoopback = parser.isSet(exemptLoopbackOption);
    config.webSocketPingIntervalMs = parser.value(pingOption).toInt(&ok);
    if (!ok || config.webSocketPingIntervalMs < 0) {
        usage(ServerCommandLine::tr("--ping-interval must be >= 0"));
        return 2;
    }
    config.webSocketPongTimeoutMs = parser.value(pongOption).toInt(&ok);
    if (!ok || config.webSocketPongTimeoutMs < 1 ||
        (config.webSocketPingIntervalMs > 0 &&
         config.webSocketPongTimeoutMs >= config.webSocketPingIntervalMs)) {
        usage(ServerCommandLine::tr("--pong-timeout must be positive and below --ping-interval"));
        return 2;
    }
    if (const auto keepAlive = PushChat::TcpKeepAlive::parse(parser.value(keepAliveOption))) {
        config.tcpKeepAlive = *keepAlive;
    } else {
        usage(ServerCommandLine::tr("--tcp-keepalive must be 0 or IDLE,INTERVAL,PROBES (positive "
                                    "seconds and count)"));
        return 2;
    }

    config.tlsCertificateFile = parser.value(tlsCertOption);
    config.tlsKeyFile = parser.value(tlsKeyOption);
    if (parser.isSet(tlsCertOption) != parser.isSet(tlsKeyOption)) {
        usage(ServerCommandLine::tr("--tls-cert and --tls-key go together"));
        return 2;
    }
    config.faults.addedLatencyMs = parser.value(latencyOption).toInt(&ok);
    if (!ok || config.faults.addedLatencyMs < 0 ||
        config.faults.addedLatencyMs > PushChat::FaultSettings::MaxAddedLatencyMs) {
        usage(ServerCommandLine::tr("--latency must be 0…2000"));
        return 2;
    }
    config.faults.proxyTimeoutSeconds = parser.value(proxyTimeoutOption).toInt(&ok);
    if (!ok || config.faults.proxyTimeoutSeconds < 0 ||
        config.faults.proxyTimeoutSeconds > PushChat::FaultSettings::MaxProxyTimeoutSeconds) {
        usage(ServerCommandLine::tr("--proxy-timeout must be 0…120"));
        return 2;
    }
    if (parser.isSet(blockOption)) {
        config.faults.blocked = PushChat::transportFromName(parser.value(blockOption).toLower());
        if (!config.faults.blocked) {
            usage(ServerCommandLine::tr("--block takes websocket, longpoll or polling"));
            return 2;
        }
    }
    PushChat::FaultScript::Parsed faultScript;
    if (parser.isSet(faultScriptOption)) {
        faultScript = PushChat::FaultScript::load(parser.value(faultScriptOption));
        if (!faultScript.ok()) {
            std::fprintf(stderr, "pushchat-server: %s\n", qPrintable(faultScript.error));
            return 2;
        }
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0) {
        std::perror("pushchat-server: socketpair");
        return 1;
    }
    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    PushChat::ServerHost host;
    PushChat::FaultScriptRunner faultRunner(&host, faultScript.steps);
    QObject::connect(
        &faultRunner, &PushChat::FaultScriptRunner::stepApplied, &app,
        [](const PushChat::FaultStep &step) {
            std::printf("%s\n", qPrintable(ServerCommandLine::tr("fault: %1").arg(step.label())));
            std::fflush(stdout);
        });
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [&] {
        char byte;
        [[maybe_unused]] const auto got = ::read(signalPipe[0], &byte, 1);
        qCInfo(lcServer) << "signal received; stopping";
        host.stop();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    int exitCode = 0;
    QObject::connect(&host, &PushChat::ServerHost::started, &app, [&](quint16 actualPort) {
        std::printf("%s\n",
                    qPrintable(ServerCommandLine::tr("PushChat room \"%1\" is open. Join at:")
                                   .arg(config.roomName)));
        for (const QString &url : joinUrls(config.bindAddress, actualPort, config.usesTls()))
            std::printf("  %s\n", qPrintable(url));
        if (config.usesTls())
            std::printf("%s\n", qPrintable(ServerCommandLine::tr("Certificate fingerprint: %1")
                                               .arg(PushChat::TlsConfig::fingerprintOfFile(
                                                   config.tlsCertificateFile))));
        std::printf("%s\n", qPrintable(ServerCommandLine::tr("Press Ctrl+C to stop.")));
        std::fflush(stdout);
        if (!faultScript.steps.isEmpty())
            faultRunner.start();
    });
    QObject::connect(&host, &PushChat::ServerHost::failed, &app,
                     [&](const PushChat::ServerError &error) {
                         std::fprintf(stderr, "pushchat-server: %s\n", qPrintable(error.message));
                         exitCode = 1;
                         QCoreApplication::exit(1);
                     });
    // Reads go on; sends are refused with 503 until an operator restarts the server.
    QObject::connect(&host, &PushChat::ServerHost::historyFailed, &app,
                     [](const PushChat::ServerError &error) {
                         std::fprintf(stderr, "pushchat-server: %s\n", qPrintable(error.message));
                     });
    QObject::connect(&host, &PushChat::ServerHost::stopped, &app,
                     [&] { QCoreApplication::exit(exitCode); });
    host.start(config);
    return app.exec();
}
