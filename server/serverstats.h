#pragma once

#include <QByteArray>

#include <array>

namespace PushChat {

/// Which counters a request, frame or connection is charged to in /api/stats.
enum class StatsBucket { Polling, LongPoll, WebSocket, Other };

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
};

struct ServerStats
{
    std::array<TransportCounters, 4> buckets;
    TransportCounters &operator[](StatsBucket bucket) { return buckets[size_t(bucket)]; }
    const TransportCounters &operator[](StatsBucket bucket) const
    {
        return buckets[size_t(bucket)];
    }
};

const char *statsBucketName(StatsBucket bucket);

} // namespace PushChat
