// One HTTP/1.1 connection (see the class comment in httpconnection.h). Over 500 lines because
// it has two I/O paths, the descriptor read directly and the QTcpSocket it moves to, under one
// set of rules for answers, back-pressure and timeouts: split apart, each half would need the
// other's state.

#include "httpconnection.h"

#include "cpuaccount.h"
#include "delayedoutput.h"
#include "faultinjector.h"
#include "jsoncodec.h"
#include "serverlog.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QSslSocket>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace PushChat {

namespace {
qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}
} // namespace

HttpConnection::HttpConnection(qintptr descriptor, const Http::Limits &limits, ServerStats *stats,
                               qint64 nowMs, QObject *parent)
    : QObject(parent)
    , m_descriptor(int(descriptor))
    , m_limits(limits)
    , m_stats(stats)
    , m_idleSinceMs(nowMs)
{
    ++counters().openConnections;
    ::fcntl(m_descriptor, F_SETFL, ::fcntl(m_descriptor, F_GETFL) | O_NONBLOCK);
    m_readNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &HttpConnection::onReadable);
}

HttpConnection::~HttpConnection()
{
    closeDescriptor();
    if (!m_closedEmitted)
        --counters().openConnections;
}

void HttpConnection::attachSocket(QTcpSocket *socket)
{
    m_socket = socket;
    // Back-pressure: a client that pipelines without waiting cannot make us buffer without end.
    socket->setReadBufferSize(m_limits.maxHeadBytes + m_limits.maxBodyBytes + 4096);
    connect(socket, &QTcpSocket::readyRead, this, [this] {
        CpuAccount::Scope cpu(m_bucket);
        processInput(&cpu);
    });
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "socket error" << m_socket->errorString();
        onDisconnected();
    });
}

void HttpConnection::useSocket()
{
    if (m_descriptor < 0)
        return;
    // Not deleted here: this may run inside the notifier's own activated() signal.
    m_readNotifier->setEnabled(false);
    m_readNotifier->deleteLater();
    m_readNotifier = nullptr;
    const int descriptor = std::exchange(m_descriptor, -1);
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot hand a connection to a QTcpSocket:" << socket->errorString();
        delete socket;
        ::close(descriptor);
        onDisconnected();
        return;
    }
    attachSocket(socket);
}

void HttpConnection::encrypt(const QSslConfiguration &configuration)
{
    if (m_descriptor < 0)
        return;
    delete m_readNotifier; // not inside its activated(): a new connection has not been read yet
    m_readNotifier = nullptr;
    const int descriptor = std::exchange(m_descriptor, -1);
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot hand a connection to a QSslSocket:" << socket->errorString();
        delete socket;
        ::close(descriptor);
        onDisconnected();
        return;
    }
    socket->setSslConfiguration(configuration);
    attachSocket(socket);
    socket->startServerEncryption();
}

void HttpConnection::closeDescriptor()
{
    if (m_descriptor < 0)
        return;
    delete m_readNotifier; // unregistered before its descriptor number can be reused
    m_readNotifier = nullptr;
    ::close(std::exchange(m_descriptor, -1));
}

bool HttpConnection::discardInput(qsizetype size)
{
    // MSG_TRUNC on a TCP socket drops the bytes without copying them (Linux).
    return ::recv(m_descriptor, nullptr, size_t(size), MSG_TRUNC | MSG_DONTWAIT) == size;
}

void HttpConnection::onReadable()
{
    CpuAccount::Scope cpu(m_bucket);
    const qsizetype capacity = m_limits.maxHeadBytes + m_limits.maxBodyBytes + 4096;
    // One buffer for every connection of the thread: requests are parsed where they land.
    thread_local QByteArray buffer;
    if (buffer.size() < capacity)
        buffer.resize(capacity);
    const ssize_t received =
        ::recv(m_descriptor, buffer.data(), size_t(capacity), MSG_PEEK | MSG_DONTWAIT);
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (received <= 0) {
        if (received < 0)
            qCDebug(lcHttp) << "socket error" << qt_error_string(errno);
        closeDescriptor();
        onDisconnected();
        return;
    }
    if (m_busy || writeBlockedNow()) {
        // Pipelined behind a request still being answered (a parked long poll), or behind
        // answers held back: the socket buffers it, up to its limit, and processInput() takes
        // it in turn.
        useSocket();
        return;
    }
    const Http::ParseResult result =
        Http::parseRequest(QByteArrayView(buffer.constData(), received), m_limits);
    switch (result.status) {
    case Http::ParseResult::Status::Incomplete:
        useSocket();
        return;
    case Http::ParseResult::Status::Error:
        if (!discardInput(received)) {
            closeNow();
            return;
        }
        rejectRequest(result, received);
        return;
    case Http::ParseResult::Status::Complete:
        break;
    }
    if (result.request.isWebSocketUpgrade()) {
        useSocket(); // the handshake stays in the kernel for the socket, and QWebSocketServer
        return;
    }
    if (!discardInput(result.consumed)) {
        closeNow();
        return;
    }
    beginRequest(result);
    cpu.setBucket(m_bucket);
    counters().requests += 1;
    counters().bytesIn += result.consumed;
    emit requestReceived(this, result.request);
}

