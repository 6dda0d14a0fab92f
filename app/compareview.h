#pragma once

#include "clienttls.h"

#include <QTimer>
#include <QUrl>
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QTableView;

namespace PushChat {

class CompareCounters;
class CompareModel;
class CompareSession;
class TimelineWidget;

/// The compare view: three observers of the room (polling, long polling, WebSocket) in three
/// columns. Live counters with bar charts above, every message on one line-up with each
/// technique's delay in the middle, one timeline with a lane per observer below, and the
/// traffic generator on top. Sized from the widget's font, so larger type scales it.
class CompareView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareView)

public:
    explicit CompareView(QWidget *parent = nullptr);
    ~CompareView() override;

    /// Starts three new observers of the room at `url`; messages up to `baselineSeq` are
    /// already there and not timed.
    void start(const QUrl &url, const QString &key, int pollIntervalMs, qint64 baselineSeq,
               const ClientTls &tls = {});
    void stop();
    /// Starts the traffic generator at `perSecond` messages a second.
    void startBot(double perSecond);
    /// Presentation mode: the timeline beside the line-up instead of below it (a wide screen
    /// in large type has more width than height to spare), as narrow as it can be and without
    /// its captions; the line-up's first column just wide enough for the counters' names, so
    /// their figures get the rest; no "Back to chat" button (Ctrl+K and the menu still go back).
    void setPresenting(bool on);

    CompareSession *session() const { return m_session; }
    CompareModel *model() const { return m_model; }
    CompareCounters *counters() const { return m_counters; }
    TimelineWidget *timeline() const { return m_timeline; }
    QTableView *table() const { return m_table; }

    /// Shows `panel` (the server cost panel) between the traffic generator and the line-up.
    void setServerCostPanel(QWidget *panel);

    /// CSV of every delivery on each technique and every request and frame (docs/APP.md).
    QByteArray csv() const;

signals:
    /// The user asked to go back to the chat.
    void closeRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *createGeneratorBar();
    void refreshCounters();
    void alignCounters();
    void fitPresentation();
    void setIntervalFromSlider(int value);

    CompareSession *m_session;
    CompareModel *m_model;
    CompareCounters *m_counters;
    QTableView *m_table;
    TimelineWidget *m_timeline;
    QDoubleSpinBox *m_rateSpin;
    QPushButton *m_botButton;
    QSpinBox *m_burstSpin;
    QPushButton *m_burstButton;
    QSlider *m_intervalSlider;
    QLabel *m_intervalLabel;
    QLabel *m_sentLabel;
    QSplitter *m_split = nullptr;
    QPushButton *m_backButton = nullptr;
    bool m_presenting = false;
    QTimer m_refreshTimer;
    bool m_followEnd = true;
};

} // namespace PushChat
