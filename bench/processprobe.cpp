#include "processprobe.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>

#include <unistd.h>

namespace PushChat::Bench {

namespace {

QByteArray readProcFile(qint64 pid, const char *name)
{
    // /proc files report size 0: read until EOF rather than trusting size().
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1StringView(name)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

double ProcessProbe::cpuSeconds() const
{
    // Nanoseconds on the CPU, per thread, from the scheduler: /proc/<pid>/stat counts in clock
    // ticks (10 ms), too coarse for runs where a server spends a few tens of milliseconds.
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(m_pid));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    qint64 nanoseconds = 0;
    bool readAll = !threads.isEmpty();
    for (const QString &thread : threads) {
        QFile file(tasks.filePath(thread + QStringLiteral("/schedstat")));
        if (!file.open(QIODevice::ReadOnly)) {
            readAll = false;
            break;
        }
        nanoseconds += file.readAll().split(' ').value(0).toLongLong();
    }
    if (readAll)
        return double(nanoseconds) / 1e9;
    return tickCpuSeconds();
}

double ProcessProbe::tickCpuSeconds() const
{
    const QByteArray stat = readProcFile(m_pid, "stat");
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const qsizetype paren = stat.lastIndexOf(')');
    if (paren < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(paren + 2).split(' ');
    // Field 3 (state) is fields[0]; utime and stime are fields 14 and 15.
    if (fields.size() < 13)
        return -1;
    const double ticks = double(fields[11].toLongLong() + fields[12].toLongLong());
    return ticks / double(sysconf(_SC_CLK_TCK));
}

qint64 ProcessProbe::rssKiB() const
{
    return statusField("VmRSS:");
}

qint64 ProcessProbe::statusField(const char *name) const
{
    const QByteArray status = readProcFile(m_pid, "status");
    const qsizetype at = status.indexOf(name);
    if (at < 0)
        return -1;
    const qsizetype end = status.indexOf('\n', at);
    const QByteArray value = status.mid(at + qstrlen(name), end - at - qstrlen(name)).trimmed();
    return value.split(' ').value(0).toLongLong();
}

} // namespace PushChat::Bench
