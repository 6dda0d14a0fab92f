// pushchat-cli: a terminal client for a PushChat room.

#include "clienttls.h"
#include "clisession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>

using namespace PushChat;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The terminal is for the chat: the library's debug output only when asked for.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("pushchat.*.debug=false"));
    QCoreApplication::setApplicationName(QStringLiteral("pushchat-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Terminal client for a PushChat room. Lines typed are sent; /mode poll|longpoll|ws "
        "switches transport, /stats prints what each transport cost, /quit leaves."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption urlOption(QStringLiteral("url"),
                                       QStringLiteral("Server, e.g. http://127.0.0.1:8765."),
                                       QStringLiteral("url"));
    const QCommandLineOption nickOption(QStringLiteral("nick"),
                                        QStringLiteral("Your nick (none: observe only)."),
                                        QStringLiteral("nick"));
    const QCommandLineOption modeOption(QStringLiteral("mode"),
                                        QStringLiteral("poll, longpoll or ws (default ws)."),
                                        QStringLiteral("mode"), QStringLiteral("ws"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("Room key."),
                                       QStringLiteral("key"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
                                            QStringLiteral("Polling interval in ms, 100-10000."),
                                            QStringLiteral("ms"), QStringLiteral("1000"));
    const QCommandLineOption caOption(
        QStringLiteral("ca"),
        QCoreApplication::translate("pushchat-cli",
                                    "For https://: also trust the certificates in this PEM "
                                    "file (a self-signed room's own certificate)."),
        QStringLiteral("file"));
    const QCommandLineOption fingerprintOption(
        QStringLiteral("fingerprint"),
        QCoreApplication::translate("pushchat-cli",
                                    "For https://: accept the server certificate with this "
                                    "SHA-256 fingerprint (as the host shows it)."),
        QStringLiteral("sha256"));
    const QCommandLineOption heartbeatOption(
        QStringLiteral("heartbeat"),
        QCoreApplication::translate("pushchat-cli",
                                    "WebSocket ping every this many seconds, 1-120 (default "
                                    "20): keeps an idle link through a proxy's timeout."),
        QStringLiteral("seconds"), QStringLiteral("20"));
    parser.addOptions({urlOption, nickOption, modeOption, keyOption, intervalOption,
                       heartbeatOption, caOption, fingerprintOption});
    parser.process(app);

    const auto usage = [](const QString &message) {
        std::fprintf(stderr, "pushchat-cli: %s\n", qPrintable(message));
        return 64;
    };
    CliSession::Options options;
    options.url = QUrl(parser.value(urlOption));
    const bool knownScheme = options.url.scheme() == u"http" || options.url.scheme() == u"https";
    if (!parser.isSet(urlOption) || !options.url.isValid() || !knownScheme ||
        options.url.host().isEmpty())
        return usage(QStringLiteral("--url http://HOST:PORT or https://HOST:PORT is required"));
    if (parser.isSet(caOption)) {
        QString error;
        const auto certificates = ClientTls::readCaFile(parser.value(caOption), &error);
        if (!certificates)
            return usage(QStringLiteral("--ca: %1").arg(error));
        options.caCertificates = *certificates;
    }
    if (parser.isSet(fingerprintOption)) {
        const auto digest = ClientTls::parseFingerprint(parser.value(fingerprintOption));
        if (!digest)
            return usage(QStringLiteral("--fingerprint must be SHA256:AB:CD:… or 64 hex digits"));
        options.pinnedSha256 = *digest;
    }
    options.nick = parser.value(nickOption);
    options.key = parser.value(keyOption);
    const QString mode = parser.value(modeOption);
    if (mode == QLatin1String("poll") || mode == QLatin1String("polling"))
        options.mode = Transport::Polling;
    else if (mode == QLatin1String("longpoll"))
        options.mode = Transport::LongPoll;
    else if (mode == QLatin1String("ws") || mode == QLatin1String("websocket"))
        options.mode = Transport::WebSocket;
    else
        return usage(QStringLiteral("--mode must be poll, longpoll or ws"));
    bool ok = false;
    options.intervalMs = parser.value(intervalOption).toInt(&ok);
    if (!ok || options.intervalMs < 100 || options.intervalMs > 10000)
        return usage(QStringLiteral("--interval must be 100 to 10000 ms"));
    options.heartbeatSeconds = parser.value(heartbeatOption).toInt(&ok);
    if (!ok || options.heartbeatSeconds < 1 || options.heartbeatSeconds > 120)
        return usage(
            QCoreApplication::translate("pushchat-cli", "--heartbeat must be 1 to 120 seconds"));

    CliSession session(options);
    QObject::connect(&session, &CliSession::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    QTimer::singleShot(0, &session, &CliSession::start);
    return app.exec();
}
