#pragma once

#include "clientevent.h"

#include <QList>
#include <QObject>

#include <deque>

namespace PushChat {

/// A bounded, time-ordered log of transport events. Keeps at most `capacity` events and
/// none older than `maxAgeMs`, so memory stays flat however long the client runs.
class EventLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)

public:
    explicit EventLog(QObject *parent = nullptr);

    void setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    void setMaxAgeMs(qint64 maxAgeMs);

    void append(const ClientEvent &event);
    void clear();

    int size() const { return int(m_events.size()); }
    /// Events with timeMs >= sinceMs, oldest first (e.g. now - 30000 for a 30 s timeline).
    QList<ClientEvent> eventsSince(qint64 sinceMs) const;
    QList<ClientEvent> events() const { return eventsSince(0); }

signals:
    void eventAdded(const PushChat::ClientEvent &event);

private:
    void trim(qint64 nowMs);

    std::deque<ClientEvent> m_events;
    int m_capacity = 20000;
    qint64 m_maxAgeMs = 120000;
};

} // namespace PushChat
