#include "heartbeat.h"

namespace PushChat {

Heartbeat::Heartbeat(int intervalMs, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(qMax(0, intervalMs))
    , m_timeoutMs(qBound(1, timeoutMs, qMax(1, m_intervalMs - 1)))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    // Two wake-ups an interval: exact ones cost nothing and keep the documented bound.
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &Heartbeat::onTimeout);
}

void Heartbeat::start()
{
    if (!isEnabled() || m_timer->isActive())
        return;
    m_awaitingAnswers = false;
    m_timer->start(m_intervalMs);
}

void Heartbeat::stop()
{
    m_timer->stop();
    m_awaitingAnswers = false;
}

void Heartbeat::onTimeout()
{
    // Rounds stay one interval apart: the check falls between two of them.
    if (m_awaitingAnswers) {
        m_awaitingAnswers = false;
        m_timer->start(m_intervalMs - m_timeoutMs);
        emit answersDue();
    } else {
        m_awaitingAnswers = true;
        m_timer->start(m_timeoutMs);
        emit pingDue();
    }
}

} // namespace PushChat
