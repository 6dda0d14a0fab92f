#include "clockoffset.h"

#include <algorithm>

namespace PushChat {

void ClockOffset::addSample(qint64 localSentMs, qint64 localReceivedMs, qint64 serverMs)
{
    if (serverMs <= 0 || localReceivedMs < localSentMs)
        return;
    const qint64 rtt = localReceivedMs - localSentMs;
    m_samples.push_back({serverMs - (localSentMs + localReceivedMs) / 2, rtt});
    if (m_samples.size() > MaxSamples)
        m_samples.pop_front();
}

void ClockOffset::reset()
{
    m_samples.clear();
}

const ClockOffset::Sample *ClockOffset::best() const
{
    if (m_samples.empty())
        return nullptr;
    // The smallest round trip bounds the error best; among equals the newest wins (drift).
    const Sample *best = &m_samples.front();
    for (const Sample &sample : m_samples) {
        if (sample.rtt <= best->rtt)
            best = &sample;
    }
    return best;
}

qint64 ClockOffset::offsetMs() const
{
    const Sample *sample = best();
    return sample ? sample->offset : 0;
}

qint64 ClockOffset::uncertaintyMs() const
{
    const Sample *sample = best();
    return sample ? sample->rtt / 2 : 0;
}

} // namespace PushChat
