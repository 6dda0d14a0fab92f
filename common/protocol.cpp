#include "protocol.h"

namespace PushChat {

QString transportName(Transport transport)
{
    switch (transport) {
    case Transport::Polling:
        return QStringLiteral("polling");
    case Transport::LongPoll:
        return QStringLiteral("longpoll");
    case Transport::WebSocket:
        return QStringLiteral("websocket");
    }
    return {};
}

std::optional<Transport> transportFromName(QStringView name)
{
    if (name == u"polling" || name == u"poll")
        return Transport::Polling;
    if (name == u"longpoll" || name == u"long-poll")
        return Transport::LongPoll;
    if (name == u"websocket" || name == u"ws")
        return Transport::WebSocket;
    return std::nullopt;
}

} // namespace PushChat
