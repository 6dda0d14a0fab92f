#include "timelinewidget.h"

#include "eventlog.h"
#include "inspectormodel.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace PushChat {

namespace {
constexpr int LabelWidth = 104;
constexpr int AxisHeight = 18;
constexpr int LegendHeight = 20;
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
    const int laneAreaHeight = height() - AxisHeight - LegendHeight;
    const int laneHeight = std::max(40, laneAreaHeight / 3);
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
    const QColor text = palette().color(QPalette::Text);
    const QColor muted = palette().color(QPalette::PlaceholderText);

    // Lanes: background, name, caption.
    for (int i = 0; i < 3; ++i) {
        const int top = i * laneHeight;
        if (i % 2 == 1)
            p.fillRect(QRect(0, top, width(), laneHeight),
                       palette().color(QPalette::AlternateBase));
        p.setPen(text);
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRect(6, top + 4, LabelWidth - 10, laneHeight / 2),
                   Qt::AlignLeft | Qt::TextWordWrap, InspectorModel::modeTitle(Lanes[i]));
        p.setFont(font());
        p.setPen(muted);
        const QRect captionRect(plotLeft, top + laneHeight - fm.height() - 3, plotWidth,
                                fm.height());
        p.drawText(captionRect, Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(caption(Lanes[i]), Qt::ElideRight, plotWidth));
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.drawLine(QPointF(plotLeft, top + laneHeight / 2.0 - 2),
                   QPointF(plotLeft + plotWidth, top + laneHeight / 2.0 - 2));
    }
    const int barAreaHeight = laneHeight - fm.height() - 10;

    p.save();
    p.setClipRect(QRect(plotLeft, 0, plotWidth, laneHeight * 3));

    // Requests: polls in the upper half of the lane, posts in the lower half.
    for (const Timeline::Bar &bar : std::as_const(m_timeline.bars)) {
        if (bar.endMs < startMs)
            continue;
        const double x0 = xFor(bar.startMs);
        const double x1 = std::max(x0 + 3.0, xFor(bar.endMs));
        const int top = laneTop(bar.lane) + 4;
        const bool post = bar.kind == Timeline::Bar::Kind::Post;
        const double h = barAreaHeight / 2.0 - 3;
        const QRectF r(x0, post ? top + h + 3 : top, x1 - x0, h);
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
        if (bar.kind == Timeline::Bar::Kind::Pending) {
            p.setBrush(QBrush(PendingColor, Qt::BDiagPattern));
            p.fillRect(r, fill);
        } else {
            p.setBrush(fill);
        }
        p.drawRect(r);
    }

    // WebSocket frames: ticks up (out) and down (in) from the lane's middle line.
    for (const Timeline::Tick &tick : std::as_const(m_timeline.ticks)) {
        if (tick.timeMs < startMs)
            continue;
        const double x = xFor(tick.timeMs);
        const double mid = laneTop(tick.lane) + laneHeight / 2.0 - 2;
        const double len = tick.control ? barAreaHeight / 6.0 : barAreaHeight / 2.5;
        p.setPen(QPen(tick.control ? muted : (tick.outgoing ? PostColor : FrameColor), 2));
        p.drawLine(QPointF(x, mid), QPointF(x, tick.outgoing ? mid - len : mid + len));
    }

    // Reconnects, errors and switches: a vertical line with a marker on top.
    for (const Timeline::Marker &marker : std::as_const(m_timeline.markers)) {
        if (marker.timeMs < startMs)
            continue;
        const double x = xFor(marker.timeMs);
        const int top = laneTop(marker.lane);
        if (marker.kind == Timeline::Marker::Kind::ModeSwitch) {
            p.setPen(QPen(text, 1, Qt::DashLine));
            p.drawLine(QPointF(x, top + 1), QPointF(x, top + barAreaHeight + 4));
            continue;
        }
        p.setPen(QPen(AbortedColor, 2));
        p.drawLine(QPointF(x, top + 2), QPointF(x, top + barAreaHeight + 4));
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
    for (int s = 30; s >= 0; s -= 5) {
        const double x = xFor(m_nowMs - s * 1000);
        p.drawLine(QPointF(x, axisTop), QPointF(x, axisTop + 4));
        const QString label = s == 0 ? tr("now") : tr("-%1 s").arg(s);
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(x - w / 2.0, double(plotLeft), double(width() - w - 2)),
                           axisTop + 4 + fm.ascent()),
                   label);
    }

    // Legend.
    const int legendTop = axisTop + AxisHeight + 2;
    int x = 6;
    auto legend = [&](const QColor &color, const QString &label, bool tick) {
        if (tick) {
            p.setPen(QPen(color, 2));
            p.drawLine(QPointF(x + 5, legendTop + 2), QPointF(x + 5, legendTop + 13));
        } else {
            p.setPen(color.darker(130));
            p.setBrush(color);
            p.drawRect(QRectF(x, legendTop + 3, 14, 10));
        }
        p.setPen(text);
        p.drawText(QPointF(x + 18, legendTop + 3 + fm.ascent() - 2), label);
        x += 18 + fm.horizontalAdvance(label) + 14;
    };
    legend(EmptyColor, tr("empty answer"), false);
    legend(MessagesColor, tr("answer with messages"), false);
    legend(PendingColor.lighter(150), tr("waiting"), false);
    legend(PostColor, tr("sending"), false);
    legend(FrameColor, tr("frame in"), true);
    legend(PostColor, tr("frame out"), true);
    legend(AbortedColor, tr("reconnect"), true);
}

} // namespace PushChat
