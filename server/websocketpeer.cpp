#include "websocketpeer.h"

#include "cpuaccount.h"
#include "delayedoutput.h"
#include "faultinjector.h"
#include "serverclock.h"
#include "serverlog.h"
#include "websocketframe.h"

#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace PushChat {

namespace {
constexpr qsizetype ReadChunkBytes = 16 * 1024;
/// Reads per wake-up: one client that keeps sending cannot hold up the others.
constexpr int MaxReadsPerWakeUp = 4;
// Held writes beyond this go to the kernel before the hold ends (keepUnsent()).
constexpr qsizetype HeldWritesFlushBytes = 64 * 1024;
} // namespace

WebSocketPeer *WebSocketPeer::adopt(QTcpSocket *socket, QWebSocket *webSocket, const Limits &limits,
                                    TransportCounters *counters, QObject *parent)
{
    // QWebSocketServer wrote the 101 into the socket's buffer; it must reach the kernel before
    // the QTcpSocket goes. A fresh connection's send buffer always takes it.
    socket->flush();
    const bool ready =
        socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() == 0;
    const int descriptor =
        ready ? ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0) : -1;
    const int dupError = errno;
    // Input that arrived behind the handshake and is still unread moves to the peer.
    const QByteArray early = descriptor >= 0 ? socket->readAll() : QByteArray();
    // Closing the QTcpSocket's descriptor leaves the connection open on the duplicate; the
    // QWebSocket sees its socket disconnect, so it sends no close frame when deleted.
    socket->abort();
    delete webSocket;
    socket->deleteLater();
    if (descriptor < 0) {
        qCWarning(lcServer) << "could not take over a WebSocket connection:"
                            << (ready ? qt_error_string(dupError) : socket->errorString());
        return nullptr;
    }
    auto *peer = new WebSocketPeer(descriptor, limits, counters, parent);
    if (!early.isEmpty()) {
        // Kept in order before anything read later; handled from the event loop, once the
        // caller has connected to the peer's signals.
        peer->m_input = early;
        QMetaObject::invokeMethod(
            peer, [peer] { peer->m_input.remove(0, peer->processFrames(peer->m_input)); },
            Qt::QueuedConnection);
    }
    return peer;
}

WebSocketPeer *WebSocketPeer::adoptEncrypted(QTcpSocket *socket, const Limits &limits,
                                             TransportCounters *counters, QObject *parent)
{
    auto *peer = new WebSocketPeer(-1, limits, counters, parent);
    peer->m_stream = socket;
    socket->setParent(peer);
    socket->setReadBufferSize(ReadChunkBytes * MaxReadsPerWakeUp);
    // readyRead() comes once per arrival: whatever onReadable() leaves is read here too.
    connect(socket, &QTcpSocket::readyRead, peer, [peer] {
        while (peer->m_stream && peer->m_stream->bytesAvailable() > 0 && !peer->m_finishQueued)
            peer->onReadable();
    });
    connect(socket, &QTcpSocket::disconnected, peer, [peer] { peer->finish(true); });
    // The TLS socket holds what is unsent: its draining is this client's, for a paced replay.
    connect(socket, &QTcpSocket::bytesWritten, peer, [peer] {
        if (peer->m_state == State::Open && peer->unsentBytes() == 0)
            emit peer->drained();
    });
    if (socket->bytesAvailable() > 0) // frames that came right behind the handshake
        QMetaObject::invokeMethod(peer, &WebSocketPeer::onReadable, Qt::QueuedConnection);
    return peer;
}

qint64 WebSocketPeer::unsentBytes() const
{
    return m_output.size() - m_outputOffset + (m_stream ? m_stream->bytesToWrite() : 0);
}

