#pragma once

#include <QHash>
#include <QString>

namespace PushChat {

/// A token bucket per sender: `rate` messages a second, bursts up to `rate`.
class RateLimiter
{
public:
    explicit RateLimiter(double ratePerSecond = 20);
    /// Takes `cost` tokens (at most a whole burst) for `sender`; false, taking none, when the
    /// sender has fewer.
    bool allow(const QString &sender, qint64 nowMs, int cost = 1);
    /// Forgets senders whose bucket is full again.
    void prune(qint64 nowMs);

private:
    struct Bucket
    {
        double tokens = 0;
        qint64 updatedMs = 0;
    };
    double m_rate;
    QHash<QString, Bucket> m_buckets;
};

} // namespace PushChat
