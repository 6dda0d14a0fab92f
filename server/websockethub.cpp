#include "websockethub.h"

#include "cpuaccount.h"
#include "heartbeat.h"
#include "httpconnection.h"
#include "jsoncodec.h"
#include "roomserver.h"
#include "serverclock.h"
#include "serverlog.h"
#include "websocketframe.h"
#include "websocketpeer.h"

#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#endif
#include <QCryptographicHash>
#include <QSslSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace PushChat {

namespace {

// How much of a history replay is written to a client before it has to read it (never more
// than half the backlog a client may build up): the replay goes on when the client has taken
// everything sent so far.
constexpr PageBound ReplayChunk{256, 256 * 1024};

// The key that pairs a handshake handed to QWebSocketServer with the QWebSocket it makes.
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

} // namespace

WebSocketHub::WebSocketHub(RoomServer &server, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_config(server.config())
    , m_room(server.room())
    , m_counters(server.stats()[StatsBucket::WebSocket])
    , m_heartbeat(
          new Heartbeat(m_config.webSocketPingIntervalMs, m_config.webSocketPongTimeoutMs, this))
{
    connect(m_heartbeat, &Heartbeat::pingDue, this, &WebSocketHub::pingAll);
    connect(m_heartbeat, &Heartbeat::answersDue, this, &WebSocketHub::dropSilent);
}

WebSocketHub::~WebSocketHub()
{
    stop();
}

void WebSocketHub::start()
{
    m_socketBatch = SocketBatch::create();
    qCDebug(lcServer) << "broadcasts"
                      << (m_socketBatch ? "through io_uring" : "one send at a time");
    m_webSocketServer =
        new QWebSocketServer(QStringLiteral("PushChat"), QWebSocketServer::NonSecureMode, this);
    m_webSocketServer->setHandshakeTimeout(m_config.headTimeoutMs);
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
            &WebSocketHub::onNewWebSockets);
#if QT_CONFIG(ssl)
    // Every QWebSocket, even the one QWebSocketServer makes for a plain ws:// handshake, copies
    // the default TLS configuration, and the first copy loads the TLS backend (10 ms or more).
    // That happens now rather than in the middle of the first client's handshake.
    QSslConfiguration::defaultConfiguration();
#endif
}

void WebSocketHub::stop()
{
    closeAll(true);
    delete m_webSocketServer;
    m_webSocketServer = nullptr;
}

void WebSocketHub::closeAll(bool goingAway)
{
    m_heartbeat->stop();
    const auto clients = std::exchange(m_clients, {});
    for (Client *client : clients) {
        if (goingAway)
            client->peer->closeNow(WebSocketFrame::CloseGoingAway, "server stopping");
        else
            client->peer->abort();
        delete client->peer;
        delete client;
        --m_counters.openConnections;
    }
}

void WebSocketHub::handleUpgrade(HttpConnection *connection, const Http::Request &request,
                                 qint64 headBytes)
{
    if (const auto refusal = m_server.faults().refusal(Transport::WebSocket)) {
        connection->respondError(refusal->status, refusal->message, false, refusal->extraHeaders);
        return;
    }
    const Decoded<QueryItems> query = RequestDecoding::query(request.query);
    if (!query.ok()) {
        connection->respondError(query.status, query.error);
        return;
    }
    const bool echo = request.path == Paths::Echo;
    if (request.path != Paths::WebSocket && !echo) {
        connection->respondError(404, QStringLiteral("no WebSocket endpoint at %1")
                                          .arg(QString::fromUtf8(request.path.left(200))));
        return;
    }
    // Checked here so a bad handshake gets a JSON error like every other bad request.
    if (request.header("sec-websocket-version") != "13") {
        connection->respondError(400, QStringLiteral("only WebSocket version 13 is supported"),
                                 false, QByteArrayLiteral("Sec-WebSocket-Version: 13\r\n"));
        return;
    }
    if (QByteArray::fromBase64(request.header("sec-websocket-key")).size() != 16) {
        connection->respondError(400, QStringLiteral("missing or malformed Sec-WebSocket-Key"));
        return;
    }
    if (const auto refusal = m_server.accessPolicy().check(request, query.value);
        !refusal.allowed()) {
        connection->respondError(refusal.status, refusal.error, false, refusal.extraHeaders);
        return;
    }
    PendingHandshake pending;
    pending.echo = echo;
    pending.tcp = connection->socket();
    if (!echo) {
        Decoded<Subscription> reader =
            RequestDecoding::subscription(query.value, m_config.maxNickChars);
        if (!reader.ok()) {
            connection->respondError(reader.status, reader.error);
            return;
        }
        pending.after = reader.value.after;
        pending.epoch = reader.value.epoch;
        pending.nick = std::move(reader.value.nick);
        if (!m_server.admitNick(pending.nick, connection->peerAddress())) {
            connection->respondError(429, m_server.addressLimitError(), false,
                                     QByteArrayLiteral("Retry-After: 1\r\n"));
            return;
        }
    }
    if (auto *tls = qobject_cast<QSslSocket *>(connection->socket())) {
        acceptEncrypted(connection, tls, request, headBytes, pending);
        return;
    }
    QTcpSocket *socket = connection->detachSocket(m_webSocketServer);
    if (!socket)
        return;
    m_counters.requests += 1;
    m_counters.bytesIn += headBytes;
    // Everything written from now on (the 101, frames, pongs, close) is WebSocket traffic.
    connect(socket, &QTcpSocket::bytesWritten, this,
            [this](qint64 bytes) { m_counters.bytesOut += bytes; });
    const QString peer = peerKey(socket->peerAddress(), socket->peerPort());
    m_pendingHandshakes.insert(peer, pending);
    connect(socket, &QObject::destroyed, this, [this, peer] { m_pendingHandshakes.remove(peer); });
    m_webSocketServer->handleConnection(socket);
}

