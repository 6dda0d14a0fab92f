#pragma once

#include <QColor>

namespace PushChat {

/// WCAG 2 contrast ratio of two colours, 1 (same) to 21 (black on white).
double contrastRatio(const QColor &a, const QColor &b);

/// `color`, moved towards black or white (whichever `background` is further from) just enough
/// to reach `minimumRatio` against `background`. Every text the app paints goes through this,
/// so a caption stays readable on a projector (WCAG AA: 4.5:1).
QColor readableOn(const QColor &color, const QColor &background, double minimumRatio = 4.5);

} // namespace PushChat
