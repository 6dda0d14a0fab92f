// pushchat-bench: N clients of one technique against a PushChat (or reference) server.

#include "benchoptions.h"
#include "benchrun.h"
#include "epolleventdispatcher.h"
#include "systemlimits.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <cstdio>

using namespace PushChat::Bench;

int main(int argc, char *argv[])
{
    // Thousands of client sockets in one loop: epoll, whose cost follows the ready sockets
    // (GLib's and Qt's UNIX dispatchers scan every socket on each wake-up).
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication::setEventDispatcher(new PushChat::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pushchat-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Opens N clients of one technique, posts messages, reports latency and cost.\n"
        "Prints a table and one JSON line; exits 1 if anything was lost or failed."));
    parser.addHelpOption();
    parser.addVersionOption();
    auto option = [&](const QString &name, const QString &help, const QString &valueName = {},
                      const QString &fallback = {}) {
        QCommandLineOption o(name, help, valueName, fallback);
        parser.addOption(o);
        return o;
    };
    const auto technique =
        option(QStringLiteral("technique"), QStringLiteral("poll, longpoll or ws."),
               QStringLiteral("t"), QStringLiteral("ws"));
    const auto url = option(QStringLiteral("url"), QStringLiteral("Server URL (loopback only)."),
                            QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8765/"));
    const auto serverPid =
        option(QStringLiteral("server-pid"),
               QStringLiteral("Server process for CPU and RSS figures."), QStringLiteral("pid"));
    const auto serverCmd =
        option(QStringLiteral("server-cmd"),
               QStringLiteral("Start this server command (it must print http://127.0.0.1:PORT/); "
                              "stopped at the end. Overrides --url and --server-pid."),
               QStringLiteral("command"));
    const auto label = option(QStringLiteral("label"), QStringLiteral("Name in the report."),
                              QStringLiteral("name"), QStringLiteral("server"));
    const auto clients = option(QStringLiteral("clients"), QStringLiteral("Receiving clients."),
                                QStringLiteral("n"), QStringLiteral("10"));
    const auto messages = option(QStringLiteral("messages"), QStringLiteral("Messages to send."),
                                 QStringLiteral("n"), QStringLiteral("5"));
    const auto rate = option(QStringLiteral("rate"),
                             QStringLiteral("Messages per second; 0: one at a time, the next "
                                            "once every client got the last."),
                             QStringLiteral("per-second"), QStringLiteral("1"));
    const auto idle = option(QStringLiteral("idle"),
                             QStringLiteral("With --messages 0: seconds to measure idle cost."),
                             QStringLiteral("s"), QStringLiteral("0"));
    const auto interval =
        option(QStringLiteral("poll-interval"), QStringLiteral("Short-poll interval."),
               QStringLiteral("ms"), QStringLiteral("1000"));
    const auto wait = option(QStringLiteral("wait"), QStringLiteral("Long-poll wait."),
                             QStringLiteral("s"), QStringLiteral("30"));
    const auto sources = option(QStringLiteral("source-addresses"),
                                QStringLiteral("Spread client sockets over 127.0.0.1 … .N."),
                                QStringLiteral("n"), QStringLiteral("1"));
    const auto senders =
        option(QStringLiteral("senders"), QStringLiteral("HTTP connections posting in parallel."),
               QStringLiteral("n"), QStringLiteral("8"));
    const auto settle = option(QStringLiteral("settle"),
                               QStringLiteral("Pause after connecting, before measuring."),
                               QStringLiteral("ms"), QStringLiteral("1000"));
    const auto timeout = option(QStringLiteral("delivery-timeout"),
                                QStringLiteral("Wait this long after the last send."),
                                QStringLiteral("ms"), QStringLiteral("10000"));
    const auto concurrency = option(QStringLiteral("connect-concurrency"),
                                    QStringLiteral("Connections being opened at once."),
                                    QStringLiteral("n"), QStringLiteral("200"));
    parser.process(app);

    auto fail = [](const char *message) {
        std::fprintf(stderr, "pushchat-bench: %s\n", message);
        return 2;
    };
    BenchOptions options;
    const QString t = parser.value(technique);
    if (t == u"poll")
        options.technique = Technique::Poll;
    else if (t == u"longpoll")
        options.technique = Technique::LongPoll;
    else if (t == u"ws")
        options.technique = Technique::WebSocket;
    else
        return fail("--technique must be poll, longpoll or ws");
    const QUrl serverUrl(parser.value(url));
    if (!options.host.setAddress(serverUrl.host()) || !options.host.isLoopback())
        return fail("--url must name a loopback IP address");
    options.port = quint16(serverUrl.port(8765));
    options.serverPid = parser.value(serverPid).toLongLong();
    if (parser.isSet(serverCmd))
        options.serverCommand = QProcess::splitCommand(parser.value(serverCmd));
    options.label = parser.value(label);
    options.clients = parser.value(clients).toInt();
    options.messages = parser.value(messages).toInt();
    options.rate = parser.value(rate).toDouble();
    options.idleSeconds = parser.value(idle).toInt();
    options.pollIntervalMs = parser.value(interval).toInt();
    options.waitSeconds = parser.value(wait).toInt();
    options.sourceAddresses = parser.value(sources).toInt();
    options.senderConnections = parser.value(senders).toInt();
    options.settleMs = parser.value(settle).toInt();
    options.deliveryTimeoutMs = parser.value(timeout).toInt();
    options.connectConcurrency = std::max(1, parser.value(concurrency).toInt());
    if (options.clients < 1 || options.messages < 0 || options.rate < 0 ||
        options.waitSeconds < 1 || options.waitSeconds > 60 || options.pollIntervalMs < 0)
        return fail("bad numbers: see --help");

    const long files = PushChat::raiseOpenFileLimit();
    if (files >= 0 && files < options.clients + 100)
        std::fprintf(stderr, "pushchat-bench: warning: only %ld open files allowed\n", files);

    BenchRun run(options);
    QObject::connect(&run, &BenchRun::finished, &app,
                     [](int code) { QCoreApplication::exit(code); });
    QTimer::singleShot(0, &run, &BenchRun::start);
    return app.exec();
}