ssize_t WebSocketPeer::sendBytes(const char *data, size_t size)
{
    if (!m_stream)
        return ::send(m_descriptor, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    // The TLS socket takes everything and writes in the background; what it holds unsent is
    // this client's backlog, bounded as for everyone else.
    if (m_stream->bytesToWrite() > m_limits.maxBacklogBytes) {
        qCInfo(lcServer) << "dropping a TLS WebSocket client that does not read:"
                         << m_stream->bytesToWrite() << "bytes unsent";
        errno = ECONNABORTED;
        return -1;
    }
    const qint64 n = m_stream->write(data, qint64(size));
    if (n < 0) {
        errno = EPIPE;
        return -1;
    }
    return ssize_t(n);
}

ssize_t WebSocketPeer::receiveBytes(char *buffer, size_t size)
{
    if (!m_stream)
        return ::recv(m_descriptor, buffer, size, MSG_DONTWAIT);
    const qint64 n = m_stream->read(buffer, qint64(size));
    if (n == 0) {
        errno = EAGAIN; // the end of the stream comes as disconnected()
        return -1;
    }
    if (n < 0)
        errno = ECONNRESET;
    return ssize_t(n);
}

WebSocketPeer::WebSocketPeer(int descriptor, const Limits &limits, TransportCounters *counters,
                             QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_limits(limits)
    , m_counters(counters)
    , m_lastTrafficMs(monotonicMs())
{
    if (descriptor < 0)
        return; // adoptEncrypted() reads and writes through a socket
    ::fcntl(descriptor, F_SETFL, ::fcntl(descriptor, F_GETFL) | O_NONBLOCK);
    // Frames are whole messages, written when due: Nagle's algorithm would hold one back
    // until the client acknowledged the one before (up to its 40 ms delayed ACK).
    const int one = 1;
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_readNotifier = new QSocketNotifier(descriptor, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &WebSocketPeer::onReadable);
}

WebSocketPeer::~WebSocketPeer()
{
    releaseDescriptor();
}

void WebSocketPeer::releaseDescriptor()
{
    if (m_stream) {
        QTcpSocket *stream = std::exchange(m_stream, nullptr);
        stream->disconnect(this);
        stream->abort();
        stream->deleteLater();
        m_input.clear();
        m_message.clear();
        if (m_delayed)
            m_delayed->clear();
        return;
    }
    if (m_descriptor < 0)
        return;
    // Notifiers go before the descriptor they watch is closed.
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    ::close(m_descriptor);
    m_descriptor = -1;
    m_input.clear();
    m_message.clear();
    m_output.clear();
    m_outputOffset = 0;
    if (m_delayed)
        m_delayed->clear();
}

void WebSocketPeer::send(const QByteArray &frame)
{
    if (m_state != State::Open)
        return;
    if (m_faults && (m_faults->addedLatencyMs() > 0 || (m_delayed && !m_delayed->isEmpty()))) {
        if (!m_delayed)
            m_delayed = new DelayedOutput([this](const QByteArray &due) { sendNow(due); }, this);
        m_delayed->push(frame, m_faults->addedLatencyMs());
        return;
    }
    sendNow(frame);
}

void WebSocketPeer::sendNow(const QByteArray &frame)
{
    if (m_state != State::Open)
        return;
    m_lastTrafficMs = monotonicMs();
    ++m_counters->framesOut;
    writeOut(frame.constData(), frame.size(), &frame);
}

void WebSocketPeer::writeOut(const char *data, qsizetype size, const QByteArray *shared)
{
    if (!isConnected() || m_finishQueued)
        return;
    if (m_output.isEmpty() && !isCorked()) {
        // Nothing waiting: straight from the caller's bytes (for a broadcast, one buffer shared
        // by every recipient) to the kernel.
        const ssize_t n = sendBytes(data, size_t(size));
        afterSend(data, size, shared, n < 0 ? -errno : n);
        return;
    }
    keepUnsent(data, size, 0, shared);
}

int WebSocketPeer::directDescriptor() const
{
    const bool nothingWaits = m_output.isEmpty() && !isCorked() && !m_finishQueued &&
                              !(m_faults && m_faults->addedLatencyMs() > 0) &&
                              !(m_delayed && !m_delayed->isEmpty());
    return m_state == State::Open && m_descriptor >= 0 && nothingWaits ? m_descriptor : -1;
}

void WebSocketPeer::sentDirectly(const QByteArray &frame, ssize_t result)
{
    m_lastTrafficMs = monotonicMs();
    ++m_counters->framesOut;
    afterSend(frame.constData(), frame.size(), &frame, result);
}

void WebSocketPeer::afterSend(const char *data, qsizetype size, const QByteArray *shared,
                              ssize_t result)
{
    if (result < 0 && result != -EAGAIN && result != -EWOULDBLOCK && result != -EINTR) {
        finish(true);
        return;
    }
    const qsizetype sent = qMax<ssize_t>(result, 0);
    m_counters->bytesOut += sent;
    if (sent < size)
        keepUnsent(data, size, sent, shared);
}

void WebSocketPeer::keepUnsent(const char *data, qsizetype size, qsizetype sent,
                               const QByteArray *shared)
{
    if (m_output.isEmpty() && sent == 0 && shared)
        m_output = *shared; // shares the frame's bytes instead of copying them
    else
        m_output.append(data + sent, size - sent);
    // Writes held back (isCorked()) wait to save send() calls, not for the client: a sender
    // whose messages wait for a slow disk must not look like a client that does not read.
    if (isCorked() && m_output.size() - m_outputOffset > HeldWritesFlushBytes && !sendHeldWrites())
        return;
    if (m_output.size() - m_outputOffset > m_limits.maxBacklogBytes) {
        // The client stopped reading. It comes back with its cursor and misses nothing.
        qCInfo(lcServer) << "dropping a WebSocket client that does not read:"
                         << m_output.size() - m_outputOffset << "bytes unsent";
        finish(true);
        return;
    }
    if (!isCorked())
        waitUntilWritable();
}

bool WebSocketPeer::sendHeldWrites()
{
    while (m_outputOffset < m_output.size()) {
        const ssize_t n = sendBytes(m_output.constData() + m_outputOffset,
                                    size_t(m_output.size() - m_outputOffset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0) {
            finish(true);
            return false;
        }
        m_counters->bytesOut += n;
        m_outputOffset += n;
    }
    m_output.clear();
    m_outputOffset = 0;
    return true;
}

void WebSocketPeer::waitUntilWritable()
{
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, [this] {
            CpuAccount::Scope cpu(StatsBucket::WebSocket);
            drainOutput();
        });
    }
    m_writeNotifier->setEnabled(true);
}

void WebSocketPeer::drainOutput()
{
    if (!isConnected() || m_finishQueued)
        return;
    while (m_outputOffset < m_output.size()) {
        const ssize_t n = sendBytes(m_output.constData() + m_outputOffset,
                                    size_t(m_output.size() - m_outputOffset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                waitUntilWritable();
                return;
            }
            finish();
            return;
        }
        m_counters->bytesOut += n;
        m_outputOffset += n;
    }
    m_output.clear();
    m_outputOffset = 0;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_closeReceived)
        finish();
    else if (m_state == State::CloseSent)
        shutdownAfterClose();
    else if (m_state == State::Open)
        emit drained();
}

