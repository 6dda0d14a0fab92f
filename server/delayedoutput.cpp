#include "delayedoutput.h"

#include "serverclock.h"

namespace PushChat {

DelayedOutput::DelayedOutput(std::function<void(const QByteArray &)> sink, QObject *parent)
    : QObject(parent)
    , m_sink(std::move(sink))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // the added latency is measured to within 10 %
    connect(&m_timer, &QTimer::timeout, this, &DelayedOutput::release);
}

void DelayedOutput::push(const QByteArray &bytes, int delayMs)
{
    // A latency lowered meanwhile must not let these bytes overtake the ones before.
    qint64 dueMs = monotonicMs() + delayMs;
    if (!m_queue.empty())
        dueMs = qMax(dueMs, m_queue.back().dueMs);
    m_queue.push_back({dueMs, bytes});
    m_heldBytes += bytes.size();
    if (m_queue.size() == 1)
        schedule();
}

void DelayedOutput::clear()
{
    m_queue.clear();
    m_heldBytes = 0;
    m_timer.stop();
}

void DelayedOutput::schedule()
{
    if (m_queue.empty())
        return;
    m_timer.start(int(qMax(qint64(0), m_queue.front().dueMs - monotonicMs())));
}

void DelayedOutput::release()
{
    const qint64 now = monotonicMs();
    while (!m_queue.empty() && m_queue.front().dueMs <= now) {
        const QByteArray bytes = std::move(m_queue.front().bytes);
        m_queue.pop_front();
        m_heldBytes -= bytes.size();
        m_sink(bytes); // may clear() the queue: the connection ended
    }
    if (m_queue.empty())
        emit drained();
    else
        schedule();
}

} // namespace PushChat
