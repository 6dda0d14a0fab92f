#include "simulatedaudience.h"

#include "audienceworker.h"
#include "systemlimits.h"

#include <QThread>

#include <pthread.h>

namespace PushChat {

SimulatedAudience::SimulatedAudience(QObject *parent)
    : QObject(parent)
{}

SimulatedAudience::~SimulatedAudience()
{
    stop();
}

QObject *SimulatedAudience::worker() const
{
    return m_worker;
}

qint64 SimulatedAudience::threadCpuNs() const
{
    timespec cpu{};
    if (!m_thread || ::clock_gettime(m_cpuClock, &cpu) != 0)
        return 0;
    return qint64(cpu.tv_sec) * 1'000'000'000 + cpu.tv_nsec;
}

void SimulatedAudience::setRoom(const QUrl &serverUrl, const QString &key, int pollIntervalMs,
                                qint64 after)
{
    m_serverUrl = serverUrl;
    m_key = key;
    m_pollIntervalMs = pollIntervalMs;
    m_after = after;
    if (m_worker) {
        QMetaObject::invokeMethod(
            m_worker,
            [worker = m_worker, serverUrl, key, pollIntervalMs, after] {
                worker->setRoom(serverUrl, key, pollIntervalMs, after);
            },
            Qt::QueuedConnection);
    }
}

void SimulatedAudience::ensureThread()
{
    if (m_thread)
        return;
    // Each client holds a socket here and one at the server: thousands of descriptors.
    raiseOpenFileLimit();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("PushChat audience"));
    m_worker = new AudienceWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &AudienceWorker::reported, this,
            [this](int polling, int longPoll, int webSocket) {
                const std::array<int, 3> connected{polling, longPoll, webSocket};
                if (std::exchange(m_connected, connected) != connected)
                    emit connectedCountsChanged();
            });
    m_thread->start();
    // Only the thread itself can name its CPU clock; once, while this thread waits.
    QMetaObject::invokeMethod(
        m_worker, [this] { ::pthread_getcpuclockid(::pthread_self(), &m_cpuClock); },
        Qt::BlockingQueuedConnection);
    setRoom(m_serverUrl, m_key, m_pollIntervalMs, m_after);
}

void SimulatedAudience::setCount(Transport technique, int count)
{
    count = qBound(0, count, MaxPerTechnique);
    m_wanted[size_t(technique)] = count;
    if (count == 0 && !m_worker)
        return;
    ensureThread();
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, technique, count] { worker->setCount(technique, count); },
        Qt::QueuedConnection);
}

void SimulatedAudience::stop()
{
    m_wanted = {};
    if (!m_thread)
        return;
    // The clients close their sockets on their own thread, then the thread ends.
    QMetaObject::invokeMethod(m_worker, &AudienceWorker::stopAll, Qt::BlockingQueuedConnection);
    disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
    m_connected = {};
    emit connectedCountsChanged();
}

} // namespace PushChat
