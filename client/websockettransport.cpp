#include "websockettransport.h"

#include "clientlog.h"
#include "clockoffset.h"
#include "jsoncodec.h"
#include "metricsrecorder.h"
#include "websocketclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace PushChat {

namespace {
constexpr int HandshakeTimeoutMs = 10000;
constexpr int RateLimitRetryMs = 1000;
} // namespace

WebSocketTransport::WebSocketTransport(const TransportContext &context, QObject *parent)
    : ChatTransport(context, parent)
    , m_socket(new WebSocketClient(context.metrics, this))
{
    m_pingTimer.setInterval(context.webSocketPingIntervalMs);
    m_pongTimer.setSingleShot(true);
    m_pongTimer.setInterval(context.webSocketPongTimeoutMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &WebSocketTransport::onPingTimer);
    connect(&m_pongTimer, &QTimer::timeout, this, &WebSocketTransport::onPongTimeout);
    connect(m_socket, &WebSocketClient::connected, this, &WebSocketTransport::onConnected);
    connect(m_socket, &WebSocketClient::textReceived, this, &WebSocketTransport::onText);
    connect(m_socket, &WebSocketClient::pong, &m_pongTimer, &QTimer::stop);
    connect(m_socket, &WebSocketClient::failed, this, [this](ErrorCode code, const QString &m) {
        qCDebug(lcClientWebSocket) << "failed:" << m;
        fail(code, m);
    });
}

WebSocketTransport::~WebSocketTransport() = default;

void WebSocketTransport::open(qint64 after)
{
    m_after = after;
    m_helloSeen = false;
    setState(State::Opening);
    m_openedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_socket->open(m_context.serverUrl.host(), quint16(m_context.serverUrl.port(80)),
                   "/ws?after=" + QByteArray::number(after) + nickQuery(), authHeader(),
                   HandshakeTimeoutMs);
}

void WebSocketTransport::send(qint64 id, const QString &text, const QString &clientId)
{
    m_pending.append({id, text, clientId});
    sendNext();
}

void WebSocketTransport::sendNext()
{
    if (!m_helloSeen || m_sending || m_pending.isEmpty() || state() != State::Open)
        return;
    m_sending = true;
    const PendingSend &next = m_pending.constFirst();
    m_sentAtMs = QDateTime::currentMSecsSinceEpoch();
    m_socket->sendText("{\"type\":\"send\",\"text\":" + JsonCodec::quote(next.text) +
                       ",\"client_id\":" + JsonCodec::quote(next.clientId) +
                       ",\"id\":" + QByteArray::number(next.id) + '}');
}

bool WebSocketTransport::isOnTheWire(qint64 id) const
{
    return m_sending && !m_pending.isEmpty() && m_pending.constFirst().id == id;
}

void WebSocketTransport::finishSend(qint64 id)
{
    if (isOnTheWire(id))
        m_sending = false;
    m_pending.removeIf([id](const PendingSend &pending) { return pending.id == id; });
}

void WebSocketTransport::stopReceiving()
{
    ChatTransport::stopReceiving();
    m_pingTimer.stop();
}

void WebSocketTransport::close()
{
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_socket->abort();
    setState(State::Closed);
}

void WebSocketTransport::onConnected()
{
    m_pingTimer.start();
}

void WebSocketTransport::onText(const QByteArray &utf8, qint64 frameBytes)
{
    const QJsonObject json = QJsonDocument::fromJson(utf8).object();
    const QString type = json.value(QLatin1String("type")).toString();
    MetricsRecorder *metrics = m_context.metrics;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (type == QLatin1String("message")) {
        if (metrics)
            metrics->frameIn(frameBytes, 1);
        if (!m_receiving)
            return; // retired by a switch: the new transport delivers it
        const std::optional<ChatMessage> message = JsonCodec::decodeMessage(json);
        if (!message) {
            fail(ErrorCode::ProtocolError, tr("Malformed message frame"));
            return;
        }
        MessagePage page;
        page.messages.append(*message);
        page.lastSeq = message->seq;
        deliver(page, 0, m_helloLastSeq);
        return;
    }
    if (metrics)
        metrics->frameIn(frameBytes, 0);
    if (type == QLatin1String("hello")) {
        MessagePage page;
        page.lastSeq = json.value(QLatin1String("last_seq")).toInteger();
        page.gap = json.value(QLatin1String("gap")).toBool();
        page.reset = json.value(QLatin1String("reset")).toBool();
        page.now = json.value(QLatin1String("now")).toInteger();
        m_helloLastSeq = page.lastSeq;
        if (m_context.clock)
            m_context.clock->addSample(m_openedAtMs, nowMs, page.now);
        m_helloSeen = true;
        setState(State::Open);
        deliver(page, 0, 0);
        sendNext();
        return;
    }
    const qint64 id = json.value(QLatin1String("id")).toInteger();
    if (type == QLatin1String("ack")) {
        const qint64 ts = json.value(QLatin1String("ts")).toInteger();
        if (m_context.clock && isOnTheWire(id))
            m_context.clock->addSample(m_sentAtMs, nowMs, ts);
        finishSend(id);
        if (metrics)
            metrics->messageSent();
        emit sendAccepted(id, json.value(QLatin1String("seq")).toInteger(), ts);
        sendNext();
        return;
    }
    if (type == QLatin1String("error")) {
        const int code = json.value(QLatin1String("code")).toInt();
        const QString error = json.value(QLatin1String("error")).toString();
        if (!json.contains(QLatin1String("id")) || !isOnTheWire(id)) {
            qCWarning(lcClientWebSocket) << "server error:" << code << error;
            return;
        }
        if (code == 429) {
            // m_sending stays set: nothing overtakes the refused message while it waits.
            QTimer::singleShot(RateLimitRetryMs, this, [this, id] {
                if (m_pending.isEmpty() || m_pending.constFirst().id != id)
                    return;
                m_sending = false;
                sendNext();
            });
            return;
        }
        finishSend(id);
        emit sendFailed(id, errorCodeForHttpStatus(code), error);
        sendNext();
        return;
    }
    qCDebug(lcClientWebSocket) << "ignored frame of type" << type;
}

void WebSocketTransport::onPingTimer()
{
    if (m_pongTimer.isActive())
        return;
    m_socket->sendPing();
    m_pongTimer.start();
}

void WebSocketTransport::onPongTimeout()
{
    fail(ErrorCode::Timeout, tr("No pong within %1 ms").arg(m_pongTimer.interval()));
}

} // namespace PushChat
