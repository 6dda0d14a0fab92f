#pragma once

#include <QMetaType>
#include <QString>

namespace PushChat {

/// A message typed by the user, from send() until the server stored it or refused it.
struct OutboxEntry
{
    enum class Status {
        Queued,   ///< waiting for a link
        InFlight, ///< handed to the transport; queued again if the link breaks
        Accepted, ///< stored by the server as `seq`
        Failed,   ///< refused by the server (see `error`); never resent
    };

    qint64 id = 0; ///< local, 1, 2, 3 …
    /// Sent with every attempt: the server stores a retried send once (PROTOCOL.md).
    QString clientId;
    QString text;
    Status status = Status::Queued;
    qint64 seq = 0;
    QString error;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::OutboxEntry)
