#include "websockettransport.h"

#include "clientlog.h"
#include "clockoffset.h"
#include "jsoncodec.h"
#include "metricsrecorder.h"
#include "websocketclient.h"

#include <QDateTime>
#include <QJsonDocument>

namespace PushChat {

namespace {
constexpr int HandshakeTimeoutMs = 10000;
} // namespace

WebSocketTransport::WebSocketTransport(const TransportContext &context, QObject *parent)
    : ChatTransport(context, parent)
    , m_socket(new WebSocketClient(context.metrics, this))
{
    m_socket->setTls(context.tls);
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
    m_helloSeen = false;
    setState(State::Opening);
    m_openedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_socket->open(m_context.serverUrl.host(), quint16(m_context.serverUrl.port(80)),
                   Paths::WebSocket + QByteArrayLiteral("?after=") + QByteArray::number(after) +
                       epochQuery() + nickQuery(),
                   authHeader(), HandshakeTimeoutMs);
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
    m_socket->sendText(JsonCodec::encodeSendCommand(next.text, next.clientId, next.id));
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
    const QJsonObject frame = QJsonDocument::fromJson(utf8).object();
    const QString type = frame.value(u"type").toString();
    const bool message = type == u"message";
    if (MetricsRecorder *metrics = m_context.metrics)
        metrics->frameIn(frameBytes, message ? 1 : 0);
    if (message)
        onMessageFrame(frame);
    else if (type == u"hello")
        onHello(frame);
    else if (type == u"ack")
        onAck(frame);
    else if (type == u"error")
        onError(frame);
    else
        qCDebug(lcClientWebSocket) << "ignored frame of type" << type;
}

void WebSocketTransport::onMessageFrame(const QJsonObject &frame)
{
    if (!m_receiving)
        return; // retired by a switch: the new transport delivers it
    const std::optional<ChatMessage> message = JsonCodec::decodeMessage(frame);
    if (!message) {
        fail(ErrorCode::ProtocolError, tr("Malformed message frame"));
        return;
    }
    MessagePage page;
    page.messages.append(*message);
    page.lastSeq = message->seq;
    deliver(page, 0, m_helloLastSeq);
}

void WebSocketTransport::onHello(const QJsonObject &frame)
{
    const std::optional<JsonCodec::Hello> hello = JsonCodec::decodeHello(frame);
    if (!hello) {
        fail(ErrorCode::ProtocolError, tr("Malformed hello frame"));
        return;
    }
    MessagePage page;
    page.lastSeq = hello->lastSeq;
    page.gap = hello->gap;
    page.reset = hello->reset;
    page.now = hello->now;
    page.epoch = hello->epoch;
    if (!hello->epoch.isEmpty())
        m_epoch = hello->epoch;
    m_helloLastSeq = page.lastSeq;
    if (m_context.clock)
        m_context.clock->addSample(m_openedAtMs, QDateTime::currentMSecsSinceEpoch(), page.now);
    m_helloSeen = true;
    setState(State::Open);
    deliver(page, 0, 0);
    sendNext();
}

void WebSocketTransport::onAck(const QJsonObject &frame)
{
    const std::optional<JsonCodec::Ack> ack = JsonCodec::decodeAck(frame);
    if (!ack) {
        fail(ErrorCode::ProtocolError, tr("Malformed ack frame"));
        return;
    }
    const qint64 id = ack->id.toLongLong();
    if (m_context.clock && isOnTheWire(id))
        m_context.clock->addSample(m_sentAtMs, QDateTime::currentMSecsSinceEpoch(),
                                   ack->created.ts);
    finishSend(id);
    if (m_context.metrics)
        m_context.metrics->messageSent();
    emit sendAccepted(id, ack->created.seq, ack->created.ts);
    sendNext();
}

void WebSocketTransport::onError(const QJsonObject &frame)
{
    const std::optional<JsonCodec::WebSocketError> error = JsonCodec::decodeWebSocketError(frame);
    if (!error) {
        fail(ErrorCode::ProtocolError, tr("Malformed error frame"));
        return;
    }
    const qint64 id = error->id.toLongLong();
    if (error->id.isNull() || !isOnTheWire(id)) {
        qCWarning(lcClientWebSocket) << "server error:" << error->code << error->error;
        return;
    }
    if (error->code == 429) {
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
    emit sendFailed(id, errorCodeForHttpStatus(error->code), error->error);
    sendNext();
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
