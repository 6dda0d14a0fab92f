#include "sessioncontroller.h"

#include "applog.h"
#include "joinurls.h"
#include "messagelistmodel.h"
#include "serverstatspoller.h"
#include "tlsconfig.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <chrono>

namespace PushChat {

namespace {
/// No pong this long after a ping: the link is dead (the client library's default).
constexpr int PongTimeoutMs = 10000;
} // namespace

SessionController::SessionController(QObject *parent)
    : QObject(parent)
    , m_server(new ServerHost(this))
    , m_messages(new MessageListModel(this))
    , m_stats(new ServerStatsPoller(this))
{
    connect(m_server, &ServerHost::started, this, &SessionController::onServerStarted);
    connect(m_server, &ServerHost::failed, this, &SessionController::onServerFailed);
    connect(m_server, &ServerHost::stopped, this, &SessionController::onServerStopped);
    connect(m_server, &ServerHost::historyCleared, this, &SessionController::historyCleared);
    connect(m_server, &ServerHost::historyFailed, this, &SessionController::historyFailed);
    // A restart keeps the room: the clients come back by themselves.
    connect(m_server, &ServerHost::restarted, this, &SessionController::titleChanged);
    // The host's own timelines mark a fault as every guest's do, from the room's list: fetched
    // now rather than at the next refresh.
    connect(m_server, &ServerHost::faultAnnounced, this, [this] {
        if (m_client && isHosting())
            m_client->fetchRoom();
    });
    connect(&m_tourTimer, &QTimer::timeout, this, [this] {
        if (!m_client || m_phase != Phase::InRoom)
            return;
        const Transport next = m_client->mode() == Transport::Polling    ? Transport::LongPoll
                               : m_client->mode() == Transport::LongPoll ? Transport::WebSocket
                                                                         : Transport::Polling;
        m_client->setMode(next);
    });
}

void SessionController::setTour(int seconds)
{
    m_tourTimer.stop();
    if (seconds > 0)
        m_tourTimer.start(std::chrono::seconds(seconds));
}

void SessionController::injectFault(const FaultStep &step)
{
    if (!isHosting() || m_phase != Phase::InRoom)
        return;
    qCInfo(lcAppSession).noquote() << "fault:" << step.label();
    m_server->injectFault(step);
}

void SessionController::setHeartbeatSeconds(int seconds)
{
    m_heartbeatSeconds = seconds;
    if (m_client)
        m_client->setWebSocketTiming(seconds * 1000, PongTimeoutMs);
}

void SessionController::setFaultScript(const QList<FaultStep> &steps)
{
    m_faultScript = steps;
    if (isHosting() && m_phase == Phase::InRoom)
        startFaultScript();
}

void SessionController::startFaultScript()
{
    delete m_faultRunner;
    m_faultRunner = nullptr;
    if (m_faultScript.isEmpty())
        return;
    m_faultRunner = new FaultScriptRunner(m_server, m_faultScript, this);
    connect(m_faultRunner, &FaultScriptRunner::stepApplied, this, [](const FaultStep &step) {
        qCInfo(lcAppSession).noquote() << "fault script:" << step.label();
    });
    m_faultRunner->start();
}

SessionController::~SessionController()
{
    shutdown();
}

bool SessionController::isHosting() const
{
    return m_request.kind == SessionRequest::Kind::Host && m_phase != Phase::Idle;
}

void SessionController::start(const SessionRequest &request)
{
    if (m_phase != Phase::Idle) {
        qCWarning(lcAppSession) << "start() while in phase" << m_phase;
        return;
    }
    m_request = request;
    m_request.nick = request.nick.trimmed();
    m_joinUrls.clear();
    m_tlsFingerprint.clear();
    m_tls = {};
    if (request.kind == SessionRequest::Kind::Join) {
        m_tls.pinnedSha256 =
            ClientTls::parseFingerprint(request.fingerprint).value_or(QByteArray());
        enterRoom(SessionRequest::parseAddress(request.address));
        return;
    }
    ServerConfig config;
    config.port = request.port;
    config.roomName = request.roomName.trimmed();
    config.key = request.key;
    m_historyFile = request.keepHistory ? historyPath(config.roomName) : QString();
    // A directory that cannot be made shows as the store's own error when the server starts.
    if (!m_historyFile.isEmpty())
        QDir().mkpath(QFileInfo(m_historyFile).absolutePath());
    config.storePath = m_historyFile;
    // The compare view's bots and observers run in this process, on loopback, and may send
    // far more than one client address is allowed: the host's own machine is trusted.
    config.rateLimitExemptLoopback = true;
    config.tlsCertificateFile = request.tlsCertificateFile.trimmed();
    config.tlsKeyFile = request.tlsKeyFile.trimmed();
    if (config.usesTls()) {
        // This session's own clients trust exactly the certificate it serves.
        m_tlsFingerprint = TlsConfig::fingerprintOfFile(config.tlsCertificateFile);
        m_tls.pinnedSha256 = ClientTls::parseFingerprint(m_tlsFingerprint).value_or(QByteArray());
    }
    m_phase = Phase::StartingServer;
    emit titleChanged();
    qCInfo(lcAppSession) << "hosting" << config.roomName << "on port" << config.port;
    m_server->start(config);
}

QString SessionController::historyPath(const QString &roomName)
{
    // Letters and digits of the name keep the file recognisable; a hash of the whole name keeps
    // "Class 4B" and "Class/4B" (or two names in another script) apart.
    QString safe;
    for (const QChar c : roomName.trimmed()) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                           (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        safe += plain ? c : u'_';
    }
    const QByteArray hash =
        QCryptographicHash::hash(roomName.trimmed().toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/history/%1-%2.sqlite")
               .arg(safe.left(40), QString::fromLatin1(hash.left(12)));
}

void SessionController::clearHistory()
{
    if (isHosting())
        m_server->clearHistory();
}

void SessionController::onServerStarted(quint16 port)
{
    m_joinUrls = JoinUrls::forPort(port);
    const bool tls = !m_tlsFingerprint.isEmpty();
    if (tls)
        m_joinUrls.replaceInStrings(QStringLiteral("http://"), QStringLiteral("https://"));
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    enterRoom(url);
    startFaultScript();
}

void SessionController::onServerFailed(const ServerError &error)
{
    if (m_phase != Phase::StartingServer)
        return;
    m_phase = Phase::Idle;
    qCWarning(lcAppSession).noquote() << "hosting failed:" << error.message;
    emit titleChanged();
    emit hostFailed(error);
}

void SessionController::enterRoom(const QUrl &url)
{
    if (m_client) {
        m_client->disconnectFromServer();
        m_client->deleteLater();
    }
    m_client = new ChatClient(this);
    m_client->setServerUrl(url);
    m_client->setTlsTrust({}, m_tls.pinnedSha256);
    m_client->setNick(m_request.nick);
    m_client->setKey(m_request.key);
    m_client->setMode(m_request.mode);
    m_client->setWebSocketTiming(m_heartbeatSeconds * 1000, PongTimeoutMs);
    m_modesUsed.clear();
    noteMode(m_request.mode);
    m_messages->attach(m_client);
    connect(m_client, &ChatClient::modeChanged, this, &SessionController::noteMode);
    connect(m_client, &ChatClient::stateChanged, this, &SessionController::titleChanged);
    connect(m_client, &ChatClient::roomInfoChanged, this, &SessionController::titleChanged);
    connect(m_client, &ChatClient::faultAnnounced, this, &SessionController::faultAnnounced);
    if (m_request.kind == SessionRequest::Kind::Host)
        m_stats->start(m_server);
    m_phase = Phase::InRoom;
    m_client->connectToServer();
    qCInfo(lcAppSession) << "entered" << url.toString() << "as" << m_request.nick;
    emit entered();
    emit titleChanged();
}

void SessionController::noteMode(Transport mode)
{
    if (m_modesUsed.contains(mode))
        return;
    m_modesUsed << mode;
    emit modesUsedChanged();
}

void SessionController::leave()
{
    if (m_phase == Phase::Idle || m_phase == Phase::Stopping)
        return;
    delete std::exchange(m_faultRunner, nullptr);
    m_stats->stop();
    if (m_client)
        m_client->disconnectFromServer();
    if (m_request.kind == SessionRequest::Kind::Host &&
        m_server->state() != ServerHost::State::Stopped) {
        m_phase = Phase::Stopping;
        emit titleChanged();
        m_server->stop(); // answers with stopped()
        return;
    }
    m_phase = Phase::Idle;
    emit titleChanged();
    emit left(tr("You left the room."));
}

void SessionController::onServerStopped()
{
    if (m_phase != Phase::Stopping && m_phase != Phase::InRoom)
        return;
    delete std::exchange(m_faultRunner, nullptr);
    m_phase = Phase::Idle;
    emit titleChanged();
    emit left(tr("You stopped hosting the room."));
}

void SessionController::shutdown()
{
    delete std::exchange(m_faultRunner, nullptr);
    m_stats->stop();
    if (m_client)
        m_client->disconnectFromServer();
    // Blocks until the server thread closed its sockets and was joined: nothing outlives us.
    m_server->stopAndWait();
    m_phase = Phase::Idle;
}

void SessionController::reconnectNow()
{
    if (!m_client || m_phase != Phase::InRoom)
        return;
    m_client->disconnectFromServer();
    m_client->connectToServer();
}

QString SessionController::roomName() const
{
    if (m_client && !m_client->roomInfo().name.isEmpty())
        return m_client->roomInfo().name;
    if (m_request.kind == SessionRequest::Kind::Host)
        return m_request.roomName;
    return m_request.address;
}

quint16 SessionController::port() const
{
    if (m_client)
        return quint16(m_client->serverUrl().port());
    return 0;
}

QString SessionController::stateText() const
{
    switch (m_phase) {
    case Phase::Idle:
        return tr("Not in a room");
    case Phase::StartingServer:
        return tr("Starting the room…");
    case Phase::Stopping:
        return tr("Stopping the room…");
    case Phase::InRoom:
        break;
    }
    if (!m_client)
        return {};
    const QString reason = m_client->stateReason();
    switch (m_client->state()) {
    case ChatClient::State::Connected:
        return tr("Connected");
    case ChatClient::State::Connecting:
        return tr("Connecting…");
    case ChatClient::State::Reconnecting:
        return reason.isEmpty() ? tr("Reconnecting…") : tr("Reconnecting… (%1)").arg(reason);
    case ChatClient::State::Disconnected:
        return reason.isEmpty() ? tr("Disconnected") : tr("Disconnected: %1").arg(reason);
    }
    return {};
}

QString SessionController::windowTitle() const
{
    if (m_phase == Phase::Idle)
        return QStringLiteral("PushChat");
    QString state = stateText();
    if (m_client && m_phase == Phase::InRoom && m_client->state() != ChatClient::State::Connected)
        state = m_client->state() == ChatClient::State::Disconnected ? tr("Disconnected")
                                                                     : tr("Reconnecting");
    const QString role = isHosting() ? tr("hosting") : QString();
    QString title = roomName();
    if (!role.isEmpty())
        title += QStringLiteral(" (%1)").arg(role);
    return QStringLiteral("%1 — %2 — PushChat").arg(title, state);
}

} // namespace PushChat
