// One benchmark run: starts the server, connects the clients, paces the messages and collects
// latency, CPU and memory. Over 500 lines because a run is one sequence of phases that share
// their state; each phase is its own function.

#include "benchrun.h"

#include "benchclient.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace PushChat::Bench {

namespace {

constexpr int ConnectTimeoutMs = 180000;
constexpr int ServerStartTimeoutMs = 15000;
constexpr int PollTickMs = 2;
constexpr int RssSampleMs = 100;

double percentileMs(std::vector<qint64> &values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(q * double(values.size())));
    const auto at = std::clamp<qsizetype>(rank - 1, 0, qsizetype(values.size()) - 1);
    return double(values[size_t(at)]) / 1e6;
}

double round3(double value)
{
    return std::round(value * 1000) / 1000;
}

QJsonObject distribution(std::vector<qint64> &values)
{
    double sum = 0;
    for (qint64 v : values)
        sum += double(v);
    return {{"count", qint64(values.size())},
            {"mean", round3(values.empty() ? 0 : sum / double(values.size()) / 1e6)},
            {"p50", round3(percentileMs(values, 0.50))},
            {"p95", round3(percentileMs(values, 0.95))},
            {"p99", round3(percentileMs(values, 0.99))},
            {"max", round3(percentileMs(values, 1.0))}};
}

} // namespace

QString techniqueName(Technique technique)
{
    switch (technique) {
    case Technique::Poll:
        return QStringLiteral("poll");
    case Technique::LongPoll:
        return QStringLiteral("longpoll");
    case Technique::WebSocket:
        return QStringLiteral("ws");
    }
    return {};
}

BenchRun::BenchRun(const BenchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_probe(options.serverPid)
{
    m_tag = QByteArray::number(QRandomGenerator::global()->generate(), 16);
}

BenchRun::~BenchRun()
{
    // The clients leave the receive loop as they close, before it goes.
    qDeleteAll(findChildren<BenchClient *>(Qt::FindDirectChildrenOnly));
    if (m_serverProcess && m_serverProcess->state() != QProcess::NotRunning) {
        m_serverProcess->kill();
        m_serverProcess->waitForFinished(2000);
    }
}

qint64 BenchRun::nowNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.nsecsElapsed();
}

void BenchRun::start()
{
    nowNs();
    if (!m_options.serverCommand.isEmpty()) {
        startServer();
        return;
    }
    serverReady(m_options.port);
}

void BenchRun::startServer()
{
    m_serverProcess = new QProcess(this);
    m_serverProcess->setProgram(m_options.serverCommand.first());
    m_serverProcess->setArguments(m_options.serverCommand.mid(1));
    m_serverProcess->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(m_serverProcess, &QProcess::readyReadStandardOutput, this, [this] {
        m_serverOutput += m_serverProcess->readAllStandardOutput();
        if (m_port != 0)
            return;
        static const QRegularExpression url(QStringLiteral(R"(http://127\.0\.0\.1:(\d+)/)"));
        const auto match = url.match(QString::fromUtf8(m_serverOutput));
        if (match.hasMatch())
            serverReady(quint16(match.captured(1).toUInt()));
    });
    connect(m_serverProcess, &QProcess::finished, this, [this] {
        if (!m_done)
            abort(QStringLiteral("the server exited early"));
    });
    m_serverProcess->start();
    if (!m_serverProcess->waitForStarted(ServerStartTimeoutMs)) {
        abort(QStringLiteral("cannot start %1: %2")
                  .arg(m_options.serverCommand.first(), m_serverProcess->errorString()));
        return;
    }
    m_probe = ProcessProbe(m_serverProcess->processId());
    QTimer::singleShot(ServerStartTimeoutMs, this, [this] {
        if (m_port == 0)
            abort(QStringLiteral("the server printed no http://127.0.0.1:PORT/ line"));
    });
}

