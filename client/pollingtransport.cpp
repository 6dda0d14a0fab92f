#include "pollingtransport.h"

#include "clientlog.h"
#include "httpclient.h"
#include "postqueue.h"

#include <algorithm>

namespace PushChat {

namespace {
constexpr int PollTimeoutMs = 10000;
} // namespace

PollingTransport::PollingTransport(const TransportContext &context, QObject *parent)
    : ChatTransport(context, parent)
    , m_pollHttp(new HttpClient(context.serverUrl.host(), quint16(context.serverUrl.port(80)),
                                context.metrics, this))
    , m_posts(new PostQueue(Transport::Polling, context, this))
{
    m_pollHttp->setTls(context.tls);
    m_pollHttp->setExtraHeaders(authHeader());
    m_intervalMs = std::clamp(context.pollIntervalMs, MinIntervalMs, MaxIntervalMs);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PollingTransport::poll);
    connect(m_pollHttp, &HttpClient::finished, this, &PollingTransport::onPollFinished);
    connect(m_pollHttp, &HttpClient::failed, this,
            [this](ErrorCode code, const QString &message, bool) { onPollFailed(code, message); });
    connect(m_posts, &PostQueue::accepted, this, &ChatTransport::sendAccepted);
    connect(m_posts, &PostQueue::rejected, this, &ChatTransport::sendFailed);
    connect(m_posts, &PostQueue::failed, this, &PollingTransport::onPollFailed);
}

PollingTransport::~PollingTransport() = default;

void PollingTransport::open(qint64 after)
{
    m_after = after;
    m_first = true;
    setState(State::Opening);
    poll();
}

void PollingTransport::send(qint64 id, const QString &text, const QString &clientId)
{
    m_posts->enqueue(id, text, clientId);
}

void PollingTransport::stopReceiving()
{
    ChatTransport::stopReceiving();
    m_timer.stop();
    m_pollHttp->abort();
}

void PollingTransport::close()
{
    m_timer.stop();
    m_pollHttp->abort();
    m_posts->abort();
    setState(State::Closed);
}

void PollingTransport::setPollInterval(int ms)
{
    ChatTransport::setPollInterval(ms);
    m_intervalMs = std::clamp(ms, MinIntervalMs, MaxIntervalMs);
    // A waiting poll takes the new interval at once, counted from now.
    if (m_timer.isActive())
        m_timer.start(std::min(m_timer.remainingTime(), m_intervalMs));
}

void PollingTransport::poll()
{
    if (state() == State::Closed || !m_receiving || m_pollHttp->busy())
        return;
    m_pollHttp->request("GET", pollTarget(m_after), {}, PollTimeoutMs);
}

void PollingTransport::onPollFinished(const HttpResponse &response)
{
    // A page cut at its bound is followed at once: the client is catching up, not polling.
    bool more = false;
    if (takePollAnswer(response, &m_after, &m_first, &more))
        m_timer.start(more ? 0 : m_intervalMs);
}

void PollingTransport::onPollFailed(ErrorCode code, const QString &message)
{
    qCDebug(lcClientPolling) << "failed:" << message;
    fail(code, message);
}

} // namespace PushChat
