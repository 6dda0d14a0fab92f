#pragma once

#include "protocol.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace PushChat {

/// A fault done to a room's server on demand (docs/PROTOCOL.md, "Faults on demand"): what a
/// fault script's step or the app's Faults panel does, and what `faults` in /api/room lists.
/// Kept as data, so each viewer words it in the language of the moment (label()).
struct Fault
{
    enum class Action {
        Drop,         ///< drop every connection
        Latency,      ///< `value` ms added to everything the server sends; 0 turns it off
        ProxyTimeout, ///< `value` s; 0 turns it off
        Block,        ///< refuse `technique`; none lifts the block
        Restart,      ///< stop and start on the same port, history kept
    };

    Action action = Action::Drop;
    int value = 0;
    std::optional<Transport> technique;

    /// What a timeline marker says, e.g. "latency 800 ms", translated now.
    QString label() const;

    friend bool operator==(const Fault &, const Fault &) = default;
};

/// "drop", "latency", "proxy-timeout", "block", "restart": the names of fault scripts and of
/// `action` on the wire.
QLatin1StringView faultActionName(Fault::Action action);
std::optional<Fault::Action> faultActionFromName(QStringView name);

/// One fault as the room announces it in /api/room: numbered, with the server's time.
struct FaultNotice
{
    qint64 id = 0; ///< increasing for as long as the server's host runs, restarts included
    qint64 ts = 0; ///< server clock, ms since the epoch
    Fault fault;

    friend bool operator==(const FaultNotice &, const FaultNotice &) = default;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::Fault)
Q_DECLARE_METATYPE(PushChat::FaultNotice)