void BenchRun::serverReady(quint16 port)
{
    m_port = port;
    m_hostHeader = m_options.host.toString().toLatin1() + ':' + QByteArray::number(port);
    // Let the server settle after start-up before its baseline memory is read.
    QTimer::singleShot(m_serverProcess ? 500 : 0, this, [this] {
        if (m_probe.isValid())
            m_rssBaselineKiB = m_probe.rssKiB();
        m_probeClient = new BenchClient(this, Technique::Poll, BenchClient::Role::Probe, -1, this);
        m_probeClient->open(QHostAddress());
    });
    QTimer::singleShot(ConnectTimeoutMs, this, [this] {
        if (!m_connected)
            abort(QStringLiteral("not every client connected within %1 s (%2 of %3)")
                      .arg(ConnectTimeoutMs / 1000)
                      .arg(m_ready)
                      .arg(m_receivers.size() + m_senders.size()));
    });
}

QHostAddress BenchRun::sourceAddress(int index) const
{
    if (m_options.sourceAddresses <= 1)
        return QHostAddress();
    return QHostAddress(quint32(0x7f000001 + quint32(index % m_options.sourceAddresses)));
}

void BenchRun::roomProbed(qint64 lastSeq)
{
    m_cursor = lastSeq;
    m_probeClient->close();
    m_probeClient->deleteLater();
    m_probeClient = nullptr;

    m_pollTimer = new QTimer(this);
    m_pollTimer->setTimerType(Qt::PreciseTimer);
    m_pollTimer->setInterval(PollTickMs);
    connect(m_pollTimer, &QTimer::timeout, this, &BenchRun::runPolls);
    if (m_options.technique == Technique::Poll)
        m_pollTimer->start();

    const int senders =
        m_options.technique == Technique::WebSocket ? 1 : std::max(1, m_options.senderConnections);
    for (int i = 0; i < senders; ++i) {
        m_senders << new BenchClient(this, m_options.technique, BenchClient::Role::Sender,
                                     m_options.clients + i, this);
    }
    for (int i = 0; i < m_options.clients; ++i) {
        m_receivers << new BenchClient(this, m_options.technique, BenchClient::Role::Receiver, i,
                                       this);
    }
    m_toOpen = m_senders + m_receivers;
    std::reverse(m_toOpen.begin(), m_toOpen.end());
    openMore();
}

void BenchRun::openMore()
{
    while (m_opening < m_options.connectConcurrency && !m_toOpen.isEmpty()) {
        BenchClient *client = m_toOpen.takeLast();
        client->setCursor(m_cursor);
        ++m_opening;
        client->open(sourceAddress(client->index()));
    }
    if (!m_connected && m_toOpen.isEmpty() && m_opening == 0)
        allConnected();
}

void BenchRun::clientReady(BenchClient *)
{
    ++m_ready;
    --m_opening;
    openMore();
}

void BenchRun::clientFailed(BenchClient *client, const QString &why)
{
    if (client == m_probeClient) {
        // Nothing can start without the room's state: say so now, not after the connect timeout.
        abort(QStringLiteral("cannot reach the server: %1").arg(why));
        return;
    }
    ++m_errors;
    if (m_errorSamples.size() < 5)
        m_errorSamples << QStringLiteral("client %1: %2").arg(client->index()).arg(why);
    if (!client->isReady()) {
        ++m_failedClients;
        --m_opening;
        openMore();
    }
}

void BenchRun::allConnected()
{
    m_connected = true;
    m_rssTimer = new QTimer(this);
    m_rssTimer->setInterval(RssSampleMs);
    connect(m_rssTimer, &QTimer::timeout, this, &BenchRun::sampleRss);
    m_rssTimer->start();
    QTimer::singleShot(m_options.settleMs, this, [this] {
        if (m_probe.isValid())
            m_rssConnectedKiB = m_probe.rssKiB();
        startWindow();
    });
}

void BenchRun::sampleRss()
{
    if (!m_windowOpen || !m_probe.isValid())
        return;
    m_rssPeakKiB = std::max(m_rssPeakKiB, m_probe.rssKiB());
}

