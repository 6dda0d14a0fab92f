#pragma once

#include "transportmetrics.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <array>

namespace PushChat {

/// The compare view's live counters: one row per figure, one column per technique, each
/// figure with a small bar chart across the three columns (QPainter). Figures compare fairly:
/// rates are per minute of observed use, and the connection setup (a WebSocket handshake) is
/// kept apart from the steady state's bytes.
class CompareCounters final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareCounters)

public:
    struct Figure
    {
        QString name;
        std::array<double, 3> values{}; ///< by Transport; bars are drawn relative to the largest
        std::array<QString, 3> texts;
        QString toolTip;
    };

    explicit CompareCounters(QWidget *parent = nullptr);

    void setMetrics(const std::array<TransportMetrics, 3> &metrics);
    /// Where the table below has its columns (x and width, in this widget's coordinates):
    /// the label column first, then one per technique, so figures line up with the messages.
    void setColumns(const QList<QPair<int, int>> &columns);
    /// The columns figures are drawn in: those set, or a name column and three equal ones.
    QList<QPair<int, int>> columns() const;

    const QList<Figure> &figures() const { return m_figures; }
    static QList<Figure> figures(const std::array<TransportMetrics, 3> &metrics);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    int rowHeight() const;

    QList<Figure> m_figures;
    QList<QPair<int, int>> m_columns;
    qint64 m_observedMs = 0;
};

} // namespace PushChat
