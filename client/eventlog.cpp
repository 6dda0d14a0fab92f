#include "eventlog.h"

#include <QDateTime>

#include <algorithm>

namespace PushChat {

EventLog::EventLog(QObject *parent)
    : QObject(parent)
{}

void EventLog::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    trim(QDateTime::currentMSecsSinceEpoch());
}

void EventLog::setMaxAgeMs(qint64 maxAgeMs)
{
    m_maxAgeMs = std::max<qint64>(1000, maxAgeMs);
    trim(QDateTime::currentMSecsSinceEpoch());
}

void EventLog::append(const ClientEvent &event)
{
    m_events.push_back(event);
    trim(event.timeMs);
    emit eventAdded(event);
}

void EventLog::clear()
{
    m_events.clear();
}

QList<ClientEvent> EventLog::eventsSince(qint64 sinceMs) const
{
    const auto first =
        std::lower_bound(m_events.begin(), m_events.end(), sinceMs,
                         [](const ClientEvent &event, qint64 time) { return event.timeMs < time; });
    return QList<ClientEvent>(first, m_events.end());
}

void EventLog::trim(qint64 nowMs)
{
    while (!m_events.empty() &&
           (int(m_events.size()) > m_capacity || m_events.front().timeMs < nowMs - m_maxAgeMs))
        m_events.pop_front();
}

} // namespace PushChat
