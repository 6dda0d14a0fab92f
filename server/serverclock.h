#pragma once

#include <QDateTime>
#include <QDeadlineTimer>

namespace PushChat {

/// Milliseconds on the monotonic clock: deadlines, timeouts, rate limits.
inline qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

/// Milliseconds since the epoch: what messages and answers carry as `ts` and `now`.
inline qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace PushChat
