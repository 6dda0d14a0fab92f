#pragma once

#include "chatmessage.h"
#include "clienttls.h"
#include "protocol.h"

#include <QObject>
#include <QString>
#include <QUrl>

namespace PushChat {

struct HttpResponse;

class ClockOffset;
class MetricsRecorder;

/// Why a transport failed. `retryable()` tells whether reconnecting may help.
enum class ErrorCode {
    None,
    ConnectionRefused,
    ConnectionLost, ///< dropped, reset or closed by the server
    HostNotFound,
    Timeout,       ///< no answer, or no pong, in time
    Untrusted,     ///< TLS: the server's certificate is not trusted; retrying won't help
    Unauthorized,  ///< 401: the room key is missing or wrong
    Forbidden,     ///< 403
    BadRequest,    ///< 400 or another 4xx: our fault, retrying won't help
    RateLimited,   ///< 429
    ServerError,   ///< 5xx
    ProtocolError, ///< the server's answer made no sense
    /// The network in between refuses this technique (the server's `PushChat-Blocked` fault):
    /// another mode may get through; retried, so the link comes back once the block is lifted.
    Blocked,
};

QString errorCodeName(ErrorCode code);
bool isRetryable(ErrorCode code);
/// The error an HTTP status other than 2xx stands for.
ErrorCode errorCodeForHttpStatus(int status);
/// The same, for an answer whose `PushChat-Blocked` header (`blockedHeader`) may say the
/// technique is refused on the way.
ErrorCode errorCodeForHttpAnswer(int status, const QByteArray &blockedHeader);

/// How long a transport waits before sending a message refused with 429 again: the server's
/// `Retry-After`.
inline constexpr int RateLimitRetryMs = 1000;

/// What every transport needs to know; filled in by ChatClient.
struct TransportContext
{
    QUrl serverUrl; ///< http://host:port or https://host:port
    ClientTls tls;  ///< for https://
    QString nick;   ///< empty: observer
    QString key;    ///< room key, sent as `Authorization: Bearer`
    int pollIntervalMs = 1000;
    int longPollWaitSeconds = 25;
    int webSocketPingIntervalMs = 20000;
    int webSocketPongTimeoutMs = 10000;
    MetricsRecorder *metrics = nullptr; ///< owned by ChatClient
    ClockOffset *clock = nullptr;       ///< owned by ChatClient
};

/// One way of talking to the room: short polling, long polling or WebSocket.
/// Life: open(after) → state Opening → Open → (close() or an error) → Closed. A transport is
/// not reopened after a failure: ChatClient makes a new one from its cursor. After close()
/// (or destruction) it emits nothing more, so late replies never reach the client.
class ChatTransport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatTransport)

public:
    enum class State { Closed, Opening, Open };
    Q_ENUM(State)

    explicit ChatTransport(const TransportContext &context, QObject *parent = nullptr);
    ~ChatTransport() override;

    virtual Transport kind() const = 0;

    /// The history identity `after` counts in (from a page or hello; empty before the first):
    /// sent back with the cursor, so a server with another history answers with `reset`.
    /// Set before open(); the transport then follows the epochs the server sends.
    void setEpoch(const QString &epoch) { m_epoch = epoch; }
    QString epoch() const { return m_epoch; }
    /// Starts receiving every message with seq > `after`.
    virtual void open(qint64 after) = 0;
    /// Sends `text`; answers with sendAccepted(id, …) or sendFailed(id, …) unless the
    /// transport closes or fails first (then the fate of the message is unknown).
    virtual void send(qint64 id, const QString &text, const QString &clientId) = 0;
    /// Stops at once: aborts connections, emits nothing more.
    virtual void close() = 0;

    /// For a graceful switch: stops receiving (no more polls; WebSocket message frames are
    /// dropped) but lets messages already handed to send() finish, so their answers still
    /// come. close() ends it.
    virtual void stopReceiving();

    /// Polling only: the interval may change while open (clamped to 100 ms … 10 s).
    virtual void setPollInterval(int ms);

    State state() const { return m_state; }

signals:
    /// Messages in ascending seq order (possibly none), with the page's gap/reset/lastSeq.
    /// A WebSocket hello arrives as a page without messages.
    void messagesReceived(const PushChat::MessagePage &page);
    void stateChanged(PushChat::ChatTransport::State state);
    /// The transport failed and is now Closed.
    void errorOccurred(PushChat::ErrorCode code, const QString &message);
    void sendAccepted(qint64 id, qint64 seq, qint64 ts);
    /// The server refused the message (`code` says why); it was not stored.
    void sendFailed(qint64 id, PushChat::ErrorCode code, const QString &message);

protected:
    void setState(State state);
    /// Sets state Closed and emits errorOccurred once.
    void fail(ErrorCode code, const QString &message);
    /// Counts the messages, records the latency of live ones (ts >= liveFromServerMs and
    /// seq > liveAfterSeq: older ones were waiting before we asked) and emits them.
    void deliver(const MessagePage &page, qint64 liveFromServerMs, qint64 liveAfterSeq);
    /// What both HTTP polling transports do with a poll's answer: errors, metrics, clock
    /// sample, cursor (`*after`), delivery. Returns true when the transport is still open;
    /// `*more` then says whether the page was cut at its bound (ask again at once).
    bool takePollAnswer(const HttpResponse &response, qint64 *after, bool *first,
                        bool *more = nullptr);
    /// `Authorization` header line for the room key, or nothing.
    QByteArray authHeader() const;
    /// `&nick=…` (percent-encoded) or nothing for an observer.
    QByteArray nickQuery() const;
    /// `&epoch=E`, or nothing before the server has named its history.
    QByteArray epochQuery() const;
    /// `/api/messages?after=N`, epochQuery(), then `extraQuery` (`&wait=S`), then nickQuery().
    QByteArray pollTarget(qint64 after, QByteArrayView extraQuery = {}) const;

    TransportContext m_context;
    bool m_receiving = true;
    QString m_epoch;

private:
    State m_state = State::Closed;
};

} // namespace PushChat
