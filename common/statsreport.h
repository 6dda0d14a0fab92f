#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <array>

namespace PushChat {

/// Which counters a request, frame or connection is charged to in /api/stats. `Monitoring` is
/// reading the room and the counters (`/api/room`, `/api/stats`): what watching costs, kept
/// apart from the transports it watches.
enum class StatsBucket { Polling, LongPoll, WebSocket, Other, Monitoring };

inline constexpr std::array<StatsBucket, 5> AllStatsBuckets = {
    StatsBucket::Polling, StatsBucket::LongPoll, StatsBucket::WebSocket, StatsBucket::Other,
    StatsBucket::Monitoring};

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
    /// CPU time the server's thread spent on this bucket's work (requests, parking and
    /// release, broadcasts), in nanoseconds of the thread's CPU clock
    qint64 cpuNs = 0;

    friend bool operator==(const TransportCounters &, const TransportCounters &) = default;
};

struct ServerStats
{
    std::array<TransportCounters, AllStatsBuckets.size()> buckets;
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
    /// The server thread's whole CPU time since it started, in ns: the buckets' cpuNs and what
    /// no bucket is charged with (accepting connections, the event loop's own work)
    qint64 serverCpuNs = 0;

    friend bool operator==(const StatsReport &, const StatsReport &) = default;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::StatsReport)
