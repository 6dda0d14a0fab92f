#include "serverstatspoller.h"

#include "serverhost.h"

namespace PushChat {

namespace {
constexpr int PollIntervalMs = 1000;
} // namespace

ServerStatsPoller::ServerStatsPoller(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(PollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ServerStatsPoller::poll);
}

ServerStatsPoller::~ServerStatsPoller() = default;

void ServerStatsPoller::start(ServerHost *host)
{
    stop();
    m_host = host;
    connect(host, &ServerHost::statsReported, this, &ServerStatsPoller::take);
    m_timer.start();
    poll();
}

void ServerStatsPoller::stop()
{
    m_timer.stop();
    if (m_host)
        disconnect(m_host, nullptr, this, nullptr);
    m_host = nullptr;
    m_hasSnapshot = false;
}

void ServerStatsPoller::poll()
{
    if (m_host)
        m_host->requestStats();
}

void ServerStatsPoller::take(const StatsReport &report)
{
    m_snapshot = report;
    m_hasSnapshot = true;
    emit updated();
}

} // namespace PushChat
