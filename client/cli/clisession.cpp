#include "clisession.h"

#include "metricsrecorder.h"

#include <QTimer>

#include <unistd.h>

#include <cstdio>

namespace PushChat {

namespace {
/// No pong this long after a ping: the link is dead (the library's default).
constexpr int PongTimeoutMs = 10000;
} // namespace

CliSession::CliSession(const Options &options, QObject *parent)
    : QObject(parent)
    , m_stdin(STDIN_FILENO, QSocketNotifier::Read)
    , m_out(stdout)
    , m_err(stderr)
{
    m_client.setServerUrl(options.url);
    m_client.setTlsTrust(options.caCertificates, options.pinnedSha256);
    m_client.setNick(options.nick);
    m_client.setKey(options.key);
    m_client.setMode(options.mode);
    m_client.setPollInterval(options.intervalMs);
    m_client.setWebSocketTiming(options.heartbeatSeconds * 1000, PongTimeoutMs);
    m_stdin.setEnabled(false);
    connect(&m_stdin, &QSocketNotifier::activated, this, &CliSession::onStdin);

    connect(&m_client, &ChatClient::messageReceived, this, [this](const ChatMessage &message) {
        m_out << '[' << message.seq << "] ";
        if (message.kind == MessageKind::Chat)
            m_out << message.nick << ": " << message.text;
        else
            m_out << "* "
                  << (message.kind == MessageKind::Join ? tr("%1 joined") : tr("%1 left"))
                         .arg(message.nick);
        m_out << Qt::endl;
    });
    connect(&m_client, &ChatClient::stateChanged, this,
            [this](ChatClient::State state, const QString &reason) {
                if (state == ChatClient::State::Reconnecting)
                    m_err << "* " << tr("reconnecting: %1").arg(reason) << Qt::endl;
                else if (state == ChatClient::State::Connected) {
                    m_err << "* " << reason << Qt::endl;
                    // Input that ended while connecting: leave now that there is a link.
                    if (m_leaving && m_client.pendingCount() == 0)
                        finish(m_failures ? 1 : 0);
                } else if (state == ChatClient::State::Disconnected && !m_leaving) {
                    m_err << "pushchat-cli: " << reason << Qt::endl;
                    finish(1);
                }
            });
    connect(&m_client, &ChatClient::errorOccurred, this, [this](ErrorCode, const QString &message) {
        if (!m_client.hasConnected())
            failToConnect(message);
    });
    connect(&m_client, &ChatClient::gapDetected, this, [this](qint64 after) {
        m_err << "* "
              << tr("some messages after %1 were missed (evicted from the history)").arg(after)
              << Qt::endl;
    });
    connect(&m_client, &ChatClient::historyReset, this, [this] {
        m_err << "* "
              << tr("the room has another history now (a restart without its store, or "
                    "cleared): showing it from the start")
              << Qt::endl;
    });
    connect(&m_client, &ChatClient::sendFailed, this, [this](qint64 id, const QString &reason) {
        ++m_failures;
        m_err << "pushchat-cli: " << tr("message %1 was refused: %2").arg(id).arg(reason)
              << Qt::endl;
    });
    connect(&m_client, &ChatClient::outboxDrained, this, [this] {
        if (m_leaving)
            finish(m_failures ? 1 : 0);
    });
}

void CliSession::start()
{
    m_client.connectToServer();
    m_stdin.setEnabled(true);
}

void CliSession::onStdin()
{
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_stdin.setEnabled(false);
        if (!m_input.isEmpty())
            handleLine(QString::fromUtf8(std::exchange(m_input, {})));
        leave();
        return;
    }
    m_input.append(buffer, n);
    qsizetype newline;
    while (!m_leaving && (newline = m_input.indexOf('\n')) >= 0) {
        QByteArray line = m_input.left(newline);
        m_input.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        handleLine(QString::fromUtf8(line));
    }
}

void CliSession::handleLine(const QString &line)
{
    if (line.trimmed().isEmpty())
        return;
    if (line == QLatin1String("/quit")) {
        m_stdin.setEnabled(false);
        leave();
        return;
    }
    if (line == QLatin1String("/stats")) {
        printStats();
        return;
    }
    if (line.startsWith(QLatin1String("/mode"))) {
        const QString name = line.mid(5).trimmed();
        std::optional<Transport> mode = transportFromName(name);
        if (name == QLatin1String("poll"))
            mode = Transport::Polling;
        else if (name == QLatin1String("ws"))
            mode = Transport::WebSocket;
        if (!mode) {
            m_err << "pushchat-cli: " << tr("/mode poll|longpoll|ws") << Qt::endl;
            return;
        }
        m_client.setMode(*mode);
        m_err << "* " << tr("mode %1").arg(transportName(*mode)) << Qt::endl;
        return;
    }
    if (m_client.nick().isEmpty()) {
        m_err << "pushchat-cli: " << tr("an observer (no --nick) cannot send") << Qt::endl;
        return;
    }
    m_client.send(line);
}

void CliSession::printStats()
{
    m_out << "transport   requests  responses  empty  msgs-in  msgs-out  bytes-out  bytes-in  "
             "conns  p50ms  p95ms  maxms"
          << Qt::endl;
    for (const Transport transport :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        const TransportMetrics m = m_client.metrics(transport);
        m_out << qSetFieldWidth(10) << Qt::left << transportName(transport) << Qt::right
              << qSetFieldWidth(10) << m.httpRequests << qSetFieldWidth(11) << m.httpResponses
              << qSetFieldWidth(7) << m.emptyResponses << qSetFieldWidth(9) << m.messagesReceived
              << qSetFieldWidth(10) << m.messagesSent << qSetFieldWidth(11) << m.bytesSent
              << qSetFieldWidth(10) << m.bytesReceived << qSetFieldWidth(7) << m.openConnections
              << qSetFieldWidth(7) << m.latency.p50 << qSetFieldWidth(7) << m.latency.p95
              << qSetFieldWidth(7) << m.latency.max << qSetFieldWidth(0) << Qt::endl;
    }
    m_out << tr("clock offset %1 ms (±%2 ms), mode %3")
                 .arg(m_client.clock().offsetMs())
                 .arg(m_client.clock().uncertaintyMs())
                 .arg(transportName(m_client.mode()))
          << Qt::endl;
}

void CliSession::leave()
{
    if (m_leaving)
        return;
    m_leaving = true;
    if (m_client.hasConnected() && m_client.pendingCount() == 0) {
        finish(m_failures ? 1 : 0);
        return;
    }
    // Otherwise the first connection's outcome (errorOccurred() or Connected) or
    // outboxDrained() finishes, after every typed message was accepted or refused; a script
    // must not hang for ever on a server that is gone, though.
    QTimer::singleShot(LeaveTimeoutMs, this, [this] {
        if (m_finished)
            return;
        if (!m_client.hasConnected()) {
            failToConnect(m_client.stateReason());
            return;
        }
        m_err << "pushchat-cli: "
              << tr("%n message(s) not confirmed by the server: %1", nullptr,
                    int(m_client.pendingCount()))
                     .arg(m_client.stateReason())
              << Qt::endl;
        finish(1);
    });
}

void CliSession::failToConnect(const QString &reason)
{
    m_err << "pushchat-cli: "
          << tr("cannot connect to %1: %2").arg(m_client.serverUrl().toString(), reason)
          << Qt::endl;
    finish(ExitCannotConnect);
}

void CliSession::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_stdin.setEnabled(false);
    m_client.disconnectFromServer();
    m_out.flush();
    m_err.flush();
    emit finished(exitCode);
}

} // namespace PushChat
