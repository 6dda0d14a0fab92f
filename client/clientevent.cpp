#include "clientevent.h"

namespace PushChat {

QString clientEventTypeName(ClientEvent::Type type)
{
    switch (type) {
    case ClientEvent::Type::RequestSent:
        return QStringLiteral("request");
    case ClientEvent::Type::ResponseEmpty:
        return QStringLiteral("empty");
    case ClientEvent::Type::ResponseMessages:
        return QStringLiteral("response");
    case ClientEvent::Type::FrameOut:
        return QStringLiteral("frame-out");
    case ClientEvent::Type::FrameIn:
        return QStringLiteral("frame-in");
    case ClientEvent::Type::ConnectionOpened:
        return QStringLiteral("connected");
    case ClientEvent::Type::ConnectionClosed:
        return QStringLiteral("closed");
    case ClientEvent::Type::Reconnect:
        return QStringLiteral("reconnect");
    case ClientEvent::Type::Error:
        return QStringLiteral("error");
    case ClientEvent::Type::ModeSwitch:
        return QStringLiteral("mode");
    }
    return {};
}

} // namespace PushChat
