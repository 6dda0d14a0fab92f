#include "chattransport.h"

#include "clockoffset.h"
#include "httpclient.h"
#include "jsoncodec.h"
#include "metricsrecorder.h"

#include <QDateTime>
#include <QUrl>

namespace PushChat {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None:
        return QStringLiteral("none");
    case ErrorCode::ConnectionRefused:
        return QStringLiteral("connection refused");
    case ErrorCode::ConnectionLost:
        return QStringLiteral("connection lost");
    case ErrorCode::HostNotFound:
        return QStringLiteral("host not found");
    case ErrorCode::Timeout:
        return QStringLiteral("timeout");
    case ErrorCode::Untrusted:
        return QStringLiteral("untrusted certificate");
    case ErrorCode::Unauthorized:
        return QStringLiteral("unauthorized");
    case ErrorCode::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorCode::BadRequest:
        return QStringLiteral("bad request");
    case ErrorCode::RateLimited:
        return QStringLiteral("rate limited");
    case ErrorCode::ServerError:
        return QStringLiteral("server error");
    case ErrorCode::ProtocolError:
        return QStringLiteral("protocol error");
    case ErrorCode::Blocked:
        return QStringLiteral("blocked");
    }
    return {};
}

bool isRetryable(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unauthorized:
    case ErrorCode::Forbidden:
    case ErrorCode::BadRequest:
    case ErrorCode::Untrusted:
        return false;
    default:
        return true;
    }
}

ErrorCode errorCodeForHttpStatus(int status)
{
    if (status == 401)
        return ErrorCode::Unauthorized;
    if (status == 403)
        return ErrorCode::Forbidden;
    if (status == 429)
        return ErrorCode::RateLimited;
    if (status >= 500)
        return ErrorCode::ServerError;
    if (status >= 400)
        return ErrorCode::BadRequest;
    return ErrorCode::ProtocolError;
}

ErrorCode errorCodeForHttpAnswer(int status, const QByteArray &blockedHeader)
{
    return blockedHeader.isEmpty() ? errorCodeForHttpStatus(status) : ErrorCode::Blocked;
}

ChatTransport::ChatTransport(const TransportContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{}

ChatTransport::~ChatTransport() = default;

void ChatTransport::stopReceiving()
{
    m_receiving = false;
}

void ChatTransport::setPollInterval(int ms)
{
    m_context.pollIntervalMs = ms;
}

void ChatTransport::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ChatTransport::fail(ErrorCode code, const QString &message)
{
    if (m_state == State::Closed)
        return;
    close();
    m_state = State::Closed;
    if (m_context.metrics)
        m_context.metrics->error(message);
    emit errorOccurred(code, message);
}

void ChatTransport::deliver(const MessagePage &page, qint64 liveFromServerMs, qint64 liveAfterSeq)
{
    if (m_context.metrics && !page.messages.isEmpty()) {
        m_context.metrics->messagesReceived(int(page.messages.size()));
        const qint64 serverNow =
            m_context.clock ? m_context.clock->serverNow(QDateTime::currentMSecsSinceEpoch())
                            : QDateTime::currentMSecsSinceEpoch();
        for (const ChatMessage &message : page.messages) {
            if (message.ts >= liveFromServerMs && message.seq > liveAfterSeq)
                m_context.metrics->latency(serverNow - message.ts);
        }
    }
    emit messagesReceived(page);
}

QByteArray ChatTransport::authHeader() const
{
    return authorizationHeader(m_context.key);
}

QByteArray ChatTransport::nickQuery() const
{
    if (m_context.nick.isEmpty())
        return {};
    return "&nick=" + QUrl::toPercentEncoding(m_context.nick);
}

QByteArray ChatTransport::epochQuery() const
{
    return m_epoch.isEmpty() ? QByteArray() : "&epoch=" + m_epoch.toLatin1();
}

QByteArray ChatTransport::pollTarget(qint64 after, QByteArrayView extraQuery) const
{
    QByteArray target = Paths::Messages + QByteArrayLiteral("?after=") + QByteArray::number(after);
    return target.append(epochQuery()).append(extraQuery).append(nickQuery());
}

bool ChatTransport::takePollAnswer(const HttpResponse &response, qint64 *after, bool *first,
                                   bool *more)
{
    if (response.status != 200) {
        if (m_context.metrics)
            m_context.metrics->responseReceived(response.wireBytes, -1);
        const QString error = JsonCodec::decodeError(response.body)
                                  .value_or(QStringLiteral("HTTP %1").arg(response.status));
        fail(errorCodeForHttpAnswer(response.status, response.header("pushchat-blocked")), error);
        return false;
    }
    QString error;
    const std::optional<MessagePage> page = JsonCodec::decodePage(response.body, &error);
    if (m_context.metrics)
        m_context.metrics->responseReceived(response.wireBytes,
                                            page ? int(page->messages.size()) : -1);
    if (!page) {
        fail(ErrorCode::ProtocolError, error);
        return false;
    }
    // A parked long poll's round trip says little about the clock; the estimator prefers the
    // shortest round trips anyway.
    if (m_context.clock)
        m_context.clock->addSample(response.sentAtMs, response.receivedAtMs, page->now);
    if (!page->messages.isEmpty())
        *after = page->messages.constLast().seq;
    else if (page->reset)
        *after = page->lastSeq;
    if (!page->epoch.isEmpty())
        m_epoch = page->epoch;
    const qint64 liveFrom =
        *first && m_context.clock ? m_context.clock->serverNow(response.sentAtMs) : 0;
    *first = false;
    if (more)
        *more = page->more && !page->messages.isEmpty();
    setState(State::Open);
    if (state() != State::Open)
        return false;
    deliver(*page, liveFrom, 0);
    return state() != State::Closed;
}

} // namespace PushChat
