#pragma once

#include <QSize>

namespace PushChat {

/// The type size of presentation mode: body text at least 3 % of the screen's height (22 px
/// on a 1280×720 projector), read from the back of a classroom; a zoom above 100 % makes it
/// larger still, never smaller.
class Presentation final
{
public:
    static constexpr double MinBodyShareOfHeight = 0.03;

    /// The body font's pixel size on a screen of `screen` logical pixels at `zoomPercent`.
    static int bodyPixelSize(const QSize &screen, int zoomPercent);
};

} // namespace PushChat
