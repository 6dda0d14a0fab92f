#include "chattransport.h"

#include "clockoffset.h"
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
    }
    return {};
}

bool isRetryable(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unauthorized:
    case ErrorCode::Forbidden:
    case ErrorCode::BadRequest:
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
    if (m_context.key.isEmpty())
        return {};
    return "Authorization: Bearer " + m_context.key.toUtf8() + "\r\n";
}

QByteArray ChatTransport::nickQuery() const
{
    if (m_context.nick.isEmpty())
        return {};
    return "&nick=" + QUrl::toPercentEncoding(m_context.nick);
}

} // namespace PushChat
