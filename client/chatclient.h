#pragma once

#include "chatmessage.h"
#include "chattransport.h"
#include "clockoffset.h"
#include "outboxentry.h"
#include "protocol.h"
#include "roominfo.h"
#include "transportmetrics.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>

#include <array>

namespace PushChat {

class EventLog;
class HttpClient;
class MetricsRecorder;
struct HttpResponse;

/// The one object an app talks to: it owns the current transport, the cursor (last seq
/// seen), the message list (each seq once, ascending), the outbox and the metrics.
///
/// Switching mode with setMode() at any moment loses nothing and repeats nothing: the new
/// transport starts from the cursor, the old one stops receiving at once and its message
/// signals are cut (every message at or below the cursor is ignored anyway); messages still on
/// their way through the old one are let finish before anything new is sent, so they are never
/// in doubt and keep their order.
///
/// Faults (refused, dropped, server restarted, no pong) lead to Reconnecting with a reason
/// and a new transport after a capped exponential backoff with jitter (0.5 s doubling to
/// 10 s). Messages typed meanwhile wait in the outbox and go out once the link is back.
/// Every message carries a client_id; one whose connection broke before the answer is simply
/// sent again with it, and the server stores it once (docs/PROTOCOL.md, "Sending exactly
/// once"). Messages the server refuses (400, 401, 403, too long…) are reported with
/// sendFailed(), never dropped silently.
class ChatClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatClient)

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    /// How long before connectToServer() a fault may have been done and still be announced:
    /// one done as the room opened, before this client's first fetch of it.
    static constexpr qint64 RecentFaultMs = 5000;

    explicit ChatClient(QObject *parent = nullptr);
    ~ChatClient() override;

    // Settings: take effect on the next connect (mode and poll interval also live).
    void setServerUrl(const QUrl &url); ///< http://host:port, or https://host:port for TLS
    /// For https://: certificates to trust beside the system's CAs (a self-signed room's own),
    /// and/or the SHA-256 digest of the one server certificate to accept (see ClientTls).
    void setTlsTrust(const QList<QSslCertificate> &caCertificates, const QByteArray &pinnedSha256);
    /// What the connections trust, for other clients of the same room (the compare view's).
    const ClientTls &tls() const { return m_context.tls; }
    QUrl serverUrl() const { return m_context.serverUrl; }
    void setNick(const QString &nick); ///< empty: observer (receives, cannot send)
    QString nick() const { return m_context.nick; }
    void setKey(const QString &key);
    QString key() const { return m_context.key; }
    /// Polling interval, 100 ms … 10 s; applies live to a running polling transport.
    void setPollInterval(int ms);
    int pollInterval() const { return m_context.pollIntervalMs; }
    /// Switches transport live when connected; otherwise picks the one connect() will use.
    void setMode(Transport mode);
    Transport mode() const { return m_mode; }
    /// Seconds a long poll may park at the server (1 … 60, default 25).
    void setLongPollWait(int seconds);
    int longPollWait() const { return m_context.longPollWaitSeconds; }
    /// For tests: WebSocket ping interval and pong timeout.
    void setWebSocketTiming(int pingIntervalMs, int pongTimeoutMs);
    /// How often /api/room is fetched while connected (default 5 s).
    void setRoomRefreshInterval(int ms);

    void connectToServer();
    /// Closes the transport now; queued messages stay in the outbox for a later connect.
    void disconnectFromServer();
    /// Fetches /api/room now, besides on link-up, on presence changes and every few seconds
    /// (e.g. right after the host did a fault, to mark it at once). Only while connected.
    void fetchRoom();

    State state() const { return m_state; }
    QString stateReason() const { return m_stateReason; }
    /// True once the first connection succeeded since connectToServer().
    bool hasConnected() const { return m_everConnected; }

    /// Queues `text` for sending and returns its local id (0 if empty or without nick).
    qint64 send(const QString &text);
    QList<OutboxEntry> outbox() const { return m_outbox; }
    /// Messages neither accepted nor failed yet.
    int pendingCount() const;

    const QList<ChatMessage> &messages() const { return m_messages; }
    qint64 cursor() const { return m_cursor; }
    /// The identity of the history the cursor counts in; empty until the server named it.
    QString historyEpoch() const { return m_epoch; }
    RoomInfo roomInfo() const { return m_room; }
    QStringList onlineNicks() const;

    TransportMetrics metrics(Transport transport) const;
    void resetMetrics();
    EventLog *eventLog() const { return m_log; }
    const ClockOffset &clock() const { return m_clock; }

