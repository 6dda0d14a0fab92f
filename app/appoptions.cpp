#include "appoptions.h"

#include "language.h"
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
        tr("PushChat: a LAN chat that shows what short polling, long polling and WebSocket "
           "cost.\nWithout options it opens the start screen."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption hostOption(QStringLiteral("host"),
                                        tr("Host a room at once, skipping the start screen."));
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        tr("Port to host on (default 8765; 0 picks a free one)."),
                                        QStringLiteral("port"));
    const QCommandLineOption joinOption(
        QStringLiteral("join"),
        tr("Join the room at this address (http://host:port or host:port)."),
        QStringLiteral("url"));
    const QCommandLineOption nickOption(QStringLiteral("nick"), tr("Your nick."),
                                        QStringLiteral("name"));
    const QCommandLineOption keyOption(QStringLiteral("key"), tr("The room key."),
                                       QStringLiteral("key"));
    const QCommandLineOption roomOption(QStringLiteral("room"), tr("Name of the room to host."),
                                        QStringLiteral("name"));
    const QCommandLineOption modeOption(QStringLiteral("mode"),
                                        tr("Start in this mode: poll, longpoll or ws."),
                                        QStringLiteral("mode"));
    const QCommandLineOption tourOption(
        QStringLiteral("tour"),
        tr("Switch mode by itself every SECONDS (Polling, Long polling, WebSocket, and "
           "again), for a class to watch."),
        QStringLiteral("seconds"));
    const QCommandLineOption intervalOption(
        QStringLiteral("interval"), tr("Polling interval, 100 to 10000 ms."), QStringLiteral("ms"));
    const QCommandLineOption compareOption(
        QStringLiteral("compare"),
        tr("Open the compare view once in the room: polling, long polling and WebSocket "
           "side by side."));
    const QCommandLineOption botOption(
        QStringLiteral("bot"),
        tr("In the compare view, let the bot send RATE messages a second (0.2 to 50); "
           "implies --compare."),
        QStringLiteral("rate"));
    const QCommandLineOption presentOption(
        QStringLiteral("present"),
        tr("Start in presentation mode: full screen, large type, the join banner (F11 or Esc "
           "leaves it)."));
    const QCommandLineOption faultScriptOption(
        QStringLiteral("fault-script"),
        tr("When hosting, run a timed sequence of faults from FILE (e.g. \"5s drop\", \"10s "
           "latency 800\"; docs/APP.md)."),
        QStringLiteral("file"));
    const QCommandLineOption languageOption(
        QStringLiteral("lang"),
        tr("Language of the window: en or zh_CN (default: as chosen in View > Language, else "
           "the system's)."),
        QStringLiteral("language"));
    parser.addOptions({hostOption, portOption, joinOption, nickOption, keyOption, roomOption,
                       modeOption, intervalOption, tourOption, compareOption, botOption,
                       presentOption, faultScriptOption, languageOption});

    options.helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    // --help-all (added with --help) too: it must not open a window either.
    options.showHelp = parser.isSet(helpOption) || parser.isSet(QStringLiteral("help-all"));
    options.showVersion = parser.isSet(versionOption);
    if (!parser.positionalArguments().isEmpty()) {
        options.error =
            tr("Unexpected argument: %1").arg(parser.positionalArguments().constFirst());
        return options;
    }
    if (parser.isSet(hostOption) && parser.isSet(joinOption)) {
        options.error = tr("Use either --host or --join, not both.");
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
            options.error = tr("--port needs a number from 0 to 65535, not \"%1\".")
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
            options.error =
                tr("--mode is poll, longpoll or ws, not \"%1\".").arg(parser.value(modeOption));
            return options;
        }
    }
    if (parser.isSet(intervalOption)) {
        bool ok = false;
        const int ms = parser.value(intervalOption).toInt(&ok);
        if (!ok || ms < PollInterval::MinMs || ms > PollInterval::MaxMs) {
            options.error = tr("--interval needs 100 to 10000 (milliseconds).");
            return options;
        }
        options.intervalMs = ms;
    }
    if (parser.isSet(tourOption)) {
        bool ok = false;
        options.tourSeconds = parser.value(tourOption).toInt(&ok);
        if (!ok || options.tourSeconds < 1 || options.tourSeconds > MaxTourSeconds) {
            options.error = tr("--tour needs a number of seconds from 1 to 3600.");
            return options;
        }
    }
    if (parser.isSet(languageOption)) {
        const QString language = Language::normalized(parser.value(languageOption));
        if (language.isEmpty()) {
            options.error =
                tr("--lang is en or zh_CN, not \"%1\".").arg(parser.value(languageOption));
            return options;
        }
        options.language = language;
    }
    options.compare = parser.isSet(compareOption);
    options.present = parser.isSet(presentOption);
    if (parser.isSet(botOption)) {
        bool ok = false;
        const double rate = parser.value(botOption).toDouble(&ok);
        if (!ok || rate < 0.2 || rate > 50) {
            options.error = tr("--bot needs 0.2 to 50 (messages a second).");
            return options;
        }
        options.botRate = rate;
        options.compare = true;
    }
    options.faultScript = parser.value(faultScriptOption);
    return options;
}

} // namespace PushChat
