#include "chatclient.h"

#include "clientlog.h"
#include "eventlog.h"
#include "httpclient.h"
#include "jsoncodec.h"
#include "longpolltransport.h"
#include "metricsrecorder.h"
#include "pollingtransport.h"
#include "websockettransport.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QRandomGenerator>

#include <algorithm>

namespace PushChat {

namespace {
constexpr int BackoffStartMs = 500;
constexpr int BackoffMaxMs = 10000;
/// Doublings before the backoff reaches its cap (500 ms << 5 > 10 s).
constexpr int BackoffMaxDoublings = 5;
constexpr int RoomTimeoutMs = 10000;
constexpr int RoomRefreshMs = 5000;
constexpr int MinRoomRefreshMs = 100;
/// How long a retired transport may take to see its messages answered.
constexpr int DrainTimeoutMs = 10000;
} // namespace

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
    , m_clientIdPrefix(QString::number(QRandomGenerator::global()->generate64(), 36) + u'-')
    , m_log(new EventLog(this))
{
    m_context.serverUrl = QUrl(QStringLiteral("http://127.0.0.1:8765"));
    for (const Transport transport :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        auto *recorder = new MetricsRecorder(transport, m_log, this);
        connect(recorder, &MetricsRecorder::changed, this, &ChatClient::metricsChanged);
        m_recorders[size_t(transport)] = recorder;
    }
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ChatClient::startTransport);
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(DrainTimeoutMs);
    connect(&m_drainTimer, &QTimer::timeout, this, &ChatClient::abortDrain);
    m_roomTimer.setInterval(RoomRefreshMs);
    connect(&m_roomTimer, &QTimer::timeout, this, &ChatClient::fetchRoom);
}

ChatClient::~ChatClient()
{
    // Transports and the room connection report into the recorders: they go first.
    m_reconnectTimer.stop();
    m_roomTimer.stop();
    qDeleteAll(findChildren<ChatTransport *>(Qt::FindDirectChildrenOnly));
    delete m_roomHttp;
}

void ChatClient::setTlsTrust(const QList<QSslCertificate> &caCertificates,
                             const QByteArray &pinnedSha256)
{
    m_context.tls.caCertificates = caCertificates;
    m_context.tls.pinnedSha256 = pinnedSha256;
}

void ChatClient::setServerUrl(const QUrl &url)
{
    m_context.serverUrl = url;
    m_context.tls.enabled = url.scheme() == u"https" || url.scheme() == u"wss";
}

void ChatClient::setNick(const QString &nick)
{
    m_context.nick = nick.trimmed();
}

void ChatClient::setKey(const QString &key)
{
    m_context.key = key;
}

void ChatClient::setPollInterval(int ms)
{
    m_context.pollIntervalMs =
        std::clamp(ms, PollingTransport::MinIntervalMs, PollingTransport::MaxIntervalMs);
    if (m_transport)
        m_transport->setPollInterval(m_context.pollIntervalMs);
}

void ChatClient::setLongPollWait(int seconds)
{
    m_context.longPollWaitSeconds = std::clamp(seconds, 1, ProtocolLimits{}.maxWaitSeconds);
}

void ChatClient::setWebSocketTiming(int pingIntervalMs, int pongTimeoutMs)
{
    m_context.webSocketPingIntervalMs = pingIntervalMs;
    m_context.webSocketPongTimeoutMs = pongTimeoutMs;
}

void ChatClient::setRoomRefreshInterval(int ms)
{
    m_roomTimer.setInterval(std::max(MinRoomRefreshMs, ms));
}

void ChatClient::setMode(Transport mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    m_recorders[size_t(mode)]->modeSwitch();
    qCDebug(lcClient) << "mode" << transportName(mode);
    emit modeChanged(mode);
    // While waiting to reconnect the timer will use the new mode; a live link switches now.
    if (m_wanted && m_transport) {
        retireTransport();
        startTransport();
    }
}

