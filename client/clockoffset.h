#pragma once

#include <QtGlobal>

#include <deque>

namespace PushChat {

/// Estimates serverClock - localClock from answers that carry the server's time.
/// Each sample is (local send time, local receive time, server time); the server time lies
/// inside the round trip, so the midpoint is the best guess and rtt/2 its error bound. Like
/// NTP it trusts the sample with the smallest round trip among the recent ones.
class ClockOffset final
{
public:
    void addSample(qint64 localSentMs, qint64 localReceivedMs, qint64 serverMs);
    void reset();

    bool isValid() const { return !m_samples.empty(); }
    /// serverClock - localClock in ms (0 until a sample came in).
    qint64 offsetMs() const;
    /// Round trip of the sample in use: the offset is right within half of it.
    qint64 uncertaintyMs() const;
    /// Local time expressed on the server's clock.
    qint64 serverNow(qint64 localMs) const { return localMs + offsetMs(); }

private:
    struct Sample
    {
        qint64 offset;
        qint64 rtt;
    };
    const Sample *best() const;

    std::deque<Sample> m_samples;
    static constexpr size_t MaxSamples = 32;
};

} // namespace PushChat
