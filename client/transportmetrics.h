#pragma once

#include "protocol.h"

#include <QMetaType>

namespace PushChat {

/// Delivery latency (server `ts` → received here, corrected for clock offset) over a
/// sliding window of the most recent live messages. All values in ms; 0 without samples.
struct LatencyStats
{
    int samples = 0;
    qint64 p50 = 0;
    qint64 p95 = 0;
    qint64 max = 0;
};

/// What one transport has cost so far, counted by this client. A value type: copy it freely.
/// Bytes are what went over the socket: HTTP request and response heads and bodies, the
/// WebSocket handshake and every frame with its header and mask.
struct TransportMetrics
{
    Transport transport = Transport::Polling;
    qint64 httpRequests = 0;     ///< HTTP requests written (polls and posts; 0 for WebSocket)
    qint64 httpResponses = 0;    ///< complete HTTP responses read
    qint64 emptyResponses = 0;   ///< poll answers without a message
    qint64 framesIn = 0;         ///< WebSocket frames read (control frames included)
    qint64 framesOut = 0;        ///< WebSocket frames written (control frames included)
    qint64 messagesReceived = 0; ///< chat/join/leave messages delivered by this transport
    qint64 messagesSent = 0;     ///< messages the server accepted through this transport
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    int openConnections = 0; ///< TCP connections open right now
    qint64 connectionsOpened = 0;
    qint64 reconnects = 0; ///< times the client had to reconnect while on this transport
    LatencyStats latency;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::TransportMetrics)