void BenchRun::startWindow()
{
    m_windowOpen = true;
    m_windowStartNs = nowNs();
    m_windowStartCounters = m_counters;
    m_selfCpuStart = ProcessProbe(QCoreApplication::applicationPid()).cpuSeconds();
    m_errors = 0; // only what goes wrong while measuring counts; failed connects stay counted
    m_errors += m_failedClients;
    if (m_probe.isValid()) {
        m_cpuStart = m_probe.cpuSeconds();
        m_rssPeakKiB = m_probe.rssKiB();
    }
    const auto receivers = size_t(m_receivers.size());
    const auto messages = size_t(m_options.messages);
    m_seen.assign(receivers * messages, 0);
    m_deliveredPerMessage.assign(messages, 0);
    m_latencyNs.reserve(receivers * messages);

    if (m_options.messages <= 0) {
        QTimer::singleShot(std::max(0, m_options.idleSeconds) * 1000, this,
                           &BenchRun::finishWindow);
        return;
    }
    if (m_options.rate <= 0) {
        sendOne();
        return;
    }
    m_sendTimer = new QTimer(this);
    m_sendTimer->setTimerType(Qt::PreciseTimer);
    m_sendTimer->setInterval(std::clamp(int(500 / m_options.rate), 1, 100));
    connect(m_sendTimer, &QTimer::timeout, this, &BenchRun::sendDue);
    m_sendTimer->start();
    sendDue();
}

void BenchRun::sendDue()
{
    const double elapsed = double(nowNs() - m_windowStartNs) / 1e9;
    const int due = std::min(m_options.messages, 1 + int(elapsed * m_options.rate));
    while (m_sent < due)
        sendOne();
    if (m_sent >= m_options.messages)
        m_sendTimer->stop();
}

void BenchRun::sendOne()
{
    if (m_sent >= m_options.messages)
        return;
    const int index = m_sent++;
    if (m_options.technique == Technique::WebSocket) {
        m_senders.first()->post("bench " + m_tag + ' ' + QByteArray::number(index) + ' ' +
                                QByteArray::number(nowNs()));
    } else {
        m_postQueue.append(index);
        flushPostQueue();
    }
    if (m_sent == m_options.messages) {
        m_lastSendNs = nowNs();
        const int timeout = m_options.deliveryTimeoutMs +
                            (m_options.technique == Technique::Poll ? m_options.pollIntervalMs : 0);
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
        connect(m_deadline, &QTimer::timeout, this, &BenchRun::finishWindow);
        m_deadline->start(timeout);
    }
}

void BenchRun::flushPostQueue()
{
    for (BenchClient *sender : std::as_const(m_senders)) {
        if (m_postQueue.isEmpty())
            return;
        if (sender->isBusy() || !sender->isReady())
            continue;
        const int index = m_postQueue.takeFirst();
        sender->post("bench " + m_tag + ' ' + QByteArray::number(index) + ' ' +
                     QByteArray::number(nowNs()));
    }
}

void BenchRun::postAccepted(BenchClient *, qint64 rttNs)
{
    ++m_accepted;
    if (m_windowOpen)
        m_postRttNs.push_back(rttNs);
    flushPostQueue();
    checkDone();
}

void BenchRun::pollAnswered(BenchClient *, qint64 rttNs)
{
    if (m_windowOpen && m_options.technique == Technique::Poll)
        m_pollRttNs.push_back(rttNs);
}

void BenchRun::schedulePoll(BenchClient *client, qint64 dueNs)
{
    m_duePolls.push({dueNs, client});
}

void BenchRun::runPolls()
{
    const qint64 now = nowNs();
    while (!m_duePolls.empty() && m_duePolls.top().dueNs <= now) {
        BenchClient *client = m_duePolls.top().client;
        m_duePolls.pop();
        client->pollNow();
    }
}

void BenchRun::delivered(BenchClient *client, int index, qint64 sendNs, qint64 arrivalNs)
{
    if (!m_windowOpen)
        return;
    if (index < 0 || index >= m_options.messages || client->index() < 0 ||
        client->index() >= m_receivers.size()) {
        ++m_errors;
        return;
    }
    quint8 &seen = m_seen[size_t(client->index()) * size_t(m_options.messages) + size_t(index)];
    if (seen) {
        ++m_duplicates;
        return;
    }
    seen = 1;
    m_latencyNs.push_back(arrivalNs - sendNs);
    m_lastDeliveryNs = arrivalNs;
    ++m_delivered;
    if (++m_deliveredPerMessage[size_t(index)] == m_receivers.size() && m_options.rate <= 0) {
        if (m_options.technique == Technique::Poll) {
            // Sending right after a poll answered would always wait a whole interval: start the
            // next message at a random point of the poll cycle instead.
            QTimer::singleShot(
                QRandomGenerator::global()->bounded(std::max(1, m_options.pollIntervalMs)), this,
                &BenchRun::sendOne);
        } else {
            sendOne();
        }
    }
    checkDone();
}