QString HttpConnection::peerAddress() const
{
    if (m_socket)
        return m_socket->peerAddress().toString();
    if (m_peerAddress.isNull() && m_descriptor >= 0) {
        sockaddr_storage address{};
        socklen_t size = sizeof address;
        if (::getpeername(m_descriptor, reinterpret_cast<sockaddr *>(&address), &size) == 0)
            m_peerAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&address)).toString();
    }
    return m_peerAddress;
}

void HttpConnection::setBucket(StatsBucket bucket)
{
    if (bucket == m_bucket)
        return;
    --counters().openConnections;
    m_bucket = bucket;
    ++counters().openConnections;
}

void HttpConnection::beginRequest(const Http::ParseResult &result)
{
    m_busy = true;
    m_sentContinue = false;
    m_requestStartedMs = -1;
    m_keepAlive = result.request.keepAlive();
    m_minorVersion = result.request.minorVersion;
    m_headRequest = result.request.method == "HEAD";
    if (m_classify)
        setBucket(m_classify(result.request));
}

void HttpConnection::rejectRequest(const Http::ParseResult &result, qsizetype inputBytes)
{
    counters().requests += 1;
    counters().bytesIn += inputBytes;
    m_busy = true;
    m_minorVersion = 1;
    respondError(result.errorStatus, result.errorMessage, true);
}

bool HttpConnection::writeBlockedNow() const
{
    // Answers held back by the added-latency fault count as unsent too.
    const qint64 held = m_delayed ? m_delayed->heldBytes() : 0;
    return held + (m_socket ? m_socket->bytesToWrite() : 0) > MaxUnsentBytes;
}

void HttpConnection::noteUnsent()
{
    if (m_unsentNoted || !hasUnsentBytes())
        return;
    m_unsentNoted = true;
    m_lastWriteProgressMs = monotonicMs();
    emit writePending(this);
}

void HttpConnection::onBytesWritten()
{
    m_lastWriteProgressMs = monotonicMs();
    m_unsentNoted = hasUnsentBytes();
    if (m_readingStopped && !writeBlockedNow()) {
        m_readingStopped = false;
        CpuAccount::Scope cpu(m_bucket);
        processInput(&cpu);
    }
}

void HttpConnection::processInput(CpuAccount::Scope *cpu)
{
    while (m_socket && !m_busy && !m_closing && m_socket->bytesAvailable() > 0) {
        if (writeBlockedNow()) {
            // Requests stay unread (the socket's read buffer is bounded, the rest waits in the
            // kernel and then in the client) until the answers before them have drained.
            m_readingStopped = true;
            return;
        }
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
            m_socket->skip(data.size());
            rejectRequest(result, data.size());
            return;
        case Http::ParseResult::Status::Complete:
            break;
        }
        beginRequest(result);
        if (cpu)
            cpu->setBucket(m_bucket);
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
    const bool delaying = m_delayed && !m_delayed->isEmpty();
    if (!m_faults || (!delaying && m_faults->addedLatencyMs() == 0)) {
        writeNow(bytes);
        return;
    }
    if (!m_delayed) {
        m_delayed = new DelayedOutput([this](const QByteArray &due) { writeNow(due); }, this);
        connect(m_delayed, &DelayedOutput::drained, this, [this] {
            if (m_closeWhenSent) {
                closeNow();
                return;
            }
            onBytesWritten(); // reading may go on, if it waited for these answers
        });
    }
    m_delayed->push(bytes, m_faults->addedLatencyMs());
}

void HttpConnection::writeNow(const QByteArray &bytes)
{
    if (m_descriptor >= 0) {
        counters().bytesOut += bytes.size();
        const ssize_t sent = ::send(m_descriptor, bytes.constData(), size_t(bytes.size()),
                                    MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent == bytes.size())
            return;
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            qCDebug(lcHttp) << "socket error" << qt_error_string(errno);
            closeDescriptor();
            onDisconnected();
            return;
        }
        // The rest waits in a socket, which writes it when the kernel takes more.
        useSocket();
        if (m_socket) {
            m_socket->write(bytes.mid(qMax<ssize_t>(sent, 0)));
            m_socket->flush();
            noteUnsent();
        }
        return;
    }
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    counters().bytesOut += bytes.size();
    qsizetype sent = 0;
    // Not under TLS: the socket's descriptor carries ciphertext.
    if (m_socket->bytesToWrite() == 0 && !qobject_cast<QSslSocket *>(m_socket)) {
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
    noteUnsent();
}

