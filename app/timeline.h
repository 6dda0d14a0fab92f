#pragma once

#include "clientevent.h"
#include "fault.h"
#include "protocol.h"

#include <QList>
#include <QString>

namespace PushChat {

/// What the timeline draws, worked out from the client's event log: HTTP requests as bars
/// from send to response, WebSocket frames as ticks, reconnects and mode switches as markers.
/// Kept apart from the widget so it can be tested without painting.
class Timeline final
{
public:
    struct Bar
    {
        enum class Kind {
            Empty,    ///< a poll answered with nothing new
            Messages, ///< a poll answered with `count` messages
            Post,     ///< sending a message (or another request)
            Pending,  ///< still waiting for its answer (a parked long poll)
            Aborted,  ///< the connection went away before an answer came (a failure)
            Switched, ///< ended by a mode switch (tour or manual): no failure
        };
        Transport lane = Transport::Polling;
        qint64 startMs = 0;
        qint64 endMs = 0;
        Kind kind = Kind::Empty;
        int count = 0;
    };
    struct Tick
    {
        Transport lane = Transport::WebSocket;
        qint64 timeMs = 0;
        bool outgoing = false;
        bool control = false; ///< ping, pong or close: no chat data
        int count = 0;
    };
    struct Marker
    {
        enum class Kind {
            Reconnect,
            Error,
            ModeSwitch,
            Fault, ///< something done to every client (e.g. "restart"): `fault`
        };
        Transport lane = Transport::Polling; ///< Fault: drawn across every lane
        qint64 timeMs = 0;
        Kind kind = Kind::Reconnect;
        QString detail;
        Fault fault; ///< Fault only: kept as data, worded when drawn (label())

        /// What the marker says: a fault's label in the language of the moment, or `detail`.
        QString label() const { return kind == Kind::Fault ? fault.label() : detail; }
    };

    /// Pairs requests with their answers. `events` oldest first, as EventLog gives them.
    static Timeline build(const QList<ClientEvent> &events, qint64 nowMs);

    QList<Bar> bars;
    QList<Tick> ticks;
    QList<Marker> markers;
};

} // namespace PushChat
