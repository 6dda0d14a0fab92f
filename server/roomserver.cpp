#include "roomserver.h"

#include "connectionlistener.h"
#include "jsoncodec.h"
#include "serverlog.h"
#include "staticfiles.h"
#include "systemlimits.h"
#include "websocketframe.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#endif
#include <QStringDecoder>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>

namespace PushChat {

namespace {

using QueryItems = QList<std::pair<QByteArray, QByteArray>>;

// Connection timeouts and presence expiry are checked at most once a second, and only when one
// is due; parked long polls wake the sweep at their own deadlines.
constexpr int SlowSweepIntervalMs = 1000;

// QHash and QSet never shrink by themselves, and iterating one walks its whole capacity: after
// a peak of 10,000 connections every walk of the few left would still visit 16,384 slots.
// Called where clients leave (not where parked polls are answered, which come back).
template<typename Container> void shrinkAfterPeak(Container &container)
{
    if (container.capacity() > 128 && container.size() * 8 < container.capacity())
        container.squeeze();
}

constexpr qint64 MaxCursor = 9007199254740991LL; // 2^53 - 1: exact in every JSON reader

qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray queryValue(const QueryItems &items, QByteArrayView key)
{
    for (const auto &[name, value] : items) {
        if (name == key)
            return value.isNull() ? QByteArray("") : value;
    }
    return {};
}

bool decodeUtf8(const QByteArray &bytes, QString *out)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *out = decoder.decode(bytes);
    return !decoder.hasError();
}

// A whole number in [min, max]; nullopt for anything else ("", "1.5", "-1", "1e3", "0x10").
std::optional<qint64> parseInteger(const QByteArray &text, qint64 min, qint64 max)
{
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value < min || value > max)
        return std::nullopt;
    return value;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Hashing first makes the comparison independent of both contents and lengths.
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff |= static_cast<unsigned char>(ha[i] ^ hb[i]);
    return diff == 0;
}

// "host:port", "[v6]:port" or "host" → lower-case host and port (default 80).
std::pair<QString, int> splitHostPort(const QByteArray &hostHeader)
{
    QString host = QString::fromLatin1(hostHeader).trimmed().toLower();
    int port = 80;
    const qsizetype bracket = host.lastIndexOf(u']');
    const qsizetype colon = host.lastIndexOf(u':');
    if (colon > bracket && colon >= 0) {
        bool ok = false;
        port = host.mid(colon + 1).toInt(&ok);
        if (!ok)
            port = -1;
        host.truncate(colon);
    }
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    return {host, port};
}

} // namespace

RoomServer::RoomServer(const ServerConfig &config, const RoomSnapshot &snapshot, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_snapshot(snapshot)
    , m_room(config.historyLimit)
    , m_presence(config.onlineTimeoutMs)
    , m_rateLimiter(config.rateLimitPerSecond)
{
    m_room.restore(snapshot.messages, snapshot.lastSeq, snapshot.clientKeys);
}

RoomServer::~RoomServer()
{
    closeEverything();
}

qint64 RoomServer::monotonicMs() const
{
    return QDeadlineTimer::current().deadline();
}

void RoomServer::start()
{
    if (m_running)
        return;
    raiseOpenFileLimit();
    keepFreedMemoryForReuse();
    m_socketBatch = SocketBatch::create();
    qCDebug(lcServer) << "broadcasts"
                      << (m_socketBatch ? "through io_uring" : "one send at a time");
    m_uptime.start();

    m_tcpServer = new ConnectionListener(this);
    m_tcpServer->setListenBacklogSize(m_config.listenBacklog);
    m_tcpServer->setMaxPendingConnections(m_config.listenBacklog);
    if (!m_tcpServer->listen(m_config.bindAddress, m_config.port)) {
        const ServerError error{ServerError::kindOf(m_tcpServer->serverError()),
                                QStringLiteral("Cannot listen on %1 port %2: %3")
                                    .arg(m_config.bindAddress.toString(),
                                         QString::number(m_config.port),
                                         m_tcpServer->errorString())};
        qCWarning(lcServer).noquote() << error.message;
        delete m_tcpServer;
        m_tcpServer = nullptr;
        emit failed(error);
        return;
    }
    connect(m_tcpServer, &QTcpServer::newConnection, this, &RoomServer::onNewTcpConnections);

    m_webSocketServer =
        new QWebSocketServer(QStringLiteral("PushChat"), QWebSocketServer::NonSecureMode, this);
    m_webSocketServer->setHandshakeTimeout(m_config.headTimeoutMs);
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
            &RoomServer::onNewWebSockets);
#if QT_CONFIG(ssl)
    // Every QWebSocket, even the one QWebSocketServer makes for a plain ws:// handshake, copies
    // the default TLS configuration, and the first copy loads the TLS backend (10 ms or more).
    // That happens now rather than in the middle of the first client's handshake.
    QSslConfiguration::defaultConfiguration();
#endif

    m_sweepTimer = new QTimer(this);
    m_releaseTimer = new QTimer(this);
    m_releaseTimer->setSingleShot(true);
    connect(m_releaseTimer, &QTimer::timeout, this, &RoomServer::releaseParkedWithNews);

    m_sweepTimer->setSingleShot(true); // sweep() sets when it is next needed
    connect(m_sweepTimer, &QTimer::timeout, this, &RoomServer::sweep);
    m_nextSweepMs = monotonicMs() + SlowSweepIntervalMs;
    m_nextConnectionTimeoutMs = std::numeric_limits<qint64>::max();
    m_sweepTimer->start(SlowSweepIntervalMs);

    m_running = true;
    qCInfo(lcServer) << "listening on" << m_tcpServer->serverAddress().toString()
                     << m_tcpServer->serverPort();
    emit started(m_tcpServer->serverPort());
}

