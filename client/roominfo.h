#pragma once

#include "protocol.h"

#include <QByteArrayView>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

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
    int protocol = 0;
    qint64 lastSeq = 0;
    bool keyRequired = false;
    QList<Member> online;
    int maxTextBytes = 0;
    int historyLimit = 0;
    double ratePerSecond = 0;
    qint64 now = 0;

    static std::optional<RoomInfo> fromJson(QByteArrayView json, QString *error = nullptr);
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::RoomInfo)
