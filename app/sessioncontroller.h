#pragma once

#include "chatclient.h"
#include "faultscript.h"
#include "serverhost.h"
#include "sessionrequest.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace PushChat {

class MessageListModel;
class ServerStatsPoller;

/// One session of the app: optionally a hosted room (ServerHost, on its own thread) and
/// always one ChatClient in it. Widgets talk to this object and to the models it owns.
class SessionController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionController)

public:
    enum class Phase { Idle, StartingServer, InRoom, Stopping };
    Q_ENUM(Phase)

    explicit SessionController(QObject *parent = nullptr);
    ~SessionController() override;

    /// Hosts or joins as asked. Answers with entered() or hostFailed().
    void start(const SessionRequest &request);
    /// Leaves the room; when hosting, stops the server too. Ends with left().
    void leave();
    /// Leaves and stops the server thread before returning (for closing the window).
    void shutdown();
    /// Drops the current link and connects again at once.
    void reconnectNow();
    /// Switches to the next mode every `seconds` while in a room (0 stops the tour).
    void setTour(int seconds);
    /// Hosting only: does `step` to the room's server now (its time is ignored). The room
    /// announces it to every client; this one's faultAnnounced() follows at once.
    void injectFault(const FaultStep &step);
    /// Hosting only: runs a fault script from when the room is open (at once if it is).
    void setFaultScript(const QList<FaultStep> &steps);
    /// How often this window's WebSocket pings the server (from its next connection): the
    /// heartbeat that keeps an idle link through a proxy timeout.
    void setHeartbeatSeconds(int seconds);
    int heartbeatSeconds() const { return m_heartbeatSeconds; }
    /// The faults the hosted server shows now.
    FaultSettings faults() const { return m_server->faults(); }

    Phase phase() const { return m_phase; }
    bool isHosting() const;
    SessionRequest request() const { return m_request; }
    /// The room's name as the server reports it (or as asked for, until it answered).
    QString roomName() const;
    /// The SHA-256 fingerprint of the hosted room's certificate ("SHA256:AB:…"), what joiners
    /// check or type; empty without TLS.
    QString tlsFingerprint() const { return m_tlsFingerprint; }
    /// "http://…" (or "https://…") addresses others can join with (hosting only).
    QStringList joinUrls() const { return m_joinUrls; }
    quint16 port() const;
    /// Modes the client has used since entering the room, in the order first used.
    QList<Transport> modesUsed() const { return m_modesUsed; }
    /// "Class 4B — Connected — PushChat"
    QString windowTitle() const;
    /// What the status bar says about the link.
    QString stateText() const;

    /// The client of the current session: a new one each time the room is entered, valid
    /// from entered() until the next start().
    ChatClient *client() const { return m_client; }
    ServerHost *serverHost() const { return m_server; }

    /// Where a hosted room's history is kept: one SQLite file per room name in the user's
    /// data directory (QStandardPaths::AppDataLocation), the name made safe for a file name.
    static QString historyPath(const QString &roomName);
    /// The hosted room's history file; empty when not hosting or kept in memory.
    QString historyFile() const { return m_historyFile; }
    /// Deletes the hosted room's history, for everyone in it (historyCleared() or
    /// historyFailed() answers).
    void clearHistory();
    MessageListModel *messages() const { return m_messages; }
    ServerStatsPoller *statsPoller() const { return m_stats; }

signals:
    void entered();
    /// The room could not be hosted; `error.kind` says why, `error.message` in the server's words.
    void hostFailed(const PushChat::ServerError &error);
    void left(const QString &reason);
    void titleChanged();
    void modesUsedChanged();
    void historyCleared();
    /// The hosted room's history store failed (sends are refused) or could not clear.
    void historyFailed(const PushChat::ServerError &error);
    /// The room announced a fault done to its server at `wallClockMs` (this machine's clock),
    /// hosted or joined: for the timelines' markers. Once per fault.
    void faultAnnounced(qint64 wallClockMs, const PushChat::Fault &fault);

private:
    void enterRoom(const QUrl &url);
    void noteMode(Transport mode);
    void onServerStarted(quint16 port);
    void onServerFailed(const ServerError &error);
    void onServerStopped();
    void startFaultScript();

    SessionRequest m_request;
    Phase m_phase = Phase::Idle;
    ChatClient *m_client = nullptr;
    ServerHost *m_server;
    MessageListModel *m_messages;
    ServerStatsPoller *m_stats;
    QStringList m_joinUrls;
    QString m_historyFile;
    QString m_tlsFingerprint;
    ClientTls m_tls; ///< what this session's clients trust
    QList<Transport> m_modesUsed;
    QTimer m_tourTimer;
    QList<FaultStep> m_faultScript;
    int m_heartbeatSeconds = 20; ///< the client library's default ping interval
    FaultScriptRunner *m_faultRunner = nullptr;
};

} // namespace PushChat