void RoomServer::stop()
{
    closeEverything();
    emit stopped(
        RoomSnapshot{m_room.retainedMessages(), m_room.lastSeq(), m_room.retainedClientKeys()});
}

void RoomServer::closeEverything()
{
    m_running = false;
    delete m_sweepTimer;
    m_sweepTimer = nullptr;
    delete m_releaseTimer;
    m_releaseTimer = nullptr;
    if (m_tcpServer)
        m_tcpServer->close();
    delete m_tcpServer;
    m_tcpServer = nullptr;
    abortConnections(true);
    delete m_webSocketServer;
    m_webSocketServer = nullptr;
    m_presence.clear();
    for (TransportCounters &counters : m_stats.buckets) {
        counters.openConnections = 0;
        counters.parked = 0;
    }
}

void RoomServer::dropConnections()
{
    qCInfo(lcServer) << "dropping every connection";
    abortConnections(false);
}

void RoomServer::abortConnections(bool goingAway)
{
    m_stats[StatsBucket::LongPoll].parked -= m_parkedPolls.size() + m_parkedCompat.size();
    m_parkedPolls.clear();
    m_parkedCompat.clear();
    // Deleted here, not as children: their destructors update m_stats, a member.
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    for (HttpConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        connection->abort();
        delete connection;
    }
    const auto clients = std::exchange(m_webSocketClients, {});
    for (WebSocketClient *client : clients) {
        if (goingAway)
            client->peer->closeNow(WebSocketFrame::CloseGoingAway, "server stopping");
        else
            client->peer->abort();
        delete client->peer;
        delete client;
        --m_stats[StatsBucket::WebSocket].openConnections;
    }
}

void RoomServer::onNewTcpConnections()
{
    if (!m_tcpServer)
        return;
    for (const qintptr descriptor : m_tcpServer->takeDescriptors()) {
        if (m_connections.size() + m_webSocketClients.size() >= m_config.maxConnections) {
            auto *socket = new QTcpSocket(this);
            if (!socket->setSocketDescriptor(descriptor)) {
                ::close(int(descriptor));
                delete socket;
                continue;
            }
            const QByteArray body = JsonCodec::encodeError(
                QStringLiteral("server full: %1 connections").arg(m_config.maxConnections));
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                          "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            if (socket->state() == QAbstractSocket::UnconnectedState)
                socket->deleteLater();
            qCDebug(lcHttp) << "refused a connection: server full";
            continue;
        }
        auto *connection =
            new HttpConnection(descriptor, m_config.http, &m_stats, monotonicMs(), this);
        connection->setClassifier(
            [this](const Http::Request &request) { return classify(request); });
        m_connections.insert(connection);
        connectionTimeoutBy(monotonicMs() + m_config.headTimeoutMs);
        connect(connection, &HttpConnection::requestHeadPending, this,
                [this] { connectionTimeoutBy(monotonicMs() + m_config.headTimeoutMs); });
        connect(connection, &HttpConnection::requestReceived, this, &RoomServer::handleRequest);
        connect(connection, &HttpConnection::upgradeRequested, this, &RoomServer::handleUpgrade);
        connect(connection, &HttpConnection::closed, this, [this](HttpConnection *closed) {
            m_connections.remove(closed);
            qCDebug(lcHttp) << "connection closed;" << m_connections.size() << "open";
            if (m_parkedPolls.remove(closed) || m_parkedCompat.remove(closed))
                --m_stats[StatsBucket::LongPoll].parked;
            shrinkAfterPeak(m_connections);
            shrinkAfterPeak(m_parkedPolls);
            shrinkAfterPeak(m_parkedCompat);
            closed->deleteLater();
        });
    }
}

StatsBucket RoomServer::classify(const Http::Request &request) const
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
    return StatsBucket::Other;
}

bool RoomServer::checkAccess(HttpConnection *connection, const Http::Request &request,
                             const QueryItems &query)
{
    const QByteArray origin = request.header("origin");
    if (!origin.isNull() && !m_config.allowedOrigins.contains(QString::fromLatin1(origin))) {
        const QUrl originUrl(QString::fromLatin1(origin));
        const int defaultPort = originUrl.scheme() == u"https" ? 443 : 80;
        const auto [host, port] = splitHostPort(request.header("host"));
        const bool sameOrigin = originUrl.isValid() && !originUrl.host().isEmpty() &&
                                originUrl.host().toLower() == host &&
                                originUrl.port(defaultPort) == port;
        if (!sameOrigin) {
            connection->respondError(403, QStringLiteral("cross-origin request from %1 refused")
                                              .arg(QString::fromLatin1(origin)));
            return false;
        }
    }
    if (m_config.key.isEmpty())
        return true;
    QByteArray presented;
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer "))
        presented = authorization.mid(7).trimmed();
    else
        presented = queryValue(query, "key");
    if (presented.isNull() || !constantTimeEquals(presented, m_config.key.toUtf8())) {
        connection->respondError(401,
                                 presented.isNull() ? QStringLiteral("this room needs a key")
                                                    : QStringLiteral("wrong room key"),
                                 false, QByteArrayLiteral("WWW-Authenticate: Bearer\r\n"));
        return false;
    }
    return true;
}

