#include "presentation.h"

#include <algorithm>
#include <cmath>

namespace PushChat {

int Presentation::bodyPixelSize(const QSize &screen, int zoomPercent)
{
    const double zoom = std::max(1.0, zoomPercent / 100.0);
    return int(std::ceil(screen.height() * MinBodyShareOfHeight * zoom));
}

} // namespace PushChat
