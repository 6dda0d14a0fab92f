#include "timelinewidget.h"

#include "contrast.h"
#include "eventlog.h"
#include "inspectormodel.h"
#include "languagefont.h"

#include <QDateTime>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace PushChat {

namespace {
constexpr int RightMargin = 8;
constexpr Transport Modes[] = {Transport::Polling, Transport::LongPoll, Transport::WebSocket};
/// Events are read this much before the window, so a request sent earlier and answered
/// inside it is still paired with its answer.
constexpr qint64 LookBehindMs = 60000;

const QColor EmptyColor(0xb0, 0xb7, 0xc3);
const QColor MessagesColor(0x2e, 0x7d, 0x32);
const QColor PostColor(0xef, 0x6c, 0x00);
const QColor PendingColor(0x1e, 0x88, 0xe5);
const QColor AbortedColor(0xc6, 0x28, 0x28);
const QColor SwitchedColor(0xcf, 0xd8, 0xdc);
const QColor FrameColor(0x6a, 0x1b, 0x9a);
const QColor FaultColor(0x37, 0x47, 0x4f);

QColor barFill(Timeline::Bar::Kind kind)
{
    switch (kind) {
    case Timeline::Bar::Kind::Empty:
        return EmptyColor;
    case Timeline::Bar::Kind::Messages:
        return MessagesColor;
    case Timeline::Bar::Kind::Post:
        return PostColor;
    case Timeline::Bar::Kind::Pending:
        return PendingColor.lighter(150);
    case Timeline::Bar::Kind::Aborted:
        return AbortedColor.lighter(160);
    case Timeline::Bar::Kind::Switched:
        return SwitchedColor;
    }
    return EmptyColor;
}

void drawSwatch(QPainter &p, const QRectF &r, const QColor &fill, bool hatched)
{
    p.setPen(QPen(fill.darker(130), 1));
    p.setBrush(fill);
    p.drawRect(r);
    if (hatched)
        p.fillRect(r, QBrush(fill.darker(150), Qt::BDiagPattern));
}
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
    QList<Lane> lanes;
    for (const Transport mode : Modes)
        lanes.append({mode, log});
    setLanes(lanes);
}

void TimelineWidget::setLanes(const QList<Lane> &lanes)
{
    m_lanes = lanes;
    updateGeometry();
    rebuild();
}

void TimelineWidget::addFaultMarker(qint64 timeMs, const Fault &fault)
{
    Timeline::Marker marker;
    marker.kind = Timeline::Marker::Kind::Fault;
    marker.timeMs = timeMs;
    marker.fault = fault;
    m_faults.append(marker);
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
    const QFontMetrics fm(font());
    return {latinCharWidth(fm) * 90, fm.lineSpacing() * 18};
}

QSize TimelineWidget::minimumSizeHint() const
{
    // Three lanes of bars a line high, the axis and the whole legend at the current width
    // (resizeEvent() asks again when its rows change). The captions need no room of their
    // own: layout() leaves them out where the lanes are too short for them.
    const QFontMetrics fm(font());
    const int width = labelWidth() + latinCharWidth(fm) * (m_captionsShown ? 30 : 20);
    int legendRows = 0;
    placeLegend(this->width() > 0 ? this->width() : sizeHint().width(), &legendRows);
    const int lanes = std::max<int>(1, int(m_lanes.size()));
    return {width, lanes * minimumLaneHeight(fm) + axisHeight() + legendHeight(legendRows)};
}

void TimelineWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    int rows = 0;
    placeLegend(width(), &rows);
    if (std::exchange(m_legendRows, rows) != rows)
        updateGeometry(); // a legend on more rows needs more height
}

void TimelineWidget::setCaptionsShown(bool shown)
{
    m_captionsShown = shown;
    updateGeometry();
    update();
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
    const qint64 sinceMs = m_nowMs - WindowMs - LookBehindMs;
    // Lanes sharing a log (one client moving between modes) are built together, so a mode
    // switch can end the old mode's requests.
    QHash<const EventLog *, Timeline> byLog;
    m_timeline = {};
    for (const Lane &lane : std::as_const(m_lanes)) {
        if (!lane.log)
            continue;
        auto built = byLog.find(lane.log.data());
        if (built == byLog.end())
            built = byLog.insert(lane.log.data(),
                                 Timeline::build(lane.log->eventsSince(sinceMs), m_nowMs));
        const auto inLane = [&lane](const auto &mark) { return mark.lane == lane.transport; };
        std::copy_if(built->bars.cbegin(), built->bars.cend(), std::back_inserter(m_timeline.bars),
                     inLane);
        std::copy_if(built->ticks.cbegin(), built->ticks.cend(),
                     std::back_inserter(m_timeline.ticks), inLane);
        std::copy_if(built->markers.cbegin(), built->markers.cend(),
                     std::back_inserter(m_timeline.markers), inLane);
    }
    m_faults.removeIf([this](const Timeline::Marker &m) { return m.timeMs < m_nowMs - WindowMs; });
    m_timeline.markers.append(m_faults);
    update();
}

