#pragma once

#include <QString>

#include <optional>

namespace PushChat {

/// TCP keepalive for accepted connections: a peer that vanished without closing (a laptop
/// shut, Wi-Fi gone) is noticed by the kernel, which then ends the connection, instead of
/// holding it open until the next write. Without it a quiet keep-alive connection or parked
/// long poll of a dead peer lasts until its own timeout.
struct TcpKeepAlive
{
    int idleSeconds = 20;    ///< quiet time before the first probe; 0 turns keepalive off
    int intervalSeconds = 5; ///< between unanswered probes
    int probes = 4;          ///< unanswered probes before the connection is ended

    bool enabled() const { return idleSeconds > 0; }
    /// At most this long after a peer's last sign of life its connection ends.
    int deadPeerSeconds() const { return idleSeconds + intervalSeconds * probes; }
    /// Sets SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, and TCP_USER_TIMEOUT so
    /// that data the peer never acknowledges ends the connection in the same time. Returns
    /// false (errno set) if the kernel refused one of them.
    bool applyTo(int descriptor) const;

    /// "IDLE,INTERVAL,PROBES" (seconds, seconds, count), or "0" for off; nullopt if malformed.
    static std::optional<TcpKeepAlive> parse(const QString &text);
};

} // namespace PushChat
