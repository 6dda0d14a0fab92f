#pragma once

namespace PushChat {

/// QHash and QSet never shrink by themselves, and iterating one walks its whole capacity: after
/// a peak of 10,000 connections every walk of the few left would still visit 16,384 slots.
/// Called where clients leave (not where parked polls are answered, which come back).
template<typename Container> void shrinkAfterPeak(Container &container)
{
    if (container.capacity() > 128 && container.size() * 8 < container.capacity())
        container.squeeze();
}

} // namespace PushChat
