#pragma once

#include "protocol.h"

#include <QMetaType>
#include <QString>

namespace PushChat {

/// One entry of the event log, from which the app draws a timeline.
struct ClientEvent
{
    enum class Type {
        RequestSent,      ///< an HTTP request written (bytes = its wire size)
        ResponseEmpty,    ///< a poll answer without message
        ResponseMessages, ///< a poll answer with `count` messages, or a post's 201
        FrameOut,         ///< a WebSocket frame written
        FrameIn,          ///< a WebSocket frame read (`count` messages in it)
        ConnectionOpened, ///< a TCP connection established
        ConnectionClosed,
        Reconnect,  ///< the client scheduled a reconnect (detail: the reason)
        Error,      ///< detail: what went wrong
        ModeSwitch, ///< the client switched to `transport`
    };

    qint64 timeMs = 0; ///< local clock, ms since the epoch
    Type type = Type::RequestSent;
    Transport transport = Transport::Polling;
    int count = 0;
    qint64 bytes = 0;
    QString detail;
};

QString clientEventTypeName(ClientEvent::Type type);

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::ClientEvent)
