#pragma once

#include <QStringList>

namespace PushChat {

/// The addresses others on the network can type to join a room hosted on this machine.
class JoinUrls final
{
public:
    /// "http://ADDRESS:PORT" for every non-loopback IPv4 and global or unique-local IPv6
    /// address of this machine, the IPv4 addresses of the interface with the default route
    /// first (the classroom's network, most likely), then other IPv4, then IPv6. IPv6
    /// link-local addresses are left out: they only work with an interface name that differs
    /// from machine to machine.
    static QStringList forPort(quint16 port);
    /// The same with `preferredInterface` (a name such as "eth0") first.
    static QStringList forPort(quint16 port, const QString &preferredInterface);
    static QString loopback(quint16 port);
};

} // namespace PushChat
