#pragma once

#include "protocol.h"
#include "protocollimits.h"
#include "roominfo.h"
#include "statsreport.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <optional>

/// The room's answers besides messages and pages (docs/PROTOCOL.md): `/api/room` and its
/// limits, `/api/stats`, a post's 201, and the WebSocket hello and ack. Encoders write the
/// bytes directly, as the server sends them; decoders are for clients and tests.
namespace PushChat::JsonCodec {

/// `{"max_text_bytes":…,…,"online_timeout_ms":…}`, the `limits` of /api/room.
QByteArray encodeLimits(const ProtocolLimits &limits);
/// A member that is absent keeps its default (a server that publishes fewer limits).
std::optional<ProtocolLimits> decodeLimits(const QJsonObject &object);

/// `{"name":…,"protocol":1,"last_seq":…,"epoch":"…","key_required":…,"online":[…],"limits":{…},
/// "faults":[{"id":…,"ts":…,"action":…},…],"now":…}`
QByteArray encodeRoomInfo(const RoomInfo &room);
std::optional<RoomInfo> decodeRoomInfo(QByteArrayView json, QString *error = nullptr);

/// `{"polling":{…},"longpoll":{…},"websocket":{…},"other":{…},"uptime_ms":…,…,"now":…}`
QByteArray encodeStats(const StatsReport &report);
std::optional<StatsReport> decodeStats(QByteArrayView json, QString *error = nullptr);

/// Where the room stored a message: the 201 answer to a post, and the body of an ack.
struct Created
{
    qint64 seq = 0;
    qint64 ts = 0;

    friend bool operator==(const Created &, const Created &) = default;
};

/// `{"seq":N,"ts":T}`
QByteArray encodeCreated(const Created &created);
std::optional<Created> decodeCreated(QByteArrayView json);

/// The first frame on /ws.
struct Hello
{
    QString room;
    int protocol = ProtocolVersion;
    qint64 lastSeq = 0;
    bool gap = false;
    bool reset = false;
    bool observer = false;
    qint64 now = 0;
    QString epoch; ///< the history's identity, 16 hex digits (left out when empty)

    friend bool operator==(const Hello &, const Hello &) = default;
};

/// `{"type":"hello","room":…,"protocol":1,"last_seq":L,"epoch":"E","gap":G,"reset":R,"observer":O,"now":T}`
QByteArray encodeHello(const Hello &hello);
std::optional<Hello> decodeHello(const QJsonObject &frame);

/// The answer on /ws to a `send` that carried an id.
struct Ack
{
    QByteArray id; ///< the command's `id` as encodeValue() writes it
    Created created;

    friend bool operator==(const Ack &, const Ack &) = default;
};

/// `{"type":"ack","id":…,"seq":N,"ts":T}`
QByteArray encodeAck(const Ack &ack);
std::optional<Ack> decodeAck(const QJsonObject &frame);

} // namespace PushChat::JsonCodec
