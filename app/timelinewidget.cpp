#include "timelinewidget.h"

#include "eventlog.h"
#include "inspectormodel.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace PushChat {

namespace {
constexpr int LabelWidth = 104;
constexpr int RightMargin = 8;
constexpr Transport Lanes[] = {Transport::Polling, Transport::LongPoll, Transport::WebSocket};

const QColor EmptyColor(0xb0, 0xb7, 0xc3);
const QColor MessagesColor(0x2e, 0x7d, 0x32);
const QColor PostColor(0xef, 0x6c, 0x00);
const QColor PendingColor(0x1e, 0x88, 0xe5);
const QColor AbortedColor(0xc6, 0x28, 0x28);
const QColor FrameColor(0x6a, 0x1b, 0x9a);
} // namespace

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("timeline"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_timer.setInterval(200);
    connect(&m_timer, &QTimer::timeout, this, &TimelineWidget::rebuild);
}

void TimelineWidget::setEventLog(EventLog *log)
{
    m_log = log;
    rebuild();
}

QString TimelineWidget::caption(Transport mode)
{
    switch (mode) {
    case Transport::Polling:
        return tr("Asks again and again, mostly for nothing: each grey bar is a request that "
                  "came back empty.");
    case Transport::LongPoll:
        return tr("Asks once and waits: the server holds the request open until there is news.");
    case Transport::WebSocket:
        return tr("One connection stays open both ways: each tick is a frame, pushed the "
                  "moment there is news.");
    }
    return {};
}

QSize TimelineWidget::sizeHint() const
{
    return {640, 300};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {360, 220};
}

void TimelineWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer.start();
    rebuild();
}

