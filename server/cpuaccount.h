#pragma once

#include "serverstats.h"

#include <array>

namespace PushChat {

/// Charges the server thread's CPU time to the buckets of its statistics (`cpu_ns` in
/// /api/stats). Each event-loop callback that does a bucket's work opens a Scope, which reads
/// the monotonic clock when it opens and when it closes; a scope opened inside another (a post
/// that ends in a broadcast) charges its own part to its own bucket and the rest to the outer
/// one. settle() turns the time so gathered into CPU time: it reads the thread's CPU clock
/// (CLOCK_THREAD_CPUTIME_ID) once and, if the callbacks took longer than the thread ran
/// (it was preempted inside them), scales their time down to what it ran.
///
/// Why not the CPU clock around every callback: on this kind of virtual machine it is a system
/// call, 0.84 µs a read, which made a single WebSocket client's message 2 µs (a tenth) dearer;
/// the monotonic clock is read in user space (vDSO) in 0.05 µs. Inside a callback the thread
/// never waits (every socket is non-blocking), so its time there is CPU time unless the
/// thread is preempted, which settle() corrects.
///
/// One account per server thread, installed with install(); scopes on a thread without one do
/// nothing (a connection made by a test on its own).
class CpuAccount
{
    Q_DISABLE_COPY_MOVE(CpuAccount)

public:
    explicit CpuAccount(ServerStats *stats);
    ~CpuAccount();

    /// Makes this the account of the calling thread, until uninstall() or destruction, and
    /// starts counting the thread's CPU time from now.
    void install();
    void uninstall();
    /// Moves the time gathered since the last settle() into the buckets' `cpuNs`; returns the
    /// thread's CPU time since install(). Call on the account's thread.
    qint64 settle();

    /// The calling thread's CPU time in nanoseconds.
    static qint64 threadCpuNs();

    class Scope
    {
        Q_DISABLE_COPY_MOVE(Scope)

    public:
        explicit Scope(StatsBucket bucket);
        ~Scope();
        /// The bucket that pays for this callback, when it is known only partway (an HTTP
        /// request's transport, known once its head is parsed). The whole callback goes to it.
        void setBucket(StatsBucket bucket);

    private:
        CpuAccount *m_account;
        StatsBucket m_outer = StatsBucket::Other;
    };

private:
    void charge(qint64 nowNs);

    ServerStats *m_stats;
    std::array<qint64, AllStatsBuckets.size()> m_gatheredNs{}; ///< since the last settle()
    StatsBucket m_bucket = StatsBucket::Other;                 ///< the innermost open scope's
    qint64 m_sinceNs = 0; ///< when m_bucket's current stretch began
    int m_depth = 0;
    qint64 m_installedCpuNs = 0;
    qint64 m_settledCpuNs = 0;
};

} // namespace PushChat
