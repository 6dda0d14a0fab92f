#pragma once

#include "timeline.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace PushChat {

class EventLog;

/// The last 30 s of the client's traffic, one lane per mode, drawn with QPainter.
class TimelineWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineWidget)

public:
    static constexpr qint64 WindowMs = 30000;

    explicit TimelineWidget(QWidget *parent = nullptr);

    void setEventLog(EventLog *log);
    /// The marks drawn last (for tests).
    const Timeline &timeline() const { return m_timeline; }
    static QString caption(Transport mode);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void rebuild();

    QPointer<EventLog> m_log;
    Timeline m_timeline;
    qint64 m_nowMs = 0;
    QTimer m_timer;
};

} // namespace PushChat
