#include "ratelimiter.h"

namespace PushChat {

RateLimiter::RateLimiter(double ratePerSecond)
    : m_rate(ratePerSecond)
{}

bool RateLimiter::allow(const QString &sender, qint64 nowMs, int cost)
{
    if (m_rate <= 0)
        return true;
    auto it = m_buckets.find(sender);
    if (it == m_buckets.end())
        it = m_buckets.insert(sender, Bucket{m_rate, nowMs});
    it->tokens = qMin(m_rate, it->tokens + (nowMs - it->updatedMs) * m_rate / 1000.0);
    it->updatedMs = nowMs;
    // A cost above the burst (a new nick's join and message at a rate below 2) takes it all.
    const double need = qMin(double(cost), m_rate);
    if (it->tokens < need)
        return false;
    it->tokens -= need;
    return true;
}

void RateLimiter::prune(qint64 nowMs)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        if (it->tokens + (nowMs - it->updatedMs) * m_rate / 1000.0 >= m_rate)
            it = m_buckets.erase(it);
        else
            ++it;
    }
}

} // namespace PushChat