void WebSocketPeer::onReadable()
{
    CpuAccount::Scope cpu(StatsBucket::WebSocket);
    char buffer[ReadChunkBytes];
    for (int round = 0; round < MaxReadsPerWakeUp && isConnected(); ++round) {
        const ssize_t n = receiveBytes(buffer, sizeof buffer);
        if (n == 0) {
            finish(); // the client closed the connection
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                finish();
            return;
        }
        m_heardFrom = true;
        m_lastTrafficMs = monotonicMs();
        if (m_inputBroken) {
            // Read and dropped until the client closes: closing with unread input would reset
            // the connection, and the client might never see our close frame.
            continue;
        }
        if (m_input.isEmpty()) {
            // The usual case: whole frames, parsed where they lie; only a remainder is kept.
            const QByteArrayView data(buffer, n);
            const qsizetype used = processFrames(data);
            if (isConnected() && used < n && m_state != State::Finished)
                m_input = data.sliced(used).toByteArray();
        } else {
            m_input.append(buffer, n);
            const qsizetype used = processFrames(m_input);
            if (isConnected())
                m_input.remove(0, used);
        }
        if (n < qsizetype(sizeof buffer))
            return;
    }
}

qsizetype WebSocketPeer::processFrames(QByteArrayView data)
{
    // What this client's frames bring back to it (its own message, the ack, pongs) leaves in
    // one send() at the end, not a send() each.
    const bool alreadyCorked = std::exchange(m_corked, true);
    const qsizetype used = processFramesCorked(data);
    if (!alreadyCorked) {
        m_corked = false;
        if (!isCorked() && !m_output.isEmpty() &&
            !(m_writeNotifier && m_writeNotifier->isEnabled()))
            drainOutput();
    }
    return used;
}

