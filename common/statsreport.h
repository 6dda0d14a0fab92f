#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <array>

namespace PushChat {

/// Which counters a request, frame or connection is charged to in /api/stats.
enum class StatsBucket { Polling, LongPoll, WebSocket, Other };

inline constexpr std::array<StatsBucket, 4> AllStatsBuckets = {
    StatsBucket::Polling, StatsBucket::LongPoll, StatsBucket::WebSocket, StatsBucket::Other};

/// The bucket's name in /api/stats.
const char *statsBucketName(StatsBucket bucket);

struct TransportCounters
{
    qint64 requests = 0;
    qint64 responses = 0;
    qint64 emptyResponses = 0;
    qint64 framesIn = 0;
    qint64 framesOut = 0;
    qint64 bytesIn = 0; ///< at the socket: HTTP heads and bodies, WebSocket framing
    qint64 bytesOut = 0;
    qint64 openConnections = 0;
    qint64 parked = 0; ///< long polls waiting for news

    friend bool operator==(const TransportCounters &, const TransportCounters &) = default;
};

struct ServerStats
{
    std::array<TransportCounters, 4> buckets;
    TransportCounters &operator[](StatsBucket bucket) { return buckets[size_t(bucket)]; }
    const TransportCounters &operator[](StatsBucket bucket) const
    {
        return buckets[size_t(bucket)];
    }

    friend bool operator==(const ServerStats &, const ServerStats &) = default;
};

/// The answer to `GET /api/stats`.
struct StatsReport
{
    ServerStats stats;
    qint64 uptimeMs = 0;
    qint64 messages = 0; ///< the room's last seq
    qint64 retained = 0;
    qint64 now = 0; ///< server clock, ms since the epoch

    friend bool operator==(const StatsReport &, const StatsReport &) = default;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::StatsReport)
