#pragma once

#include "fault.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace PushChat {

class ServerHost;

/// One fault of a script, at its time (or now, from the app's Faults panel).
struct FaultStep : Fault
{
    qint64 atMs = 0; ///< from the script's start

    /// A step to do at once (from the app's Faults panel).
    static FaultStep now(Action action, int value = 0,
                         std::optional<Transport> technique = std::nullopt)
    {
        FaultStep step;
        step.action = action;
        step.value = value;
        step.technique = technique;
        return step;
    }
};

/// The `--fault-script FILE` format (docs/PROTOCOL.md, "Fault scripts"): one step a line,
/// `TIME ACTION [ARGUMENT]`, e.g. `5s drop`, `10s latency 800`, `30s block websocket`,
/// `40s restart`; `#` starts a comment.
namespace FaultScript {

struct Parsed
{
    QList<FaultStep> steps; ///< in time order
    QString error;          ///< "line 3: …"; empty when the script is good
    bool ok() const { return error.isEmpty(); }
};

Parsed parse(const QString &text);
/// Reads and parses a file; a file that cannot be read is an error too.
Parsed load(const QString &path);

} // namespace FaultScript

/// Runs a script's steps against a ServerHost (ServerHost::injectFault()) at their times, from
/// start() on.
class FaultScriptRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultScriptRunner)

public:
    FaultScriptRunner(ServerHost *host, const QList<FaultStep> &steps, QObject *parent = nullptr);

    void start();
    bool isRunning() const { return m_timer.isActive(); }

signals:
    /// A step was applied to the host.
    void stepApplied(const PushChat::FaultStep &step);
    /// Every step was applied.
    void finished();

private:
    void runDueSteps();

    ServerHost *m_host;
    QList<FaultStep> m_steps;
    qsizetype m_next = 0;
    qint64 m_startedMs = 0;
    QTimer m_timer;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::FaultStep)
