#pragma once

#include "serverstats.h"

namespace PushChat {

/// Charges the server thread's CPU time to the buckets of its statistics (`cpu_ns` in
/// /api/stats): each event-loop callback that does a bucket's work opens a Scope, which reads
/// the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) when it opens and when it closes. A scope
/// opened inside another (a post that ends in a broadcast) charges its own part to its own
/// bucket and the rest to the outer one. Costs two clock reads per callback, never one per
/// byte or per recipient.
///
/// One account per server thread, installed with install(); scopes on a thread without one do
/// nothing (a connection made by a test on its own).
class CpuAccount
{
    Q_DISABLE_COPY_MOVE(CpuAccount)

public:
    explicit CpuAccount(ServerStats *stats);
    ~CpuAccount();

    /// Makes this the account of the calling thread, until uninstall() or destruction.
    void install();
    void uninstall();

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
    StatsBucket m_bucket = StatsBucket::Other; ///< the innermost open scope's
    qint64 m_sinceNs = 0;                      ///< when m_bucket's current stretch began
    int m_depth = 0;
};

} // namespace PushChat
