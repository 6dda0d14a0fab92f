#include "tcpkeepalive.h"

#include <QStringList>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace PushChat {

bool TcpKeepAlive::applyTo(int descriptor) const
{
    const int on = enabled() ? 1 : 0;
    if (::setsockopt(descriptor, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0)
        return false;
    if (!enabled())
        return true;
    // Keepalive probes only go while nothing is in flight; a peer that died with our data
    // unacknowledged is retransmitted to instead, for up to 15 minutes by default. The user
    // timeout bounds that case by the same time.
    const unsigned userTimeoutMs = unsigned(deadPeerSeconds()) * 1000u;
    return ::setsockopt(descriptor, IPPROTO_TCP, TCP_KEEPIDLE, &idleSeconds, sizeof idleSeconds) ==
               0 &&
           ::setsockopt(descriptor, IPPROTO_TCP, TCP_KEEPINTVL, &intervalSeconds,
                        sizeof intervalSeconds) == 0 &&
           ::setsockopt(descriptor, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes) == 0 &&
           ::setsockopt(descriptor, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeoutMs,
                        sizeof userTimeoutMs) == 0;
}

std::optional<TcpKeepAlive> TcpKeepAlive::parse(const QString &text)
{
    if (text.trimmed() == u"0")
        return TcpKeepAlive{0, 0, 0};
    const QStringList parts = text.split(u',');
    if (parts.size() != 3)
        return std::nullopt;
    int values[3];
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        values[i] = parts.at(i).trimmed().toInt(&ok);
        // The kernel's own bounds: TCP_KEEPIDLE and TCP_KEEPINTVL ≤ 32767 s, TCP_KEEPCNT ≤ 127.
        if (!ok || values[i] < 1 || values[i] > (i == 2 ? 127 : 32767))
            return std::nullopt;
    }
    return TcpKeepAlive{values[0], values[1], values[2]};
}

} // namespace PushChat
