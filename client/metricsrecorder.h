#pragma once

#include "clientevent.h"
#include "transportmetrics.h"

#include <QObject>

#include <deque>

namespace PushChat {

class EventLog;

/// Counts what one transport costs and logs its events. ChatClient keeps one per transport
/// for its whole life, so counts survive switching; transports report into it.
class MetricsRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsRecorder)

public:
    MetricsRecorder(Transport transport, EventLog *log, QObject *parent = nullptr);

    Transport transport() const { return m_metrics.transport; }
    /// A snapshot with latency percentiles computed now.
    TransportMetrics metrics() const;
    void reset();

    void requestSent(qint64 bytes, const QString &detail = {});
    /// A complete response; `messages` < 0 for answers that are no poll page.
    void responseReceived(qint64 bytes, int messages);
    void frameOut(qint64 bytes, const QString &detail = {});
    void frameIn(qint64 bytes, int messages);
    /// Bytes that belong to no request or frame (partial reads).
    void bytesSent(qint64 bytes);
    void bytesReceived(qint64 bytes);
    /// Of the bytes counted by requestSent()/frameOut() (or responseReceived()/frameIn()),
    /// these were heads or frame headers rather than payload. Adds nothing to the totals.
    void headerSent(qint64 bytes);
    void headerReceived(qint64 bytes);
    /// The WebSocket handshake: connection setup, all of it header.
    void handshakeSent(qint64 bytes);
    void handshakeReceived(qint64 bytes);
    void connectionOpened();
    void connectionClosed();
    void messagesReceived(int count);
    void messageSent();
    void reconnect(const QString &reason);
    /// The link is back, `ms` after it was lost.
    void recovered(qint64 ms);
    void error(const QString &message);
    void modeSwitch();
    void latency(qint64 ms);

    /// Latency samples kept for percentiles.
    static constexpr int LatencyWindow = 500;

signals:
    /// Emitted at most every 100 ms after a change, so a flood of messages costs little.
    void changed(PushChat::Transport transport);

private:
    void log(ClientEvent::Type type, int count = 0, qint64 bytes = 0, const QString &detail = {});
    void touch();
    /// Use begins with the first activity and ends when the last connection closes.
    void noteActivity(qint64 nowMs);
    qint64 observedMs(qint64 nowMs) const;

    TransportMetrics m_metrics;
    qint64 m_useStartedMs = -1; ///< start of the current span of use; -1 between spans
    qint64 m_earlierUseMs = 0;  ///< length of the finished spans
    std::deque<qint64> m_latencies;
    EventLog *m_log;
    bool m_changePending = false;
};

} // namespace PushChat