int TimelineWidget::laneIndex(Transport transport) const
{
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        if (m_lanes.at(i).transport == transport)
            return int(i);
    }
    return -1;
}

int TimelineWidget::labelWidth() const
{
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(bold);
    int widest = 0;
    for (const Transport mode : Modes)
        widest = std::max(widest, fm.horizontalAdvance(InspectorModel::modeTitle(mode)));
    // Long names wrap onto a second line rather than eat the plot.
    return std::min(widest, latinCharWidth(fm) * 12) + 16;
}

QColor TimelineWidget::mutedText() const
{
    return readableOn(palette().color(QPalette::PlaceholderText), palette().color(QPalette::Base));
}

double TimelineWidget::Layout::x(qint64 timeMs) const
{
    return plotLeft + double(timeMs - startMs) * plotWidth / double(WindowMs);
}

QList<TimelineWidget::LegendItem> TimelineWidget::legendItems() const
{
    const auto item = [](const QColor &color, const QString &label, bool tick = false,
                         bool hatched = false) {
        LegendItem result;
        result.color = color;
        result.label = label;
        result.tick = tick;
        result.hatched = hatched;
        return result;
    };
    return {
        item(EmptyColor, tr("empty answer")),
        item(MessagesColor, tr("answer with messages")),
        item(barFill(Timeline::Bar::Kind::Pending), tr("waiting")),
        item(PostColor, tr("sending")),
        item(barFill(Timeline::Bar::Kind::Aborted), tr("cut off (failure)")),
        item(SwitchedColor, tr("ended by a switch"), false, true),
        item(FrameColor, tr("frame in"), true),
        item(PostColor, tr("frame out"), true),
        item(AbortedColor, tr("reconnect"), true),
    };
}

QList<TimelineWidget::LegendItem> TimelineWidget::placeLegend(int width, int *rows) const
{
    const QFontMetrics fm(font());
    const int swatch = fm.height();
    const int itemGap = latinCharWidth(fm) * 2;
    const int rowHeight = textLineHeight() + 4;
    QList<LegendItem> legend = legendItems();
    int x = 6;
    int row = 0;
    for (LegendItem &item : legend) {
        const int w = swatch + 4 + fm.horizontalAdvance(item.label) + itemGap;
        if (x + w > width && x > 6) {
            ++row;
            x = 6;
        }
        item.position = QPoint(x, row * rowHeight);
        x += w;
    }
    *rows = row + 1;
    return legend;
}

int TimelineWidget::legendHeight(int rows) const
{
    return rows * (textLineHeight() + 4) + 4;
}

int TimelineWidget::axisHeight() const
{
    return textLineHeight() + 6;
}

// One line of the legend or a caption as drawn: Chinese comes from a CJK fallback font whose
// lines are taller than the widget font's, so its metrics alone would cut them off.
int TimelineWidget::textLineHeight() const
{
    // Asked for at every layout pass and paint; the words change only with the font or the
    // language (changeEvent()).
    if (m_textLineHeight > 0)
        return m_textLineHeight;
    QString sample = caption(Transport::Polling);
    for (const LegendItem &item : legendItems())
        sample += item.label;
    QTextLayout text(sample, font());
    text.beginLayout();
    const QTextLine line = text.createLine();
    text.endLayout();
    m_textLineHeight = std::max(QFontMetrics(font()).height(), int(std::ceil(line.height())));
    return m_textLineHeight;
}

void TimelineWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::LanguageChange) {
        m_textLineHeight = 0;
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

TimelineWidget::Layout TimelineWidget::layout() const
{
    const QFontMetrics fm(font());
    Layout l;
    const int lineHeight = textLineHeight();

    // The legend first: it may need more rows on a narrow widget.
    int legendRows = 0;
    l.legend = placeLegend(width(), &legendRows);
    const int legendHeight = this->legendHeight(legendRows);
    const int axisHeight = this->axisHeight();
    const int lanes = std::max<int>(1, int(m_lanes.size()));

    l.plotLeft = labelWidth();
    l.plotWidth = std::max(10, width() - l.plotLeft - RightMargin);
    // The captions as tall as their words need at this width (one line in Chinese, often two
    // in English, more in large type); where the lanes are too short for them and the bars,
    // the bars stay.
    l.captionHeight = 0;
    if (m_captionsShown) {
        for (const Lane &lane : m_lanes)
            l.captionHeight = std::max(l.captionHeight,
                                       fm.boundingRect(QRect(0, 0, l.plotWidth, 100 * lineHeight),
                                                       Qt::TextWordWrap, caption(lane.transport))
                                           .height());
        l.captionHeight = std::max(l.captionHeight, lineHeight);
    }
    const int minimumBars = 2 * fm.height();
    // Short of height (a scaled projector), the lanes give way to the legend down to a line of
    // their own: a legend cut off at the bottom explains nothing.
    l.laneHeight = std::max(minimumLaneHeight(fm), (height() - axisHeight - legendHeight) / lanes);
    if (l.laneHeight - l.captionHeight - 10 < minimumBars)
        l.captionHeight = 0;
    l.barAreaHeight = std::max(16, l.laneHeight - l.captionHeight - 10);
    l.axisTop = l.laneHeight * lanes;
    l.startMs = m_nowMs - WindowMs;
    for (LegendItem &item : l.legend)
        item.position.ry() += l.axisTop + axisHeight + 2;
    return l;
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(rect(), palette().color(QPalette::Base));
    const Layout l = layout();
    paintLanes(p, l);
    p.save();
    p.setClipRect(QRect(l.plotLeft, 0, l.plotWidth, l.axisTop));
    paintRequests(p, l);
    paintFrames(p, l);
    paintMarkers(p, l);
    p.restore();
    paintAxis(p, l);
    paintLegend(p, l);
}

// Each lane: background, name, middle line, caption.
void TimelineWidget::paintLanes(QPainter &p, const Layout &l) const
{
    QFont bold = font();
    bold.setBold(true);
    const QColor muted = mutedText();
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        const Lane &lane = m_lanes.at(i);
        const int top = l.laneTop(int(i));
        if (i % 2 == 1)
            p.fillRect(QRect(0, top, width(), l.laneHeight),
                       palette().color(QPalette::AlternateBase));
        p.setPen(palette().color(QPalette::Text));
        p.setFont(bold);
        p.drawText(QRect(6, top + 4, l.plotLeft - 10, l.barAreaHeight),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   InspectorModel::modeTitle(lane.transport));
        p.setFont(font());
        p.setPen(muted);
        if (l.captionHeight > 0)
            p.drawText(QRect(l.plotLeft, top + 8 + l.barAreaHeight, l.plotWidth, l.captionHeight),
                       Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, caption(lane.transport));
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        const double mid = l.laneMiddle(int(i));
        p.drawLine(QPointF(l.plotLeft, mid), QPointF(l.plotLeft + l.plotWidth, mid));
    }
}

// Requests: polls above the lane's middle line, posts below it.
void TimelineWidget::paintRequests(QPainter &p, const Layout &l) const
{
    const double h = l.barAreaHeight / 2.0 - 2;
    for (const Timeline::Bar &bar : std::as_const(m_timeline.bars)) {
        const int lane = laneIndex(bar.lane);
        if (bar.endMs < l.startMs || lane < 0)
            continue;
        const double x0 = l.x(bar.startMs);
        const double x1 = std::max(x0 + 3.0, l.x(bar.endMs));
        const double mid = l.laneMiddle(lane);
        const bool post = bar.kind == Timeline::Bar::Kind::Post;
        drawSwatch(p, QRectF(x0, post ? mid + 2 : mid - 2 - h, x1 - x0, h), barFill(bar.kind),
                   bar.kind == Timeline::Bar::Kind::Switched);
    }
}

