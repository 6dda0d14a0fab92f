#include "serverhost.h"

#include "epolleventdispatcher.h"
#include "roomserver.h"
#include "serverclock.h"
#include "serverlog.h"

#include <QThread>
#include <QtCore/private/qeventdispatcher_unix_p.h>

namespace PushChat {

ServerHost::ServerHost(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RoomSnapshot>();
    qRegisterMetaType<ServerConfig>();
    qRegisterMetaType<ServerError>();
    qRegisterMetaType<StatsReport>();
    qRegisterMetaType<FaultSettings>();
    qRegisterMetaType<FaultNotice>();
}

ServerHost::~ServerHost()
{
    stopAndWait();
}

void ServerHost::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void ServerHost::start(const ServerConfig &config)
{
    if (m_state != State::Stopped) {
        m_restarting = false;
        emit failed({ServerError::Kind::Other, QStringLiteral("the server is already running")});
        return;
    }
    m_config = config;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("PushChat server"));
    // GLib's dispatcher and Qt's UNIX one both scan every open socket on each wake-up; epoll's
    // cost follows the ready sockets only. PUSHCHAT_EVENT_DISPATCHER=unix brings Qt's back, for
    // before/after benchmarks.
    if (qEnvironmentVariable("PUSHCHAT_EVENT_DISPATCHER") == u"unix")
        m_thread->setEventDispatcher(new QEventDispatcherUNIX);
    else
        m_thread->setEventDispatcher(new EpollEventDispatcher);
    auto *server = new RoomServer(config, m_snapshot);
    server->setRecentFaults(m_recentFaults); // before it runs: still on this thread
    server->moveToThread(m_thread);
    m_server = server;
    connect(m_thread, &QThread::started, server, &RoomServer::start);
    connect(m_thread, &QThread::finished, server, &QObject::deleteLater);
    connect(server, &RoomServer::started, this, [this](quint16 port) {
        m_port = port;
        setState(State::Running);
        if (std::exchange(m_restarting, false))
            emit restarted(port);
        else
            emit started(port);
        // Faults done while the server before it was stopping: this one lists them.
        if (!m_recentFaults.isEmpty())
            announce(m_recentFaults.constLast());
    });
    connect(server, &RoomServer::statsReported, this, &ServerHost::statsReported);
    connect(server, &RoomServer::failed, this, [this](const ServerError &error) {
        m_restarting = false;
        joinThread();
        setState(State::Stopped);
        emit failed(error);
    });
    connect(server, &RoomServer::historyFailed, this, &ServerHost::historyFailed);
    connect(server, &RoomServer::historyCleared, this, &ServerHost::historyCleared);
    connect(server, &RoomServer::stopped, this, [this](const RoomSnapshot &snapshot) {
        m_snapshot = snapshot;
        const quint16 port = m_port;
        joinThread();
        setState(State::Stopped);
        if (m_restarting) {
            ServerConfig config = m_config;
            config.port = port; // the same port, even when the first start picked a free one
            start(config);
            return;
        }
        emit stopped();
    });
    setState(State::Starting);
    m_thread->start();
}

void ServerHost::stop()
{
    if (m_state != State::Starting && m_state != State::Running)
        return;
    setState(State::Stopping);
    QMetaObject::invokeMethod(m_server, &RoomServer::stop, Qt::QueuedConnection);
}

void ServerHost::restart()
{
    if (m_state != State::Running)
        return;
    m_restarting = true;
    stop();
}

void ServerHost::setFaults(const FaultSettings &faults)
{
    m_config.faults = faults;
    if (m_server && m_state != State::Stopped)
        QMetaObject::invokeMethod(
            m_server, [server = m_server.data(), faults] { server->setFaults(faults); },
            Qt::QueuedConnection);
}

void ServerHost::injectFault(const Fault &fault)
{
    const FaultNotice notice{++m_lastFaultId, wallClockMs(), fault};
    m_recentFaults.append(notice);
    if (m_recentFaults.size() > MaxRecentFaults)
        m_recentFaults.removeFirst();
    // Listed first, then done: a client cut by a drop finds it in the room when it is back.
    publishRecentFaults();
    switch (fault.action) {
    case Fault::Action::Drop:
        dropConnections();
        return;
    case Fault::Action::Restart:
        restart();
        return;
    case Fault::Action::Latency:
    case Fault::Action::ProxyTimeout:
    case Fault::Action::Block:
        setFaults(m_config.faults.applied(fault));
        return;
    }
}

void ServerHost::publishRecentFaults()
{
    if (!m_server || (m_state != State::Starting && m_state != State::Running))
        return; // the server a restart makes next gets them from start()
    // The answer comes from the server's thread once it lists them, so whoever fetches the
    // room on faultAnnounced() is sure to see the fault.
    QMetaObject::invokeMethod(
        m_server,
        [this, server = m_server.data(), faults = m_recentFaults] {
            server->setRecentFaults(faults);
            QMetaObject::invokeMethod(
                this, [this, latest = faults.constLast()] { announce(latest); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void ServerHost::announce(const FaultNotice &latest)
{
    if (latest.id <= m_announcedFaultId)
        return;
    m_announcedFaultId = latest.id;
    emit faultAnnounced(latest);
}

void ServerHost::dropConnections()
{
    if (m_server && m_state == State::Running)
        QMetaObject::invokeMethod(m_server, &RoomServer::dropConnections, Qt::QueuedConnection);
}

void ServerHost::clearHistory()
{
    if (m_server && m_state == State::Running)
        QMetaObject::invokeMethod(m_server, &RoomServer::clearHistory, Qt::QueuedConnection);
}

void ServerHost::requestStats()
{
    if (m_server && m_state == State::Running)
        QMetaObject::invokeMethod(m_server, &RoomServer::reportStats, Qt::QueuedConnection);
}

void ServerHost::stopAndWait()
{
    if (!m_thread)
        return;
    if (m_server && m_state != State::Stopped) {
        disconnect(m_server, nullptr, this, nullptr);
        RoomSnapshot snapshot;
        QMetaObject::invokeMethod(
            m_server,
            [server = m_server.data(), &snapshot] {
                QObject::connect(server, &RoomServer::stopped, server,
                                 [&snapshot](const RoomSnapshot &s) { snapshot = s; });
                server->stop();
            },
            Qt::BlockingQueuedConnection);
        m_snapshot = snapshot;
    }
    joinThread();
    if (m_state != State::Stopped) {
        setState(State::Stopped);
        emit stopped();
    }
}

void ServerHost::joinThread()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_port = 0;
}

} // namespace PushChat