namespace {

// Writes an answer into memory sized for it: one allocation, no QByteArray::append() calls.
class AnswerWriter
{
public:
    explicit AnswerWriter(QByteArray *out)
        : m_out(out->data())
    {}
    void put(QByteArrayView bytes)
    {
        if (bytes.isEmpty())
            return; // an empty view may have no data at all, and memcpy() must not see null
        std::memcpy(m_out, bytes.data(), size_t(bytes.size()));
        m_out += bytes.size();
    }
    void putInteger(qint64 value) { m_out = JsonCodec::writeInteger(m_out, value); }
    char *position() const { return m_out; }

private:
    char *m_out;
};

QByteArray buildAnswer(int status, qsizetype bodySize, QByteArrayView contentType,
                       QByteArrayView extraHeaders, int minorVersion, bool close,
                       QByteArrayView body)
{
    const QByteArrayView reason = Http::reasonPhrase(status);
    // Everything but the variable parts fits in 128 bytes, numbers included.
    QByteArray answer(128 + reason.size() + contentType.size() + extraHeaders.size() + body.size(),
                      Qt::Uninitialized);
    AnswerWriter writer(&answer);
    writer.put(minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
    writer.putInteger(status);
    writer.put(" ");
    writer.put(reason);
    writer.put("\r\nContent-Type: ");
    writer.put(contentType);
    writer.put("\r\nContent-Length: ");
    writer.putInteger(bodySize);
    writer.put("\r\n");
    writer.put(extraHeaders);
    if (close)
        writer.put("Connection: close\r\n");
    else if (minorVersion == 0)
        writer.put("Connection: keep-alive\r\n");
    writer.put("\r\n");
    writer.put(body);
    answer.truncate(writer.position() - answer.constData());
    return answer;
}

} // namespace

QByteArray HttpConnection::responseHead(int status, qsizetype bodySize,
                                        const QByteArray &contentType,
                                        const QByteArray &extraHeaders, int minorVersion,
                                        bool close)
{
    return buildAnswer(status, bodySize, contentType, extraHeaders, minorVersion, close, {});
}

bool HttpConnection::beginResponse()
{
    if (!m_busy || !isOpen())
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
        closeNow();
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
    finishResponse(buildAnswer(status, body.size(), contentType, extraHeaders, m_minorVersion,
                               close, m_headRequest ? QByteArrayView() : QByteArrayView(body)),
                   close, emptyAnswer);
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
    // While reading waits for answers to drain, the stall timeout is the one that runs.
    if (m_closing || m_busy || m_readingStopped || !isOpen())
        return std::nullopt;
    // Before the first request, and once a head has begun, the head timeout applies;
    // between requests on a keep-alive connection, the longer idle timeout.
    if (m_requestStartedMs >= 0)
        return Timeout{m_requestStartedMs + headTimeoutMs, true};
    if (!m_servedRequest || (m_socket && m_socket->bytesAvailable() > 0))
        return Timeout{m_idleSinceMs + headTimeoutMs, true};
    return Timeout{m_idleSinceMs + idleTimeoutMs, false};
}

bool HttpConnection::checkTimeouts(qint64 nowMs, qint64 headTimeoutMs, qint64 idleTimeoutMs)
{
    if (m_unsentNoted && hasUnsentBytes() &&
        nowMs - m_lastWriteProgressMs >= StalledWriteTimeoutMs) {
        qCInfo(lcHttp) << "dropping an HTTP client that does not read its answers:"
                       << (m_socket ? m_socket->bytesToWrite() : 0) << "bytes unsent";
        abort();
        onDisconnected();
        return true;
    }
    const auto timeout = runningTimeout(headTimeoutMs, idleTimeoutMs);
    if (!timeout || nowMs < timeout->dueMs)
        return false;
    if (!timeout->forHead) {
        closeNow();
        return true;
    }
    if (m_socket)
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
    if (m_unsentNoted && hasUnsentBytes())
        return m_lastWriteProgressMs + StalledWriteTimeoutMs;
    if (m_busy && !m_closing && isOpen())
        return nowMs + headTimeoutMs;
    if (const auto timeout = runningTimeout(headTimeoutMs, idleTimeoutMs))
        return timeout->dueMs;
    return std::nullopt;
}

void HttpConnection::closeNow()
{
    m_closing = true;
    if (m_delayed && !m_delayed->isEmpty()) {
        m_closeWhenSent = true; // the answer is still held back by the added latency
        return;
    }
    if (m_socket) {
        m_socket->disconnectFromHost();
    } else if (m_descriptor >= 0) {
        // Nothing waits to be written: what the kernel could not take went to a socket.
        closeDescriptor();
        onDisconnected();
    }
}

void HttpConnection::abort()
{
    m_closing = true;
    if (m_delayed)
        m_delayed->clear();
    if (m_socket)
        m_socket->abort();
    closeDescriptor();
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