void ChatClient::connectToServer()
{
    m_wanted = true;
    m_everConnected = false;
    m_attempt = 0;
    m_connectedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_lastFaultId = -1;
    delete m_roomHttp;
    m_roomHttp = new HttpClient(m_context.serverUrl.host(), quint16(m_context.serverUrl.port(80)),
                                nullptr, this);
    m_roomHttp->setTls(m_context.tls);
    m_roomHttp->setExtraHeaders(authorizationHeader(m_context.key));
    connect(m_roomHttp, &HttpClient::finished, this, &ChatClient::onRoomFinished);
    connect(m_roomHttp, &HttpClient::failed, this, [this] {
        if (std::exchange(m_roomRefetch, false) && m_linkUp)
            fetchRoom();
    });
    setState(State::Connecting, tr("connecting to %1").arg(m_context.serverUrl.toString()));
    startTransport();
}

void ChatClient::disconnectFromServer()
{
    m_wanted = false;
    m_linkLostAtMs = -1;
    m_reconnectTimer.stop();
    m_roomTimer.stop();
    dropTransport();
    if (m_roomHttp)
        m_roomHttp->abort();
    m_roomRefetch = false;
    setState(State::Disconnected, tr("disconnected"));
}

int ChatClient::pendingCount() const
{
    return int(std::count_if(m_outbox.begin(), m_outbox.end(), [](const OutboxEntry &entry) {
        return entry.status != OutboxEntry::Status::Accepted &&
               entry.status != OutboxEntry::Status::Failed;
    }));
}

QStringList ChatClient::onlineNicks() const
{
    QStringList nicks;
    for (const RoomInfo::Member &member : m_room.online)
        nicks.append(member.nick);
    return nicks;
}

TransportMetrics ChatClient::metrics(Transport transport) const
{
    return m_recorders[size_t(transport)]->metrics();
}

void ChatClient::resetMetrics()
{
    for (MetricsRecorder *recorder : m_recorders)
        recorder->reset();
    m_log->clear();
}

qint64 ChatClient::send(const QString &text)
{
    if (text.isEmpty() || m_context.nick.isEmpty())
        return 0;
    OutboxEntry entry;
    entry.id = m_nextId++;
    entry.clientId = m_clientIdPrefix + QString::number(entry.id);
    entry.text = text;
    m_outbox.append(entry);
    flushOutbox();
    return entry.id;
}

void ChatClient::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_stateReason)
        return;
    m_state = state;
    m_stateReason = reason;
    qCDebug(lcClient) << state << reason;
    emit stateChanged(state, reason);
}

void ChatClient::startTransport()
{
    if (m_transport)
        dropTransport(); // a retired transport still draining is kept

    if (!m_wanted)
        return;
    m_context.metrics = m_recorders[size_t(m_mode)];
    m_context.clock = &m_clock;
    ChatTransport *transport = nullptr;
    switch (m_mode) {
    case Transport::Polling:
        transport = new PollingTransport(m_context, this);
        break;
    case Transport::LongPoll:
        transport = new LongPollTransport(m_context, this);
        break;
    case Transport::WebSocket:
        transport = new WebSocketTransport(m_context, this);
        break;
    }
    m_transport = transport;
    // Every slot checks that its sender is still the current transport: an old one's late
    // replies are ignored even if something slipped through close().
    connect(transport, &ChatTransport::messagesReceived, this, [this, transport](auto page) {
        if (transport == m_transport)
            onMessages(page);
    });
    connect(transport, &ChatTransport::stateChanged, this, [this, transport](auto state) {
        if (transport == m_transport)
            onTransportState(state);
    });
    connect(transport, &ChatTransport::errorOccurred, this,
            [this, transport](ErrorCode code, const QString &message) {
                if (transport == m_transport)
                    onTransportError(code, message);
            });
    connect(transport, &ChatTransport::sendAccepted, this,
            [this, transport](qint64 id, qint64 seq, qint64 ts) {
                if (transport == m_transport)
                    onSendAccepted(id, seq, ts);
            });
    connect(transport, &ChatTransport::sendFailed, this,
            [this, transport](qint64 id, ErrorCode code, const QString &message) {
                if (transport == m_transport)
                    onSendFailed(id, code, message);
            });
    transport->setEpoch(m_epoch);
    transport->open(m_cursor);
}

void ChatClient::dropTransport()
{
    m_linkUp = false;
    discard(std::exchange(m_transport, nullptr));
    m_drainTimer.stop();
    discard(std::exchange(m_draining, nullptr));
    requeueInFlight();
}

