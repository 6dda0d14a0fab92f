#include "faultinjector.h"

#include "serverclock.h"
#include "serverlog.h"

namespace PushChat {

namespace {

FaultSettings clamped(FaultSettings settings)
{
    settings.addedLatencyMs = qBound(0, settings.addedLatencyMs, FaultSettings::MaxAddedLatencyMs);
    if (settings.proxyTimeoutSeconds != 0)
        settings.proxyTimeoutSeconds =
            qBound(FaultSettings::MinProxyTimeoutSeconds, settings.proxyTimeoutSeconds,
                   FaultSettings::MaxProxyTimeoutSeconds);
    return settings;
}

} // namespace

FaultInjector::FaultInjector(const FaultSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(clamped(settings))
    , m_silenceTimer(this)
{
    connect(&m_silenceTimer, &QTimer::timeout, this, &FaultInjector::checkSilence);
}

void FaultInjector::start()
{
    m_running = true;
    updateSilenceTimer();
}

void FaultInjector::stop()
{
    m_running = false;
    m_silenceTimer.stop();
}

void FaultInjector::apply(const FaultSettings &settings)
{
    const FaultSettings next = clamped(settings);
    if (next == m_settings)
        return;
    qCInfo(lcServer) << "faults: latency" << next.addedLatencyMs << "ms, proxy timeout"
                     << next.proxyTimeoutSeconds << "s, blocked"
                     << (next.blocked ? transportName(*next.blocked) : QStringLiteral("none"));
    m_settings = next;
    updateSilenceTimer();
}

qint64 FaultInjector::heldRequestDeadline(qint64 nowMs, qint64 deadlineMs) const
{
    if (m_settings.proxyTimeoutSeconds <= 0)
        return deadlineMs;
    return qMin(deadlineMs, nowMs + m_settings.proxyTimeoutSeconds * 1000LL);
}

std::optional<FaultInjector::Refusal> FaultInjector::refusal(Transport technique) const
{
    if (m_settings.blocked != technique)
        return std::nullopt;
    // 403 with a header that names the technique: the client can tell "this network refuses
    // WebSocket" from a wrong key or a refused origin, and say so.
    const QString message =
        technique == Transport::WebSocket
            ? QStringLiteral("WebSocket upgrades are refused on the way to this server (a "
                             "fault the host turned on); use long polling or polling")
        : technique == Transport::LongPoll
            ? QStringLiteral("long polls are refused on the way to this server (a fault the "
                             "host turned on); use WebSocket or polling")
            : QStringLiteral("polls are refused on the way to this server (a fault the host "
                             "turned on); use WebSocket or long polling");
    return Refusal{403, message,
                   QByteArray(BlockedHeader) + ": " + transportName(technique).toLatin1() + "\r\n"};
}

void FaultInjector::updateSilenceTimer()
{
    if (!m_running || m_settings.proxyTimeoutSeconds <= 0) {
        m_silenceTimer.stop();
        return;
    }
    // A quarter of the timeout, at most a second: a silent WebSocket is cut within 25 % (or a
    // second) of the timeout, and the check costs one walk over the clients per period.
    const int periodMs = qMin(1000, m_settings.proxyTimeoutSeconds * 250);
    if (!m_silenceTimer.isActive() || m_silenceTimer.interval() != periodMs)
        m_silenceTimer.start(periodMs);
}

void FaultInjector::checkSilence()
{
    if (m_cutSilent && m_settings.proxyTimeoutSeconds > 0)
        m_cutSilent(monotonicMs() - m_settings.proxyTimeoutSeconds * 1000LL);
}

} // namespace PushChat
