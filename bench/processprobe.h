#pragma once

#include <QtGlobal>

namespace PushChat::Bench {

// Reads another process's CPU time and memory from /proc/<pid>.
class ProcessProbe final
{
public:
    explicit ProcessProbe(qint64 pid = 0)
        : m_pid(pid)
    {}

    bool isValid() const { return m_pid > 0; }
    // CPU seconds the process's threads have run (scheduler statistics, nanosecond
    // resolution); falls back to user plus system time in clock ticks; -1 if unreadable.
    double cpuSeconds() const;
    // Resident set size in KiB (VmRSS); -1 if unreadable.
    qint64 rssKiB() const;

private:
    double tickCpuSeconds() const;
    qint64 statusField(const char *name) const;

    qint64 m_pid;
};

} // namespace PushChat::Bench
