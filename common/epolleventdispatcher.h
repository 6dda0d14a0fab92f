#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>

#include <memory>
#include <vector>

class QTimerInfoList;
struct epoll_event;

namespace PushChat {

/// An event dispatcher on Linux epoll, for threads holding thousands of sockets.
///
/// Qt's UNIX dispatcher rebuilds and poll()s the whole list of socket notifiers on every wake-up,
/// so its cost grows with every open connection; this one asks the kernel only for the sockets
/// that are ready. Timers, posted events and wake-ups behave as in Qt's own dispatchers.
/// Install it with QThread::setEventDispatcher() before the thread starts, or
/// QCoreApplication::setEventDispatcher() before the application object is made.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    /// False if epoll or the wake-up eventfd could not be created.
    bool isValid() const;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Notifiers
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 registered = 0; // the events epoll has for this fd now
        bool dirty = false;
    };

    void markDirty(int fd, Notifiers &notifiers);
    void applyInterest();
    int activateSocketNotifiers(int ready);
    int activateTimers();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;
    QAtomicInt m_interrupt;
    QHash<int, Notifiers> m_notifiers;
    std::vector<int> m_dirty; // fds whose notifiers changed since the last epoll_wait
    std::unique_ptr<QTimerInfoList> m_timers;
    std::vector<::epoll_event> m_events;
};

} // namespace PushChat
