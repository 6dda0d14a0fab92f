#pragma once

#include <QObject>
#include <QTimer>

namespace PushChat {

/// The clock of the WebSocket heartbeat: every `intervalMs` a ping round (pingDue()), and
/// `timeoutMs` after each round the check of who has not answered (answersDue()). Two
/// wake-ups per interval whatever the number of clients, and none while it is stopped (the
/// hub runs it only while it has clients). A client that goes silent is found by the check
/// after the next round: within intervalMs + timeoutMs.
class Heartbeat final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Heartbeat)

public:
    /// `intervalMs` 0 disables the heartbeat; `timeoutMs` is kept below `intervalMs`.
    Heartbeat(int intervalMs, int timeoutMs, QObject *parent = nullptr);

    bool isEnabled() const { return m_intervalMs > 0; }
    bool isActive() const { return m_timer->isActive(); }
    /// Starts with a ping round one interval from now.
    void start();
    void stop();

signals:
    void pingDue();
    void answersDue();

private:
    void onTimeout();

    int m_intervalMs;
    int m_timeoutMs;
    QTimer *m_timer; ///< a child, so it moves to the server's thread with its owner
    bool m_awaitingAnswers = false;
};

} // namespace PushChat
