#include "chatmessage.h"

namespace PushChat {

QString messageKindName(MessageKind kind)
{
    switch (kind) {
    case MessageKind::Chat:
        return QStringLiteral("chat");
    case MessageKind::Join:
        return QStringLiteral("join");
    case MessageKind::Leave:
        return QStringLiteral("leave");
    }
    return {};
}

} // namespace PushChat
