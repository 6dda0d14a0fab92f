#include "httpconnection.h"

#include "jsoncodec.h"
#include "serverlog.h"

#include <QDeadlineTimer>

#include <sys/socket.h>

namespace PushChat {

namespace {
qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}
} // namespace

const char *statsBucketName(StatsBucket bucket)
{
    switch (bucket) {
    case StatsBucket::Polling:
        return "polling";
    case StatsBucket::LongPoll:
        return "longpoll";
    case StatsBucket::WebSocket:
        return "websocket";
    case StatsBucket::Other:
        return "other";
    }
    return "other";
}

HttpConnection::HttpConnection(QTcpSocket *socket, const Http::Limits &limits, ServerStats *stats,
                               qint64 nowMs, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_stats(stats)
    , m_idleSinceMs(nowMs)
{
    socket->setParent(this);
    // Back-pressure: a client that pipelines without waiting cannot make us buffer without end.
    socket->setReadBufferSize(limits.maxHeadBytes + limits.maxBodyBytes + 4096);
    ++counters().openConnections;
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::processInput);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "socket error" << m_socket->errorString();
        onDisconnected();
    });
}

HttpConnection::~HttpConnection()
{
    if (!m_closedEmitted)
        --counters().openConnections;
}

void HttpConnection::setBucket(StatsBucket bucket)
{
    if (bucket == m_bucket)
        return;
    --counters().openConnections;
    m_bucket = bucket;
    ++counters().openConnections;
}

void HttpConnection::processInput()
{
    while (m_socket && !m_busy && !m_closing && m_socket->bytesAvailable() > 0) {
        const bool headJustStarted = m_requestStartedMs < 0;
        if (headJustStarted)
            m_requestStartedMs = monotonicMs();
        const QByteArray data = m_socket->peek(m_socket->bytesAvailable());
        const Http::ParseResult result = Http::parseRequest(data, m_limits);
        switch (result.status) {
        case Http::ParseResult::Status::Incomplete:
            if (headJustStarted)
                emit requestHeadPending(this);
            if (result.headComplete && !m_sentContinue &&
                result.request.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
                m_sentContinue = true;
                write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
            return;
        case Http::ParseResult::Status::Error:
            counters().requests += 1;
            counters().bytesIn += data.size();
            m_socket->skip(data.size());
            m_busy = true;
            m_minorVersion = 1;
            respondError(result.errorStatus, result.errorMessage, true);
            return;
        case Http::ParseResult::Status::Complete:
            break;
        }
        m_busy = true;
        m_sentContinue = false;
        m_requestStartedMs = -1;
        m_keepAlive = result.request.keepAlive();
        m_minorVersion = result.request.minorVersion;
        m_headRequest = result.request.method == "HEAD";
        if (m_classify)
            setBucket(m_classify(result.request));
        if (result.request.isWebSocketUpgrade()) {
            // The handshake stays unread: if it is accepted, QWebSocketServer reads it.
            m_pendingUpgradeBytes = result.consumed;
            m_keepAlive = false;
            emit upgradeRequested(this, result.request, result.headBytes);
            return;
        }
        m_socket->skip(result.consumed);
        counters().requests += 1;
        counters().bytesIn += result.consumed;
        emit requestReceived(this, result.request);
    }
}

void HttpConnection::write(const QByteArray &bytes)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    counters().bytesOut += bytes.size();
    qsizetype sent = 0;
    if (m_socket->bytesToWrite() == 0) {
        // Straight from the caller's bytes (for released long polls, one buffer shared by all)
        // to the kernel. Through QTcpSocket::write each answer is copied into a 32 KiB buffer
        // chunk the socket then keeps, and costs a write notification.
        const ssize_t n = ::send(int(m_socket->socketDescriptor()), bytes.constData(),
                                 size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == bytes.size())
            return;
        sent = qMax<ssize_t>(n, 0);
    }
    m_socket->write(sent == 0 ? bytes : bytes.mid(sent));
    m_socket->flush();
}

