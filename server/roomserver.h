#pragma once

#include "accesspolicy.h"
#include "cpuaccount.h"
#include "faultinjector.h"
#include "historyjournal.h"
#include "httpapi.h"
#include "longpollparking.h"
#include "presence.h"
#include "ratelimiter.h"
#include "room.h"
#include "serverconfig.h"
#include "servererror.h"
#include "serverstats.h"
#include "websockethub.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>
#include <limits>
#include <memory>
#include <optional>

class QSslConfiguration;
class QTimer;

namespace PushChat {

class ConnectionListener;
class HttpConnection;

/// The room server. Lives in its own thread (see ServerHost); start() creates every socket
/// and timer there. Speaks protocol v1 (docs/PROTOCOL.md) on one port: HttpApi answers the
/// HTTP requests (polls, long polls, posts), WebSocketHub takes the WebSocket upgrades. Every
/// message, from any transport, goes to the history journal through acceptChat() and store(),
/// and out through publish() once it is durable: the Room, and so every page, hello and ack,
/// only ever holds durable messages.
class RoomServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomServer)

public:
    explicit RoomServer(const ServerConfig &config, const RoomSnapshot &snapshot = {},
                        QObject *parent = nullptr);
    ~RoomServer() override;

    /// A chat message from a client, whatever its transport.
    struct ChatSubmission
    {
        ChatPost post;
        QString sender;  ///< rate-limit key
        QString address; ///< the client's IP address, for the limit per address
        std::optional<Transport> via;
    };
    struct ChatOutcome
    {
        const Room::Entry *stored = nullptr; ///< null when refused
        int status = 0;                      ///< the HTTP status of a refusal
        QString error;
    };
    /// Called once with the outcome of a submission: at once when it is refused or a retry of
    /// a stored send, else when the message is durable (or lost by a failing store). Whoever
    /// waits must check that its connection is still there.
    using ChatAnswer = std::function<void(const ChatOutcome &)>;
    /// Sends refused with 503 while this many messages wait for the disk (a stalled store).
    static constexpr qsizetype MaxPendingMessages = 10000;

    // For the transports, on the server's thread.
    const ServerConfig &config() const { return m_config; }
    const Room &room() const { return m_room; }
    const Presence &presence() const { return m_presence; }
    ServerStats &stats() { return m_stats; }
    /// What /api/stats answers; on the server's thread (its CPU time is read from there).
    StatsReport statsReport();
    const QElapsedTimer &uptime() const { return m_uptime; }
    const AccessPolicy &accessPolicy() const { return m_accessPolicy; }
    const FaultInjector &faults() const { return m_faults; }
    /// Validates, rate-limits and stores a chat message, or finds the one a retry of the
    /// same send already stored (or is storing); `answer` gets the outcome.
    void acceptChat(const ChatSubmission &submission, ChatAnswer answer);
    /// A request from `nick` (empty: an observer, who is not listed): it is online, through
    /// `transport` if the request tells.
    void seen(const QString &nick, std::optional<Transport> transport);
    /// Whether a request from `address` may bring `nick` online: a nick not yet online costs
    /// its address one message of its rate limit (its join). False: answer 429.
    bool admitNick(const QString &nick, const QString &address);
    /// Whether the rate limits spare `address`: all do with no limit per sender, loopback
    /// ones with ServerConfig::rateLimitExemptLoopback.
    bool isRateExempt(const QString &address) const;
    /// The error of a 429 for an address over its limit.
    QString addressLimitError() const;
    /// `nick` is online while a WebSocket of theirs is open...
    void webSocketOpened(const QString &nick);
    /// ...and for ServerConfig::webSocketLeaveGraceMs after the last one closes.
    void webSocketClosed(const QString &nick);
    /// Makes the next sweep come no later than `deadlineMs` (a parked poll's deadline).
    void sweepBy(qint64 deadlineMs);

public slots:
    void start();
    void stop();
    /// Deletes the history once every message taken so far is durable; the room goes on with
    /// a new epoch (historyCleared(), or historyFailed() if the store could not).
    void clearHistory();
    /// Aborts every HTTP and WebSocket connection but keeps listening and keeps the room:
    /// what clients see when a network drops them (used by fault tests).
    void dropConnections();
    /// Answers with statsReported(): the counters for a reader in another thread, without HTTP.
    void reportStats();
    /// The faults to show from now on (docs/PROTOCOL.md, "Faults on demand").
    void setFaults(const PushChat::FaultSettings &faults);
    /// The faults done lately, as /api/room announces them (ServerHost keeps them).
    void setRecentFaults(const QList<PushChat::FaultNotice> &faults)
    {
        m_faults.setRecentFaults(faults);
    }

signals:
    void statsReported(const PushChat::StatsReport &report);
    void started(quint16 port);
    void failed(const PushChat::ServerError &error);
    void stopped(const PushChat::RoomSnapshot &snapshot);
    /// The history store failed while running (sends are refused from now on), or could not
    /// clear the history.
    void historyFailed(const PushChat::ServerError &error);
    void historyCleared();

private:
    /// Opens the history (the store file, or memory); false after emitting failed().
    bool openHistory();
    /// Gives a message to the journal; returns its seq, or 0 if the store refused it.
    qint64 store(MessageKind kind, const QString &nick, const QString &text,
                 const QString &clientKey = {});
    /// Why sends are refused now (503), or an empty string.
    QString storeRefusal() const;
    /// The chat core: durable messages go into the room and out to everyone waiting for them.
    void publish(const StoredMessages &messages);
    void onHistoryFailed(const QString &error, const StoredMessages &lost);
    void onHistoryCleared(HistoryEpoch epoch, qint64 startSeq);
    void onNewTcpConnections();
    void refuseConnection(qintptr descriptor);
    void sweep();
    void connectionTimeoutBy(qint64 deadlineMs);
    void closeEverything();
    /// `goingAway`: WebSocket clients get close code 1001 first (a stop, not a network drop).
    void abortConnections(bool goingAway);

    ServerConfig m_config;
    Room m_room;
    Presence m_presence;
    RateLimiter m_rateLimiter;        ///< per nick and address
    RateLimiter m_addressRateLimiter; ///< per address, over every nick from it
    ServerStats m_stats;
    CpuAccount m_cpu{&m_stats};
    QElapsedTimer m_uptime;
    AccessPolicy m_accessPolicy;
    FaultInjector m_faults;
    LongPollParking m_parking;
    WebSocketHub m_webSockets;
    HttpApi m_httpApi;
    std::unique_ptr<HistoryJournal> m_journal;  ///< open while running
    QHash<qint64, QList<ChatAnswer>> m_waiters; ///< by seq: sends answered once durable

    ConnectionListener *m_tcpServer = nullptr;
    std::unique_ptr<QSslConfiguration> m_tls; ///< while serving https:// and wss://
    QTimer *m_sweepTimer = nullptr;
    QSet<HttpConnection *> m_connections;
    qint64 m_lastSlowSweepMs = 0;
    qint64 m_nextSweepMs = std::numeric_limits<qint64>::max();
    qint64 m_nextConnectionTimeoutMs = std::numeric_limits<qint64>::max();
    bool m_running = false;
    int m_connectionCap = 0; ///< maxConnections, or lower to stay within the open-file limit
};

} // namespace PushChat
