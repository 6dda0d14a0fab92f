#include "onlinetotals.h"

#include <QCoreApplication>
#include <QLocale>

namespace PushChat::OnlineTotals {

namespace {
QString byTransport(qint64 total, qint64 polling, qint64 longPoll, qint64 webSocket, qint64 other,
                    const char *format)
{
    const QLocale locale;
    return QCoreApplication::translate("OnlineTotals", format)
        .arg(locale.toString(total), locale.toString(polling), locale.toString(longPoll),
             locale.toString(webSocket), locale.toString(other));
}
} // namespace

QString members(const RoomInfo &room)
{
    qint64 counts[4] = {};
    for (const RoomInfo::Member &member : room.online)
        ++counts[member.transport ? int(*member.transport) : 3];
    return byTransport(room.online.size(), counts[0], counts[1], counts[2], counts[3],
                       QT_TRANSLATE_NOOP("OnlineTotals",
                                         "%1 online — %2 polling · %3 long polling · "
                                         "%4 WebSocket · %5 other"));
}

QString connections(const ServerStats &stats)
{
    const qint64 polling = stats[StatsBucket::Polling].openConnections;
    const qint64 longPoll = stats[StatsBucket::LongPoll].openConnections;
    const qint64 webSocket = stats[StatsBucket::WebSocket].openConnections;
    const qint64 other =
        stats[StatsBucket::Other].openConnections + stats[StatsBucket::Monitoring].openConnections;
    return byTransport(polling + longPoll + webSocket + other, polling, longPoll, webSocket, other,
                       QT_TRANSLATE_NOOP("OnlineTotals",
                                         "Connected: %1 — %2 polling · %3 long polling · "
                                         "%4 WebSocket · %5 other"));
}

} // namespace PushChat::OnlineTotals
