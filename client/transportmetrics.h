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
///
/// To compare transports fairly, the bytes are split twice: headers (HTTP heads, frame
/// headers and masks, the handshake) against payload (bodies and frame payloads), and
/// connection setup (the WebSocket handshake, paid once per connection) against the steady
/// state. Rates are per minute of the time the transport was in use (`observedMs`), so a
/// transport used for 10 s compares with one used for 10 min.
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
    qint64 reconnects = 0;          ///< times the client had to reconnect while on this transport
    qint64 recoveries = 0;          ///< times the link came back after it was lost
    qint64 lastRecoveryMs = 0;      ///< from losing the link to having it back, the last time
    qint64 longestRecoveryMs = 0;   ///< the same, the longest so far
    qint64 headerBytesSent = 0;     ///< of bytesSent: request heads, frame headers, handshake
    qint64 headerBytesReceived = 0; ///< of bytesReceived: response heads, frame headers, handshake
    qint64 setupBytes = 0; ///< WebSocket handshakes both ways (also counted as header bytes)
    qint64 observedMs = 0; ///< how long the transport was in use, up to the snapshot
    LatencyStats latency;

    qint64 headerBytes() const { return headerBytesSent + headerBytesReceived; }
    qint64 payloadBytes() const { return bytesSent + bytesReceived - headerBytes(); }
    /// Header bytes of the steady state: without the connection setup.
    qint64 steadyHeaderBytes() const { return headerBytes() - setupBytes; }
    /// `count` per minute of observed use; 0 before anything was observed.
    double perMinute(qint64 count) const
    {
        return observedMs > 0 ? double(count) * 60000.0 / double(observedMs) : 0.0;
    }
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::TransportMetrics)
