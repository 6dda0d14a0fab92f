#include "longpolltransport.h"

#include "clientlog.h"
#include "httpclient.h"
#include "postqueue.h"

#include <QTimer>

namespace PushChat {

namespace {
/// How long past the wait the server may take to answer a parked poll before it counts as lost.
constexpr int AnswerGraceSeconds = 15;
} // namespace

LongPollTransport::LongPollTransport(const TransportContext &context, QObject *parent)
    : ChatTransport(context, parent)
    , m_pollHttp(new HttpClient(context.serverUrl.host(), quint16(context.serverUrl.port(80)),
                                context.metrics, this))
    , m_posts(new PostQueue(Transport::LongPoll, context, this))
{
    m_pollHttp->setTls(context.tls);
    m_pollHttp->setExtraHeaders(authHeader());
    connect(m_pollHttp, &HttpClient::connected, this, [this] {
        if (state() == State::Opening)
            setState(State::Open);
    });
    connect(m_pollHttp, &HttpClient::finished, this, &LongPollTransport::onPollFinished);
    connect(m_pollHttp, &HttpClient::failed, this,
            [this](ErrorCode code, const QString &message, bool) { onPollFailed(code, message); });
    connect(m_posts, &PostQueue::accepted, this, &ChatTransport::sendAccepted);
    connect(m_posts, &PostQueue::rejected, this, &ChatTransport::sendFailed);
    connect(m_posts, &PostQueue::failed, this, &LongPollTransport::onPollFailed);
}

LongPollTransport::~LongPollTransport() = default;

void LongPollTransport::open(qint64 after)
{
    m_after = after;
    m_first = true;
    setState(State::Opening);
    poll();
}

void LongPollTransport::send(qint64 id, const QString &text, const QString &clientId)
{
    m_posts->enqueue(id, text, clientId);
}

void LongPollTransport::stopReceiving()
{
    ChatTransport::stopReceiving();
    m_pollHttp->abort();
}

void LongPollTransport::close()
{
    m_pollHttp->abort();
    m_posts->abort();
    setState(State::Closed);
}

void LongPollTransport::poll()
{
    if (state() == State::Closed || !m_receiving || m_pollHttp->busy())
        return;
    const int wait = m_context.longPollWaitSeconds;
    m_pollHttp->request("GET", pollTarget(m_after, "&wait=" + QByteArray::number(wait)), {},
                        (wait + AnswerGraceSeconds) * 1000);
}

void LongPollTransport::onPollFinished(const HttpResponse &response)
{
    // The next poll from a queued call: never two at once, and no recursion. A page cut at its
    // bound needs nothing more: the next poll finds the rest waiting and is answered at once.
    if (takePollAnswer(response, &m_after, &m_first))
        QTimer::singleShot(0, this, &LongPollTransport::poll);
}

void LongPollTransport::onPollFailed(ErrorCode code, const QString &message)
{
    qCDebug(lcClientLongPoll) << "failed:" << message;
    fail(code, message);
}

} // namespace PushChat
