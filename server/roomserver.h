#pragma once

#include "httpconnection.h"
#include "presence.h"
#include "room.h"
#include "serverconfig.h"
#include "servererror.h"
#include "serverstats.h"
#include "socketbatch.h"
#include "websocketpeer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <limits>
#include <memory>
#include <vector>

class QTimer;
class QWebSocketServer;

namespace PushChat {

class ConnectionListener;

/// The room server. Lives in its own thread (see ServerHost); start() creates every socket
/// and timer there. Speaks protocol v1 (docs/PROTOCOL.md) on one port: HTTP/1.1 for polls,
/// long polls and posts; WebSocket upgrades handed to QWebSocketServer, whose connections
/// WebSocketPeer then takes over.
class RoomServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomServer)

public:
    explicit RoomServer(const ServerConfig &config, const RoomSnapshot &snapshot = {},
                        QObject *parent = nullptr);
    ~RoomServer() override;

public slots:
    void start();
    void stop();
    /// Aborts every HTTP and WebSocket connection but keeps listening and keeps the room:
    /// what clients see when a network drops them (used by fault tests).
    void dropConnections();

signals:
    void started(quint16 port);
    void failed(const PushChat::ServerError &error);
    void stopped(const PushChat::RoomSnapshot &snapshot);

private:
    struct WebSocketClient
    {
        WebSocketPeer *peer = nullptr;
        QString address; ///< the client's IP address, for the rate limit
        QString nick;    ///< empty: an observer
        bool echo = false;
        qsizetype slot = -1; ///< index in m_webSocketClients while open
    };
    struct PendingHandshake
    {
        QString nick;
        qint64 after = 0;
        bool echo = false;
        QPointer<QTcpSocket> tcp;
    };
    struct PostedMessage
    {
        QString nick;
        QString text;
    };

    void onNewTcpConnections();
    void onNewWebSockets();
    void onWebSocketText(WebSocketClient *client, const QByteArray &utf8);
    void onWebSocketBinary(WebSocketClient *client, const QByteArray &data);
    void onWebSocketClosed(WebSocketClient *client);
    void addWebSocketClient(WebSocketClient *client);
    /// False if the client was not open (the server stopping took them all already).
    bool removeWebSocketClient(WebSocketClient *client);
    void sweep();
    /// Makes the next sweep come no later than `deadlineMs` (a parked poll's deadline).
    void sweepBy(qint64 deadlineMs);
    void connectionTimeoutBy(qint64 deadlineMs);
    void closeEverything();
    /// `goingAway`: WebSocket clients get close code 1001 first (a stop, not a network drop).
    void abortConnections(bool goingAway);

    StatsBucket classify(const Http::Request &request) const;
    void handleRequest(HttpConnection *connection, const Http::Request &request);
    void handleUpgrade(HttpConnection *connection, const Http::Request &request, qint64 headBytes);
    bool checkAccess(HttpConnection *connection, const Http::Request &request,
                     const QList<std::pair<QByteArray, QByteArray>> &query);
    void handleGetMessages(HttpConnection *connection,
                           const QList<std::pair<QByteArray, QByteArray>> &query);
    void handlePostMessage(HttpConnection *connection, const Http::Request &request,
                           const QList<std::pair<QByteArray, QByteArray>> &query);
    void handleCompatNewMessage(HttpConnection *connection, const Http::Request &request,
                                const QList<std::pair<QByteArray, QByteArray>> &query);
    void handleCompatUpdate(HttpConnection *connection, const Http::Request &request,
                            const QList<std::pair<QByteArray, QByteArray>> &query);
    void handleRoom(HttpConnection *connection);
    void handleStats(HttpConnection *connection);
    void handleStatic(HttpConnection *connection, const Http::Request &request);

    struct ChatSubmission
    {
        QString nick;
        QString text;
        QString sender;   ///< rate-limit key
        QString clientId; ///< makes a retried send idempotent; may be empty
        std::optional<Transport> via;
    };
    /// Validates, rate-limits and stores a chat message, or finds the one a retry of the
    /// same send already stored. On failure returns the HTTP status and sets *error.
    int acceptChat(const ChatSubmission &submission, QString *error, const Room::Entry **stored);
    const Room::Entry &appendAndFanOut(MessageKind kind, const QString &nick, const QString &text,
                                       const QString &clientKey = {});
    /// Writes a stored message's frame to every WebSocket client that is not an echo client.
    void writeToAllWebSockets(const QByteArray &frame);
    void seen(const QString &nick, std::optional<Transport> transport);
    /// Answers parked polls with news now, or when the batching window of the last answer
    /// ends (ServerConfig::longPollBatchMs).
    void releaseParkedSoon();
    /// Whether long-poll answers are being held for the end of a batching window.
    bool batchWindowOpen() const;
    /// Whether enough clients long poll for batching their answers to pay.
    bool manyLongPollers() const;
    void releaseParkedWithNews();
    void releaseParked(const QList<HttpConnection *> &released, const QByteArray &body, bool empty);
    void writeFrame(WebSocketClient *client, const QByteArray &frame);
    void sendToClient(WebSocketClient *client, const QByteArray &payload);
    QString validateNick(const QString &nick) const;

    qint64 monotonicMs() const;

    ServerConfig m_config;
    RoomSnapshot m_snapshot;
    Room m_room;
    Presence m_presence;
    RateLimiter m_rateLimiter;
    ServerStats m_stats;
    QElapsedTimer m_uptime;

    ConnectionListener *m_tcpServer = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    QTimer *m_sweepTimer = nullptr;
    QTimer *m_releaseTimer = nullptr;
    qint64 m_lastReleaseMs = std::numeric_limits<qint64>::min() / 2;
    QSet<HttpConnection *> m_connections;
    QSet<HttpConnection *> m_parkedPolls;
    QSet<HttpConnection *> m_parkedCompat;
    QHash<QString, PendingHandshake> m_pendingHandshakes; ///< by peer "address:port"
    /// Dense, so a broadcast walks the open clients and nothing else (a QHash walks all its
    /// buckets, at least 128: more than the rest of a one-recipient broadcast).
    QList<WebSocketClient *> m_webSocketClients;
    /// Sends a broadcast's frame to many clients in one system call; null without io_uring.
    std::unique_ptr<SocketBatch> m_socketBatch;
    std::vector<int> m_batchDescriptors; ///< reused by every broadcast, as are the two below
    std::vector<WebSocketPeer *> m_batchPeers;
    std::vector<ssize_t> m_batchResults;
    qint64 m_lastSlowSweepMs = 0;
    qint64 m_nextSweepMs = std::numeric_limits<qint64>::max();
    qint64 m_nextConnectionTimeoutMs = std::numeric_limits<qint64>::max();
    bool m_running = false;
};

} // namespace PushChat
