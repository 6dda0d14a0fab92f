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

class QTcpSocket;
class QWebSocketServer;

namespace PushChat {

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
    /// Sends hello and the messages after the client's cursor.
    void greet(Client *client, qint64 after, HistoryEpoch epoch);
    void onText(Client *client, const QByteArray &utf8);
    void onBinary(Client *client, const QByteArray &data);
    void onClosed(Client *client);
    void add(Client *client);
    /// False if the client was not open (closeAll() took them all already).
    bool remove(Client *client);
    void writeFrame(Client *client, const QByteArray &frame);
    void sendToClient(Client *client, const QByteArray &payload);

    RoomServer &m_server;
    const ServerConfig &m_config;
    const Room &m_room;
    TransportCounters &m_counters; ///< of the WebSocket clients
    QWebSocketServer *m_webSocketServer = nullptr;
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