QByteArray HttpConnection::responseHead(int status, qsizetype bodySize,
                                        const QByteArray &contentType,
                                        const QByteArray &extraHeaders, int minorVersion,
                                        bool close)
{
    QByteArray head;
    head.reserve(128 + extraHeaders.size());
    head.append(minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
    JsonCodec::appendInteger(head, status);
    head.append(' ').append(Http::reasonPhrase(status));
    head.append("\r\nContent-Type: ").append(contentType);
    head.append("\r\nContent-Length: ");
    JsonCodec::appendInteger(head, bodySize);
    head.append("\r\n");
    head.append(extraHeaders);
    if (close)
        head.append("Connection: close\r\n");
    else if (minorVersion == 0)
        head.append("Connection: keep-alive\r\n");
    head.append("\r\n");
    return head;
}

bool HttpConnection::beginResponse()
{
    if (!m_busy || !m_socket)
        return false;
    if (m_pendingUpgradeBytes > 0) {
        m_socket->skip(m_pendingUpgradeBytes);
        counters().requests += 1;
        counters().bytesIn += m_pendingUpgradeBytes;
        m_pendingUpgradeBytes = 0;
    }
    return true;
}

void HttpConnection::finishResponse(const QByteArray &wire, bool close, bool emptyAnswer)
{
    TransportCounters &c = counters();
    ++c.responses;
    if (emptyAnswer)
        ++c.emptyResponses;
    write(wire);
    m_busy = false;
    m_servedRequest = true;
    m_idleSinceMs = monotonicMs();
    if (close) {
        m_closing = true;
        m_socket->disconnectFromHost();
        return;
    }
    processInput();
}

void HttpConnection::respond(int status, const QByteArray &body, const QByteArray &contentType,
                             const QByteArray &extraHeaders, bool emptyAnswer)
{
    if (!beginResponse())
        return;
    const bool close = !m_keepAlive || m_closing;
    QByteArray wire =
        responseHead(status, body.size(), contentType, extraHeaders, m_minorVersion, close);
    if (!m_headRequest)
        wire.append(body);
    finishResponse(wire, close, emptyAnswer);
}

void HttpConnection::respondShared(const QByteArray &keepAliveResponse, const QByteArray &body,
                                   bool emptyAnswer)
{
    if (m_keepAlive && !m_closing && m_minorVersion == 1 && !m_headRequest) {
        if (beginResponse())
            finishResponse(keepAliveResponse, false, emptyAnswer);
        return;
    }
    respond(200, body, QByteArrayLiteral("application/json"), {}, emptyAnswer);
}

void HttpConnection::respondError(int status, const QString &message, bool close,
                                  const QByteArray &extraHeaders)
{
    if (close)
        m_keepAlive = false;
    respond(status, JsonCodec::encodeError(message), QByteArrayLiteral("application/json"),
            extraHeaders);
}

QTcpSocket *HttpConnection::detachSocket(QObject *newParent)
{
    QTcpSocket *socket = m_socket;
    if (!socket)
        return nullptr;
    disconnect(socket, nullptr, this, nullptr);
    socket->setParent(newParent);
    m_socket = nullptr;
    m_pendingUpgradeBytes = 0;
    m_closing = true;
    if (!m_closedEmitted) {
        m_closedEmitted = true;
        --counters().openConnections;
        emit closed(this);
    }
    return socket;
}

std::optional<HttpConnection::Timeout> HttpConnection::runningTimeout(qint64 headTimeoutMs,
                                                                      qint64 idleTimeoutMs) const
{
    if (m_closing || m_busy || !m_socket)
        return std::nullopt;
    // Before the first request, and once a head has begun, the head timeout applies;
    // between requests on a keep-alive connection, the longer idle timeout.
    if (m_requestStartedMs >= 0)
        return Timeout{m_requestStartedMs + headTimeoutMs, true};
    if (!m_servedRequest || m_socket->bytesAvailable() > 0)
        return Timeout{m_idleSinceMs + headTimeoutMs, true};
    return Timeout{m_idleSinceMs + idleTimeoutMs, false};
}

bool HttpConnection::checkTimeouts(qint64 nowMs, qint64 headTimeoutMs, qint64 idleTimeoutMs)
{
    const auto timeout = runningTimeout(headTimeoutMs, idleTimeoutMs);
    if (!timeout || nowMs < timeout->dueMs)
        return false;
    if (!timeout->forHead) {
        closeNow();
        return true;
    }
    m_socket->skip(m_socket->bytesAvailable());
    m_busy = true;
    respondError(
        408, QStringLiteral("request head not complete within %1 s").arg(headTimeoutMs / 1000.0),
        true);
    return true;
}

std::optional<qint64> HttpConnection::nextTimeoutMs(qint64 nowMs, qint64 headTimeoutMs,
                                                    qint64 idleTimeoutMs) const
{
    if (m_busy && !m_closing && m_socket)
        return nowMs + headTimeoutMs;
    if (const auto timeout = runningTimeout(headTimeoutMs, idleTimeoutMs))
        return timeout->dueMs;
    return std::nullopt;
}

void HttpConnection::closeNow()
{
    m_closing = true;
    if (m_socket)
        m_socket->disconnectFromHost();
}

void HttpConnection::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_closing = true;
    --counters().openConnections;
    emit closed(this);
}

} // namespace PushChat
