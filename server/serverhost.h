#pragma once

#include "fault.h"
#include "room.h"
#include "serverconfig.h"
#include "servererror.h"
#include "serverstats.h"

#include <QObject>
#include <QPointer>

class QThread;

namespace PushChat {

class RoomServer;

/// Runs a RoomServer in a thread of its own and talks to it only through queued signals.
/// The room's history survives stop() and is handed to the next start().
class ServerHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerHost)

public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    /// Starts the server thread; answers with started() or failed().
    void start(const ServerConfig &config);
    /// Closes every socket, then joins the thread; answers with stopped().
    void stop();
    /// stop() that returns only once the thread is joined (for shutdown).
    void stopAndWait();
    /// Aborts every client connection, keeping the room and the listening socket.
    void dropConnections();
    /// Deletes the room's history (the store file's too); answers with historyCleared() or
    /// historyFailed(). Clients are told to start again (docs/PROTOCOL.md).
    void clearHistory();
    /// Asks the server thread for its counters; they come with statsReported() (queued, a
    /// copy), so an app hosting the room reads them without an HTTP request of its own.
    void requestStats();
    /// The faults the server shows from now on; kept for the next start() and restart().
    void setFaults(const PushChat::FaultSettings &faults);
    FaultSettings faults() const { return m_config.faults; }
    /// Stops the server and starts it again on the same port with the same history; answers
    /// with restarted() (not stopped() and started()) or failed().
    void restart();
    /// Does `fault` to the server now (setFaults(), dropConnections() or restart()) and
    /// announces it to every client: /api/room lists the last MaxRecentFaults faults, kept
    /// across restarts (docs/PROTOCOL.md, "Faults on demand"). faultAnnounced() follows.
    void injectFault(const PushChat::Fault &fault);
    /// The faults /api/room lists, oldest first.
    QList<FaultNotice> recentFaults() const { return m_recentFaults; }
    static constexpr qsizetype MaxRecentFaults = 20;

    State state() const { return m_state; }
    quint16 port() const { return m_port; }
    ServerConfig config() const { return m_config; }

signals:
    void started(quint16 port);
    void failed(const PushChat::ServerError &error);
    void stopped();
    void stateChanged(PushChat::ServerHost::State state);
    /// The history store failed while running (sends are refused) or could not clear.
    void historyFailed(const PushChat::ServerError &error);
    void historyCleared();
    void statsReported(const PushChat::StatsReport &report);
    /// restart() is done: the server listens again on `port`.
    void restarted(quint16 port);
    /// The server lists `notice`, and every fault before it, in /api/room from now on: a
    /// client that fetches the room now sees it. Once per notice; of faults done while a
    /// restart had the server stopped, only the last.
    void faultAnnounced(const PushChat::FaultNotice &notice);

private:
    void setState(State state);
    void joinThread();
    void publishRecentFaults();
    void announce(const FaultNotice &latest);

    ServerConfig m_config;
    RoomSnapshot m_snapshot;
    QThread *m_thread = nullptr;
    QPointer<RoomServer> m_server;
    State m_state = State::Stopped;
    quint16 m_port = 0;
    bool m_restarting = false;
    QList<FaultNotice> m_recentFaults; ///< here, so a restart's new server lists them too
    qint64 m_lastFaultId = 0;
    qint64 m_announcedFaultId = 0; ///< the newest fault a running server was known to list
};

} // namespace PushChat