void WebSocketPeer::holdWrites()
{
    ++m_holds;
}

void WebSocketPeer::releaseWrites()
{
    Q_ASSERT(m_holds > 0);
    if (--m_holds > 0 || isCorked())
        return;
    if (!m_output.isEmpty() && !(m_writeNotifier && m_writeNotifier->isEnabled()))
        drainOutput();
}

qsizetype WebSocketPeer::processFramesCorked(QByteArrayView data)
{
    qsizetype used = 0;
    while (m_state != State::Finished && !m_closeReceived && !m_finishQueued &&
           used < data.size()) {
        WebSocketFrame::ParsedFrame frame =
            WebSocketFrame::parseClientFrame(data.sliced(used), m_limits.maxMessageBytes);
        if (frame.status == WebSocketFrame::ParsedFrame::Status::Incomplete)
            break;
        if (frame.status == WebSocketFrame::ParsedFrame::Status::Error) {
            // Where the next frame starts is unknown now: everything after is dropped unread.
            m_inputBroken = true;
            fail(frame.closeCode, frame.error);
            return data.size();
        }
        used += frame.consumed;
        ++m_counters->framesIn;
        m_counters->bytesIn += frame.consumed;
        handleFrame(frame.opcode, frame.fin, std::move(frame.payload));
    }
    return used;
}

void WebSocketPeer::handleFrame(quint8 opcode, bool fin, QByteArray payload)
{
    using namespace WebSocketFrame;
    switch (opcode) {
    case Ping:
        if (m_state == State::Open)
            send(frame(Pong, payload));
        return;
    case Pong:
        return;
    case Close:
        handleClose(payload);
        return;
    case Continuation:
        if (m_messageOpcode == 0) {
            fail(CloseProtocolError, "continuation frame without a message to continue");
            return;
        }
        if (m_message.size() + payload.size() > m_limits.maxMessageBytes) {
            fail(CloseTooBig, "message too big");
            return;
        }
        m_message.append(payload);
        break;
    default: // Text, Binary: the parser lets no other opcode through
        if (m_messageOpcode != 0) {
            fail(CloseProtocolError, "new message before the last one was finished");
            return;
        }
        m_messageOpcode = opcode;
        m_message = std::move(payload);
        break;
    }
    if (!fin)
        return;
    const QByteArray message = std::exchange(m_message, {});
    const quint8 messageOpcode = std::exchange(m_messageOpcode, 0);
    if (m_state != State::Open)
        return; // data after our close frame is read and dropped
    if (messageOpcode == Text) {
        if (!isValidUtf8(message)) {
            fail(CloseInvalidPayload, "text message is not valid UTF-8");
            return;
        }
        emit textReceived(message);
    } else {
        emit binaryReceived(message);
    }
}

