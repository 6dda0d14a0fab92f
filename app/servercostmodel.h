#pragma once

#include "serverstats.h"

#include <deque>

namespace PushChat {

/// The server cost panel's figures: rates per bucket from successive /api/stats reports (over
/// the last few seconds, so one busy second does not make the figures jump), and how the
/// process's CPU time splits between the server's thread, the simulated clients' thread and
/// the rest of the app. Pure logic: fed with reports and clock readings, no widgets.
class ServerCostModel
{
public:
    struct Rates
    {
        double requestsPerSecond = 0; ///< HTTP requests, plus WebSocket frames in and out
        double bytesPerSecond = 0;    ///< in and out, at the socket
        qint64 openConnections = 0;
        double cpuPercent = 0; ///< of one core, the server thread's time on this bucket
    };

    /// Takes a report, with the process's CPU time and the simulated clients' thread's CPU time
    /// (ns) read when it arrived.
    void add(const StatsReport &report, qint64 processCpuNs, qint64 audienceCpuNs);
    void clear();
    /// True once two reports span some time.
    bool hasRates() const;

    Rates rates(StatsBucket bucket) const;
    /// Of one core, over the same window.
    double serverThreadCpuPercent() const;
    double audienceCpuPercent() const;
    /// The process without the server's thread and the simulated clients' thread.
    double appCpuPercent() const;

    /// The process's CPU time so far, in ns.
    static qint64 processCpuNs();

private:
    struct Sample
    {
        StatsReport report;
        qint64 processCpuNs = 0;
        qint64 audienceCpuNs = 0;
    };
    double percentOfCore(qint64 cpuNs) const;
    qint64 windowMs() const;

    std::deque<Sample> m_samples;
};

} // namespace PushChat
