#pragma once

#include "serverstats.h"

#include <QByteArray>
#include <QObject>

class QSocketNotifier;
class QTcpSocket;
class QWebSocket;

namespace PushChat {

class DelayedOutput;
class FaultInjector;

/// One WebSocket connection after its handshake, read and written by PushChat itself on the
/// socket's descriptor.
///
/// QWebSocketServer answers the handshake; adopt() then takes the connection over from the
/// QWebSocket it made. A QWebSocket keeps a QTcpSocket with 48 KiB of buffer chunks, a frame
/// processor with a timer, a copy of the request and a dozen signal connections per client:
/// about 20 KiB of server memory for a client that mostly sits idle. A peer keeps the
/// descriptor, one read notifier and buffers only while a frame or a write is incomplete.
/// Frames out are complete frames, shared by every recipient (see WebSocketFrame).
class WebSocketPeer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketPeer)

public:
    struct Limits
    {
        qint64 maxMessageBytes = 64 * 1024;       ///< frame or reassembled message; else close 1009
        qint64 maxBacklogBytes = 2 * 1024 * 1024; ///< unsent output; past it the peer is dropped
        int closeTimeoutMs = 2000;                ///< wait for the client's close frame after ours
    };

    /// Takes over the connection of `socket`, whose handshake `webSocket` was made for; deletes
    /// `webSocket` and schedules `socket` for deletion. Returns nullptr, having closed the
    /// connection, if the 101 answer could not be written out first.
    static WebSocketPeer *adopt(QTcpSocket *socket, QWebSocket *webSocket, const Limits &limits,
                                TransportCounters *counters, QObject *parent);

    /// Takes over `socket`, a TLS connection (QSslSocket) after its handshake: frames go
    /// through the socket, which encrypts them, instead of straight to the descriptor.
    static WebSocketPeer *adoptEncrypted(QTcpSocket *socket, const Limits &limits,
                                         TransportCounters *counters, QObject *parent);

    ~WebSocketPeer() override;

    /// Frames are held back by the faults' added latency (none while this is not called).
    void setFaults(const FaultInjector *faults) { m_faults = faults; }
    /// When a byte last came in or a frame last went out (monotonic ms): what a proxy's idle
    /// timeout looks at.
    qint64 lastTrafficMs() const { return m_lastTrafficMs; }

    /// Writes a complete frame; what the kernel does not take at once waits in a backlog.
    void send(const QByteArray &frame);
    /// The descriptor a broadcast may write a frame to itself (SocketBatch), or −1 while
    /// anything waits to go first (a backlog, input being handled, the end): then send().
    int directDescriptor() const;
    /// Accounts for `frame` written to directDescriptor() by a broadcast; `result` is what that
    /// send returned (bytes, or −errno). What the kernel did not take waits in the backlog.
    void sentDirectly(const QByteArray &frame, ssize_t result);
    /// Holds this client's writes until releaseWrites() has been called as often: what is
    /// written meanwhile (a sender's own message, then its ack) leaves in one send().
    void holdWrites();
    void releaseWrites();
    /// Bytes written to the peer that the kernel has not taken yet.
    /// Bytes written to this client and not yet taken by the kernel (or, under TLS, by the
    /// TLS socket's writes); drained() says when they reach 0.
    qint64 unsentBytes() const;
    /// Whether frames sent now can still reach the client.
    bool isOpen() const { return m_state == State::Open && isConnected() && !m_finishQueued; }
    /// Starts the closing handshake: a close frame, then the connection ends once the client
    /// answers, closes, or closeTimeoutMs passes. closed() follows.
    void close(quint16 code, QByteArrayView reason = {});
    /// Ends the connection now, as a failing network would: no close frame, no closed() signal.
    void abort();
    /// Writes a close frame if the socket takes it at once, then ends the connection; no signal.
    void closeNow(quint16 code, QByteArrayView reason = {});

    /// The heartbeat: marks a ping sent, after which any input from the client (its pong or
    /// anything else) shows it is alive.
    void expectAnswer() { m_heardFrom = false; }
    bool hasAnswered() const { return m_heardFrom || m_state != State::Open; }
    /// Ends a connection whose client went silent: a close frame if the socket takes it at
    /// once, then closed() from the event loop, without waiting for an answer that will not
    /// come.
    void dropSilent();

signals:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    /// The connection has ended; the peer may be deleted (later, not inside this signal).
    void closed();
    /// Everything that waited unsent has gone to the kernel (the peer is still open).
    void drained();

private:
    WebSocketPeer(int descriptor, const Limits &limits, TransportCounters *counters,
                  QObject *parent);

    void onReadable();
    /// Writes the backlog; waits for the socket to be writable if the kernel takes only part.
    void drainOutput();
    void waitUntilWritable();
    /// Handles every complete frame of `data`; returns the bytes used. Stops when closing.
    qsizetype processFrames(QByteArrayView data);
    qsizetype processFramesCorked(QByteArrayView data);
    void handleFrame(quint8 opcode, bool fin, QByteArray payload);
    void handleClose(const QByteArray &payload);
    void fail(quint16 code, const char *reason);
    void writeOut(const char *data, qsizetype size, const QByteArray *shared);
    void sendNow(const QByteArray &frame);
    /// After a send of `size` bytes returned `result`: counts, keeps the rest, or ends.
    void afterSend(const char *data, qsizetype size, const QByteArray *shared, ssize_t result);
    void keepUnsent(const char *data, qsizetype size, qsizetype sent, const QByteArray *shared);
    /// Gives the backlog to the kernel while writes are held, as far as it takes it; false if
    /// the connection failed (it is ending).
    bool sendHeldWrites();
    void shutdownAfterClose();
    /// Ends the connection; emits closed() at once, or from the event loop when `deferred`.
    void finish(bool deferred = false);
    void releaseDescriptor();
    bool isCorked() const { return m_corked || m_holds > 0; }
    bool isConnected() const { return m_descriptor >= 0 || m_stream; }
    /// ::send() on the descriptor, or the TLS socket's write(): bytes taken, or −1 and errno.
    ssize_t sendBytes(const char *data, size_t size);
    ssize_t receiveBytes(char *buffer, size_t size);

    enum class State { Open, CloseSent, Finished };

    int m_descriptor = -1;
    QTcpSocket *m_stream = nullptr; ///< instead of the descriptor, under TLS
    State m_state = State::Open;
    bool m_closeReceived = false;
    bool m_finishQueued = false;
    bool m_inputBroken = false; ///< after a framing error: input is read and dropped
    bool m_corked = false;      ///< while handling input: writes to this client wait for its end
    int m_holds = 0;            ///< holdWrites() not released yet: writes wait for that too
    bool m_heardFrom = true;    ///< input arrived since the last expectAnswer()
    Limits m_limits;
    TransportCounters *m_counters;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr; ///< only once a write has had to wait
    QByteArray m_input;                         ///< the start of an incomplete frame
    QByteArray m_message;                       ///< fragments of a message still arriving
    quint8 m_messageOpcode = 0;
    QByteArray m_output; ///< bytes the kernel has not taken yet, from m_outputOffset on
    qsizetype m_outputOffset = 0;
    const FaultInjector *m_faults = nullptr;
    DelayedOutput *m_delayed = nullptr; ///< only once an added latency held a frame back
    qint64 m_lastTrafficMs = 0;
};

} // namespace PushChat
