#pragma once

#include "clienttls.h"

#include "serverstats.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace PushChat {

class ServerHost;

/// Reads the hosted server's live counters once a second, for the host panel and the server
/// cost panel: in-process, by a queued call to the server's thread answered with a copy
/// (ServerHost::requestStats()), not by HTTP, so watching the server costs its transports
/// nothing and shows in no bucket.
class ServerStatsPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerStatsPoller)

public:
    using Snapshot = StatsReport;

    explicit ServerStatsPoller(QObject *parent = nullptr);
    ~ServerStatsPoller() override;

    void start(ServerHost *host);
    void stop();
    void setInterval(int ms) { m_timer.setInterval(ms); }

    bool hasSnapshot() const { return m_hasSnapshot; }
    Snapshot snapshot() const { return m_snapshot; }

signals:
    void updated();

private:
    void poll();
    void take(const StatsReport &report);

    QPointer<ServerHost> m_host;
    QTimer m_timer;
    Snapshot m_snapshot;
    bool m_hasSnapshot = false;
};

} // namespace PushChat
