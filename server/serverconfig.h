#pragma once

#include "faultsettings.h"
#include "historystore.h"
#include "httpparser.h"
#include "protocollimits.h"
#include "tcpkeepalive.h"

#include <QHostAddress>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace PushChat {

/// Everything a room server can be told at start. A value type: it crosses threads by copy.
struct ServerConfig
{
    QHostAddress bindAddress = QHostAddress::Any;
    quint16 port = 8765; ///< 0 picks a free port
    QString roomName = QStringLiteral("PushChat");
    QString key; ///< empty: no room key
    int historyLimit = ProtocolLimits{}.history;
    int maxTextBytes = ProtocolLimits{}.maxTextBytes;
    int maxNickChars = ProtocolLimits{}.maxNickChars;
    Http::Limits http{.maxBodyBytes = ProtocolLimits{}.maxBodyBytes};
    int headTimeoutMs = 10000;
    int idleTimeoutMs = 120000; ///< keep-alive connection with no request
    int maxConnections = 20000;
    int maxWebSocketMessageBytes = ProtocolLimits{}.maxWebSocketMessageBytes;
    int maxWebSocketBacklogBytes = 2 * 1024 * 1024; ///< unsent to one client; then it is dropped
    double rateLimitPerSecond = ProtocolLimits{}.ratePerSecond; ///< per sender; 0: no limit
    int onlineTimeoutMs = ProtocolLimits{}.onlineTimeoutMs;
    int webSocketLeaveGraceMs = 5000; ///< time to come back (say, by switching mode) before "leave"
    /// Every WebSocket client is pinged this often (0: never)...
    int webSocketPingIntervalMs = 25000;
    /// ...and dropped, like a closed one, when nothing came from it this long after a ping.
    int webSocketPongTimeoutMs = 10000;
    TcpKeepAlive tcpKeepAlive; ///< on every accepted connection
    /// Per client address, over all its nicks, every new nick's join included; 0: no limit.
    /// Applies only while rateLimitPerSecond does: 0 there turns off both.
    double addressRateLimitPerSecond = ProtocolLimits{}.ratePerSecond;
    /// Neither rate limit applies to clients on a loopback address (the host's own bots).
    bool rateLimitExemptLoopback = false;
    int maxLongPollWaitSeconds = ProtocolLimits{}.maxWaitSeconds;
    int compatLongPollWaitSeconds = 30; ///< for /update-message, which names no wait
    /// While longPollBatchMinimumConnections or more connections are long polling, parked polls
    /// are answered at most this often; messages stored in between wait for the next answer,
    /// which carries them all (a burst to many clients costs fewer requests, not lost messages).
    /// 0 answers every message at once.
    int longPollBatchMs = 5;
    int longPollBatchMinimumConnections = 16;
    int listenBacklog = 4096;
    QStringList allowedOrigins; ///< e.g. "http://example.org:8080", beside same-origin
    /// The history's SQLite file (created if missing); empty: the history lives in memory.
    QString storePath;
    HistoryStore::Sync storeSync = HistoryStore::Sync::Full;
    /// PEM files: with both, the port serves https:// and wss:// only (TlsConfig).
    QString tlsCertificateFile;
    QString tlsKeyFile;
    bool usesTls() const { return !tlsCertificateFile.isEmpty() || !tlsKeyFile.isEmpty(); }
    FaultSettings faults; ///< at start; RoomServer::setFaults() changes them live

    /// The limits above as `/api/room` publishes them.
    ProtocolLimits protocolLimits() const
    {
        return {maxTextBytes, maxNickChars,           http.maxBodyBytes,  maxWebSocketMessageBytes,
                historyLimit, maxLongPollWaitSeconds, rateLimitPerSecond, onlineTimeoutMs};
    }
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::ServerConfig)
