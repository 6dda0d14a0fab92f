#include "zoom.h"

#include <QEvent>
#include <QSettings>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace PushChat {

namespace {
const QString SettingsKey = QStringLiteral("view/zoomPercent");

class FontChangeFilter final : public QObject
{
public:
    FontChangeFilter(QWidget *widget, std::function<void()> relayout)
        : QObject(widget)
        , m_relayout(std::move(relayout))
    {
        widget->installEventFilter(this);
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == parent() && event->type() == QEvent::FontChange)
            m_relayout();
        return false;
    }

private:
    std::function<void()> m_relayout;
};
} // namespace

int Zoom::snapped(int percent)
{
    return *std::min_element(std::begin(Steps), std::end(Steps), [percent](int a, int b) {
        return std::abs(a - percent) < std::abs(b - percent);
    });
}

int Zoom::load(const QSettings &settings)
{
    bool ok = false;
    const int percent = settings.value(SettingsKey, DefaultPercent).toInt(&ok);
    return ok ? snapped(percent) : DefaultPercent;
}

void Zoom::save(QSettings &settings, int percent)
{
    settings.setValue(SettingsKey, snapped(percent));
}

int Zoom::step(int percent, int direction)
{
    const int current = snapped(percent);
    const auto *it = std::find(std::begin(Steps), std::end(Steps), current);
    if (direction > 0 && std::next(it) != std::end(Steps))
        return *std::next(it);
    if (direction < 0 && it != std::begin(Steps))
        return *std::prev(it);
    return current;
}

QFont Zoom::scaled(const QFont &base, int percent)
{
    QFont font = base;
    if (base.pointSizeF() > 0)
        font.setPointSizeF(base.pointSizeF() * percent / 100.0);
    else
        font.setPixelSize(std::max(1, int(std::lround(base.pixelSize() * percent / 100.0))));
    return font;
}

void Zoom::onFontChange(QWidget *widget, std::function<void()> relayout)
{
    new FontChangeFilter(widget, std::move(relayout));
}

} // namespace PushChat