void WebSocketHub::acceptEncrypted(HttpConnection *connection, QSslSocket *socket,
                                   const Http::Request &request, qint64 headBytes,
                                   const PendingHandshake &pending)
{
    // QWebSocketServer would keep the TLS socket inside its QWebSocket; the handshake is a
    // few lines, answered here instead, and the peer writes its frames through the socket.
    static constexpr char Guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    const QByteArray accept = QCryptographicHash::hash(request.header("sec-websocket-key") + Guid,
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    const QString address = connection->peerAddress();
    if (!connection->detachSocket(this))
        return;
    socket->skip(headBytes);
    const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                              accept + "\r\n\r\n";
    socket->write(answer);
    m_counters.requests += 1;
    m_counters.bytesIn += headBytes;
    m_counters.bytesOut += answer.size();
    const WebSocketPeer::Limits limits{m_config.maxWebSocketMessageBytes,
                                       m_config.maxWebSocketBacklogBytes};
    openClient(WebSocketPeer::adoptEncrypted(socket, limits, &m_counters, this), pending, address);
}

void WebSocketHub::onNewWebSockets()
{
    CpuAccount::Scope cpu(StatsBucket::WebSocket);
    const WebSocketPeer::Limits limits{m_config.maxWebSocketMessageBytes,
                                       m_config.maxWebSocketBacklogBytes};
    while (m_webSocketServer && m_webSocketServer->hasPendingConnections()) {
        QWebSocket *socket = m_webSocketServer->nextPendingConnection();
        const auto pending =
            m_pendingHandshakes.take(peerKey(socket->peerAddress(), socket->peerPort()));
        const QString address = socket->peerAddress().toString();
        WebSocketPeer *peer =
            pending.tcp ? WebSocketPeer::adopt(pending.tcp, socket, limits, &m_counters, this)
                        : nullptr;
        if (!peer) {
            if (!pending.tcp)
                delete socket;
            continue;
        }
        openClient(peer, pending, address);
    }
}

void WebSocketHub::openClient(WebSocketPeer *peer, const PendingHandshake &pending,
                              const QString &address)
{
    auto *client = new Client;
    client->address = address;
    client->nick = pending.nick;
    client->echo = pending.echo;
    client->peer = peer;
    ++m_counters.openConnections;
    client->peer->setFaults(&m_server.faults());
    connect(client->peer, &WebSocketPeer::textReceived, this,
            [this, client](const QByteArray &utf8) { onText(client, utf8); });
    connect(client->peer, &WebSocketPeer::binaryReceived, this,
            [this, client](const QByteArray &data) { onBinary(client, data); });
    connect(client->peer, &WebSocketPeer::closed, this, [this, client] { onClosed(client); });
    connect(client->peer, &WebSocketPeer::drained, this, [this, client] {
        if (client->replayedUpTo >= 0)
            continueReplay(client);
    });

    if (client->echo) {
        add(client);
        return;
    }
    greet(client, pending.after, pending.epoch);
    add(client);
    if (!client->nick.isEmpty())
        m_server.webSocketOpened(client->nick);
}

void WebSocketHub::greet(Client *client, qint64 after, HistoryEpoch epoch)
{
    const Room::Slice slice = m_room.after(after, epoch);
    const QByteArray hello = JsonCodec::encodeHello(
        {m_config.roomName, ProtocolVersion, m_room.lastSeq(), slice.gap, slice.reset,
         client->nick.isEmpty(), wallClockMs(), m_room.epochText()});
    sendToClient(client, hello);
    // A reset replays from the oldest message; from what the cursor names otherwise.
    client->replayedUpTo = slice.reset ? 0 : qMax<qint64>(after, 0);
    continueReplay(client, true);
}

void WebSocketHub::continueReplay(Client *client, bool first)
{
    while (client->replayedUpTo >= 0) {
        if (!client->peer->isOpen() || client->peer->unsentBytes() > 0)
            return; // drained() brings us back
        const Room::Slice slice = m_room.after(
            client->replayedUpTo, {},
            {ReplayChunk.messages,
             qMin<qsizetype>(ReplayChunk.bytes, m_config.maxWebSocketBacklogBytes / 2)});
        if (slice.gap && !first) {
            // Messages it had not read yet were evicted meanwhile. Closed, it comes back with its
            // cursor and hears of the gap in its hello: nothing is missed silently.
            qCInfo(lcServer) << "closing a WebSocket client whose replay fell out of the history";
            client->replayedUpTo = -1;
            client->peer->close(WebSocketFrame::ClosePolicyViolation,
                                "the replay fell behind the history; reconnect with your cursor");
            return;
        }
        first = false;
        for (const Room::Entry *entry : slice.entries)
            writeFrame(client, entry->webSocketFrame);
        client->replayedUpTo = slice.more ? slice.entries.last()->seq : -1;
    }
}

void WebSocketHub::writeFrame(Client *client, const QByteArray &frame)
{
    // The frame is complete and shared by every recipient: written as it is, no re-encoding.
    client->peer->send(frame);
}

void WebSocketHub::sendToClient(Client *client, const QByteArray &payload)
{
    writeFrame(client, WebSocketFrame::text(payload));
}

void WebSocketHub::onText(Client *client, const QByteArray &utf8)
{
    if (client->echo) {
        client->peer->send(WebSocketFrame::text(utf8));
        return;
    }
    const std::optional<JsonCodec::ClientCommand> command = JsonCodec::decodeClientCommand(utf8);
    const QByteArray id = command ? command->id : QByteArray();
    auto sendError = [&](int code, const QString &message) {
        sendToClient(client, JsonCodec::webSocketError(code, message, id));
    };
    if (!command) {
        sendError(400, QStringLiteral("expected a JSON object such as "
                                      "{\"type\":\"send\",\"text\":\"hi\"}"));
        return;
    }
    if (command->type.string != u"send") {
        sendError(400,
                  QStringLiteral("unknown message type \"%1\"").arg(command->type.string.left(40)));
        return;
    }
    if (client->nick.isEmpty()) {
        sendError(403, QStringLiteral("observers cannot send; connect with ?nick=NAME"));
        return;
    }
    if (!command->text.isString()) {
        sendError(400, QStringLiteral("\"text\" must be a string"));
        return;
    }
    if (command->clientId.kind == JsonCodec::CommandValue::Kind::Other) {
        sendError(400, QStringLiteral("\"client_id\" must be a string"));
        return;
    }
    // Acked once the message is durable, after its broadcast; the client may be gone by then.
    // Its writes are held till then, so that its message and the ack leave in one send().
    client->peer->holdWrites();
    m_server.acceptChat(
        {{client->nick, command->text.string, command->clientId.string},
         client->nick + u'@' + client->address,
         client->address,
         Transport::WebSocket},
        [peer = QPointer(client->peer), id](const RoomServer::ChatOutcome &outcome) {
            if (!peer)
                return;
            if (!outcome.stored)
                peer->send(WebSocketFrame::text(
                    JsonCodec::webSocketError(outcome.status, outcome.error, id)));
            else if (!id.isNull())
                peer->send(WebSocketFrame::text(
                    JsonCodec::encodeAck({id, {outcome.stored->seq, outcome.stored->ts}})));
            peer->releaseWrites();
        });
}

void WebSocketHub::onBinary(Client *client, const QByteArray &data)
{
    if (client->echo) {
        client->peer->send(WebSocketFrame::frame(WebSocketFrame::Binary, data));
        return;
    }
    sendToClient(client, JsonCodec::webSocketError(
                             400, QStringLiteral("binary frames are not understood on /ws")));
}

void WebSocketHub::historyCleared()
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->echo)
            continue;
        // A replay under way belonged to the old history; the new one starts empty.
        if (client->replayedUpTo >= 0)
            client->replayedUpTo = m_room.lastSeq();
        sendToClient(client, JsonCodec::encodeHello(
                                 {m_config.roomName, ProtocolVersion, m_room.lastSeq(), false, true,
                                  client->nick.isEmpty(), wallClockMs(), m_room.epochText()}));
    }
}

