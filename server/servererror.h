#pragma once

#include <QAbstractSocket>
#include <QMetaType>
#include <QString>

namespace PushChat {

/// Why a room server could not start, as a kind to decide by and a message to show.
/// A value type: it crosses from the server thread by copy.
struct ServerError
{
    enum class Kind {
        AddressInUse,        ///< another program listens on the port
        AccessDenied,        ///< e.g. a port below 1024 without the rights for it
        AddressNotAvailable, ///< the bind address is not one of this computer's
        Other,
    };

    Kind kind = Kind::Other;
    QString message;

    /// The kind that matches a failed QTcpServer::listen().
    static Kind kindOf(QAbstractSocket::SocketError error);
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::ServerError)
