#include "cpuaccount.h"

#include <ctime>

namespace PushChat {

namespace {
thread_local CpuAccount *t_account = nullptr;

qint64 nanoseconds(const timespec &time)
{
    return qint64(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

qint64 monotonicNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return nanoseconds(now);
}
} // namespace

CpuAccount::CpuAccount(ServerStats *stats)
    : m_stats(stats)
{}

CpuAccount::~CpuAccount()
{
    uninstall();
}

void CpuAccount::install()
{
    t_account = this;
    m_installedCpuNs = m_settledCpuNs = threadCpuNs();
    m_gatheredNs = {};
}

void CpuAccount::uninstall()
{
    if (t_account == this)
        t_account = nullptr;
}

qint64 CpuAccount::threadCpuNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return nanoseconds(now);
}

qint64 CpuAccount::settle()
{
    const qint64 cpuNow = threadCpuNs();
    const qint64 ran = cpuNow - m_settledCpuNs;
    m_settledCpuNs = cpuNow;
    qint64 gathered = 0;
    for (const qint64 ns : m_gatheredNs)
        gathered += ns;
    // Time in callbacks beyond what the thread ran was spent preempted: not the bucket's work.
    const double scale = gathered > ran ? double(ran) / double(gathered) : 1.0;
    for (const StatsBucket bucket : AllStatsBuckets) {
        (*m_stats)[bucket].cpuNs += qint64(double(m_gatheredNs[size_t(bucket)]) * scale);
        m_gatheredNs[size_t(bucket)] = 0;
    }
    return cpuNow - m_installedCpuNs;
}

void CpuAccount::charge(qint64 nowNs)
{
    m_gatheredNs[size_t(m_bucket)] += nowNs - m_sinceNs;
    m_sinceNs = nowNs;
}

CpuAccount::Scope::Scope(StatsBucket bucket)
    : m_account(t_account)
{
    if (!m_account)
        return;
    const qint64 now = monotonicNs();
    if (m_account->m_depth > 0)
        m_account->charge(now);
    else
        m_account->m_sinceNs = now;
    m_outer = std::exchange(m_account->m_bucket, bucket);
    ++m_account->m_depth;
}

CpuAccount::Scope::~Scope()
{
    if (!m_account)
        return;
    m_account->charge(monotonicNs());
    m_account->m_bucket = m_outer;
    --m_account->m_depth;
}

void CpuAccount::Scope::setBucket(StatsBucket bucket)
{
    if (m_account)
        m_account->m_bucket = bucket;
}

} // namespace PushChat