void BenchRun::checkDone()
{
    if (!m_windowOpen || m_options.messages <= 0 || m_sent < m_options.messages)
        return;
    if (m_accepted >= m_options.messages &&
        m_delivered == qint64(m_options.messages) * m_receivers.size())
        QTimer::singleShot(0, this, &BenchRun::finishWindow);
}

void BenchRun::finishWindow()
{
    if (m_done || !m_windowOpen)
        return;
    m_windowEndNs = nowNs();
    sampleRss();
    m_windowOpen = false;
    m_done = true;
    if (m_probe.isValid())
        m_cpuEnd = m_probe.cpuSeconds();
    m_selfCpuEnd = ProcessProbe(QCoreApplication::applicationPid()).cpuSeconds();
    for (QTimer *timer : {m_pollTimer, m_sendTimer, m_rssTimer, m_deadline}) {
        if (timer)
            timer->stop();
    }
    report();
    for (BenchClient *client : std::as_const(m_senders))
        client->close();
    for (BenchClient *client : std::as_const(m_receivers))
        client->close();
    if (m_serverProcess) {
        m_serverProcess->terminate();
        if (!m_serverProcess->waitForFinished(10000))
            m_serverProcess->kill();
    }
    const qint64 undelivered = qint64(m_options.messages) * m_receivers.size() - m_delivered;
    const bool clean =
        m_errors == 0 && undelivered == 0 && m_duplicates == 0 && m_accepted == m_options.messages;
    emit finished(clean ? 0 : 1);
}

void BenchRun::abort(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    std::fprintf(stderr, "pushchat-bench: %s\n", qPrintable(why));
    for (const QString &sample : std::as_const(m_errorSamples))
        std::fprintf(stderr, "  %s\n", qPrintable(sample));
    emit finished(2);
}