void ChatClient::retireTransport()
{
    m_linkUp = false;
    ChatTransport *transport = std::exchange(m_transport, nullptr);
    if (!transport)
        return;
    const bool sending =
        std::any_of(m_outbox.begin(), m_outbox.end(), [](const OutboxEntry &entry) {
            return entry.status == OutboxEntry::Status::InFlight;
        });
    // With another one draining, this one was given nothing to send.
    if (!sending || m_draining) {
        discard(transport);
        return;
    }
    // Aborting a connection with messages on it would leave their fate unknown (the server
    // may still read them after we looked): let their answers come instead.
    transport->disconnect(this);
    transport->stopReceiving();
    m_draining = transport;
    connect(transport, &ChatTransport::sendAccepted, this,
            [this](qint64 id, qint64 seq, qint64 ts) {
                onSendAccepted(id, seq, ts);
                finishDrain();
            });
    connect(transport, &ChatTransport::sendFailed, this,
            [this](qint64 id, ErrorCode code, const QString &message) {
                onSendFailed(id, code, message);
                finishDrain();
            });
    connect(transport, &ChatTransport::errorOccurred, this, &ChatClient::abortDrain);
    m_drainTimer.start();
}

void ChatClient::discard(ChatTransport *transport)
{
    if (!transport)
        return;
    transport->disconnect(this);
    transport->close();
    transport->deleteLater();
}

void ChatClient::finishDrain()
{
    if (!m_draining)
        return;
    const bool sending =
        std::any_of(m_outbox.begin(), m_outbox.end(), [](const OutboxEntry &entry) {
            return entry.status == OutboxEntry::Status::InFlight;
        });
    if (sending)
        return;
    m_drainTimer.stop();
    discard(std::exchange(m_draining, nullptr));
    flushOutbox();
}

void ChatClient::abortDrain()
{
    m_drainTimer.stop();
    discard(std::exchange(m_draining, nullptr));
    requeueInFlight();
    flushOutbox();
}

void ChatClient::onTransportState(ChatTransport::State state)
{
    if (state != ChatTransport::State::Open)
        return;
    m_linkUp = true;
    m_attempt = 0;
    m_everConnected = true;
    if (m_linkLostAtMs >= 0) {
        m_recorders[size_t(m_mode)]->recovered(QDeadlineTimer::current().deadline() -
                                               std::exchange(m_linkLostAtMs, -1));
    }
    setState(State::Connected, tr("connected via %1").arg(transportName(m_mode)));
    fetchRoom();
    m_roomTimer.start();
    flushOutbox();
}

void ChatClient::onTransportError(ErrorCode code, const QString &message)
{
    qCDebug(lcClient) << "transport error" << errorCodeName(code) << message;
    ChatTransport *failed = m_transport;
    emit errorOccurred(code, message);
    if (!m_wanted || m_transport != failed)
        return; // a slot disconnected us, or started another transport already
    if (isRetryable(code)) {
        scheduleReconnect(message);
        return;
    }
    // Retrying cannot help (wrong key, refused): stop, and say what happens to the outbox.
    m_wanted = false;
    dropTransport();
    m_roomTimer.stop();
    for (OutboxEntry &entry : m_outbox) {
        if (entry.status == OutboxEntry::Status::Accepted ||
            entry.status == OutboxEntry::Status::Failed)
            continue;
        entry.status = OutboxEntry::Status::Failed;
        entry.error = message;
        emit sendFailed(entry.id, message);
    }
    m_outbox.clear();
    setState(State::Disconnected, message);
    checkDrained();
}

void ChatClient::scheduleReconnect(const QString &reason)
{
    if (m_everConnected && m_linkLostAtMs < 0)
        m_linkLostAtMs = QDeadlineTimer::current().deadline();
    dropTransport();
    m_roomTimer.stop();
    const int base =
        std::min(BackoffMaxMs, BackoffStartMs << std::min(m_attempt, BackoffMaxDoublings));
    // "Equal jitter": half the delay fixed, half random, so many clients do not return at once.
    const int delay = base / 2 + int(QRandomGenerator::global()->bounded(base / 2 + 1));
    ++m_attempt;
    m_recorders[size_t(m_mode)]->reconnect(reason);
    qCInfo(lcClient) << "reconnecting in" << delay << "ms:" << reason;
    setState(m_everConnected ? State::Reconnecting : State::Connecting,
             tr("%1; retrying in %2 s").arg(reason).arg(delay / 1000.0, 0, 'f', 1));
    m_reconnectTimer.start(delay);
}

