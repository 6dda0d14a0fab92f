#include "roominfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace PushChat {

std::optional<RoomInfo> RoomInfo::fromJson(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (!document.isObject()) {
        if (error)
            *error = parseError.errorString();
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    RoomInfo info;
    info.name = object.value(QLatin1String("name")).toString();
    info.protocol = object.value(QLatin1String("protocol")).toInt();
    info.lastSeq = object.value(QLatin1String("last_seq")).toInteger();
    info.keyRequired = object.value(QLatin1String("key_required")).toBool();
    info.now = object.value(QLatin1String("now")).toInteger();
    const QJsonObject limits = object.value(QLatin1String("limits")).toObject();
    info.maxTextBytes = limits.value(QLatin1String("max_text_bytes")).toInt();
    info.historyLimit = limits.value(QLatin1String("history")).toInt();
    info.ratePerSecond = limits.value(QLatin1String("rate_per_second")).toDouble();
    for (const QJsonValue &value : object.value(QLatin1String("online")).toArray()) {
        const QJsonObject member = value.toObject();
        info.online.append(
            {member.value(QLatin1String("nick")).toString(),
             transportFromName(member.value(QLatin1String("transport")).toString())});
    }
    return info;
}

} // namespace PushChat