void BenchRun::report()
{
    const double windowS = double(m_windowEndNs - m_windowStartNs) / 1e9;
    const double activeS =
        m_delivered > 0 ? double(m_lastDeliveryNs - m_windowStartNs) / 1e9 : windowS;
    const qint64 requests = m_counters.requests - m_windowStartCounters.requests;
    const qint64 framesOut = m_counters.framesOut - m_windowStartCounters.framesOut;
    const qint64 bytes = (m_counters.bytesIn - m_windowStartCounters.bytesIn) +
                         (m_counters.bytesOut - m_windowStartCounters.bytesOut);
    const qint64 expected = qint64(m_options.messages) * m_receivers.size();
    const double cpu = m_probe.isValid() ? m_cpuEnd - m_cpuStart : -1;
    const double perDelivered = m_delivered > 0 ? 1.0 / double(m_delivered) : 0;
    const int clientsUp = int(m_receivers.size()) - m_failedClients;
    const double memPerClient = m_rssConnectedKiB >= 0 && m_rssBaselineKiB >= 0 && clientsUp > 0
                                    ? double(m_rssConnectedKiB - m_rssBaselineKiB) / clientsUp
                                    : -1;

    QJsonObject json{
        {"label", m_options.label},
        {"technique", techniqueName(m_options.technique)},
        {"clients", m_options.clients},
        {"messages", m_options.messages},
        {"rate", m_options.rate},
        {"idle_s", m_options.idleSeconds},
        {"window_s", round3(windowS)},
        {"sent", m_sent},
        {"accepted", m_accepted},
        {"expected", expected},
        {"delivered", m_delivered},
        {"undelivered", expected - m_delivered},
        {"duplicates", m_duplicates},
        {"errors", m_errors},
        {"latency_ms", distribution(m_latencyNs)},
        {"poll_response_ms", distribution(m_pollRttNs)},
        {"post_ms", distribution(m_postRttNs)},
        {"delivered_per_s", round3(activeS > 0 ? double(m_delivered) / activeS : 0)},
        {"requests", requests},
        {"client_frames", framesOut},
        {"bytes", bytes},
        {"requests_per_s", round3(windowS > 0 ? double(requests) / windowS : 0)},
        {"bytes_per_s", round3(windowS > 0 ? double(bytes) / windowS : 0)},
        {"requests_per_delivered", round3(double(requests) * perDelivered)},
        {"bytes_per_delivered", round3(double(bytes) * perDelivered)},
        {"server_cpu_s", round3(cpu)},
        {"server_cpu_us_per_delivered", round3(cpu * 1e6 * perDelivered)},
        {"client_cpu_s", round3(m_selfCpuEnd - m_selfCpuStart)},
        {"rss_baseline_kib", m_rssBaselineKiB},
        {"rss_connected_kib", m_rssConnectedKiB},
        {"rss_peak_kib", m_rssPeakKiB},
        {"mem_per_client_kib", round3(memPerClient)},
    };

    const QJsonObject lat = json.value("latency_ms").toObject();
    const QJsonObject pollRtt = json.value("poll_response_ms").toObject();
    auto row = [](const char *name, const QString &value) {
        std::printf("  %-28s %s\n", name, qPrintable(value));
    };
    auto num = [](double v, int decimals = 3) { return QString::number(v, 'f', decimals); };
    std::printf("%s %s: %d clients, %d messages at %s/s%s\n", qPrintable(m_options.label),
                qPrintable(techniqueName(m_options.technique)), m_options.clients,
                m_options.messages,
                m_options.rate <= 0 ? "one-at-a-time" : qPrintable(num(m_options.rate, 0)),
                m_options.messages <= 0
                    ? qPrintable(QStringLiteral(", idle %1 s").arg(m_options.idleSeconds))
                    : "");
    row("window s", num(windowS));
    row("delivered / expected", QStringLiteral("%1 / %2 (undelivered %3, duplicates %4)")
                                    .arg(m_delivered)
                                    .arg(expected)
                                    .arg(expected - m_delivered)
                                    .arg(m_duplicates));
    row("errors", QString::number(m_errors));
    row("latency ms p50/p95/p99/max",
        QStringLiteral("%1 / %2 / %3 / %4")
            .arg(num(lat.value("p50").toDouble()), num(lat.value("p95").toDouble()),
                 num(lat.value("p99").toDouble()), num(lat.value("max").toDouble())));
    if (m_options.technique == Technique::Poll) {
        row("poll response ms p50/p99/max",
            QStringLiteral("%1 / %2 / %3")
                .arg(num(pollRtt.value("p50").toDouble()), num(pollRtt.value("p99").toDouble()),
                     num(pollRtt.value("max").toDouble())));
    }
    row("delivered / s", num(json.value("delivered_per_s").toDouble(), 1));
    row("requests (per s, per msg)",
        QStringLiteral("%1 (%2, %3)")
            .arg(requests)
            .arg(num(json.value("requests_per_s").toDouble(), 1),
                 num(json.value("requests_per_delivered").toDouble())));
    row("wire bytes (per s, per msg)",
        QStringLiteral("%1 (%2, %3)")
            .arg(bytes)
            .arg(num(json.value("bytes_per_s").toDouble(), 0),
                 num(json.value("bytes_per_delivered").toDouble(), 1)));
    row("server CPU s (us per msg)",
        QStringLiteral("%1 (%2)").arg(num(cpu), num(cpu * 1e6 * perDelivered, 1)));
    row("load generator CPU s", num(m_selfCpuEnd - m_selfCpuStart));
    row("server RSS KiB base/conn/peak", QStringLiteral("%1 / %2 / %3")
                                             .arg(m_rssBaselineKiB)
                                             .arg(m_rssConnectedKiB)
                                             .arg(m_rssPeakKiB));
    row("memory per client KiB", num(memPerClient, 2));
    for (const QString &sample : std::as_const(m_errorSamples))
        row("error", sample);
    std::printf("%s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace PushChat::Bench
