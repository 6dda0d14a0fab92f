#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QtCore/private/qthread_p.h>
#include <QtCore/private/qtimerinfo_unix_p.h>

#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace PushChat {

namespace {

constexpr int MaxEventsPerWait = 1024;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_timers(std::make_unique<QTimerInfoList>())
    , m_events(MaxEventsPerWait)
{
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epollFd >= 0 && m_wakeFd >= 0) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = m_wakeFd;
        ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &event);
    } else {
        qWarning("EpollEventDispatcher: cannot create epoll or eventfd: %s", strerror(errno));
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    qDeleteAll(*m_timers);
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

bool EpollEventDispatcher::isValid() const
{
    return m_epollFd >= 0 && m_wakeFd >= 0;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    QThreadData *threadData = QThreadData::get2(thread());
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && threadData->canWaitLocked() &&
                         !m_interrupt.loadRelaxed();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupt.loadRelaxed())
        return false;

    int timeoutMs = -1;
    if (!canWait) {
        timeoutMs = 0;
    } else if (includeTimers) {
        timespec wait{};
        if (m_timers->timerWait(wait)) {
            // Round up: waking a little late is fine, waking early only loops again.
            timeoutMs = int(wait.tv_sec * 1000 + (wait.tv_nsec + 999999) / 1000000);
        }
    }

    applyInterest();
    int ready;
    do {
        ready = ::epoll_wait(m_epollFd, m_events.data(), int(m_events.size()), timeoutMs);
    } while (ready < 0 && errno == EINTR);
    if (ready < 0) {
        qWarning("EpollEventDispatcher: epoll_wait: %s", strerror(errno));
        ready = 0;
    }

    int handled = 0;
    // Socket events are looked at even with ExcludeSocketNotifiers, only not delivered:
    // level-triggered epoll reports them again next time.
    if (includeNotifiers)
        handled += activateSocketNotifiers(ready);
    else {
        for (int i = 0; i < ready; ++i) {
            if (m_events[size_t(i)].data.fd == m_wakeFd) {
                eventfd_t value;
                ::eventfd_read(m_wakeFd, &value);
                m_wakeUps.storeRelease(0);
                ++handled;
            }
        }
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::activateSocketNotifiers(int ready)
{
    int activated = 0;
    QEvent event(QEvent::SockAct);
    for (int i = 0; i < ready; ++i) {
        const epoll_event &ev = m_events[size_t(i)];
        const int fd = ev.data.fd;
        if (fd == m_wakeFd) {
            eventfd_t value;
            ::eventfd_read(m_wakeFd, &value);
            m_wakeUps.storeRelease(0);
            ++activated;
            continue;
        }
        // A notifier may be deleted or disabled by an earlier activation: look it up each time.
        const bool error = ev.events & (EPOLLERR | EPOLLHUP);
        auto deliver = [&](QSocketNotifier *Notifiers::*which) {
            const auto it = m_notifiers.constFind(fd);
            if (it == m_notifiers.constEnd())
                return;
            if (QSocketNotifier *notifier = (*it).*which) {
                QCoreApplication::sendEvent(notifier, &event);
                ++activated;
            }
        };
        if (ev.events & EPOLLPRI)
            deliver(&Notifiers::exception);
        if (ev.events & (EPOLLIN | EPOLLRDHUP) || error)
            deliver(&Notifiers::read);
        if (ev.events & EPOLLOUT || error)
            deliver(&Notifiers::write);
    }
    return activated;
}

void EpollEventDispatcher::markDirty(int fd, Notifiers &notifiers)
{
    if (!notifiers.dirty) {
        notifiers.dirty = true;
        m_dirty.push_back(fd);
    }
}

// Interest changes are applied once, just before waiting: a socket that enables its write
// notifier and disables it again in one iteration (a write that went out at once) costs no
// epoll_ctl at all.
void EpollEventDispatcher::applyInterest()
{
    for (const int fd : m_dirty) {
        const auto it = m_notifiers.find(fd);
        if (it == m_notifiers.end())
            continue;
        Notifiers &notifiers = *it;
        notifiers.dirty = false;
        epoll_event event{};
        event.data.fd = fd;
        if (notifiers.read)
            event.events |= EPOLLIN;
        if (notifiers.write)
            event.events |= EPOLLOUT;
        if (notifiers.exception)
            event.events |= EPOLLPRI;
        if (event.events == notifiers.registered) {
            if (event.events == 0)
                m_notifiers.erase(it);
            continue;
        }
        if (event.events == 0) {
            // The fd may be closed already, which removed it from epoll: nothing to report.
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &event);
            m_notifiers.erase(it);
            continue;
        }
        int op = notifiers.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        if (::epoll_ctl(m_epollFd, op, fd, &event) != 0) {
            // The fd was closed and reused behind our back, or is new under an old number.
            op = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
            if (op < 0 || ::epoll_ctl(m_epollFd, op, fd, &event) != 0)
                qWarning("EpollEventDispatcher: epoll_ctl(%d): %s", fd, strerror(errno));
        }
        notifiers.registered = event.events;
    }
    m_dirty.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Notifiers &notifiers = m_notifiers[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        notifiers.read = notifier;
        break;
    case QSocketNotifier::Write:
        notifiers.write = notifier;
        break;
    case QSocketNotifier::Exception:
        notifiers.exception = notifier;
        break;
    }
    markDirty(fd, notifiers);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_notifiers.find(fd);
    if (it == m_notifiers.end())
        return;
    Notifiers &notifiers = *it;
    if (notifiers.read == notifier)
        notifiers.read = nullptr;
    else if (notifiers.write == notifier)
        notifiers.write = nullptr;
    else if (notifiers.exception == notifier)
        notifiers.exception = nullptr;
    else
        return;
    if (!notifiers.read && !notifiers.write && !notifiers.exception) {
        // Removed at once: the fd is likely closed next and its number reused by a new socket,
        // which epoll would otherwise never be told about.
        if (notifiers.registered) {
            epoll_event event{};
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, &event);
        }
        m_notifiers.erase(it); // a stale entry in m_dirty is skipped by applyInterest()
        return;
    }
    markDirty(fd, notifiers);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    m_timers->registerTimer(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers->unregisterTimer(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers->unregisterTimers(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers->registeredTimers(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers->timerRemainingTime(timerId);
}

int EpollEventDispatcher::activateTimers()
{
    return m_timers->activateTimers();
}

void EpollEventDispatcher::wakeUp()
{
    // Many threads may post at once: one write to the eventfd is enough until it is read.
    if (m_wakeUps.testAndSetAcquire(0, 1))
        ::eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

} // namespace PushChat
