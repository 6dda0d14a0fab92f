#include "httpapi.h"

#include "httpconnection.h"
#include "jsoncodec.h"
#include "longpollparking.h"
#include "presence.h"
#include "qrendpoint.h"
#include "roomserver.h"
#include "serverclock.h"
#include "staticfiles.h"

#include <QElapsedTimer>
#include <QPointer>

namespace PushChat {

HttpApi::HttpApi(RoomServer &server, LongPollParking &parking)
    : m_server(server)
    , m_config(server.config())
    , m_room(server.room())
    , m_presence(server.presence())
    , m_parking(parking)
{}

StatsBucket HttpApi::classify(const Http::Request &request)
{
    if (request.path == Paths::Messages) {
        if (request.method == "GET" || request.method == "HEAD") {
            return request.query.contains("wait=") ? StatsBucket::LongPoll : StatsBucket::Polling;
        }
        if (request.query.contains("via=polling"))
            return StatsBucket::Polling;
        if (request.query.contains("via=longpoll"))
            return StatsBucket::LongPoll;
        return StatsBucket::Other;
    }
    if (request.path == Paths::CompatUpdateMessage)
        return StatsBucket::LongPoll;
    if (request.path == Paths::WebSocket || request.path == Paths::Echo)
        return StatsBucket::WebSocket;
    // Watching the room (the app's counters, every client's room refresh) is not a transport's
    // cost.
    if (request.path == Paths::Stats || request.path == Paths::Room)
        return StatsBucket::Monitoring;
    return StatsBucket::Other;
}

void HttpApi::handleRequest(HttpConnection *connection, const Http::Request &request)
{
    const Decoded<QueryItems> decoded = RequestDecoding::query(request.query);
    if (!decoded.ok()) {
        connection->respondError(decoded.status, decoded.error);
        return;
    }
    const QueryItems &query = decoded.value;
    const QByteArrayView path = request.path;
    const QByteArrayView method = request.method;
    const bool isGet = method == "GET" || method == "HEAD";
    auto methodNotAllowed = [connection](const char *allow) {
        connection->respondError(
            405, QStringLiteral("method not allowed; use %1").arg(QString::fromLatin1(allow)),
            false, QByteArray("Allow: ") + allow + "\r\n");
    };

    if (path == "/" || path == "/index.html" || path.startsWith("/static/")) {
        if (!isGet)
            return methodNotAllowed("GET, HEAD");
        return handleStatic(connection, request);
    }
    // A QR code shows nothing of the room, so it needs no key: a keyed room can show it first.
    if (path == QrEndpoint::Path) {
        if (!isGet)
            return methodNotAllowed("GET, HEAD");
        const QrResponse qr = QrEndpoint::serve(request.query);
        return connection->respond(qr.status, qr.body, qr.contentType, qr.extraHeaders);
    }
    const bool known = path == Paths::Messages || path == Paths::Room || path == Paths::Stats ||
                       path == Paths::WebSocket || path == Paths::Echo ||
                       path == Paths::CompatNewMessage || path == Paths::CompatUpdateMessage;
    if (!known) {
        connection->respondError(
            404,
            QStringLiteral("no such resource: %1").arg(QString::fromUtf8(request.path.left(200))));
        return;
    }
    if (path == Paths::Messages) {
        if (!isGet && method != "POST")
            return methodNotAllowed("GET, HEAD, POST");
    } else if (path == Paths::Room || path == Paths::Stats || path == Paths::WebSocket ||
               path == Paths::Echo) {
        if (!isGet)
            return methodNotAllowed("GET, HEAD");
    } else if (method != "POST") {
        return methodNotAllowed("POST");
    }
    if (const auto refusal = m_server.accessPolicy().check(request, query); !refusal.allowed()) {
        connection->respondError(refusal.status, refusal.error, false, refusal.extraHeaders);
        return;
    }

    if (path == Paths::Messages)
        return isGet ? handleGetMessages(connection, query)
                     : handlePostMessage(connection, request, query);
    if (path == Paths::Room)
        return handleRoom(connection);
    if (path == Paths::Stats)
        return handleStats(connection);
    if (path == Paths::WebSocket || path == Paths::Echo) {
        // A page cannot read why its handshake failed; this plain GET tells it (PROTOCOL.md).
        if (const auto refusal = m_server.faults().refusal(Transport::WebSocket)) {
            connection->respondError(refusal->status, refusal->message, false,
                                     refusal->extraHeaders);
            return;
        }
        connection->respondError(426,
                                 QStringLiteral("this is a WebSocket endpoint; send an "
                                                "Upgrade: websocket request"),
                                 false, QByteArrayLiteral("Upgrade: websocket\r\n"));
        return;
    }
    if (path == Paths::CompatNewMessage)
        return handleCompatNewMessage(connection, request, query);
    return handleCompatUpdate(connection, request, query);
}

void HttpApi::handleGetMessages(HttpConnection *connection, const QueryItems &query)
{
    const Decoded<Subscription> poll = RequestDecoding::subscription(
        query, m_config.maxNickChars, m_config.maxLongPollWaitSeconds);
    if (!poll.ok()) {
        connection->respondError(poll.status, poll.error);
        return;
    }
    const auto &[after, wait, nick, epoch] = poll.value;
    if (const auto refusal =
            m_server.faults().refusal(wait > 0 ? Transport::LongPoll : Transport::Polling)) {
        connection->respondError(refusal->status, refusal->message, false, refusal->extraHeaders);
        return;
    }
    if (!m_server.admitNick(nick, connection->peerAddress())) {
        connection->respondError(429, m_server.addressLimitError(), false,
                                 QByteArrayLiteral("Retry-After: 1\r\n"));
        return;
    }
    m_server.seen(nick, wait > 0 ? Transport::LongPoll : Transport::Polling);

    const Room::Slice slice = m_room.after(after, epoch);
    // News inside an open batching window waits for the window's end with the polls already
    // parked, so a burst is delivered in a few pages rather than one request per message.
    if (wait == 0 || slice.reset || (!slice.entries.isEmpty() && !m_parking.batchWindowOpen())) {
        connection->respond(200, slice.page(m_room.lastSeq(), wallClockMs()),
                            QByteArrayLiteral("application/json"), {}, slice.entries.isEmpty());
        return;
    }
    const qint64 now = monotonicMs();
    const qint64 deadlineMs = m_server.faults().heldRequestDeadline(now, now + wait * 1000);
    m_parking.park(connection, LongPollParking::Answer::Page, deadlineMs, after);
    m_server.sweepBy(deadlineMs);
}

void HttpApi::handlePostMessage(HttpConnection *connection, const Http::Request &request,
                                const QueryItems &query)
{
    const Decoded<ChatPost> post = RequestDecoding::post(request);
    if (!post.ok()) {
        connection->respondError(post.status, post.error);
        return;
    }
    // A post says nothing about how its sender receives, unless `via` tells. It is answered
    // once the message is durable; the connection waits meanwhile, as a parked poll does.
    const QString address = connection->peerAddress();
    m_server.acceptChat(
        {post.value, post.value.nick.trimmed() + u'@' + address, address,
         RequestDecoding::via(query)},
        [connection = QPointer(connection)](const RoomServer::ChatOutcome &outcome) {
            if (!connection)
                return; // closed meanwhile
            if (!outcome.stored) {
                const bool retry = outcome.status == 429 || outcome.status == 503;
                connection->respondError(outcome.status, outcome.error, false,
                                         retry ? QByteArrayLiteral("Retry-After: 1\r\n")
                                               : QByteArray());
                return;
            }
            const Room::Entry *stored = outcome.stored;
            connection->respond(201, JsonCodec::encodeCreated({stored->seq, stored->ts}));
        });
}

void HttpApi::handleCompatNewMessage(HttpConnection *connection, const Http::Request &request,
                                     const QueryItems &query)
{
    const Decoded<ChatPost> post = RequestDecoding::compatPost(request, query);
    if (!post.ok()) {
        connection->respondError(post.status, post.error);
        return;
    }
    const QString address = connection->peerAddress();
    m_server.acceptChat(
        {post.value, post.value.nick.trimmed() + u'@' + address, address, Transport::LongPoll},
        [connection = QPointer(connection)](const RoomServer::ChatOutcome &outcome) {
            if (!connection)
                return;
            if (!outcome.stored)
                connection->respondError(outcome.status, outcome.error);
            else
                connection->respond(200, outcome.stored->json());
        });
}

void HttpApi::handleCompatUpdate(HttpConnection *connection, const Http::Request &request,
                                 const QueryItems &query)
{
    if (const auto refusal = m_server.faults().refusal(Transport::LongPoll)) {
        connection->respondError(refusal->status, refusal->message, false, refusal->extraHeaders);
        return;
    }
    const Decoded<qint64> cursor = RequestDecoding::compatCursor(request, query, m_room.lastSeq());
    if (!cursor.ok()) {
        connection->respondError(cursor.status, cursor.error);
        return;
    }
    const Room::Slice slice = m_room.after(cursor.value);
    if (!slice.entries.isEmpty() && !m_parking.batchWindowOpen()) {
        connection->respond(200, slice.array());
        return;
    }
    // A cursor ahead of the room (the server restarted) waits for the next message, as in the
    // tutorial: the compatibility answer has no way to say "reset".
    const qint64 now = monotonicMs();
    const qint64 deadlineMs =
        m_server.faults().heldRequestDeadline(now, now + m_config.compatLongPollWaitSeconds * 1000);
    m_parking.park(connection, LongPollParking::Answer::Array, deadlineMs,
                   qMin(cursor.value, m_room.lastSeq()));
    m_server.sweepBy(deadlineMs);
}

void HttpApi::handleRoom(HttpConnection *connection)
{
    RoomInfo room;
    room.name = m_config.roomName;
    room.lastSeq = m_room.lastSeq();
    room.epoch = m_room.epochText();
    room.keyRequired = !m_config.key.isEmpty();
    for (const Presence::Member &member : m_presence.members())
        room.online.append({member.nick, member.transport});
    room.limits = m_config.protocolLimits();
    room.faults = m_server.faults().recentFaults();
    room.now = wallClockMs();
    connection->respond(200, JsonCodec::encodeRoomInfo(room));
}

void HttpApi::handleStats(HttpConnection *connection)
{
    connection->respond(200, JsonCodec::encodeStats(m_server.statsReport()));
}

void HttpApi::handleStatic(HttpConnection *connection, const Http::Request &request)
{
    const StaticResponse file = StaticFiles::serve(request.path, request.header("if-none-match"));
    QByteArray headers = file.extraHeaders;
    if (!file.etag.isEmpty())
        headers += "ETag: " + file.etag + "\r\nCache-Control: " + file.cacheControl + "\r\n";
    connection->respond(file.status, file.body, file.contentType, headers);
}

} // namespace PushChat
