#pragma once

#include "fault.h"
#include "protocol.h"
#include "protocollimits.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace PushChat {

/// The answer to `GET /api/room`.
struct RoomInfo
{
    struct Member
    {
        QString nick;
        /// none: a sender only seen posting, not known to receive ("other" on the wire)
        std::optional<Transport> transport;
        friend bool operator==(const Member &, const Member &) = default;
    };

    QString name;
    int protocol = ProtocolVersion;
    qint64 lastSeq = 0;
    QString epoch; ///< the history's identity, 16 hex digits (docs/PROTOCOL.md)
    bool keyRequired = false;
    QList<Member> online;
    ProtocolLimits limits;
    QList<FaultNotice> faults; ///< the faults done lately, oldest first (empty from older servers)
    qint64 now = 0;            ///< server clock, ms since the epoch

    /// The longest text the room stores, in UTF-8 bytes (count with utf8Length()).
    int maxTextBytes() const { return limits.maxTextBytes; }

    friend bool operator==(const RoomInfo &, const RoomInfo &) = default;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::RoomInfo)
