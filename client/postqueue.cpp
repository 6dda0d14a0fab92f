#include "postqueue.h"

#include "clientlog.h"
#include "clockoffset.h"
#include "httpclient.h"
#include "jsoncodec.h"
#include "metricsrecorder.h"

#include <QTimer>

namespace PushChat {

namespace {
constexpr int PostTimeoutMs = 10000;
} // namespace

PostQueue::PostQueue(Transport via, const TransportContext &context, QObject *parent)
    : QObject(parent)
    , m_via(via)
    , m_context(context)
    , m_http(new HttpClient(context.serverUrl.host(), quint16(context.serverUrl.port(80)),
                            context.metrics, this))
{
    m_http->setTls(context.tls);
    m_http->setExtraHeaders(authorizationHeader(context.key));
    connect(m_http, &HttpClient::finished, this, &PostQueue::onFinished);
    connect(m_http, &HttpClient::failed, this,
            [this](ErrorCode code, const QString &message, bool) {
                m_inFlight = false;
                emit failed(code, message);
            });
}

PostQueue::~PostQueue() = default;

void PostQueue::enqueue(qint64 id, const QString &text, const QString &clientId)
{
    m_queue.enqueue({id, text, clientId});
    next();
}

void PostQueue::abort()
{
    m_aborted = true;
    m_http->abort();
    m_queue.clear();
}

void PostQueue::next()
{
    if (m_aborted || m_inFlight || m_queue.isEmpty())
        return;
    m_inFlight = true;
    const Item &item = m_queue.head();
    const QByteArray target =
        Paths::Messages + QByteArrayLiteral("?via=") + transportName(m_via).toLatin1();
    m_http->request("POST", target, JsonCodec::encodePost(m_context.nick, item.text, item.clientId),
                    PostTimeoutMs);
}

void PostQueue::onFinished(const HttpResponse &response)
{
    m_inFlight = false;
    if (m_context.metrics)
        m_context.metrics->responseReceived(response.wireBytes, -1);
    const Item item = m_queue.head();
    if (response.status == 201) {
        m_queue.dequeue();
        const JsonCodec::Created created =
            JsonCodec::decodeCreated(response.body).value_or(JsonCodec::Created{});
        if (m_context.clock)
            m_context.clock->addSample(response.sentAtMs, response.receivedAtMs, created.ts);
        if (m_context.metrics)
            m_context.metrics->messageSent();
        emit accepted(item.id, created.seq, created.ts);
        next();
        return;
    }
    const QString error = JsonCodec::decodeError(response.body)
                              .value_or(QStringLiteral("HTTP %1").arg(response.status));
    const ErrorCode code = errorCodeForHttpStatus(response.status);
    if (code == ErrorCode::RateLimited) {
        qCDebug(lcClient) << "rate limited, retrying" << item.id;
        m_inFlight = true;
        QTimer::singleShot(RateLimitRetryMs, this, [this] {
            m_inFlight = false;
            next();
        });
        return;
    }
    if (code == ErrorCode::BadRequest) {
        m_queue.dequeue();
        emit rejected(item.id, code, error);
        next();
        return;
    }
    emit failed(code, error);
}

} // namespace PushChat
