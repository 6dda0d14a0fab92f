#include "metricsrecorder.h"

#include "eventlog.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <vector>

namespace PushChat {

MetricsRecorder::MetricsRecorder(Transport transport, EventLog *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{
    m_metrics.transport = transport;
}

TransportMetrics MetricsRecorder::metrics() const
{
    TransportMetrics result = m_metrics;
    result.observedMs = observedMs(QDateTime::currentMSecsSinceEpoch());
    if (!m_latencies.empty()) {
        std::vector<qint64> sorted(m_latencies.begin(), m_latencies.end());
        std::sort(sorted.begin(), sorted.end());
        const auto at = [&](double q) {
            const auto index = size_t(std::lround(q * double(sorted.size() - 1)));
            return sorted[std::min(index, sorted.size() - 1)];
        };
        result.latency.samples = int(sorted.size());
        result.latency.p50 = at(0.50);
        result.latency.p95 = at(0.95);
        result.latency.max = sorted.back();
    }
    return result;
}

void MetricsRecorder::reset()
{
    const Transport transport = m_metrics.transport;
    const int open = m_metrics.openConnections;
    m_metrics = TransportMetrics{};
    m_metrics.transport = transport;
    m_metrics.openConnections = open;
    m_latencies.clear();
    m_earlierUseMs = 0;
    m_useStartedMs = open > 0 ? QDateTime::currentMSecsSinceEpoch() : -1;
    touch();
}

void MetricsRecorder::requestSent(qint64 bytes, const QString &detail)
{
    ++m_metrics.httpRequests;
    m_metrics.bytesSent += bytes;
    log(ClientEvent::Type::RequestSent, 0, bytes, detail);
}

void MetricsRecorder::responseReceived(qint64 bytes, int messages)
{
    ++m_metrics.httpResponses;
    if (messages == 0)
        ++m_metrics.emptyResponses;
    m_metrics.bytesReceived += bytes;
    log(messages == 0 ? ClientEvent::Type::ResponseEmpty : ClientEvent::Type::ResponseMessages,
        std::max(0, messages), bytes);
}

void MetricsRecorder::frameOut(qint64 bytes, const QString &detail)
{
    ++m_metrics.framesOut;
    m_metrics.bytesSent += bytes;
    log(ClientEvent::Type::FrameOut, 0, bytes, detail);
}

void MetricsRecorder::frameIn(qint64 bytes, int messages)
{
    ++m_metrics.framesIn;
    m_metrics.bytesReceived += bytes;
    log(ClientEvent::Type::FrameIn, messages, bytes);
}

void MetricsRecorder::bytesSent(qint64 bytes)
{
    m_metrics.bytesSent += bytes;
    touch();
}

void MetricsRecorder::bytesReceived(qint64 bytes)
{
    m_metrics.bytesReceived += bytes;
    touch();
}

void MetricsRecorder::headerSent(qint64 bytes)
{
    m_metrics.headerBytesSent += bytes;
}

void MetricsRecorder::headerReceived(qint64 bytes)
{
    m_metrics.headerBytesReceived += bytes;
}

void MetricsRecorder::handshakeSent(qint64 bytes)
{
    m_metrics.bytesSent += bytes;
    m_metrics.headerBytesSent += bytes;
    m_metrics.setupBytes += bytes;
    touch();
}

void MetricsRecorder::handshakeReceived(qint64 bytes)
{
    m_metrics.bytesReceived += bytes;
    m_metrics.headerBytesReceived += bytes;
    m_metrics.setupBytes += bytes;
    touch();
}

void MetricsRecorder::connectionOpened()
{
    ++m_metrics.openConnections;
    ++m_metrics.connectionsOpened;
    log(ClientEvent::Type::ConnectionOpened);
}

void MetricsRecorder::connectionClosed()
{
    m_metrics.openConnections = std::max(0, m_metrics.openConnections - 1);
    log(ClientEvent::Type::ConnectionClosed);
    if (m_metrics.openConnections == 0 && m_useStartedMs >= 0) {
        m_earlierUseMs += QDateTime::currentMSecsSinceEpoch() - m_useStartedMs;
        m_useStartedMs = -1;
    }
}

void MetricsRecorder::messagesReceived(int count)
{
    m_metrics.messagesReceived += count;
    touch();
}

void MetricsRecorder::messageSent()
{
    ++m_metrics.messagesSent;
    touch();
}

void MetricsRecorder::reconnect(const QString &reason)
{
    ++m_metrics.reconnects;
    log(ClientEvent::Type::Reconnect, 0, 0, reason);
}

void MetricsRecorder::recovered(qint64 ms)
{
    ++m_metrics.recoveries;
    m_metrics.lastRecoveryMs = ms;
    m_metrics.longestRecoveryMs = qMax(m_metrics.longestRecoveryMs, ms);
    touch();
}

void MetricsRecorder::error(const QString &message)
{
    log(ClientEvent::Type::Error, 0, 0, message);
}

void MetricsRecorder::modeSwitch()
{
    log(ClientEvent::Type::ModeSwitch);
}

void MetricsRecorder::latency(qint64 ms)
{
    m_latencies.push_back(std::max<qint64>(0, ms));
    if (m_latencies.size() > size_t(LatencyWindow))
        m_latencies.pop_front();
    touch();
}

void MetricsRecorder::log(ClientEvent::Type type, int count, qint64 bytes, const QString &detail)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    noteActivity(nowMs);
    if (m_log) {
        ClientEvent event;
        event.timeMs = nowMs;
        event.type = type;
        event.transport = m_metrics.transport;
        event.count = count;
        event.bytes = bytes;
        event.detail = detail;
        m_log->append(event);
    }
    touch();
}

void MetricsRecorder::noteActivity(qint64 nowMs)
{
    if (m_useStartedMs < 0)
        m_useStartedMs = nowMs;
}

qint64 MetricsRecorder::observedMs(qint64 nowMs) const
{
    return m_earlierUseMs + (m_useStartedMs >= 0 ? std::max<qint64>(0, nowMs - m_useStartedMs) : 0);
}

void MetricsRecorder::touch()
{
    if (m_changePending)
        return;
    m_changePending = true;
    QTimer::singleShot(100, this, [this] {
        m_changePending = false;
        emit changed(m_metrics.transport);
    });
}

} // namespace PushChat
