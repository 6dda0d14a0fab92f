#include "servercostmodel.h"

#include <ctime>

namespace PushChat {

namespace {
// Rates over the last three seconds of one-second reports.
constexpr size_t WindowSamples = 4;
constexpr double NsPerMs = 1e6;
constexpr double Percent = 100;
constexpr double MsPerSecond = 1000;
} // namespace

qint64 ServerCostModel::processCpuNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void ServerCostModel::add(const StatsReport &report, qint64 processCpuNs, qint64 audienceCpuNs)
{
    // A restarted server starts its counters again: what came before is another run.
    if (!m_samples.empty() && report.uptimeMs < m_samples.back().report.uptimeMs)
        m_samples.clear();
    m_samples.push_back({report, processCpuNs, audienceCpuNs});
    while (m_samples.size() > WindowSamples)
        m_samples.pop_front();
}

void ServerCostModel::clear()
{
    m_samples.clear();
}

qint64 ServerCostModel::windowMs() const
{
    if (m_samples.size() < 2)
        return 0;
    return m_samples.back().report.uptimeMs - m_samples.front().report.uptimeMs;
}

bool ServerCostModel::hasRates() const
{
    return windowMs() > 0;
}

double ServerCostModel::percentOfCore(qint64 cpuNs) const
{
    const qint64 ms = windowMs();
    return ms > 0 ? qMax(0.0, Percent * double(cpuNs) / NsPerMs / double(ms)) : 0;
}

ServerCostModel::Rates ServerCostModel::rates(StatsBucket bucket) const
{
    Rates rates;
    if (m_samples.empty())
        return rates;
    const TransportCounters &last = m_samples.back().report.stats[bucket];
    rates.openConnections = last.openConnections;
    const qint64 ms = windowMs();
    if (ms <= 0)
        return rates;
    const TransportCounters &first = m_samples.front().report.stats[bucket];
    const double seconds = double(ms) / MsPerSecond;
    rates.requestsPerSecond = double(last.requests - first.requests + last.framesIn -
                                     first.framesIn + last.framesOut - first.framesOut) /
                              seconds;
    rates.bytesPerSecond =
        double(last.bytesIn - first.bytesIn + last.bytesOut - first.bytesOut) / seconds;
    rates.cpuPercent = percentOfCore(last.cpuNs - first.cpuNs);
    return rates;
}

double ServerCostModel::serverThreadCpuPercent() const
{
    if (m_samples.size() < 2)
        return 0;
    return percentOfCore(m_samples.back().report.serverCpuNs -
                         m_samples.front().report.serverCpuNs);
}

double ServerCostModel::audienceCpuPercent() const
{
    if (m_samples.size() < 2)
        return 0;
    return percentOfCore(m_samples.back().audienceCpuNs - m_samples.front().audienceCpuNs);
}

double ServerCostModel::appCpuPercent() const
{
    if (m_samples.size() < 2)
        return 0;
    const qint64 process = m_samples.back().processCpuNs - m_samples.front().processCpuNs;
    return qMax(0.0, percentOfCore(process) - serverThreadCpuPercent() - audienceCpuPercent());
}

} // namespace PushChat
