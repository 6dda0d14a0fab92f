// pushchat-app-cost: what the desktop app itself costs while the compare view shows a steady
// stream (issue 16): the whole process's CPU, and the GUI thread's longest stall.
//
// The app hosts a room on loopback, opens the compare view (three observers, the server cost
// panel) and lets the bot send RATE messages a second for SECONDS; with `--view chat` the chat
// page stays in front instead (the message list following the stream, the inspector and the
// timeline) while a bot of the same kind sends from this process. A 5 ms timer on the GUI
// thread measures, between its ticks, the thread's own CPU time (work the thread did without
// coming back to its event loop) and the wall-clock gap (that work plus time spent waiting for
// a core). Prints one JSON line.
//
//   pushchat-app-cost [--rate 20] [--seconds 60] [--view compare|chat]
//   (QT_QPA_PLATFORM=offscreen, or a display)

#include "appoptions.h"
#include "chatclient.h"
#include "comparemodel.h"
#include "compareview.h"
#include "mainwindow.h"
#include "messagelistmodel.h"
#include "sessioncontroller.h"
#include "trafficgenerator.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

qint64 processCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double percentile(std::vector<qint64> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return double(values[size_t(p * double(values.size() - 1))]);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Bot messages a second."),
                      QStringLiteral("rate"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("How long to measure."),
                      QStringLiteral("seconds"), QStringLiteral("60")});
    parser.addOption({QStringLiteral("view"), QStringLiteral("compare (default) or chat."),
                      QStringLiteral("view"), QStringLiteral("compare")});
    parser.addHelpOption();
    parser.process(app);
    const double rate = parser.value(QStringLiteral("rate")).toDouble();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const bool chatView = parser.value(QStringLiteral("view")) == QLatin1String("chat");

    // The user's settings and stored rooms stay out of it.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toLocal8Bit());
    QCoreApplication::setOrganizationName(QStringLiteral("PushChatBench"));
    QCoreApplication::setApplicationName(QStringLiteral("pushchat-app-cost"));

    PushChat::MainWindow window;
    window.resize(1280, 720);
    window.show();
    QStringList arguments{QStringLiteral("pushchat"),   QStringLiteral("--host"),
                          QStringLiteral("--port"),     QStringLiteral("0"),
                          QStringLiteral("--room"),     QStringLiteral("Bench"),
                          QStringLiteral("--nick"),     QStringLiteral("teacher"),
                          QStringLiteral("--interval"), QStringLiteral("1000")};
    if (!chatView)
        arguments << QStringLiteral("--bot") << QString::number(rate);
    window.applyOptions(PushChat::AppOptions::parse(arguments));
    PushChat::TrafficGenerator chatBot;
    const auto shownRows = [&window, chatView] {
        return chatView ? window.session()->messages()->rowCount()
                        : window.compareView()->model()->rowCount();
    };

    // From the first message on all three lanes: the room is up, the observers connected.
    std::vector<qint64> busyNs;
    std::vector<qint64> gapNs;
    qint64 cpuAtStart = 0;
    QElapsedTimer wall;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 lastThreadNs = 0;
    qint64 lastWallNs = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 threadNs = threadCpuNs();
        const qint64 wallNs = wall.nsecsElapsed();
        busyNs.push_back(threadNs - lastThreadNs);
        gapNs.push_back(wallNs - lastWallNs);
        lastThreadNs = threadNs;
        lastWallNs = wallNs;
    });
    QTimer waitForStream;
    waitForStream.setInterval(50);
    QObject::connect(&waitForStream, &QTimer::timeout, [&] {
        PushChat::ChatClient *client = window.session()->client();
        if (chatView && client && client->state() == PushChat::ChatClient::State::Connected &&
            !chatBot.isRunning()) {
            chatBot.setServer(client->serverUrl(), client->key());
            chatBot.start(rate);
        }
        if (shownRows() < 5)
            return;
        waitForStream.stop();
        cpuAtStart = processCpuNs();
        wall.start();
        lastThreadNs = threadCpuNs();
        lastWallNs = 0;
        probe.start();
        QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    });
    waitForStream.start();
    QTimer::singleShot((seconds + 60) * 1000, &app, [&app] {
        std::fprintf(stderr, "the compare view never showed the bot's messages\n");
        app.exit(2);
    });
    if (const int code = app.exec(); code != 0)
        return code;

    const double elapsedS = double(wall.nsecsElapsed()) / 1e9;
    const double cpuS = double(processCpuNs() - cpuAtStart) / 1e9;
    QJsonObject result{
        {QStringLiteral("view"), chatView ? QStringLiteral("chat") : QStringLiteral("compare")},
        {QStringLiteral("rate"), rate},
        {QStringLiteral("seconds"), elapsedS},
        {QStringLiteral("rows_shown"), shownRows()},
        {QStringLiteral("process_cpu_s"), cpuS},
        {QStringLiteral("process_cpu_percent_of_one_core"), 100.0 * cpuS / elapsedS},
        {QStringLiteral("gui_busy_ms_max"), percentile(busyNs, 1.0) / 1e6},
        {QStringLiteral("gui_busy_ms_p99"), percentile(busyNs, 0.99) / 1e6},
        {QStringLiteral("gui_busy_ms_p50"), percentile(busyNs, 0.5) / 1e6},
        {QStringLiteral("gui_gap_ms_max"), percentile(gapNs, 1.0) / 1e6},
        {QStringLiteral("gui_gap_ms_p99"), percentile(gapNs, 0.99) / 1e6},
    };
    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    return 0;
}