// WebSocket frames: ticks up (out) and down (in) from the lane's middle line.
void TimelineWidget::paintFrames(QPainter &p, const Layout &l) const
{
    const QColor muted = mutedText();
    for (const Timeline::Tick &tick : std::as_const(m_timeline.ticks)) {
        const int lane = laneIndex(tick.lane);
        if (tick.timeMs < l.startMs || lane < 0)
            continue;
        const double x = l.x(tick.timeMs);
        const double mid = l.laneMiddle(lane);
        const double len = tick.control ? l.barAreaHeight / 5.0 : l.barAreaHeight / 2.0 - 2;
        p.setPen(QPen(tick.control ? muted : (tick.outgoing ? PostColor : FrameColor), 2));
        p.drawLine(QPointF(x, mid), QPointF(x, tick.outgoing ? mid - len : mid + len));
    }
}

// Reconnects and errors: a red line with a marker on top; mode switches: a dashed line;
// faults: a labelled line across every lane.
void TimelineWidget::paintMarkers(QPainter &p, const Layout &l) const
{
    const QFontMetrics fm(font());
    for (const Timeline::Marker &marker : std::as_const(m_timeline.markers)) {
        if (marker.timeMs < l.startMs)
            continue;
        const double x = l.x(marker.timeMs);
        if (marker.kind == Timeline::Marker::Kind::Fault) {
            p.setPen(QPen(FaultColor, 2));
            p.drawLine(QPointF(x, 0), QPointF(x, l.axisTop));
            const QString label = marker.label();
            const QRectF box(x + 3, 2, fm.horizontalAdvance(label) + 8, fm.height() + 2);
            p.fillRect(box, FaultColor);
            p.setPen(readableOn(Qt::white, FaultColor));
            p.drawText(box, Qt::AlignCenter, label);
            continue;
        }
        const int lane = laneIndex(marker.lane);
        if (lane < 0)
            continue;
        const int top = l.laneTop(lane);
        if (marker.kind == Timeline::Marker::Kind::ModeSwitch) {
            p.setPen(QPen(palette().color(QPalette::Text), 1, Qt::DashLine));
            p.drawLine(QPointF(x, top + 1), QPointF(x, top + l.barAreaHeight + 6));
            continue;
        }
        p.setPen(QPen(AbortedColor, 2));
        p.drawLine(QPointF(x, top + 2), QPointF(x, top + l.barAreaHeight + 6));
        QPainterPath triangle;
        triangle.moveTo(x - 5, top + 2);
        triangle.lineTo(x + 5, top + 2);
        triangle.lineTo(x, top + 10);
        triangle.closeSubpath();
        p.fillPath(triangle, AbortedColor);
    }
}

// The time axis: seconds ago.
void TimelineWidget::paintAxis(QPainter &p, const Layout &l) const
{
    const QFontMetrics fm(font());
    p.setPen(mutedText());
    // Every 5 s where the labels have room, else every 10, 15 or 30 s: labels never overlap.
    const int label = fm.horizontalAdvance(tr("−%1 s").arg(30));
    int step = 30;
    for (const int candidate : {5, 10, 15}) {
        if (l.plotWidth >= label * (30 / candidate + 1) * 10 / 7) {
            step = candidate;
            break;
        }
    }
    for (int s = 30; s >= 0; s -= step) {
        const double x = l.x(m_nowMs - s * 1000);
        p.drawLine(QPointF(x, l.axisTop), QPointF(x, l.axisTop + 4));
        const QString label = s == 0 ? tr("now") : tr("−%1 s").arg(s);
        const int w = fm.horizontalAdvance(label);
        const double left = s == 30 ? x : s == 0 ? x - w : x - w / 2.0;
        p.drawText(QPointF(left, l.axisTop + 4 + fm.ascent()), label);
    }
}

void TimelineWidget::paintLegend(QPainter &p, const Layout &l) const
{
    const QFontMetrics fm(font());
    const int swatch = fm.height();
    for (const LegendItem &item : l.legend) {
        const QPoint at = item.position;
        if (item.tick) {
            p.setPen(QPen(item.color, 2));
            p.drawLine(QPointF(at.x() + swatch / 2.0, at.y() + 2),
                       QPointF(at.x() + swatch / 2.0, at.y() + fm.height() - 2));
        } else {
            drawSwatch(p, QRectF(at.x(), at.y() + 3, swatch, fm.height() - 6), item.color,
                       item.hatched);
        }
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QPointF(at.x() + swatch + 4, at.y() + fm.ascent()), item.label);
    }
}

} // namespace PushChat
