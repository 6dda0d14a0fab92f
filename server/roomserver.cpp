#include "roomserver.h"

#include "connectionlistener.h"
#include "httpconnection.h"
#include "jsoncodec.h"
#include "requestdecoding.h"
#include "serverclock.h"
#include "serverlog.h"
#include "shrinkafterpeak.h"
#include "tlsconfig.h"

#include <QSslConfiguration>
#include <QSslSocket>

#include <QTimer>

namespace PushChat {

namespace {

// Connection timeouts and presence expiry are checked at most once a second, and only when one
// is due; parked long polls wake the sweep at their own deadlines.
constexpr int SlowSweepIntervalMs = 1000;

} // namespace

RoomServer::RoomServer(const ServerConfig &config, const RoomSnapshot &snapshot, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_room(config.historyLimit)
    , m_presence(config.onlineTimeoutMs)
    , m_rateLimiter(config.rateLimitPerSecond)
    , m_addressRateLimiter(config.addressRateLimitPerSecond)
    , m_accessPolicy(config.allowedOrigins, config.key)
    , m_faults(config.faults, this)
    , m_parking(m_config, m_room, &m_stats, this)
    , m_webSockets(*this, this)
    , m_httpApi(*this, m_parking)
{
    m_room.restore(snapshot.messages, snapshot.lastSeq, snapshot.clientKeys);
    m_room.setHistory(snapshot.epoch, snapshot.startSeq);
    m_faults.setSilenceCutter(
        [this](qint64 silentSinceMs) { m_webSockets.cutSilent(silentSinceMs); });
}

StatsReport RoomServer::statsReport()
{
    const qint64 threadCpuNs = m_cpu.settle(); // first: it adds to the counters
    return {m_stats,       m_uptime.elapsed(), m_room.lastSeq(), m_room.retainedCount(),
            wallClockMs(), threadCpuNs};
}

void RoomServer::reportStats()
{
    emit statsReported(statsReport());
}

RoomServer::~RoomServer()
{
    closeEverything();
}

void RoomServer::start()
{
    if (m_running)
        return;
    // A server cannot answer anyone before it knows its history.
    if (!openHistory())
        return;
    m_uptime.start();
    m_cpu.install();
    if (m_config.usesTls()) {
        QString error;
        auto tls = TlsConfig::load(m_config.tlsCertificateFile, m_config.tlsKeyFile, &error);
        if (!tls) {
            qCWarning(lcServer).noquote() << error;
            emit failed({ServerError::Kind::Other, error});
            return;
        }
        m_tls = std::make_unique<QSslConfiguration>(*tls);
    }

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
        m_journal.reset();
        emit failed(error);
        return;
    }
    m_connectionCap = ConnectionListener::connectionCap(m_config.maxConnections);
    if (m_connectionCap < m_config.maxConnections)
        qCInfo(lcServer) << "at most" << m_connectionCap
                         << "connections: the open-file limit keeps a reserve";
    const QByteArray refusal =
        JsonCodec::encodeError(QStringLiteral("server full: %1 connections").arg(m_connectionCap));
    m_tcpServer->setRefusal("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                            "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                            QByteArray::number(refusal.size()) + "\r\n\r\n" + refusal);
    connect(m_tcpServer, &ConnectionListener::connectionsAccepted, this,
            &RoomServer::onNewTcpConnections);
    m_tcpServer->startAccepting();
    m_webSockets.start();

    m_sweepTimer = new QTimer(this);
    m_sweepTimer->setSingleShot(true); // sweep() sets when it is next needed
    connect(m_sweepTimer, &QTimer::timeout, this, &RoomServer::sweep);
    m_nextSweepMs = monotonicMs() + SlowSweepIntervalMs;
    m_nextConnectionTimeoutMs = std::numeric_limits<qint64>::max();
    m_sweepTimer->start(SlowSweepIntervalMs);
    m_faults.start();

    m_running = true;
    qCInfo(lcServer) << "listening on" << m_tcpServer->serverAddress().toString()
                     << m_tcpServer->serverPort();
    emit started(m_tcpServer->serverPort());
}

bool RoomServer::openHistory()
{
    m_journal = std::make_unique<HistoryJournal>();
    connect(m_journal.get(), &HistoryJournal::durable, this, &RoomServer::publish);
    connect(m_journal.get(), &HistoryJournal::failed, this, &RoomServer::onHistoryFailed);
    connect(m_journal.get(), &HistoryJournal::cleared, this, &RoomServer::onHistoryCleared);
    connect(m_journal.get(), &HistoryJournal::clearFailed, this, [this](const QString &error) {
        qCWarning(lcServer).noquote() << "history not cleared:" << error;
        emit historyFailed({ServerError::Kind::Other, QStringLiteral("history: %1").arg(error)});
    });
    if (m_config.storePath.isEmpty()) {
        // The history a host kept over a stop keeps its identity; a new one gets a new epoch.
        m_journal->openInMemory(m_room.epoch(), m_room.lastSeq());
        m_room.setHistory(m_journal->epoch(), m_room.startSeq());
        return true;
    }
    const std::optional<StoredHistory> history =
        m_journal->open(m_config.storePath, m_config.historyLimit, m_config.storeSync);
    if (!history) {
        const ServerError error{ServerError::Kind::Other,
                                QStringLiteral("history: %1").arg(m_journal->errorString())};
        qCWarning(lcServer).noquote() << error.message;
        m_journal.reset();
        emit failed(error);
        return false;
    }
    m_room.restore(history->room.messages, history->room.lastSeq, history->room.clientKeys);
    m_room.setHistory(history->epoch, history->startSeq);
    return true;
}

void RoomServer::stop()
{
    closeEverything();
    emit stopped(RoomSnapshot{m_room.retainedMessages(), m_room.lastSeq(),
                              m_room.retainedClientKeys(), m_room.epoch(), m_room.startSeq()});
}

void RoomServer::clearHistory()
{
    if (m_journal && !m_journal->hasFailed())
        m_journal->clear();
}

void RoomServer::closeEverything()
{
    m_running = false;
    m_cpu.uninstall();
    m_faults.stop();
    delete m_sweepTimer;
    m_sweepTimer = nullptr;
    if (m_tcpServer)
        m_tcpServer->close();
    delete m_tcpServer;
    m_tcpServer = nullptr;
    abortConnections(true);
    m_webSockets.stop();
    // Their connections are gone; what they sent is committed as the journal closes.
    m_waiters.clear();
    m_journal.reset();
    m_presence.clear();
    for (TransportCounters &counters : m_stats.buckets)
        counters.openConnections = 0;
}

void RoomServer::dropConnections()
{
    qCInfo(lcServer) << "dropping every connection";
    abortConnections(false);
}

void RoomServer::setFaults(const FaultSettings &faults)
{
    m_faults.apply(faults);
    m_config.faults = m_faults.settings();
}

void RoomServer::abortConnections(bool goingAway)
{
    m_parking.clear();
    // Deleted here, not as children: their destructors update m_stats, a member.
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    for (HttpConnection *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        connection->abort();
        delete connection;
    }
    m_webSockets.closeAll(goingAway);
}

void RoomServer::onNewTcpConnections()
{
    if (!m_tcpServer)
        return;
    // Which transport a connection is for is known at its first request.
    CpuAccount::Scope cpu(StatsBucket::Other);
    for (const qintptr descriptor : m_tcpServer->takeDescriptors()) {
        if (m_connections.size() + m_webSockets.clientCount() >= m_connectionCap) {
            refuseConnection(descriptor);
            continue;
        }
        // Inherited by the WebSocket a connection may become; the heartbeat covers those too.
        if (!m_config.tcpKeepAlive.applyTo(int(descriptor)))
            qCDebug(lcHttp) << "cannot set TCP keepalive:" << qt_error_string(errno);
        auto *connection =
            new HttpConnection(descriptor, m_config.http, &m_stats, monotonicMs(), this);
        connection->setClassifier(&HttpApi::classify);
        connection->setFaults(&m_faults);
        m_connections.insert(connection);
        connectionTimeoutBy(monotonicMs() + m_config.headTimeoutMs);
        connect(connection, &HttpConnection::requestHeadPending, this,
                [this] { connectionTimeoutBy(monotonicMs() + m_config.headTimeoutMs); });
        connect(connection, &HttpConnection::writePending, this, [this] {
            connectionTimeoutBy(monotonicMs() + HttpConnection::StalledWriteTimeoutMs);
        });
        connect(connection, &HttpConnection::requestReceived, this,
                [this](HttpConnection *connection, const Http::Request &request) {
                    m_httpApi.handleRequest(connection, request);
                });
        connect(connection, &HttpConnection::upgradeRequested, this,
                [this](HttpConnection *connection, const Http::Request &request, qint64 headBytes) {
                    m_webSockets.handleUpgrade(connection, request, headBytes);
                });
        connect(connection, &HttpConnection::closed, this, [this](HttpConnection *closed) {
            m_connections.remove(closed);
            qCDebug(lcHttp) << "connection closed;" << m_connections.size() << "open";
            m_parking.forget(closed);
            shrinkAfterPeak(m_connections);
            closed->deleteLater();
        });
        if (m_tls)
            connection->encrypt(*m_tls);
    }
}

void RoomServer::refuseConnection(qintptr descriptor)
{
    if (!m_tls) {
        m_tcpServer->refuse(descriptor);
        return;
    }
    // Over TLS the 503 can only follow the handshake.
    auto *tls = new QSslSocket(this);
    if (!tls->setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        delete tls;
        return;
    }
    // Encrypting before the write: the answer then waits in the socket for the handshake.
    tls->setSslConfiguration(*m_tls);
    tls->startServerEncryption();
    const QByteArray body = JsonCodec::encodeError(
        QStringLiteral("server full: %1 connections").arg(m_config.maxConnections));
    tls->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
               "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body);
    // The connection ends once the answer is out after the handshake, when the handshake fails,
    // or at the head timeout.
    connect(tls, &QTcpSocket::disconnected, tls, &QObject::deleteLater);
    connect(tls, &QSslSocket::encrypted, tls, &QSslSocket::disconnectFromHost);
    connect(tls, &QSslSocket::errorOccurred, tls, &QObject::deleteLater);
    QTimer::singleShot(m_config.headTimeoutMs, tls, &QObject::deleteLater);
    qCDebug(lcHttp) << "refused a TLS connection: server full";
}

void RoomServer::seen(const QString &nick, std::optional<Transport> transport)
{
    if (nick.isEmpty())
        return;
    if (m_presence.touch(nick, transport, monotonicMs()))
        store(MessageKind::Join, nick, QString());
    // Seeing a nick only moves its own expiry, so the sweep needs to come by then at the latest
    // (not by the earliest of all, which would cost a walk over every member per request).
    if (const auto expiry = m_presence.expiryOf(nick))
        sweepBy(*expiry);
}

bool RoomServer::isRateExempt(const QString &address) const
{
    // No limit per sender means no limit at all: `--rate-limit 0` keeps meaning "unlimited".
    if (m_config.rateLimitPerSecond <= 0)
        return true;
    if (!m_config.rateLimitExemptLoopback)
        return false;
    const QHostAddress host(address);
    bool mapped = false;
    const quint32 ipv4 = host.toIPv4Address(&mapped); // ::ffff:127.0.0.1 from a dual-stack port
    return mapped ? QHostAddress(ipv4).isLoopback() : host.isLoopback();
}

bool RoomServer::admitNick(const QString &nick, const QString &address)
{
    if (nick.isEmpty() || m_presence.isOnline(nick) || isRateExempt(address))
        return true;
    return m_addressRateLimiter.allow(address, monotonicMs());
}

QString RoomServer::addressLimitError() const
{
    return QStringLiteral(
               "more than %1 messages and new nicks a second from one address; slow down")
        .arg(m_config.addressRateLimitPerSecond);
}

void RoomServer::webSocketOpened(const QString &nick)
{
    if (m_presence.webSocketOpened(nick, monotonicMs()))
        store(MessageKind::Join, nick, QString());
}

void RoomServer::webSocketClosed(const QString &nick)
{
    m_presence.webSocketClosed(nick, monotonicMs(), m_config.webSocketLeaveGraceMs);
    if (const auto expiry = m_presence.expiryOf(nick))
        sweepBy(*expiry);
}

void RoomServer::acceptChat(const ChatSubmission &submission, ChatAnswer answer)
{
    const ChatPost &post = submission.post;
    if (QString error =
            RequestDecoding::chatError(post, m_config.maxNickChars, m_config.maxTextBytes);
        !error.isEmpty())
        return answer({nullptr, 400, error});
    const QString nick = post.nick.trimmed();
    const QString clientKey = Room::clientKey(nick, post.clientId);
    // A retry of a send that was taken is answered as the first one is, and stores nothing:
    // at once if it is durable, else together with it.
    if (const Room::Entry *earlier = m_room.findByClientKey(clientKey))
        return answer({earlier, 0, {}});
    if (const StoredMessage *pending = m_journal ? m_journal->findPending(clientKey) : nullptr)
        return m_waiters[pending->message.seq].append(std::move(answer));
    if (!isRateExempt(submission.address)) {
        const qint64 now = monotonicMs();
        if (!m_rateLimiter.allow(submission.sender, now)) {
            return answer({nullptr, 429,
                           QStringLiteral("more than %1 messages a second; slow down")
                               .arg(m_config.rateLimitPerSecond)});
        }
        // A nick not online yet brings a join as well: rotating nicks costs more, not less.
        const int cost = m_presence.isOnline(nick) ? 1 : 2;
        if (!m_addressRateLimiter.allow(submission.address, now, cost))
            return answer({nullptr, 429, addressLimitError()});
    }
    if (const QString refusal = storeRefusal(); !refusal.isEmpty())
        return answer({nullptr, 503, refusal});
    seen(nick, submission.via);
    const qint64 seq = store(MessageKind::Chat, nick, post.text, clientKey);
    if (seq == 0)
        return answer({nullptr, 503, storeRefusal()});
    m_waiters[seq].append(std::move(answer));
}

QString RoomServer::storeRefusal() const
{
    if (!m_journal || m_journal->hasFailed())
        return QStringLiteral("the history store failed; no message can be stored");
    if (m_journal->pendingCount() >= MaxPendingMessages)
        return QStringLiteral("the history store is behind (%1 messages wait for the disk); "
                              "try again")
            .arg(m_journal->pendingCount());
    return {};
}

qint64 RoomServer::store(MessageKind kind, const QString &nick, const QString &text,
                         const QString &clientKey)
{
    if (!m_journal)
        return 0;
    ChatMessage message;
    message.ts = wallClockMs();
    message.nick = nick;
    message.text = text;
    message.kind = kind;
    return m_journal->submit(message, clientKey);
}

void RoomServer::publish(const StoredMessages &messages)
{
    for (const StoredMessage &stored : messages) {
        const Room::Entry &entry = m_room.append(stored.message, stored.clientKey);
        m_webSockets.broadcast(entry.webSocketFrame);
        for (const ChatAnswer &answer : m_waiters.take(entry.seq))
            answer({&entry, 0, {}});
    }
    // Once per batch; short polls need no push: each finds the messages when it next asks.
    m_parking.messageStored();
}

void RoomServer::onHistoryFailed(const QString &error, const StoredMessages &lost)
{
    qCWarning(lcServer).noquote() << "history store failed:" << error
                                  << "- sends are refused from now on;" << lost.size()
                                  << "messages were not stored";
    const QString refusal = QStringLiteral("the history store failed: %1").arg(error);
    for (const StoredMessage &stored : lost) {
        for (const ChatAnswer &answer : m_waiters.take(stored.message.seq))
            answer({nullptr, 503, refusal});
    }
    emit historyFailed({ServerError::Kind::Other, QStringLiteral("history: %1").arg(error)});
}

void RoomServer::onHistoryCleared(HistoryEpoch epoch, qint64 startSeq)
{
    // Every message taken before the clear was published before it: seq goes on from here.
    Q_ASSERT(startSeq == m_room.lastSeq());
    Q_UNUSED(startSeq);
    m_room.clear(epoch);
    m_parking.historyCleared();
    m_webSockets.historyCleared();
    qCInfo(lcServer) << "history cleared; new epoch" << epoch.toString();
    emit historyCleared();
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
    CpuAccount::Scope cpu(StatsBucket::Other); // housekeeping
    const qint64 now = monotonicMs();
    qint64 nextDeadline = 0;
    {
        CpuAccount::Scope parking(StatsBucket::LongPoll);
        // News held for the batching window goes out before any poll is told there is none.
        m_parking.releaseHeldNews();
        nextDeadline = m_parking.expire(now);
    }
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
            store(MessageKind::Leave, nick, QString());
        m_rateLimiter.prune(now);
        m_addressRateLimiter.prune(now);
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
