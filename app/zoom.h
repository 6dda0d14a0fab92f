#pragma once

#include <QFont>

#include <functional>

class QSettings;
class QWidget;

namespace PushChat {

/// The text size the whole window is drawn at, in percent of the desktop's font (Ctrl+= /
/// Ctrl+- / Ctrl+0). Remembered in QSettings, so the next window opens at the same size.
/// Widgets size themselves from their font, so one QWidget::setFont on the window is enough.
class Zoom final
{
public:
    static constexpr int DefaultPercent = 100;
    /// The sizes Ctrl+= and Ctrl+- step through, as a browser does.
    static constexpr int Steps[] = {50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300};

    /// The remembered size, snapped to a step (DefaultPercent if none was remembered).
    static int load(const QSettings &settings);
    static void save(QSettings &settings, int percent);
    /// The next step from `percent`: up for `direction` > 0, down for < 0; the ends stay.
    static int step(int percent, int direction);
    /// The nearest step to `percent`.
    static int snapped(int percent);
    /// `base` scaled by `percent` (point size if it has one, pixel size otherwise).
    static QFont scaled(const QFont &base, int percent);

    /// Calls `relayout` whenever `widget`'s font changes (a zoom, presentation mode): for the
    /// few sizes a widget works out from its font once, such as a table's row height.
    static void onFontChange(QWidget *widget, std::function<void()> relayout);
};

} // namespace PushChat
