#include "longpollparking.h"

#include "cpuaccount.h"
#include "httpconnection.h"
#include "jsoncodec.h"
#include "serverclock.h"
#include "shrinkafterpeak.h"

#include <QHash>

namespace PushChat {

LongPollParking::LongPollParking(const ServerConfig &config, const Room &room, ServerStats *stats,
                                 QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_room(room)
    , m_counters((*stats)[StatsBucket::LongPoll])
    , m_releaseTimer(this)
{
    m_releaseTimer.setSingleShot(true);
    connect(&m_releaseTimer, &QTimer::timeout, this, &LongPollParking::releaseWithNews);
}

void LongPollParking::park(HttpConnection *connection, Answer answer, qint64 deadlineMs,
                           qint64 cursor)
{
    connection->park(deadlineMs, cursor);
    (answer == Answer::Page ? m_pages : m_arrays).insert(connection);
    countParked();
}

void LongPollParking::forget(HttpConnection *connection)
{
    if (m_pages.remove(connection) || m_arrays.remove(connection))
        countParked();
    shrinkAfterPeak(m_pages);
    shrinkAfterPeak(m_arrays);
}

void LongPollParking::clear()
{
    m_pages.clear();
    m_arrays.clear();
    countParked();
}

void LongPollParking::countParked()
{
    m_counters.parked = m_pages.size() + m_arrays.size();
}

bool LongPollParking::manyLongPollers() const
{
    // Counted by connection, not by the polls an answer found parked: during a burst the
    // clients come back at scattered moments, and a count of parked polls would fall below
    // the mark and turn batching off just when it pays.
    return m_config.longPollBatchMs > 0 &&
           m_counters.openConnections >= m_config.longPollBatchMinimumConnections;
}

void LongPollParking::messageStored()
{
    // With many long pollers most of them are on their way back when a message comes: the
    // window opens anyway, so that they find it waiting with the next ones, not one by one.
    if (m_pages.isEmpty() && m_arrays.isEmpty() && !manyLongPollers())
        return;
    if (batchWindowOpen())
        return; // an answer is due already: this message goes with it
    const qint64 now = monotonicMs();
    const qint64 due = m_lastReleaseMs + m_config.longPollBatchMs;
    // A few clients get every message at once (one client polling in a loop would otherwise
    // wait out each window).
    if (now >= due || !manyLongPollers())
        releaseWithNews();
    else
        m_releaseTimer.start(int(due - now));
}

void LongPollParking::releaseWithNews()
{
    CpuAccount::Scope cpu(StatsBucket::LongPoll);
    m_releaseTimer.stop();
    m_lastReleaseMs = monotonicMs();
    // A parked poll waits on the seq that was newest when it parked: a handful of cursors at
    // most, each answered with one page built once for all its polls.
    auto releaseAll = [this](QSet<HttpConnection *> &parked, auto makeBody) {
        QHash<qint64, QList<HttpConnection *>> byCursor;
        for (HttpConnection *connection : std::as_const(parked)) {
            if (connection->parkCursor() < m_room.lastSeq())
                byCursor[connection->parkCursor()].append(connection);
        }
        for (auto it = byCursor.cbegin(); it != byCursor.cend(); ++it) {
            for (HttpConnection *connection : it.value())
                parked.remove(connection);
            countParked();
            release(it.value(), makeBody(m_room.after(it.key())), false);
        }
    };
    releaseAll(m_pages, [this](const Room::Slice &slice) {
        return slice.page(m_room.lastSeq(), wallClockMs());
    });
    releaseAll(m_arrays, [](const Room::Slice &slice) { return slice.array(); });
}

void LongPollParking::historyCleared()
{
    const QList<HttpConnection *> pages = m_pages.values();
    m_pages.clear();
    countParked();
    if (!pages.isEmpty())
        release(pages,
                JsonCodec::encodePage({}, m_room.lastSeq(), false, wallClockMs(), true, false,
                                      m_room.epochText()),
                true);
}

void LongPollParking::releaseHeldNews()
{
    if (batchWindowOpen())
        releaseWithNews();
}

qint64 LongPollParking::expire(qint64 nowMs)
{
    qint64 nextDeadline = std::numeric_limits<qint64>::max();
    auto expireAll = [&](QSet<HttpConnection *> &parked, auto makeEmptyBody) {
        QList<HttpConnection *> due;
        for (auto it = parked.begin(); it != parked.end();) {
            if ((*it)->parkDeadlineMs() <= nowMs) {
                due.append(*it);
                it = parked.erase(it);
            } else {
                nextDeadline = qMin(nextDeadline, (*it)->parkDeadlineMs());
                ++it;
            }
        }
        countParked();
        if (!due.isEmpty())
            release(due, makeEmptyBody(), true);
    };
    expireAll(m_pages, [&] {
        return JsonCodec::encodePage({}, m_room.lastSeq(), false, wallClockMs(), false, false,
                                     m_room.epochText());
    });
    expireAll(m_arrays, [] { return QByteArrayLiteral("[]"); });
    return nextDeadline;
}

void LongPollParking::release(const QList<HttpConnection *> &released, const QByteArray &body,
                              bool empty)
{
    // One answer, byte for byte, for every plain keep-alive poll.
    const QByteArray wire =
        HttpConnection::responseHead(200, body.size(), QByteArrayLiteral("application/json"), {}, 1,
                                     false) +
        body;
    for (HttpConnection *connection : released)
        connection->respondShared(wire, body, empty);
}

} // namespace PushChat
