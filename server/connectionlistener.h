#pragma once

#include <QList>
#include <QTcpServer>

#include <unistd.h>

namespace PushChat {

/// A QTcpServer that hands out accepted descriptors instead of QTcpSockets: an HTTP connection
/// reads its requests from the descriptor itself (see HttpConnection) and makes a QTcpSocket
/// only when it needs one. newConnection() is emitted for every accepted descriptor.
class ConnectionListener final : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;
    ~ConnectionListener() override
    {
        for (const qintptr descriptor : std::as_const(m_pending))
            ::close(int(descriptor));
    }

    /// Accepted descriptors not yet taken, oldest first; the caller owns them.
    QList<qintptr> takeDescriptors() { return std::exchange(m_pending, {}); }

protected:
    void incomingConnection(qintptr descriptor) override { m_pending.append(descriptor); }

private:
    QList<qintptr> m_pending;
};

} // namespace PushChat
