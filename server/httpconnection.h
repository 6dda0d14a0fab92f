#pragma once

#include "cpuaccount.h"
#include "httpparser.h"
#include "serverstats.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <functional>
#include <optional>

class QSocketNotifier;
class QSslConfiguration;

namespace PushChat {

class DelayedOutput;
class FaultInjector;

/// One HTTP/1.1 connection: reads requests one at a time (the next is not parsed until the
/// current one is answered, so answers stay in order while a long poll is parked), writes
/// answers, and counts every byte into the server's statistics.
///
/// A request that arrives whole, and is not a WebSocket upgrade, is read straight from the
/// descriptor: peeked, parsed and then taken from the kernel. That is what a chat's polls and
/// posts are, and it keeps each of them to a few hundred instructions of I/O. Anything else (a
/// head or body arriving in pieces, input while a request is being answered, an answer the
/// kernel does not take at once, an upgrade) moves the connection to a QTcpSocket for the rest
/// of its life, the bytes still unread: it buffers, writes in the background, and is what
/// QWebSocketServer::handleConnection() needs for the handshake.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    /// Serves the accepted connection `descriptor`, which it owns from now on.
    HttpConnection(qintptr descriptor, const Http::Limits &limits, ServerStats *stats, qint64 nowMs,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    /// Serves the connection through TLS from its first byte: moves it to a QSslSocket that
    /// starts the server side of the handshake.
    void encrypt(const QSslConfiguration &configuration);
    /// The QTcpSocket the connection moved to, or nullptr while it reads the descriptor itself.
    QTcpSocket *socket() const { return m_socket; }
    /// The client's IP address, as QHostAddress::toString() writes it.
    QString peerAddress() const;
    bool isBusy() const { return m_busy; }

    /// Charges the request in flight, and the connection, to a bucket of the statistics.
    void setBucket(StatsBucket bucket);
    /// Decides each request's bucket before its bytes are counted.
    void setClassifier(std::function<StatsBucket(const Http::Request &)> classify)
    {
        m_classify = std::move(classify);
    }
    StatsBucket bucket() const { return m_bucket; }
    /// Output is held back by the faults' added latency (none while this is not called).
    void setFaults(const FaultInjector *faults) { m_faults = faults; }

    /// Answers the request in flight and goes on with the next one, if any is buffered.
    void respond(int status, const QByteArray &body,
                 const QByteArray &contentType = QByteArrayLiteral("application/json"),
                 const QByteArray &extraHeaders = {}, bool emptyAnswer = false);
    /// Answers 200 with bytes built once for many recipients by responseHead() + body, when
    /// this connection is plain HTTP/1.1 keep-alive; otherwise builds its own answer.
    void respondShared(const QByteArray &keepAliveResponse, const QByteArray &body,
                       bool emptyAnswer = false);
    /// The status line and headers of an answer, ending with the blank line.
    static QByteArray responseHead(int status, qsizetype bodySize, const QByteArray &contentType,
                                   const QByteArray &extraHeaders, int minorVersion, bool close);

    /// Answers with `{"error": message}`; `close` ends the connection afterwards.
    void respondError(int status, const QString &message, bool close = false,
                      const QByteArray &extraHeaders = {});

    /// Stops reading and hands the socket, with the handshake still unread, to its new owner.
    QTcpSocket *detachSocket(QObject *newParent);

    /// Marks the request in flight as a long poll for messages after `cursor`, to be answered
    /// by `deadlineMs`.
    void park(qint64 deadlineMs, qint64 cursor)
    {
        m_parkDeadlineMs = deadlineMs;
        m_parkCursor = cursor;
    }
    qint64 parkDeadlineMs() const { return m_parkDeadlineMs; }
    qint64 parkCursor() const { return m_parkCursor; }

    /// Answers waiting unsent past this stop the reading of further requests until they drain
    /// (a client that pipelines without reading cannot make the server hold its answers).
    static constexpr qint64 MaxUnsentBytes = 1024 * 1024;
    /// A connection whose unsent answers make no progress for this long is dropped.
    static constexpr qint64 StalledWriteTimeoutMs = 30000;

    /// Sends 408 if a request head has been arriving for too long, closes an idle keep-alive
    /// connection, or drops one whose answers have not moved for StalledWriteTimeoutMs.
    /// Returns true when the connection is being closed.
    bool checkTimeouts(qint64 nowMs, qint64 headTimeoutMs, qint64 idleTimeoutMs);
    /// When checkTimeouts() should next look at this connection: when its head or idle timeout
    /// runs out; a head timeout from now while a request is being answered (its idle time starts
    /// only once it is answered); no value once the connection is closing.
    std::optional<qint64> nextTimeoutMs(qint64 nowMs, qint64 headTimeoutMs,
                                        qint64 idleTimeoutMs) const;

    void closeNow();
    /// Ends the connection at once, as a failing network would.
    void abort();

signals:
    void requestReceived(PushChat::HttpConnection *connection,
                         const PushChat::Http::Request &request);
    void upgradeRequested(PushChat::HttpConnection *connection,
                          const PushChat::Http::Request &request, qint64 headBytes);
    void closed(PushChat::HttpConnection *connection);
    /// Part of a request head has arrived and the rest has not: the head timeout now runs.
    void requestHeadPending(PushChat::HttpConnection *connection);
    /// An answer did not fit into the kernel at once and waits: the stall timeout runs.
    void writePending(PushChat::HttpConnection *connection);

private:
    struct Timeout
    {
        qint64 dueMs;
        bool forHead; ///< the request head's timeout (408), not the idle one (close)
    };
    /// The timeout that runs now, or none while a request is answered or the connection closes.
    std::optional<Timeout> runningTimeout(qint64 headTimeoutMs, qint64 idleTimeoutMs) const;
    /// Reads the descriptor: see the class comment.
    void onReadable();
    /// Moves the connection to a QTcpSocket, with whatever input the kernel still holds.
    void useSocket();
    void attachSocket(QTcpSocket *socket);
    /// Takes `size` bytes already peeked from the kernel.
    bool discardInput(qsizetype size);
    void closeDescriptor();
    void beginRequest(const Http::ParseResult &result);
    void rejectRequest(const Http::ParseResult &result, qsizetype inputBytes);
    /// `cpu`: the scope of the read callback, told each request's bucket.
    void processInput(CpuAccount::Scope *cpu = nullptr);
    /// True while more than MaxUnsentBytes wait to be written.
    bool writeBlockedNow() const;
    void onBytesWritten();
    bool hasUnsentBytes() const { return m_socket && m_socket->bytesToWrite() > 0; }
    /// Called after bytes went to the socket's buffer: starts the stall clock if they wait.
    void noteUnsent();
    void onDisconnected();
    void write(const QByteArray &bytes);
    void writeNow(const QByteArray &bytes);
    bool beginResponse();
    void finishResponse(const QByteArray &wire, bool close, bool emptyAnswer);
    TransportCounters &counters() { return (*m_stats)[m_bucket]; }
    bool isOpen() const { return m_socket || m_descriptor >= 0; }

    int m_descriptor = -1;                     ///< while reading the descriptor itself
    QSocketNotifier *m_readNotifier = nullptr; ///< idem
    QPointer<QTcpSocket> m_socket;             ///< once moved to a QTcpSocket
    mutable QString m_peerAddress;
    Http::Limits m_limits;
    ServerStats *m_stats;
    StatsBucket m_bucket = StatsBucket::Other;
    bool m_busy = false;
    bool m_closing = false;
    bool m_keepAlive = true;
    bool m_headRequest = false;
    bool m_sentContinue = false;
    bool m_closedEmitted = false;
    bool m_servedRequest = false;
    qint64 m_pendingUpgradeBytes = 0;
    std::function<StatsBucket(const Http::Request &)> m_classify;
    const FaultInjector *m_faults = nullptr;
    DelayedOutput *m_delayed = nullptr; ///< only once an added latency held output back
    bool m_closeWhenSent = false;       ///< closeNow() waits for m_delayed
    qint64 m_parkDeadlineMs = 0;
    qint64 m_parkCursor = 0;
    qint64 m_idleSinceMs = 0;
    qint64 m_requestStartedMs = -1;
    qint64 m_lastWriteProgressMs = 0; ///< when unsent answers last moved, or began to wait
    bool m_unsentNoted = false;       ///< the stall clock runs
    bool m_readingStopped = false;    ///< by writeBlockedNow()
    int m_minorVersion = 1;
};

} // namespace PushChat