void WebSocketHub::add(Client *client)
{
    client->slot = m_clients.size();
    m_clients.append(client);
    m_heartbeat->start(); // no-op while it runs
}

bool WebSocketHub::remove(Client *client)
{
    const qsizetype slot = client->slot;
    if (slot < 0 || slot >= m_clients.size() || m_clients.at(slot) != client)
        return false;
    Client *last = m_clients.takeLast();
    if (last != client) {
        m_clients[slot] = last;
        last->slot = slot;
    }
    client->slot = -1;
    if (m_clients.isEmpty())
        m_heartbeat->stop(); // an empty room's thread sleeps
    return true;
}

void WebSocketHub::onClosed(Client *client)
{
    if (!remove(client))
        return;
    WebSocketPeer *peer = client->peer;
    --m_counters.openConnections;
    if (!client->nick.isEmpty())
        m_server.webSocketClosed(client->nick);
    delete client;
    peer->deleteLater();
}

void WebSocketHub::cutSilent(qint64 silentSinceMs)
{
    const QList<Client *> clients = m_clients;
    for (Client *client : clients) {
        if (client->peer->lastTrafficMs() > silentSinceMs)
            continue;
        qCDebug(lcServer) << "proxy timeout: cutting a silent WebSocket";
        client->peer->abort();
        onClosed(client);
    }
}

