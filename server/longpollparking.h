#pragma once

#include "room.h"
#include "serverconfig.h"
#include "serverstats.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <limits>

namespace PushChat {

class HttpConnection;

/// The long polls waiting for news: answered when a message comes, at the end of a batching
/// window while many clients long poll (ServerConfig::longPollBatchMs), or empty when their
/// time is up. Keeps the `parked` counter of the long-poll statistics.
class LongPollParking final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LongPollParking)

public:
    /// What a parked poll is answered with.
    enum class Answer {
        Page,  ///< /api/messages: `{"messages":[…],"last_seq":…}`
        Array, ///< the tutorial's /update-message: `[…]`
    };

    LongPollParking(const ServerConfig &config, const Room &room, ServerStats *stats,
                    QObject *parent = nullptr);

    /// Holds the request in flight on `connection` until a message after `cursor` is stored
    /// or `deadlineMs` passes.
    void park(HttpConnection *connection, Answer answer, qint64 deadlineMs, qint64 cursor);
    /// A connection that closed: nothing is written to it any more.
    void forget(HttpConnection *connection);
    /// Forgets every parked poll (their connections are being aborted).
    void clear();

    /// Whether answers are being held for the end of a batching window.
    bool batchWindowOpen() const { return m_releaseTimer.isActive(); }
    /// A message was stored: answers the parked polls now, or when the batching window of the
    /// last answer ends.
    void messageStored();
    /// The room's history was cleared: every parked poll's cursor counts in the old one, so each
    /// is answered now with `reset` (the tutorial's polls wait on: their answer cannot say so).
    void historyCleared();
    /// Answers now what waits for the end of a batching window.
    void releaseHeldNews();
    /// Answers the polls whose time is up with no news; returns the earliest deadline of those
    /// still parked, or the largest qint64 if none is.
    qint64 expire(qint64 nowMs);

private:
    /// Whether enough clients long poll for batching their answers to pay.
    bool manyLongPollers() const;
    void releaseWithNews();
    void release(const QList<HttpConnection *> &released, const QByteArray &body, bool empty);
    /// The one place that writes the `parked` counter.
    void countParked();

    const ServerConfig &m_config;
    const Room &m_room;
    TransportCounters &m_counters; ///< of the long polls
    QSet<HttpConnection *> m_pages;
    QSet<HttpConnection *> m_arrays;
    QTimer m_releaseTimer;
    qint64 m_lastReleaseMs = std::numeric_limits<qint64>::min() / 2;
};

} // namespace PushChat
