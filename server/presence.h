#pragma once

#include "protocol.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace PushChat {

/// Who is online: a nick seen by a poll within the timeout, or with a WebSocket open.
class Presence
{
public:
    struct Member
    {
        QString nick;
        /// How it receives; none for a sender only seen posting without saying (curl, the
        /// tutorial's form): listed as "other" (docs/PROTOCOL.md).
        std::optional<Transport> transport;
        qint64 expiresAtMs = 0;
        int openWebSockets = 0;
    };

    explicit Presence(qint64 timeoutMs = 30000);

    /// A poll or a post from `nick`; without a transport (a post that does not say how its
    /// sender receives) a known member keeps its transport and a new one has none.
    /// Returns true when the nick has just come online.
    bool touch(const QString &nick, std::optional<Transport> transport, qint64 nowMs);
    /// Returns true when the nick has just come online.
    bool webSocketOpened(const QString &nick, qint64 nowMs);
    /// The nick stays online for `graceMs` more, so a client switching mode does not "leave".
    void webSocketClosed(const QString &nick, qint64 nowMs, qint64 graceMs);
    /// Removes and returns the nicks whose time ran out, in a stable order.
    QStringList expire(qint64 nowMs);
    /// When expire() will next have someone to remove: the earliest deadline of a member with
    /// no WebSocket open, or no value.
    std::optional<qint64> nextExpiryMs() const;
    /// When `nick` will expire unless seen again: no value while it has a WebSocket open or
    /// is not online.
    std::optional<qint64> expiryOf(const QString &nick) const;

    QList<Member> members() const;
    bool isOnline(const QString &nick) const { return m_members.contains(nick); }
    void clear() { m_members.clear(); }

private:
    qint64 m_timeoutMs;
    QHash<QString, Member> m_members;
};

} // namespace PushChat
