#include "appoptions.h"

#include "pollinterval.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <limits>

namespace PushChat {

namespace {
constexpr int MaxTourSeconds = 3600;
} // namespace

AppOptions AppOptions::parse(const QStringList &arguments)
{
    AppOptions options;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("PushChat: a LAN chat that shows what short polling, long polling and "
                       "WebSocket cost.\nWithout options it opens the start screen."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption hostOption(
        QStringLiteral("host"), QStringLiteral("Host a room at once, skipping the start screen."));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port to host on (default 8765; 0 picks "
                                                       "a free one)."),
                                        QStringLiteral("port"));
    const QCommandLineOption joinOption(
        QStringLiteral("join"),
        QStringLiteral("Join the room at this address (http://host:port or host:port)."),
        QStringLiteral("url"));
    const QCommandLineOption nickOption(QStringLiteral("nick"), QStringLiteral("Your nick."),
                                        QStringLiteral("name"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("The room key."),
                                       QStringLiteral("key"));
    const QCommandLineOption roomOption(QStringLiteral("room"),
                                        QStringLiteral("Name of the room to host."),
                                        QStringLiteral("name"));
    const QCommandLineOption modeOption(QStringLiteral("mode"),
                                        QStringLiteral("Start in this mode: poll, longpoll or ws."),
                                        QStringLiteral("mode"));
    const QCommandLineOption tourOption(
        QStringLiteral("tour"),
        QStringLiteral("Switch mode by itself every SECONDS (Polling, Long polling, WebSocket, "
                       "and again), for a class to watch."),
        QStringLiteral("seconds"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
                                            QStringLiteral("Polling interval, 100 to 10000 ms."),
                                            QStringLiteral("ms"));
    const QCommandLineOption compareOption(
        QStringLiteral("compare"),
        QStringLiteral("Open the compare view once in the room: polling, long polling and "
                       "WebSocket side by side."));
    const QCommandLineOption botOption(
        QStringLiteral("bot"),
        QStringLiteral("In the compare view, let the bot send RATE messages a second "
                       "(0.2 to 50); implies --compare."),
        QStringLiteral("rate"));
    const QCommandLineOption presentOption(
        QStringLiteral("present"),
        QStringLiteral("Start in presentation mode: full screen, large type, the join banner "
                       "(F11 or Esc leaves it)."));
    const QCommandLineOption faultScriptOption(
        QStringLiteral("fault-script"),
        QCoreApplication::translate("AppOptions",
                                    "When hosting, run a timed sequence of faults from FILE "
                                    "(e.g. \"5s drop\", \"10s latency 800\"; docs/APP.md)."),
        QStringLiteral("file"));
    parser.addOptions({hostOption, portOption, joinOption, nickOption, keyOption, roomOption,
                       modeOption, intervalOption, tourOption, compareOption, botOption,
                       presentOption, faultScriptOption});

    options.helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    options.showHelp = parser.isSet(helpOption);
    options.showVersion = parser.isSet(versionOption);
    if (!parser.positionalArguments().isEmpty()) {
        options.error = QStringLiteral("Unexpected argument: %1")
                            .arg(parser.positionalArguments().constFirst());
        return options;
    }
    if (parser.isSet(hostOption) && parser.isSet(joinOption)) {
        options.error = QStringLiteral("Use either --host or --join, not both.");
        return options;
    }
    if (parser.isSet(hostOption))
        options.start = Start::Host;
    if (parser.isSet(joinOption)) {
        options.start = Start::Join;
        options.joinAddress = parser.value(joinOption);
    }
    if (parser.isSet(portOption)) {
        bool ok = false;
        const uint port = parser.value(portOption).toUInt(&ok);
        if (!ok || port > std::numeric_limits<quint16>::max()) {
            options.error = QStringLiteral("--port needs a number from 0 to 65535, not \"%1\".")
                                .arg(parser.value(portOption));
            return options;
        }
        options.port = quint16(port);
    }
    if (parser.isSet(nickOption))
        options.nick = parser.value(nickOption);
    if (parser.isSet(keyOption))
        options.key = parser.value(keyOption);
    if (parser.isSet(roomOption))
        options.room = parser.value(roomOption);
    if (parser.isSet(modeOption)) {
        options.mode = transportFromName(parser.value(modeOption).trimmed().toLower());
        if (!options.mode) {
            options.error = QStringLiteral("--mode is poll, longpoll or ws, not \"%1\".")
                                .arg(parser.value(modeOption));
            return options;
        }
    }
    if (parser.isSet(intervalOption)) {
        bool ok = false;
        const int ms = parser.value(intervalOption).toInt(&ok);
        if (!ok || ms < PollInterval::MinMs || ms > PollInterval::MaxMs) {
            options.error = QStringLiteral("--interval needs 100 to 10000 (milliseconds).");
            return options;
        }
        options.intervalMs = ms;
    }
    if (parser.isSet(tourOption)) {
        bool ok = false;
        options.tourSeconds = parser.value(tourOption).toInt(&ok);
        if (!ok || options.tourSeconds < 1 || options.tourSeconds > MaxTourSeconds) {
            options.error = QStringLiteral("--tour needs a number of seconds from 1 to 3600.");
            return options;
        }
    }
    options.compare = parser.isSet(compareOption);
    options.present = parser.isSet(presentOption);
    if (parser.isSet(botOption)) {
        bool ok = false;
        const double rate = parser.value(botOption).toDouble(&ok);
        if (!ok || rate < 0.2 || rate > 50) {
            options.error = QStringLiteral("--bot needs 0.2 to 50 (messages a second).");
            return options;
        }
        options.botRate = rate;
        options.compare = true;
    }
    options.faultScript = parser.value(faultScriptOption);
    return options;
}

} // namespace PushChat
