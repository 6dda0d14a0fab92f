#pragma once

#include <QStringList>

namespace PushChat {

/// The addresses others on the network can type to join a room hosted on this machine.
class JoinUrls final
{
public:
    /// "http://ADDRESS:PORT" for every non-loopback IPv4 and global or unique-local IPv6
    /// address of this machine. IPv6 link-local addresses are left out: they only work with
    /// an interface name that differs from machine to machine.
    static QStringList forPort(quint16 port);
    static QString loopback(quint16 port);
};

} // namespace PushChat
