#include "cpuaccount.h"

#include <ctime>

namespace PushChat {

namespace {
thread_local CpuAccount *t_account = nullptr;
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
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void CpuAccount::charge(qint64 nowNs)
{
    (*m_stats)[m_bucket].cpuNs += nowNs - m_sinceNs;
    m_sinceNs = nowNs;
}

CpuAccount::Scope::Scope(StatsBucket bucket)
    : m_account(t_account)
{
    if (!m_account)
        return;
    const qint64 now = threadCpuNs();
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
    m_account->charge(threadCpuNs());
    m_account->m_bucket = m_outer;
    --m_account->m_depth;
}

void CpuAccount::Scope::setBucket(StatsBucket bucket)
{
    if (m_account)
        m_account->m_bucket = bucket;
}

} // namespace PushChat