signals:
    void stateChanged(PushChat::ChatClient::State state, const QString &reason);
    void modeChanged(PushChat::Transport mode);
    /// One per new message, in seq order.
    void messageReceived(const PushChat::ChatMessage &message);
    /// The server has another history (restarted without its store, or cleared): the message
    /// list was cleared and fills again from the new history.
    void historyReset();
    /// Messages after `afterSeq` were evicted before we could read them: some were missed.
    void gapDetected(qint64 afterSeq);
    void sendAccepted(qint64 id, qint64 seq);
    void sendFailed(qint64 id, const QString &reason);
    /// Every message sent so far was accepted or failed.
    void outboxDrained();
    /// The online list, the name or the limits changed.
    void roomInfoChanged(const PushChat::RoomInfo &info);
    /// The room announced a fault done to its server (`faults` in /api/room), at
    /// `localTimeMs` on this machine's clock (ms since the epoch, through clock()). Once per
    /// fault, in the order done; the first fetch after connectToServer() announces only the
    /// faults done from RecentFaultMs before it, not the room's older ones.
    void faultAnnounced(qint64 localTimeMs, const PushChat::Fault &fault);
    void metricsChanged(PushChat::Transport transport);
    void errorOccurred(PushChat::ErrorCode code, const QString &message);

private:
    void setState(State state, const QString &reason = {});
    void startTransport();
    void dropTransport();
    void retireTransport();
    void discard(ChatTransport *transport);
    void finishDrain();
    void abortDrain();
    void onMessages(const MessagePage &page);
    void onTransportState(ChatTransport::State state);
    void onTransportError(ErrorCode code, const QString &message);
    void onSendAccepted(qint64 id, qint64 seq, qint64 ts);
    void onSendFailed(qint64 id, ErrorCode code, const QString &message);
    void scheduleReconnect(const QString &reason);
    void requeueInFlight();
    void flushOutbox();
    void checkDrained();
    void onRoomFinished(const HttpResponse &response);
    void announceFaults(const QList<FaultNotice> &faults);
    OutboxEntry *entry(qint64 id);

    TransportContext m_context;
    Transport m_mode = Transport::WebSocket;
    State m_state = State::Disconnected;
    QString m_stateReason;
    bool m_everConnected = false;
    bool m_wanted = false; ///< connectToServer() called and not disconnected since

    QPointer<ChatTransport> m_transport;
    /// The transport before a switch, kept until the messages it was sending are answered;
    /// nothing new is sent meanwhile, so order is kept.
    QPointer<ChatTransport> m_draining;
    QTimer m_drainTimer;
    bool m_linkUp = false;
    int m_attempt = 0;
    qint64 m_linkLostAtMs = -1; ///< monotonic; -1 while the link is up or not wanted
    QTimer m_reconnectTimer;

    qint64 m_cursor = 0;
    QString m_epoch; ///< the history m_cursor counts in
    QList<ChatMessage> m_messages;

    QList<OutboxEntry> m_outbox;
    qint64 m_nextId = 1;
    QString m_clientIdPrefix; ///< random per client: client_ids never collide across runs

    RoomInfo m_room;
    HttpClient *m_roomHttp = nullptr;
    QTimer m_roomTimer;
    bool m_roomRefetch = false;
    qint64 m_connectedAtMs = 0; ///< local clock, at connectToServer()
    qint64 m_lastFaultId = -1;  ///< the newest fault announced; -1: none read since connecting

    EventLog *m_log;
    std::array<MetricsRecorder *, 3> m_recorders{};
    ClockOffset m_clock;
};

} // namespace PushChat
