#pragma once

#include "httpparser.h"
#include "room.h"
#include "serverconfig.h"
#include "serverstats.h"
#include "socketbatch.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <vector>

class QSslSocket;
class QTcpSocket;
class QWebSocketServer;

namespace PushChat {

class Heartbeat;
class HttpConnection;
class RoomServer;
class WebSocketPeer;

/// The WebSocket clients of a room: handshakes through QWebSocketServer, then hello and the
/// replay of what a client missed, its commands (`send`), the echo endpoint, and every stored
/// message written to every client at once.
class WebSocketHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketHub)

public:
    explicit WebSocketHub(RoomServer &server, QObject *parent = nullptr);
    ~WebSocketHub() override;

    void start();
    /// Closes every client (see closeAll()) and stops taking handshakes.
    void stop();
    /// `goingAway`: clients get close code 1001 first (a stop, not a network drop).
    void closeAll(bool goingAway);
    qsizetype clientCount() const { return m_clients.size(); }

    /// Takes over an HTTP connection that asks for /ws or /echo.
    void handleUpgrade(HttpConnection *connection, const Http::Request &request, qint64 headBytes);
    /// Writes a stored message's frame to every client that is not an echo client.
    void broadcast(const QByteArray &frame);
    /// The room's history was cleared: every chat client gets a new hello with `reset`.
    void historyCleared();
    /// A ping to every client; answersDue() follows on the heartbeat.
    void pingAll();
    /// Drops every client that sent nothing since the last pingAll().
    void dropSilent();
    /// Cuts, without a close frame, every client silent since `silentSinceMs`: the proxy
    /// timeout fault (FaultInjector).
    void cutSilent(qint64 silentSinceMs);

private:
    struct Client
    {
        WebSocketPeer *peer = nullptr;
        QString address; ///< the client's IP address, for the rate limit
        QString nick;    ///< empty: an observer
        bool echo = false;
        qsizetype slot = -1; ///< index in m_clients while open
        /// While replaying the history it asked for: the seq of the last message sent, and
        /// broadcasts pass it by (the replay reaches them in the room). −1 once live.
        qint64 replayedUpTo = -1;
    };
    struct PendingHandshake
    {
        QString nick;
        qint64 after = 0;
        HistoryEpoch epoch;
        bool echo = false;
        QPointer<QTcpSocket> tcp;
    };

    void onNewWebSockets();
    /// The handshake of a wss:// client, answered by the hub itself.
    void acceptEncrypted(HttpConnection *connection, QSslSocket *socket,
                         const Http::Request &request, qint64 headBytes,
                         const PendingHandshake &pending);
    /// A client whose handshake is done: hello, replay, and from now on every message.
    void openClient(WebSocketPeer *peer, const PendingHandshake &pending, const QString &address);
    /// Sends hello and starts the replay of the messages after the client's cursor (from the
    /// oldest, with `reset`, when the cursor is of another history).
    void greet(Client *client, qint64 after, HistoryEpoch epoch);
    /// Sends the replay on, a chunk at a time, while the client reads it: never more than
    /// ReplayChunkBytes wait unsent for it. The client goes live once caught up.
    void continueReplay(Client *client, bool first = false);
    void onText(Client *client, const QByteArray &utf8);
    void onBinary(Client *client, const QByteArray &data);
    void onClosed(Client *client);
    void add(Client *client);
    /// False if the client was not open (closeAll() took them all already).
    bool remove(Client *client);
    void writeFrame(Client *client, const QByteArray &frame);
    void writeToAll(const QByteArray &frame, bool includeEcho);
    void sendToClient(Client *client, const QByteArray &payload);

    RoomServer &m_server;
    const ServerConfig &m_config;
    const Room &m_room;
    TransportCounters &m_counters; ///< of the WebSocket clients
    QWebSocketServer *m_webSocketServer = nullptr;
    Heartbeat *m_heartbeat;                               ///< runs while there are clients
    QHash<QString, PendingHandshake> m_pendingHandshakes; ///< by peer "address|port"
    /// Dense, so a broadcast walks the open clients and nothing else (a QHash walks all its
    /// buckets, at least 128: more than the rest of a one-recipient broadcast). A client that
    /// leaves gives its slot to the last one.
    QList<Client *> m_clients;
    /// Sends a broadcast's frame to many clients in one system call; null without io_uring.
    std::unique_ptr<SocketBatch> m_socketBatch;
    std::vector<int> m_batchDescriptors; ///< reused by every broadcast, as are the two below
    std::vector<WebSocketPeer *> m_batchPeers;
    std::vector<ssize_t> m_batchResults;
};

} // namespace PushChat