QString RoomServer::validateNick(const QString &nick) const
{
    const QString trimmed = nick.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("nick is empty");
    qsizetype characters = 0;
    for (const char32_t ch : trimmed.toUcs4()) {
        ++characters;
        const auto category = QChar::category(ch);
        if (category == QChar::Other_Control || category == QChar::Separator_Line ||
            category == QChar::Separator_Paragraph)
            return QStringLiteral("nick contains a control character");
    }
    if (characters > m_config.maxNickChars)
        return QStringLiteral("nick longer than %1 characters").arg(m_config.maxNickChars);
    return {};
}

void RoomServer::handleRequest(HttpConnection *connection, const Http::Request &request)
{
    QueryItems query;
    if (!Http::parseQuery(request.query, &query)) {
        connection->respondError(400, QStringLiteral("malformed query string"));
        return;
    }
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
    if (!checkAccess(connection, request, query))
        return;

    if (path == Paths::Messages)
        return isGet ? handleGetMessages(connection, query)
                     : handlePostMessage(connection, request, query);
    if (path == Paths::Room)
        return handleRoom(connection);
    if (path == Paths::Stats)
        return handleStats(connection);
    if (path == Paths::WebSocket || path == Paths::Echo) {
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

void RoomServer::seen(const QString &nick, std::optional<Transport> transport)
{
    if (nick.isEmpty())
        return;
    if (m_presence.touch(nick, transport, monotonicMs()))
        appendAndFanOut(MessageKind::Join, nick, QString());
    // Seeing a nick only moves its own expiry, so the sweep needs to come by then at the latest
    // (not by the earliest of all, which would cost a walk over every member per request).
    if (const auto expiry = m_presence.expiryOf(nick))
        sweepBy(*expiry);
}

void RoomServer::handleGetMessages(HttpConnection *connection, const QueryItems &query)
{
    const QByteArray afterText = queryValue(query, "after");
    const auto after =
        afterText.isNull() ? std::optional<qint64>(0) : parseInteger(afterText, 0, MaxCursor);
    if (!after) {
        connection->respondError(400, QStringLiteral("\"after\" must be a whole number >= 0"));
        return;
    }
    const QByteArray waitText = queryValue(query, "wait");
    std::optional<qint64> wait = 0;
    if (!waitText.isNull()) {
        wait = parseInteger(waitText, 1, m_config.maxLongPollWaitSeconds);
        if (!wait) {
            connection->respondError(400, QStringLiteral("\"wait\" must be a whole number of "
                                                         "seconds from 1 to %1")
                                              .arg(m_config.maxLongPollWaitSeconds));
            return;
        }
    }
    const QByteArray nickBytes = queryValue(query, "nick");
    QString nick;
    if (!nickBytes.isNull()) {
        QString error;
        if (!decodeUtf8(nickBytes, &nick))
            error = QStringLiteral("nick is not valid UTF-8");
        else
            error = validateNick(nick);
        if (!error.isEmpty()) {
            connection->respondError(400, error);
            return;
        }
        nick = nick.trimmed();
    }
    seen(nick, *wait > 0 ? Transport::LongPoll : Transport::Polling);

    const Room::Slice slice = m_room.after(*after);
    // News inside an open batching window waits for the window's end with the polls already
    // parked, so a burst is delivered in a few pages rather than one request per message.
    if (*wait == 0 || slice.reset || (!slice.entries.isEmpty() && !batchWindowOpen())) {
        connection->respond(200, slice.page(m_room.lastSeq(), wallClockMs()),
                            QByteArrayLiteral("application/json"), {}, slice.entries.isEmpty());
        return;
    }
    connection->park(monotonicMs() + *wait * 1000, *after);
    m_parkedPolls.insert(connection);
    sweepBy(connection->parkDeadlineMs());
    ++m_stats[StatsBucket::LongPoll].parked;
}

int RoomServer::acceptChat(const ChatSubmission &submission, QString *error,
                           const Room::Entry **stored)
{
    const QString &nick = submission.nick;
    const QString &text = submission.text;
    if (nick.isEmpty()) {
        *error = QStringLiteral("\"nick\" is required to send");
        return 400;
    }
    if (const QString nickError = validateNick(nick); !nickError.isEmpty()) {
        *error = nickError;
        return 400;
    }
    if (text.isEmpty()) {
        *error = QStringLiteral("\"text\" is empty");
        return 400;
    }
    if (text.toUtf8().size() > m_config.maxTextBytes) {
        *error = QStringLiteral("\"text\" longer than %1 bytes").arg(m_config.maxTextBytes);
        return 400;
    }
    const QString &clientId = submission.clientId;
    if (clientId.size() > 64 || std::any_of(clientId.cbegin(), clientId.cend(),
                                            [](QChar c) { return c.unicode() < 0x20; })) {
        *error = QStringLiteral("\"client_id\" must be 1 to 64 characters without control "
                                "characters");
        return 400;
    }
    const QString clientKey = Room::clientKey(nick.trimmed(), clientId);
    if (const Room::Entry *earlier = m_room.findByClientKey(clientKey)) {
        *stored = earlier; // a retry of a send that was stored: answer as before, store nothing
        return 0;
    }
    if (!m_rateLimiter.allow(submission.sender, monotonicMs())) {
        *error = QStringLiteral("more than %1 messages a second; slow down")
                     .arg(m_config.rateLimitPerSecond);
        return 429;
    }
    seen(nick.trimmed(), submission.via);
    *stored = &appendAndFanOut(MessageKind::Chat, nick.trimmed(), text, clientKey);
    return 0;
}

void RoomServer::handlePostMessage(HttpConnection *connection, const Http::Request &request,
                                   const QueryItems &query)
{
    QString body;
    if (!decodeUtf8(request.body, &body)) {
        connection->respondError(400, QStringLiteral("body is not valid UTF-8"));
        return;
    }
    const QByteArray contentType =
        request.header("content-type").split(';').first().trimmed().toLower();
    QString nick;
    QString text;
    QString clientId;
    bool haveNick = false;
    bool haveText = false;
    if (contentType == "application/json" ||
        (contentType.isEmpty() && request.body.trimmed().startsWith('{'))) {
        using Kind = JsonCodec::CommandValue::Kind;
        QString error;
        const auto post = JsonCodec::decodePostedMessage(request.body, &error);
        if (!post) {
            connection->respondError(400, error);
            return;
        }
        if (post->nick.kind == Kind::Other || post->text.kind == Kind::Other) {
            connection->respondError(400, QStringLiteral("\"nick\" and \"text\" must be strings"));
            return;
        }
        if (post->clientId.kind == Kind::Other) {
            connection->respondError(400, QStringLiteral("\"client_id\" must be a string"));
            return;
        }
        clientId = post->clientId.string;
        haveNick = post->nick.isString();
        haveText = post->text.isString();
        nick = post->nick.string;
        text = post->text.string;
    } else if (contentType == "application/x-www-form-urlencoded" || contentType.isEmpty()) {
        QueryItems form;
        if (!Http::parseQuery(request.body, &form)) {
            connection->respondError(400, QStringLiteral("malformed form body"));
            return;
        }
        const QByteArray nickBytes = queryValue(form, "nick");
        const QByteArray textBytes = queryValue(form, "text");
        const QByteArray clientIdBytes = queryValue(form, "client_id");
        if ((!nickBytes.isNull() && !decodeUtf8(nickBytes, &nick)) ||
            (!textBytes.isNull() && !decodeUtf8(textBytes, &text)) ||
            (!clientIdBytes.isNull() && !decodeUtf8(clientIdBytes, &clientId))) {
            connection->respondError(400, QStringLiteral("form field is not valid UTF-8"));
            return;
        }
        haveNick = !nickBytes.isNull();
        haveText = !textBytes.isNull();
    } else {
        connection->respondError(415, QStringLiteral("send application/json or "
                                                     "application/x-www-form-urlencoded"));
        return;
    }
    if (!haveNick || !haveText) {
        connection->respondError(
            400, QStringLiteral("missing field \"%1\"").arg(haveNick ? u"text" : u"nick"));
        return;
    }
    // A post says nothing about how its sender receives, unless `via` tells.
    const QByteArray via = queryValue(query, "via");
    std::optional<Transport> transport;
    if (via == "longpoll")
        transport = Transport::LongPoll;
    else if (via == "polling")
        transport = Transport::Polling;
    const QString sender = nick.trimmed() + u'@' + connection->peerAddress();
    QString error;
    const Room::Entry *stored = nullptr;
    if (const int status = acceptChat({nick, text, sender, clientId, transport}, &error, &stored)) {
        connection->respondError(status, error, false,
                                 status == 429 ? QByteArrayLiteral("Retry-After: 1\r\n")
                                               : QByteArray());
        return;
    }
    QByteArray created;
    created.reserve(48);
    created.append("{\"seq\":");
    JsonCodec::appendInteger(created, stored->seq);
    created.append(",\"ts\":");
    JsonCodec::appendInteger(created, stored->ts);
    connection->respond(201, created.append('}'));
}

void RoomServer::handleCompatNewMessage(HttpConnection *connection, const Http::Request &request,
                                        const QueryItems &query)
{
    QueryItems form;
    if (!Http::parseQuery(request.body, &form)) {
        connection->respondError(400, QStringLiteral("malformed form body"));
        return;
    }
    QString text;
    QString nick = QStringLiteral("guest");
    const QByteArray msg = queryValue(form, "msg");
    const QByteArray nickBytes =
        queryValue(form, "nick").isNull() ? queryValue(query, "nick") : queryValue(form, "nick");
    if (msg.isNull()) {
        connection->respondError(400, QStringLiteral("missing form field \"msg\""));
        return;
    }
    if (!decodeUtf8(msg, &text) || (!nickBytes.isNull() && !decodeUtf8(nickBytes, &nick))) {
        connection->respondError(400, QStringLiteral("form field is not valid UTF-8"));
        return;
    }
    const QString sender = nick.trimmed() + u'@' + connection->peerAddress();
    QString error;
    const Room::Entry *stored = nullptr;
    if (const int status =
            acceptChat({nick, text, sender, {}, Transport::LongPoll}, &error, &stored)) {
        connection->respondError(status, error);
        return;
    }
    connection->respond(200, stored->json());
}

void RoomServer::handleCompatUpdate(HttpConnection *connection, const Http::Request &request,
                                    const QueryItems &query)
{
    QueryItems form;
    if (!Http::parseQuery(request.body, &form)) {
        connection->respondError(400, QStringLiteral("malformed form body"));
        return;
    }
    QByteArray cursorText = queryValue(form, "cursor");
    if (cursorText.isNull())
        cursorText = queryValue(query, "cursor");
    qint64 cursor = m_room.lastSeq();
    if (!cursorText.isEmpty()) {
        const auto parsed = parseInteger(cursorText, 0, MaxCursor);
        if (!parsed) {
            connection->respondError(400, QStringLiteral("\"cursor\" must be a whole number"));
            return;
        }
        cursor = *parsed;
    }
    const Room::Slice slice = m_room.after(cursor);
    if (!slice.entries.isEmpty() && !batchWindowOpen()) {
        connection->respond(200, slice.array());
        return;
    }
    // A cursor ahead of the room (the server restarted) waits for the next message, as in the
    // tutorial: the compatibility answer has no way to say "reset".
    connection->park(monotonicMs() + m_config.compatLongPollWaitSeconds * 1000,
                     qMin(cursor, m_room.lastSeq()));
    m_parkedCompat.insert(connection);
    sweepBy(connection->parkDeadlineMs());
    ++m_stats[StatsBucket::LongPoll].parked;
}

const Room::Entry &RoomServer::appendAndFanOut(MessageKind kind, const QString &nick,
                                               const QString &text, const QString &clientKey)
{
    const Room::Entry &entry = m_room.append(kind, nick, text, wallClockMs(), clientKey);
    // With many long pollers most of them are on their way back when a message comes: the
    // window opens anyway, so that they find it waiting with the next ones, not one by one.
    if (!m_parkedPolls.isEmpty() || !m_parkedCompat.isEmpty() || manyLongPollers())
        releaseParkedSoon();
    writeToAllWebSockets(entry.webSocketFrame);
    return entry;
}

void RoomServer::writeToAllWebSockets(const QByteArray &frame)
{
    m_batchDescriptors.clear();
    m_batchPeers.clear();
    for (WebSocketClient *client : std::as_const(m_webSocketClients)) {
        if (client->echo)
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

bool RoomServer::batchWindowOpen() const
{
    return m_releaseTimer && m_releaseTimer->isActive();
}

bool RoomServer::manyLongPollers() const
{
    // Counted by connection, not by the polls an answer found parked: during a burst the
    // clients come back at scattered moments, and a count of parked polls would fall below
    // the mark and turn batching off just when it pays.
    return m_config.longPollBatchMs > 0 && m_stats[StatsBucket::LongPoll].openConnections >=
                                               m_config.longPollBatchMinimumConnections;
}

void RoomServer::releaseParkedSoon()
{
    if (!m_releaseTimer || batchWindowOpen())
        return; // an answer is due already: this message goes with it
    const qint64 now = monotonicMs();
    const qint64 due = m_lastReleaseMs + m_config.longPollBatchMs;
    // A few clients get every message at once (one client polling in a loop would otherwise
    // wait out each window).
    if (now >= due || !manyLongPollers())
        releaseParkedWithNews();
    else
        m_releaseTimer->start(int(due - now));
}

void RoomServer::releaseParkedWithNews()
{
    m_releaseTimer->stop();
    m_lastReleaseMs = monotonicMs();
    // A parked poll waits on the seq that was newest when it parked: a handful of cursors at
    // most, each answered with one page built once for all its polls.
    auto release = [this](QSet<HttpConnection *> &parked, auto makeBody) {
        QHash<qint64, QList<HttpConnection *>> byCursor;
        for (HttpConnection *connection : std::as_const(parked)) {
            if (connection->parkCursor() < m_room.lastSeq())
                byCursor[connection->parkCursor()].append(connection);
        }
        for (auto it = byCursor.cbegin(); it != byCursor.cend(); ++it) {
            for (HttpConnection *connection : it.value())
                parked.remove(connection);
            releaseParked(it.value(), makeBody(m_room.after(it.key())), false);
        }
    };
    release(m_parkedPolls, [this](const Room::Slice &slice) {
        return slice.page(m_room.lastSeq(), wallClockMs());
    });
    release(m_parkedCompat, [](const Room::Slice &slice) { return slice.array(); });
}

void RoomServer::releaseParked(const QList<HttpConnection *> &released, const QByteArray &body,
                               bool empty)
{
    // One answer, byte for byte, for every plain keep-alive poll.
    const QByteArray wire =
        HttpConnection::responseHead(200, body.size(), QByteArrayLiteral("application/json"), {}, 1,
                                     false) +
        body;
    m_stats[StatsBucket::LongPoll].parked -= released.size();
    for (HttpConnection *connection : released)
        connection->respondShared(wire, body, empty);
}

void RoomServer::handleRoom(HttpConnection *connection)
{
    QByteArray online = "[";
    bool first = true;
    for (const Presence::Member &member : m_presence.members()) {
        if (!first)
            online.append(',');
        first = false;
        online.append("{\"nick\":").append(JsonCodec::quote(member.nick));
        online.append(",\"transport\":\"")
            .append(member.transport ? transportName(*member.transport).toLatin1() : "other");
        online.append("\"}");
    }
    online.append(']');
    QByteArray body = "{\"name\":" + JsonCodec::quote(m_config.roomName);
    body += ",\"protocol\":" + QByteArray::number(ProtocolVersion);
    body += ",\"last_seq\":" + QByteArray::number(m_room.lastSeq());
    body += ",\"key_required\":" + QByteArray(m_config.key.isEmpty() ? "false" : "true");
    body += ",\"online\":" + online;
    body += ",\"limits\":{\"max_text_bytes\":" + QByteArray::number(m_config.maxTextBytes);
    body += ",\"max_nick_chars\":" + QByteArray::number(m_config.maxNickChars);
    body += ",\"max_body_bytes\":" + QByteArray::number(m_config.http.maxBodyBytes);
    body +=
        ",\"max_websocket_message_bytes\":" + QByteArray::number(m_config.maxWebSocketMessageBytes);
    body += ",\"history\":" + QByteArray::number(m_config.historyLimit);
    body += ",\"max_wait_seconds\":" + QByteArray::number(m_config.maxLongPollWaitSeconds);
    body += ",\"rate_per_second\":" + QByteArray::number(m_config.rateLimitPerSecond);
    body += ",\"online_timeout_ms\":" + QByteArray::number(m_config.onlineTimeoutMs);
    body += "},\"now\":" + QByteArray::number(wallClockMs()) + '}';
    connection->respond(200, body);
}

void RoomServer::handleStats(HttpConnection *connection)
{
    QByteArray body = "{";
    for (const StatsBucket bucket : {StatsBucket::Polling, StatsBucket::LongPoll,
                                     StatsBucket::WebSocket, StatsBucket::Other}) {
        const TransportCounters &c = m_stats[bucket];
        body += '"' + QByteArray(statsBucketName(bucket)) + "\":{";
        body += "\"requests\":" + QByteArray::number(c.requests);
        body += ",\"responses\":" + QByteArray::number(c.responses);
        body += ",\"empty_responses\":" + QByteArray::number(c.emptyResponses);
        body += ",\"frames_in\":" + QByteArray::number(c.framesIn);
        body += ",\"frames_out\":" + QByteArray::number(c.framesOut);
        body += ",\"bytes_in\":" + QByteArray::number(c.bytesIn);
        body += ",\"bytes_out\":" + QByteArray::number(c.bytesOut);
        body += ",\"open_connections\":" + QByteArray::number(c.openConnections);
        body += ",\"parked\":" + QByteArray::number(c.parked) + "},";
    }
    body += "\"uptime_ms\":" + QByteArray::number(m_uptime.elapsed());
    body += ",\"messages\":" + QByteArray::number(m_room.lastSeq());
    body += ",\"retained\":" + QByteArray::number(m_room.retainedCount());
    body += ",\"now\":" + QByteArray::number(wallClockMs()) + '}';
    connection->respond(200, body);
}

void RoomServer::handleStatic(HttpConnection *connection, const Http::Request &request)
{
    const StaticResponse file = StaticFiles::serve(request.path, request.header("if-none-match"));
    QByteArray headers = file.extraHeaders;
    if (!file.etag.isEmpty())
        headers += "ETag: " + file.etag + "\r\nCache-Control: " + file.cacheControl + "\r\n";
    connection->respond(file.status, file.body, file.contentType, headers);
}

void RoomServer::handleUpgrade(HttpConnection *connection, const Http::Request &request,
                               qint64 headBytes)
{
    QueryItems query;
    if (!Http::parseQuery(request.query, &query)) {
        connection->respondError(400, QStringLiteral("malformed query string"));
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
    if (!checkAccess(connection, request, query))
        return;
    PendingHandshake pending;
    pending.echo = echo;
    pending.tcp = connection->socket();
    if (!echo) {
        const QByteArray afterText = queryValue(query, "after");
        const auto after =
            afterText.isNull() ? std::optional<qint64>(0) : parseInteger(afterText, 0, MaxCursor);
        if (!after) {
            connection->respondError(400, QStringLiteral("\"after\" must be a whole number >= 0"));
            return;
        }
        pending.after = *after;
        const QByteArray nickBytes = queryValue(query, "nick");
        if (!nickBytes.isNull()) {
            QString error;
            if (!decodeUtf8(nickBytes, &pending.nick))
                error = QStringLiteral("nick is not valid UTF-8");
            else
                error = validateNick(pending.nick);
            if (!error.isEmpty()) {
                connection->respondError(400, error);
                return;
            }
            pending.nick = pending.nick.trimmed();
        }
    }
    QTcpSocket *socket = connection->detachSocket(m_webSocketServer);
    if (!socket)
        return;
    TransportCounters &counters = m_stats[StatsBucket::WebSocket];
    counters.requests += 1;
    counters.bytesIn += headBytes;
    // Everything written from now on (the 101, frames, pongs, close) is WebSocket traffic.
    connect(socket, &QTcpSocket::bytesWritten, this,
            [this](qint64 bytes) { m_stats[StatsBucket::WebSocket].bytesOut += bytes; });
    const QString peer =
        socket->peerAddress().toString() + u'|' + QString::number(socket->peerPort());
    m_pendingHandshakes.insert(peer, pending);
    connect(socket, &QObject::destroyed, this, [this, peer] { m_pendingHandshakes.remove(peer); });
    m_webSocketServer->handleConnection(socket);
}

void RoomServer::onNewWebSockets()
{
    const WebSocketPeer::Limits limits{m_config.maxWebSocketMessageBytes,
                                       m_config.maxWebSocketBacklogBytes};
    while (m_webSocketServer && m_webSocketServer->hasPendingConnections()) {
        QWebSocket *socket = m_webSocketServer->nextPendingConnection();
        const QString peer =
            socket->peerAddress().toString() + u'|' + QString::number(socket->peerPort());
        const auto pending = m_pendingHandshakes.take(peer);
        auto *client = new WebSocketClient;
        client->address = socket->peerAddress().toString();
        client->nick = pending.nick;
        client->echo = pending.echo;
        client->peer = pending.tcp ? WebSocketPeer::adopt(pending.tcp, socket, limits,
                                                          &m_stats[StatsBucket::WebSocket], this)
                                   : nullptr;
        if (!client->peer) {
            if (!pending.tcp)
                delete socket;
            delete client;
            continue;
        }
        ++m_stats[StatsBucket::WebSocket].openConnections;
        WebSocketPeer *peerSocket = client->peer;
        connect(peerSocket, &WebSocketPeer::textReceived, this,
                [this, client](const QByteArray &utf8) { onWebSocketText(client, utf8); });
        connect(peerSocket, &WebSocketPeer::binaryReceived, this,
                [this, client](const QByteArray &data) { onWebSocketBinary(client, data); });
        connect(peerSocket, &WebSocketPeer::closed, this,
                [this, client] { onWebSocketClosed(client); });

        if (client->echo) {
            addWebSocketClient(client);
            continue;
        }
        const Room::Slice slice = m_room.after(pending.after);
        QByteArray hello = "{\"type\":\"hello\",\"room\":" + JsonCodec::quote(m_config.roomName);
        hello += ",\"protocol\":" + QByteArray::number(ProtocolVersion);
        hello += ",\"last_seq\":" + QByteArray::number(m_room.lastSeq());
        hello += ",\"gap\":" + QByteArray(slice.gap ? "true" : "false");
        hello += ",\"reset\":" + QByteArray(slice.reset ? "true" : "false");
        hello += ",\"observer\":" + QByteArray(client->nick.isEmpty() ? "true" : "false");
        hello += ",\"now\":" + QByteArray::number(wallClockMs()) + '}';
        qint64 replayBytes = 0;
        for (const Room::Entry *entry : slice.entries)
            replayBytes += entry->webSocketFrame.size();
        peerSocket->allowBacklog(replayBytes);
        sendToClient(client, hello);
        for (const Room::Entry *entry : slice.entries)
            writeFrame(client, entry->webSocketFrame);
        addWebSocketClient(client);
        if (!client->nick.isEmpty() && m_presence.webSocketOpened(client->nick, monotonicMs()))
            appendAndFanOut(MessageKind::Join, client->nick, QString());
    }
}

void RoomServer::writeFrame(WebSocketClient *client, const QByteArray &frame)
{
    // The frame is complete and shared by every recipient: written as it is, no re-encoding.
    client->peer->send(frame);
}

void RoomServer::sendToClient(WebSocketClient *client, const QByteArray &payload)
{
    writeFrame(client, WebSocketFrame::text(payload));
}

void RoomServer::onWebSocketText(WebSocketClient *client, const QByteArray &utf8)
{
    if (client->echo) {
        client->peer->send(WebSocketFrame::text(utf8));
        return;
    }
    const std::optional<JsonCodec::ClientCommand> command = JsonCodec::decodeClientCommand(utf8);
    const QByteArray idField =
        command && !command->id.isNull() ? ",\"id\":" + command->id : QByteArray();
    auto sendError = [&](int code, const QString &message) {
        QByteArray payload = JsonCodec::webSocketError(code, message);
        if (!idField.isEmpty())
            payload.insert(payload.size() - 1, idField);
        sendToClient(client, payload);
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
    QString error;
    const Room::Entry *stored = nullptr;
    const QString sender = client->nick + u'@' + client->address;
    if (command->clientId.kind == JsonCodec::CommandValue::Kind::Other) {
        sendError(400, QStringLiteral("\"client_id\" must be a string"));
        return;
    }
    if (const int status = acceptChat({client->nick, command->text.string, sender,
                                       command->clientId.string, Transport::WebSocket},
                                      &error, &stored)) {
        sendError(status, error);
        return;
    }
    if (!idField.isEmpty()) {
        QByteArray ack;
        ack.reserve(64 + idField.size());
        ack.append("{\"type\":\"ack\"").append(idField);
        ack.append(",\"seq\":");
        JsonCodec::appendInteger(ack, stored->seq);
        ack.append(",\"ts\":");
        JsonCodec::appendInteger(ack, stored->ts);
        ack.append('}');
        sendToClient(client, ack);
    }
}

void RoomServer::onWebSocketBinary(WebSocketClient *client, const QByteArray &data)
{
    if (client->echo) {
        client->peer->send(WebSocketFrame::frame(WebSocketFrame::Binary, data));
        return;
    }
    sendToClient(client, JsonCodec::webSocketError(
                             400, QStringLiteral("binary frames are not understood on /ws")));
}

void RoomServer::addWebSocketClient(WebSocketClient *client)
{
    client->slot = m_webSocketClients.size();
    m_webSocketClients.append(client);
}

bool RoomServer::removeWebSocketClient(WebSocketClient *client)
{
    const qsizetype slot = client->slot;
    if (slot < 0 || slot >= m_webSocketClients.size() || m_webSocketClients.at(slot) != client)
        return false;
    WebSocketClient *last = m_webSocketClients.takeLast();
    if (last != client) {
        m_webSocketClients[slot] = last;
        last->slot = slot;
    }
    client->slot = -1;
    return true;
}

void RoomServer::onWebSocketClosed(WebSocketClient *client)
{
    if (!removeWebSocketClient(client))
        return;
    WebSocketPeer *peer = client->peer;
    --m_stats[StatsBucket::WebSocket].openConnections;
    if (!client->nick.isEmpty()) {
        m_presence.webSocketClosed(client->nick, monotonicMs(), m_config.webSocketLeaveGraceMs);
        if (const auto expiry = m_presence.expiryOf(client->nick))
            sweepBy(*expiry);
    }
    delete client;
    peer->deleteLater();
}

void RoomServer::sweepBy(qint64 deadlineMs)
{
    if (deadlineMs >= m_nextSweepMs)
        return;
    m_nextSweepMs = deadlineMs;
    m_sweepTimer->start(int(qMax(qint64(0), deadlineMs - monotonicMs())));
}

void RoomServer::connectionTimeoutBy(qint64 deadlineMs)
{
    m_nextConnectionTimeoutMs = qMin(m_nextConnectionTimeoutMs, deadlineMs);
    sweepBy(qMax(deadlineMs, m_lastSlowSweepMs + SlowSweepIntervalMs));
}

void RoomServer::sweep()
{
    // News waiting for the batching window goes out before any poll is told there is none.
    if (batchWindowOpen())
        releaseParkedWithNews();
    const qint64 now = monotonicMs();
    qint64 nextDeadline = std::numeric_limits<qint64>::max();
    auto expire = [&](QSet<HttpConnection *> &parked, auto makeEmptyBody) {
        QList<HttpConnection *> due;
        for (auto it = parked.begin(); it != parked.end();) {
            if ((*it)->parkDeadlineMs() <= now) {
                due.append(*it);
                it = parked.erase(it);
            } else {
                nextDeadline = qMin(nextDeadline, (*it)->parkDeadlineMs());
                ++it;
            }
        }
        if (!due.isEmpty())
            releaseParked(due, makeEmptyBody(), true);
    };
    expire(m_parkedPolls,
           [&] { return JsonCodec::encodePage({}, m_room.lastSeq(), false, wallClockMs()); });
    expire(m_parkedCompat, [] { return QByteArrayLiteral("[]"); });
    if (now - m_lastSlowSweepMs >= SlowSweepIntervalMs) {
        m_lastSlowSweepMs = now;
        m_nextConnectionTimeoutMs = std::numeric_limits<qint64>::max();
        const QSet<HttpConnection *> connections = m_connections;
        for (HttpConnection *connection : connections) {
            if (connection->checkTimeouts(now, m_config.headTimeoutMs, m_config.idleTimeoutMs))
                continue;
            if (const auto next =
                    connection->nextTimeoutMs(now, m_config.headTimeoutMs, m_config.idleTimeoutMs))
                m_nextConnectionTimeoutMs = qMin(m_nextConnectionTimeoutMs, *next);
        }
        for (const QString &nick : m_presence.expire(now))
            appendAndFanOut(MessageKind::Leave, nick, QString());
        m_rateLimiter.prune(now);
    }
    // Housekeeping at most once a second, and only when something is due: a connection's head
    // or idle timeout, or the expiry of someone online through polling or in a WebSocket's
    // leave grace. Between those the thread sleeps; new connections and requests say when they
    // will next be due (connectionTimeoutBy(), sweepBy()). A chat of one poll a second costs
    // the server one wake-up per request, not one more per second for the housekeeping.
    if (m_nextConnectionTimeoutMs != std::numeric_limits<qint64>::max())
        nextDeadline = qMin(
            nextDeadline, qMax(m_nextConnectionTimeoutMs, m_lastSlowSweepMs + SlowSweepIntervalMs));
    if (const auto expiry = m_presence.nextExpiryMs())
        nextDeadline = qMin(nextDeadline, qMax(*expiry, m_lastSlowSweepMs + SlowSweepIntervalMs));
    m_nextSweepMs = nextDeadline;
    if (nextDeadline == std::numeric_limits<qint64>::max())
        m_sweepTimer->stop();
    else
        m_sweepTimer->start(int(qMax(qint64(0), nextDeadline - now)));
}

} // namespace PushChat
