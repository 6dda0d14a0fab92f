#pragma once

#include "timeline.h"

#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QPainter;

namespace PushChat {

class EventLog;

/// The last 30 s of traffic, one lane per mode on one time axis, drawn with QPainter.
/// The lanes come from one client's log (the inspector: one client moving between modes) or
/// from one log each (the compare view: three clients side by side), so a message arriving
/// on every lane lines up vertically.
class TimelineWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineWidget)

public:
    static constexpr qint64 WindowMs = 30000;

    /// One lane: the marks of `transport` found in `log`.
    struct Lane
    {
        Transport transport = Transport::Polling;
        QPointer<EventLog> log;
    };

    explicit TimelineWidget(QWidget *parent = nullptr);

    /// Three lanes, one per mode, all from `log`.
    void setEventLog(EventLog *log);
    void setLanes(const QList<Lane> &lanes);
    /// A labelled line across every lane (e.g. "restart", "drop all"), for faults done to
    /// every client at once. Kept while it is inside the window; its label follows the
    /// language.
    void addFaultMarker(qint64 timeMs, const PushChat::Fault &fault);

    /// The marks drawn last, every lane's together (for tests).
    const Timeline &timeline() const { return m_timeline; }
    static QString caption(Transport mode);
    /// Each lane's one-sentence caption (shown unless turned off): presentation mode turns it
    /// off, where large type leaves the lanes no room for it and the teacher says it instead.
    void setCaptionsShown(bool shown);
    bool captionsShown() const { return m_captionsShown; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct LegendItem
    {
        QColor color;
        QString label;
        bool tick = false;
        bool hatched = false;
        QPoint position; ///< top left, set by the layout
    };
    /// Where everything goes, worked out once per paint from the size and the font.
    struct Layout
    {
        int laneHeight = 0;
        int barAreaHeight = 0;
        int captionHeight = 0; ///< 0: no room for the captions, the bars come first
        int plotLeft = 0;
        int plotWidth = 0;
        int axisTop = 0;
        qint64 startMs = 0;
        QList<LegendItem> legend;

        double x(qint64 timeMs) const;
        int laneTop(int lane) const { return lane * laneHeight; }
        double laneMiddle(int lane) const { return laneTop(lane) + 4 + barAreaHeight / 2.0; }
    };

    void rebuild();
    int laneIndex(Transport transport) const;
    int labelWidth() const;
    int textLineHeight() const;
    Layout layout() const;
    QList<LegendItem> legendItems() const;
    /// The legend's items placed in rows at `width` (positions relative to its top left).
    QList<LegendItem> placeLegend(int width, int *rows) const;
    int legendHeight(int rows) const;
    int axisHeight() const;
    /// A lane's least height: its name and a bar on one line.
    static int minimumLaneHeight(const QFontMetrics &fm) { return fm.height() + 10; }
    QColor mutedText() const;

    void paintLanes(QPainter &p, const Layout &l) const;
    void paintRequests(QPainter &p, const Layout &l) const;
    void paintFrames(QPainter &p, const Layout &l) const;
    void paintMarkers(QPainter &p, const Layout &l) const;
    void paintAxis(QPainter &p, const Layout &l) const;
    void paintLegend(QPainter &p, const Layout &l) const;

    QList<Lane> m_lanes;
    QList<Timeline::Marker> m_faults;
    Timeline m_timeline;
    qint64 m_nowMs = 0;
    bool m_captionsShown = true;
    int m_legendRows = 0;
    mutable int m_textLineHeight = 0; ///< 0: to be measured again
    QTimer m_timer;
};

} // namespace PushChat