void WebSocketHub::broadcast(const QByteArray &frame)
{
    if (m_clients.isEmpty())
        return;
    // Inside the callback that stored the message (a post, a frame): the WebSocket clients'
    // share of it is theirs.
    CpuAccount::Scope cpu(StatsBucket::WebSocket);
    writeToAll(frame, false);
}

void WebSocketHub::pingAll()
{
    CpuAccount::Scope cpu(StatsBucket::WebSocket);
    static const QByteArray ping = WebSocketFrame::frame(WebSocketFrame::Ping, "pushchat");
    for (Client *client : std::as_const(m_clients))
        client->peer->expectAnswer();
    writeToAll(ping, true);
}

void WebSocketHub::dropSilent()
{
    for (Client *client : std::as_const(m_clients)) {
        if (client->peer->hasAnswered())
            continue;
        qCInfo(lcServer).noquote() << "dropping a WebSocket client that did not answer a ping:"
                                   << (client->nick.isEmpty() ? client->address : client->nick);
        client->peer->dropSilent(); // closed() follows from the event loop
    }
}

void WebSocketHub::writeToAll(const QByteArray &frame, bool includeEcho)
{
    m_batchDescriptors.clear();
    m_batchPeers.clear();
    for (Client *client : std::as_const(m_clients)) {
        // A ping goes to every client; a message not to echo clients, nor to one whose replay
        // is in progress: the replay reaches this message in the room.
        if (!includeEcho && (client->echo || client->replayedUpTo >= 0))
            continue;
        const int descriptor = m_socketBatch ? client->peer->directDescriptor() : -1;
        if (descriptor < 0) {
            writeFrame(client, frame); // after what waits for this client, or without io_uring
            continue;
        }
        m_batchDescriptors.push_back(descriptor);
        m_batchPeers.push_back(client->peer);
    }
    if (m_batchPeers.empty())
        return;
    m_batchResults.resize(m_batchPeers.size());
    m_socketBatch->sendToAll(m_batchDescriptors, frame.constData(), size_t(frame.size()),
                             m_batchResults);
    for (size_t i = 0; i < m_batchPeers.size(); ++i)
        m_batchPeers[i]->sentDirectly(frame, m_batchResults[i]);
}

} // namespace PushChat
