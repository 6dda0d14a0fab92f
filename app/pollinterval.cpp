#include "pollinterval.h"

#include <algorithm>
#include <cmath>

namespace PushChat {

int PollInterval::toMs(int sliderValue)
{
    const double f = double(std::clamp(sliderValue, 0, SliderMax)) / SliderMax;
    const double ms = MinMs * std::pow(double(MaxMs) / MinMs, f);
    // Round to a value people would pick: 10 ms steps below 1 s, 100 ms steps above.
    const int step = ms < 1000 ? 10 : 100;
    return std::clamp(int(std::lround(ms / step)) * step, MinMs, MaxMs);
}

int PollInterval::toSlider(int ms)
{
    const double clamped = std::clamp(ms, MinMs, MaxMs);
    return int(
        std::lround(std::log(clamped / MinMs) / std::log(double(MaxMs) / MinMs) * SliderMax));
}

QString PollInterval::text(int ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    return tr("%1 s").arg(ms / 1000.0, 0, 'f', ms % 1000 == 0 ? 0 : 1);
}

} // namespace PushChat
