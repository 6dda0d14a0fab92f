#pragma once

#include "protocol.h"

#include <QObject>
#include <QUrl>

#include <array>
#include <ctime>

class QThread;

namespace PushChat {

class AudienceWorker;

/// "Simulate N extra clients": up to MaxPerTechnique receiving clients per technique against a
/// room, on a thread of their own (neither the caller's nor the server's), so a class sees how
/// the server's cost grows with the audience. The clients send nothing; they have no nick, so
/// the room lists none of them. Talks to its thread only through queued calls and signals.
class SimulatedAudience final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatedAudience)

public:
    static constexpr int MaxPerTechnique = 1000;

    explicit SimulatedAudience(QObject *parent = nullptr);
    ~SimulatedAudience() override;

    /// The room the clients join; `after`: its last seq (the history is not fetched).
    void setRoom(const QUrl &serverUrl, const QString &key, int pollIntervalMs, qint64 after);
    /// Starts or stops clients of `technique` until `count` run (0 … MaxPerTechnique).
    void setCount(Transport technique, int count);
    int count(Transport technique) const { return m_wanted[size_t(technique)]; }
    int connectedCount(Transport technique) const { return m_connected[size_t(technique)]; }
    /// CPU time the clients' thread has used so far, in ns (0 while it does not run); read at
    /// once from the thread's CPU clock, so it lines up with other clocks read now.
    qint64 threadCpuNs() const;
    /// Stops every client and the thread.
    void stop();

    /// The thread the clients and their sockets live on (null until the first client).
    QThread *clientThread() const { return m_thread; }
    /// The object that owns the clients, on clientThread().
    QObject *worker() const;

signals:
    void connectedCountsChanged();

private:
    void ensureThread();

    QThread *m_thread = nullptr;
    AudienceWorker *m_worker = nullptr;
    QUrl m_serverUrl;
    QString m_key;
    int m_pollIntervalMs = 1000;
    qint64 m_after = 0;
    std::array<int, 3> m_wanted{};
    std::array<int, 3> m_connected{};
    clockid_t m_cpuClock = 0; ///< the thread's CPU clock, while it runs
};

} // namespace PushChat