void WebSocketPeer::handleClose(const QByteArray &payload)
{
    using namespace WebSocketFrame;
    if (m_state == State::CloseSent) {
        finish(); // the client's answer to our close
        return;
    }
    quint16 code = CloseNormal;
    if (payload.size() == 1) {
        fail(CloseProtocolError, "close frame with a one-byte payload");
        return;
    }
    if (payload.size() >= 2) {
        const quint16 received = quint16((quint8(payload.at(0)) << 8) | quint8(payload.at(1)));
        if (!isValidReceivedCloseCode(received)) {
            fail(CloseProtocolError, "invalid close code");
            return;
        }
        if (!isValidUtf8(QByteArrayView(payload).sliced(2))) {
            fail(CloseInvalidPayload, "close reason is not valid UTF-8");
            return;
        }
        code = received;
    }
    // Echo the code, then end the connection as soon as the answer is out (RFC 6455, 5.5.1).
    ++m_counters->framesOut;
    const QByteArray answer = WebSocketFrame::close(code);
    writeOut(answer.constData(), answer.size(), &answer);
    m_state = State::CloseSent;
    m_closeReceived = true;
    if (m_output.isEmpty())
        finish();
}

void WebSocketPeer::fail(quint16 code, const char *reason)
{
    qCDebug(lcServer) << "closing a WebSocket with" << code << reason;
    if (m_state == State::Open)
        close(code, reason); // else our close frame is out already; its timeout ends the wait
}

void WebSocketPeer::close(quint16 code, QByteArrayView reason)
{
    if (m_state != State::Open || m_finishQueued)
        return;
    ++m_counters->framesOut;
    const QByteArray frame = WebSocketFrame::close(code, reason);
    writeOut(frame.constData(), frame.size(), &frame);
    m_state = State::CloseSent;
    m_message.clear();
    m_messageOpcode = 0;
    if (!isConnected())
        return;
    QTimer::singleShot(m_limits.closeTimeoutMs, this, [this] { finish(); });
    if (m_output.isEmpty())
        shutdownAfterClose();
}

void WebSocketPeer::shutdownAfterClose()
{
    if (m_stream)
        return; // TLS ends with the connection: the client's close frame, or the timeout

    // Our close frame is out: the client sees the end of the stream after it, answers with its
    // own close frame and closes; we read until then.
    ::shutdown(m_descriptor, SHUT_WR);
}

void WebSocketPeer::closeNow(quint16 code, QByteArrayView reason)
{
    if (m_state == State::Open && m_output.isEmpty() && isConnected()) {
        const QByteArray frame = WebSocketFrame::close(code, reason);
        const ssize_t n = sendBytes(frame.constData(), size_t(frame.size()));
        if (n > 0) {
            ++m_counters->framesOut;
            m_counters->bytesOut += n;
        }
    }
    abort();
}

void WebSocketPeer::dropSilent()
{
    if (m_state == State::Finished)
        return;
    if (m_state == State::Open && m_output.isEmpty() && isConnected()) {
        const QByteArray frame =
            WebSocketFrame::close(WebSocketFrame::CloseGoingAway, "no answer to ping");
        const ssize_t n = sendBytes(frame.constData(), size_t(frame.size()));
        if (n > 0) {
            ++m_counters->framesOut;
            m_counters->bytesOut += n;
        }
    }
    m_state = State::CloseSent; // takes nothing more; finish() below ends it
    finish(true);
}

void WebSocketPeer::abort()
{
    m_state = State::Finished;
    releaseDescriptor();
}

void WebSocketPeer::finish(bool deferred)
{
    if (m_state == State::Finished)
        return;
    if (deferred) {
        // Called while a broadcast is going through the peers: the owner hears of it later.
        if (!m_finishQueued) {
            m_finishQueued = true;
            if (m_readNotifier)
                m_readNotifier->setEnabled(false);
            if (m_writeNotifier)
                m_writeNotifier->setEnabled(false);
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_finishQueued = false;
                    finish();
                },
                Qt::QueuedConnection);
        }
        return;
    }
    m_state = State::Finished;
    releaseDescriptor();
    emit closed();
}

} // namespace PushChat
