// pushchat-cli: a terminal client for a PushChat room.

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
    const QCommandLineOption heartbeatOption(
        QStringLiteral("heartbeat"),
        QCoreApplication::translate("pushchat-cli",
                                    "WebSocket ping every this many seconds, 1-120 (default "
                                    "20): keeps an idle link through a proxy's timeout."),
        QStringLiteral("seconds"), QStringLiteral("20"));
    parser.addOptions(
        {urlOption, nickOption, modeOption, keyOption, intervalOption, heartbeatOption});
    parser.process(app);

    const auto usage = [](const QString &message) {
        std::fprintf(stderr, "pushchat-cli: %s\n", qPrintable(message));
        return 64;
    };
    CliSession::Options options;
    options.url = QUrl(parser.value(urlOption));
    if (!parser.isSet(urlOption) || !options.url.isValid() || options.url.scheme() != "http" ||
        options.url.host().isEmpty())
        return usage(QStringLiteral("--url http://HOST:PORT is required"));
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