void ChatClient::onMessages(const MessagePage &page)
{
    if (page.reset) {
        qCInfo(lcClient) << "server history reset; dropping cursor" << m_cursor << "of epoch"
                         << m_epoch << "for" << page.epoch;
        m_messages.clear();
        m_cursor = 0;
        emit historyReset();
    }
    if (!page.epoch.isEmpty())
        m_epoch = page.epoch;
    if (page.gap)
        emit gapDetected(m_cursor);
    bool presence = false;
    for (const ChatMessage &message : page.messages) {
        if (message.seq <= m_cursor)
            continue; // already shown: a late or repeated answer
        m_messages.append(message);
        m_cursor = message.seq;
        presence = presence || message.kind != MessageKind::Chat;
        emit messageReceived(message);
    }
    if (presence)
        fetchRoom();
}

void ChatClient::onSendAccepted(qint64 id, qint64 seq, qint64)
{
    OutboxEntry *accepted = entry(id);
    if (!accepted)
        return;
    m_outbox.removeIf([id](const OutboxEntry &e) { return e.id == id; });
    emit sendAccepted(id, seq);
    checkDrained();
}

void ChatClient::onSendFailed(qint64 id, ErrorCode code, const QString &message)
{
    if (!entry(id))
        return;
    m_outbox.removeIf([id](const OutboxEntry &e) { return e.id == id; });
    qCInfo(lcClient) << "message" << id << "refused:" << errorCodeName(code) << message;
    emit sendFailed(id, message);
    checkDrained();
}

void ChatClient::requeueInFlight()
{
    // The link broke before these were answered; the server may have stored them or not.
    // Sending again with the same client_id is safe: the server stores each one once.
    for (OutboxEntry &entry : m_outbox) {
        if (entry.status == OutboxEntry::Status::InFlight)
            entry.status = OutboxEntry::Status::Queued;
    }
}

void ChatClient::flushOutbox()
{
    if (!m_linkUp || !m_transport || m_draining)
        return;
    for (OutboxEntry &entry : m_outbox) {
        if (entry.status != OutboxEntry::Status::Queued)
            continue;
        entry.status = OutboxEntry::Status::InFlight;
        m_transport->send(entry.id, entry.text, entry.clientId);
        if (!m_transport || !m_linkUp)
            return;
    }
}

void ChatClient::checkDrained()
{
    if (pendingCount() == 0)
        emit outboxDrained();
}

void ChatClient::fetchRoom()
{
    if (!m_roomHttp || !m_linkUp)
        return;
    if (m_roomHttp->busy()) {
        m_roomRefetch = true;
        return;
    }
    m_roomHttp->request("GET", Paths::Room, {}, RoomTimeoutMs);
}

void ChatClient::onRoomFinished(const HttpResponse &response)
{
    if (response.status == 200) {
        if (const std::optional<RoomInfo> info = JsonCodec::decodeRoomInfo(response.body)) {
            m_clock.addSample(response.sentAtMs, response.receivedAtMs, info->now);
            const bool changed = info->online != m_room.online || info->name != m_room.name ||
                                 info->limits != m_room.limits;
            m_room = *info;
            if (changed)
                emit roomInfoChanged(m_room);
            announceFaults(m_room.faults);
        }
    }
    if (std::exchange(m_roomRefetch, false))
        fetchRoom();
}

void ChatClient::announceFaults(const QList<FaultNotice> &faults)
{
    if (faults.isEmpty())
        return;
    // A server started anew (another process) numbers its faults from 1 again: read its list
    // as on joining.
    if (faults.constLast().id < m_lastFaultId)
        m_lastFaultId = -1;
    const qint64 oldest = m_clock.serverNow(m_connectedAtMs) - RecentFaultMs;
    for (const FaultNotice &notice : faults) {
        const bool seen = m_lastFaultId < 0 ? notice.ts < oldest : notice.id <= m_lastFaultId;
        if (!seen)
            emit faultAnnounced(notice.ts - m_clock.offsetMs(), notice.fault);
    }
    m_lastFaultId = faults.constLast().id;
}

OutboxEntry *ChatClient::entry(qint64 id)
{
    for (OutboxEntry &e : m_outbox) {
        if (e.id == id)
            return &e;
    }
    return nullptr;
}

} // namespace PushChat