void TimelineWidget::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void TimelineWidget::rebuild()
{
    m_nowMs = QDateTime::currentMSecsSinceEpoch();
    m_timeline = m_log ? Timeline::build(m_log->eventsSince(m_nowMs - WindowMs - 60000), m_nowMs)
                       : Timeline{};
    update();
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().color(QPalette::Base));

    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::Text);
    const QColor muted = palette().color(QPalette::PlaceholderText);

    // The legend first: it may need two rows on a narrow widget.
    struct LegendItem
    {
        QColor color;
        QString label;
        bool tick;
    };
    const QList<LegendItem> legendItems = {
        {EmptyColor, tr("empty answer"), false},
        {MessagesColor, tr("answer with messages"), false},
        {PendingColor.lighter(150), tr("waiting"), false},
        {PostColor, tr("sending"), false},
        {AbortedColor.lighter(160), tr("cut off"), false},
        {FrameColor, tr("frame in"), true},
        {PostColor, tr("frame out"), true},
        {AbortedColor, tr("reconnect"), true},
    };
    const int legendRowHeight = fm.height() + 4;
    int legendRows = 1;
    {
        int x = 6;
        for (const LegendItem &item : legendItems) {
            const int w = 18 + fm.horizontalAdvance(item.label) + 14;
            if (x + w > width() && x > 6) {
                ++legendRows;
                x = 6;
            }
            x += w;
        }
    }
    const int legendHeight = legendRows * legendRowHeight + 4;
    const int axisHeight = fm.height() + 6;

    const int laneHeight = std::max(48, (height() - axisHeight - legendHeight) / 3);
    const int captionHeight = 2 * fm.lineSpacing();
    const int barAreaHeight = std::max(16, laneHeight - captionHeight - 10);
    const int plotLeft = LabelWidth;
    const int plotWidth = std::max(10, width() - LabelWidth - RightMargin);
    const qint64 startMs = m_nowMs - WindowMs;
    auto xFor = [&](qint64 t) {
        return plotLeft + double(t - startMs) * plotWidth / double(WindowMs);
    };
    auto laneTop = [&](Transport lane) {
        for (int i = 0; i < 3; ++i) {
            if (Lanes[i] == lane)
                return i * laneHeight;
        }
        return 0;
    };
    auto laneMiddle = [&](Transport lane) { return laneTop(lane) + 4 + barAreaHeight / 2.0; };

    // Lanes: background, name, middle line, caption.
    for (int i = 0; i < 3; ++i) {
        const int top = i * laneHeight;
        if (i % 2 == 1)
            p.fillRect(QRect(0, top, width(), laneHeight),
                       palette().color(QPalette::AlternateBase));
        p.setPen(text);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRect(6, top + 4, LabelWidth - 10, barAreaHeight),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   InspectorModel::modeTitle(Lanes[i]));
        p.setFont(font());
        p.setPen(muted);
        p.drawText(QRect(plotLeft, top + 8 + barAreaHeight, plotWidth, captionHeight),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, caption(Lanes[i]));
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        const double mid = laneMiddle(Lanes[i]);
        p.drawLine(QPointF(plotLeft, mid), QPointF(plotLeft + plotWidth, mid));
    }

    p.save();
    p.setClipRect(QRect(plotLeft, 0, plotWidth, laneHeight * 3));

    // Requests: polls above the lane's middle line, posts below it.
    for (const Timeline::Bar &bar : std::as_const(m_timeline.bars)) {
        if (bar.endMs < startMs)
            continue;
        const double x0 = xFor(bar.startMs);
        const double x1 = std::max(x0 + 3.0, xFor(bar.endMs));
        const double mid = laneMiddle(bar.lane);
        const double h = barAreaHeight / 2.0 - 2;
        const bool post = bar.kind == Timeline::Bar::Kind::Post;
        const QRectF r(x0, post ? mid + 2 : mid - 2 - h, x1 - x0, h);
        QColor fill;
        switch (bar.kind) {
        case Timeline::Bar::Kind::Empty:
            fill = EmptyColor;
            break;
        case Timeline::Bar::Kind::Messages:
            fill = MessagesColor;
            break;
        case Timeline::Bar::Kind::Post:
            fill = PostColor;
            break;
        case Timeline::Bar::Kind::Pending:
            fill = PendingColor.lighter(150);
            break;
        case Timeline::Bar::Kind::Aborted:
            fill = AbortedColor.lighter(160);
            break;
        }
        p.setPen(QPen(fill.darker(130), 1));
        p.setBrush(fill);
        p.drawRect(r);
    }

    // WebSocket frames: ticks up (out) and down (in) from the lane's middle line.
    for (const Timeline::Tick &tick : std::as_const(m_timeline.ticks)) {
        if (tick.timeMs < startMs)
            continue;
        const double x = xFor(tick.timeMs);
        const double mid = laneMiddle(tick.lane);
        const double len = tick.control ? barAreaHeight / 5.0 : barAreaHeight / 2.0 - 2;
        p.setPen(QPen(tick.control ? muted : (tick.outgoing ? PostColor : FrameColor), 2));
        p.drawLine(QPointF(x, mid), QPointF(x, tick.outgoing ? mid - len : mid + len));
    }

    // Reconnects and errors: a red line with a marker on top; mode switches: a dashed line.
    for (const Timeline::Marker &marker : std::as_const(m_timeline.markers)) {
        if (marker.timeMs < startMs)
            continue;
        const double x = xFor(marker.timeMs);
        const int top = laneTop(marker.lane);
        if (marker.kind == Timeline::Marker::Kind::ModeSwitch) {
            p.setPen(QPen(text, 1, Qt::DashLine));
            p.drawLine(QPointF(x, top + 1), QPointF(x, top + barAreaHeight + 6));
            continue;
        }
        p.setPen(QPen(AbortedColor, 2));
        p.drawLine(QPointF(x, top + 2), QPointF(x, top + barAreaHeight + 6));
        QPainterPath triangle;
        triangle.moveTo(x - 5, top + 2);
        triangle.lineTo(x + 5, top + 2);
        triangle.lineTo(x, top + 10);
        triangle.closeSubpath();
        p.fillPath(triangle, AbortedColor);
    }
    p.restore();

    // Time axis: seconds ago.
    const int axisTop = laneHeight * 3;
    p.setPen(muted);
    const int step = plotWidth >= 420 ? 5 : 10;
    for (int s = 30; s >= 0; s -= step) {
        const double x = xFor(m_nowMs - s * 1000);
        p.drawLine(QPointF(x, axisTop), QPointF(x, axisTop + 4));
        const QString label = s == 0 ? tr("now") : QStringLiteral("−%1 s").arg(s);
        const int w = fm.horizontalAdvance(label);
        const double left = s == 30 ? x : s == 0 ? x - w : x - w / 2.0;
        p.drawText(QPointF(left, axisTop + 4 + fm.ascent()), label);
    }

    // Legend.
    int x = 6;
    int y = axisTop + axisHeight + 2;
    for (const LegendItem &item : legendItems) {
        const int w = 18 + fm.horizontalAdvance(item.label) + 14;
        if (x + w > width() && x > 6) {
            x = 6;
            y += legendRowHeight;
        }
        if (item.tick) {
            p.setPen(QPen(item.color, 2));
            p.drawLine(QPointF(x + 5, y + 2), QPointF(x + 5, y + fm.height() - 2));
        } else {
            p.setPen(item.color.darker(130));
            p.setBrush(item.color);
            p.drawRect(QRectF(x, y + 3, 14, fm.height() - 6));
        }
        p.setPen(text);
        p.drawText(QPointF(x + 18, y + fm.ascent()), item.label);
        x += w;
    }
}

} // namespace PushChat
