#pragma once

#include "fault.h"
#include "protocol.h"

#include <QMetaType>

#include <optional>

namespace PushChat {

/// The faults a room server is told to show (docs/PROTOCOL.md, "Faults on demand"). A value
/// type: it crosses threads by copy, from the app or a fault script to the server's thread.
struct FaultSettings
{
    static constexpr int MaxAddedLatencyMs = 2000;
    static constexpr int MinProxyTimeoutSeconds = 1;
    static constexpr int MaxProxyTimeoutSeconds = 120;

    /// Every answer and WebSocket frame the server sends waits this long first (0 … 2000).
    int addedLatencyMs = 0;
    /// 0: none. Otherwise requests held longer are answered (a long poll, empty) and WebSockets
    /// silent that long are cut, as a proxy would (1 … 120).
    int proxyTimeoutSeconds = 0;
    /// The technique a network in between refuses (WebSocket upgrades, long polls or polls).
    std::optional<Transport> blocked;

    /// These settings with `fault` applied (Drop and Restart leave them as they are).
    FaultSettings applied(const Fault &fault) const
    {
        FaultSettings settings = *this;
        switch (fault.action) {
        case Fault::Action::Latency:
            settings.addedLatencyMs = fault.value;
            break;
        case Fault::Action::ProxyTimeout:
            settings.proxyTimeoutSeconds = fault.value;
            break;
        case Fault::Action::Block:
            settings.blocked = fault.technique;
            break;
        case Fault::Action::Drop:
        case Fault::Action::Restart:
            break;
        }
        return settings;
    }

    bool operator==(const FaultSettings &) const = default;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::FaultSettings)
