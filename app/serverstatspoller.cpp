#include "serverstatspoller.h"

#include "applog.h"
#include "httpclient.h"
#include "jsoncodec.h"

namespace PushChat {

namespace {
constexpr int RequestTimeoutMs = 5000;
constexpr int PollIntervalMs = 1000;
} // namespace

ServerStatsPoller::ServerStatsPoller(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(PollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ServerStatsPoller::poll);
}

ServerStatsPoller::~ServerStatsPoller() = default;

void ServerStatsPoller::start(const QUrl &serverUrl, const QString &key, const ClientTls &tls)
{
    stop();
    m_http = new HttpClient(serverUrl.host(), quint16(serverUrl.port()), nullptr, this);
    m_http->setTls(tls);
    if (!key.isEmpty())
        m_http->setExtraHeaders("Authorization: Bearer " + key.toUtf8() + "\r\n");
    connect(m_http, &HttpClient::finished, this, &ServerStatsPoller::onFinished);
    connect(m_http, &HttpClient::failed, this, [](ErrorCode, const QString &message, bool) {
        qCDebug(lcAppSession).noquote() << "stats:" << message;
    });
    m_timer.start();
    poll();
}

void ServerStatsPoller::stop()
{
    m_timer.stop();
    if (m_http) {
        m_http->abort();
        m_http->deleteLater();
        m_http = nullptr;
    }
    m_hasSnapshot = false;
}

void ServerStatsPoller::poll()
{
    if (m_http && !m_http->busy())
        m_http->request("GET", Paths::Stats, {}, RequestTimeoutMs);
}

void ServerStatsPoller::onFinished(const HttpResponse &response)
{
    if (response.status != 200)
        return;
    if (auto snapshot = parse(response.body)) {
        m_snapshot = *snapshot;
        m_hasSnapshot = true;
        emit updated();
    }
}

std::optional<ServerStatsPoller::Snapshot> ServerStatsPoller::parse(QByteArrayView json)
{
    const std::optional<StatsReport> report = JsonCodec::decodeStats(json);
    if (!report)
        return std::nullopt;
    return Snapshot{report->stats, report->uptimeMs, report->messages, report->retained};
}

} // namespace PushChat
