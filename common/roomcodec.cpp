#include "roomcodec.h"

#include "jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <type_traits>

namespace PushChat::JsonCodec {

namespace {

void appendBool(QByteArray &out, bool value)
{
    out.append(value ? "true" : "false");
}

/// The JSON object in `json`; nullopt, with the reason in *error, if it is not one.
std::optional<QJsonObject> parseObject(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (document.isObject())
        return document.object();
    if (error) {
        *error = parseError.error != QJsonParseError::NoError
                     ? QStringLiteral("invalid JSON: %1").arg(parseError.errorString())
                     : QStringLiteral("expected a JSON object");
    }
    return std::nullopt;
}

std::nullopt_t fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

void appendCounters(QByteArray &out, const TransportCounters &counters)
{
    out.append("{\"requests\":");
    appendInteger(out, counters.requests);
    out.append(",\"responses\":");
    appendInteger(out, counters.responses);
    out.append(",\"empty_responses\":");
    appendInteger(out, counters.emptyResponses);
    out.append(",\"frames_in\":");
    appendInteger(out, counters.framesIn);
    out.append(",\"frames_out\":");
    appendInteger(out, counters.framesOut);
    out.append(",\"bytes_in\":");
    appendInteger(out, counters.bytesIn);
    out.append(",\"bytes_out\":");
    appendInteger(out, counters.bytesOut);
    out.append(",\"open_connections\":");
    appendInteger(out, counters.openConnections);
    out.append(",\"parked\":");
    appendInteger(out, counters.parked);
    out.append('}');
}

TransportCounters decodeCounters(const QJsonObject &object)
{
    TransportCounters counters;
    counters.requests = object.value(u"requests").toInteger();
    counters.responses = object.value(u"responses").toInteger();
    counters.emptyResponses = object.value(u"empty_responses").toInteger();
    counters.framesIn = object.value(u"frames_in").toInteger();
    counters.framesOut = object.value(u"frames_out").toInteger();
    counters.bytesIn = object.value(u"bytes_in").toInteger();
    counters.bytesOut = object.value(u"bytes_out").toInteger();
    counters.openConnections = object.value(u"open_connections").toInteger();
    counters.parked = object.value(u"parked").toInteger();
    return counters;
}

} // namespace

QByteArray encodeLimits(const ProtocolLimits &limits)
{
    QByteArray out("{\"max_text_bytes\":");
    appendInteger(out, limits.maxTextBytes);
    out.append(",\"max_nick_chars\":");
    appendInteger(out, limits.maxNickChars);
    out.append(",\"max_body_bytes\":");
    appendInteger(out, limits.maxBodyBytes);
    out.append(",\"max_websocket_message_bytes\":");
    appendInteger(out, limits.maxWebSocketMessageBytes);
    out.append(",\"history\":");
    appendInteger(out, limits.history);
    out.append(",\"max_wait_seconds\":");
    appendInteger(out, limits.maxWaitSeconds);
    out.append(",\"rate_per_second\":").append(QByteArray::number(limits.ratePerSecond));
    out.append(",\"online_timeout_ms\":");
    appendInteger(out, limits.onlineTimeoutMs);
    out.append('}');
    return out;
}

std::optional<ProtocolLimits> decodeLimits(const QJsonObject &object)
{
    ProtocolLimits limits;
    const auto read = [&object](QStringView key, auto *member) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return true;
        if (!value.isDouble())
            return false;
        if constexpr (std::is_same_v<decltype(*member), double &>)
            *member = value.toDouble();
        else
            *member = value.toInteger();
        return true;
    };
    if (!read(u"max_text_bytes", &limits.maxTextBytes) ||
        !read(u"max_nick_chars", &limits.maxNickChars) ||
        !read(u"max_body_bytes", &limits.maxBodyBytes) ||
        !read(u"max_websocket_message_bytes", &limits.maxWebSocketMessageBytes) ||
        !read(u"history", &limits.history) || !read(u"max_wait_seconds", &limits.maxWaitSeconds) ||
        !read(u"rate_per_second", &limits.ratePerSecond) ||
        !read(u"online_timeout_ms", &limits.onlineTimeoutMs))
        return std::nullopt;
    return limits;
}

QByteArray encodeRoomInfo(const RoomInfo &room)
{
    QByteArray out("{\"name\":");
    appendQuoted(out, room.name);
    out.append(",\"protocol\":");
    appendInteger(out, room.protocol);
    out.append(",\"last_seq\":");
    appendInteger(out, room.lastSeq);
    out.append(",\"key_required\":");
    appendBool(out, room.keyRequired);
    out.append(",\"online\":[");
    for (qsizetype i = 0; i < room.online.size(); ++i) {
        const RoomInfo::Member &member = room.online.at(i);
        out.append(i == 0 ? "{\"nick\":" : ",{\"nick\":");
        appendQuoted(out, member.nick);
        out.append(",\"transport\":\"").append(transportName(member.transport).toLatin1());
        out.append("\"}");
    }
    out.append("],\"limits\":").append(encodeLimits(room.limits));
    out.append(",\"now\":");
    appendInteger(out, room.now);
    out.append('}');
    return out;
}

std::optional<RoomInfo> decodeRoomInfo(QByteArrayView json, QString *error)
{
    const std::optional<QJsonObject> object = parseObject(json, error);
    if (!object)
        return std::nullopt;
    const QJsonValue name = object->value(u"name");
    const QJsonValue lastSeq = object->value(u"last_seq");
    const QJsonValue online = object->value(u"online");
    if (!name.isString() || !lastSeq.isDouble() || !online.isArray())
        return fail(error, QStringLiteral("no \"name\", \"last_seq\" or \"online\""));
    RoomInfo room;
    room.name = name.toString();
    room.protocol = object->value(u"protocol").toInt();
    room.lastSeq = lastSeq.toInteger();
    room.keyRequired = object->value(u"key_required").toBool();
    room.now = object->value(u"now").toInteger();
    const std::optional<ProtocolLimits> limits = decodeLimits(object->value(u"limits").toObject());
    if (!limits)
        return fail(error, QStringLiteral("malformed \"limits\""));
    room.limits = *limits;
    for (const QJsonValue &value : online.toArray()) {
        const QJsonObject member = value.toObject();
        const QJsonValue nick = member.value(u"nick");
        if (!nick.isString())
            return fail(error, QStringLiteral("malformed member in \"online\""));
        room.online.append(
            {nick.toString(), transportFromName(member.value(u"transport").toString())
                                  .value_or(Transport::Polling)});
    }
    return room;
}

QByteArray encodeStats(const StatsReport &report)
{
    QByteArray out;
    out.reserve(1024);
    out.append('{');
    for (const StatsBucket bucket : AllStatsBuckets) {
        out.append('"').append(statsBucketName(bucket)).append("\":");
        appendCounters(out, report.stats[bucket]);
        out.append(',');
    }
    out.append("\"uptime_ms\":");
    appendInteger(out, report.uptimeMs);
    out.append(",\"messages\":");
    appendInteger(out, report.messages);
    out.append(",\"retained\":");
    appendInteger(out, report.retained);
    out.append(",\"now\":");
    appendInteger(out, report.now);
    out.append('}');
    return out;
}

std::optional<StatsReport> decodeStats(QByteArrayView json, QString *error)
{
    const std::optional<QJsonObject> object = parseObject(json, error);
    if (!object)
        return std::nullopt;
    StatsReport report;
    for (const StatsBucket bucket : AllStatsBuckets) {
        const QJsonValue counters = object->value(QLatin1String(statsBucketName(bucket)));
        if (!counters.isObject()) {
            return fail(error, QStringLiteral("no \"%1\" counters").arg(statsBucketName(bucket)));
        }
        report.stats[bucket] = decodeCounters(counters.toObject());
    }
    report.uptimeMs = object->value(u"uptime_ms").toInteger();
    report.messages = object->value(u"messages").toInteger();
    report.retained = object->value(u"retained").toInteger();
    report.now = object->value(u"now").toInteger();
    return report;
}

QByteArray encodeCreated(const Created &created)
{
    // Exactly what two timestamps' worth of digits need: a post's answer, on the hot path.
    QByteArray out;
    out.reserve(48);
    out.append("{\"seq\":");
    appendInteger(out, created.seq);
    out.append(",\"ts\":");
    appendInteger(out, created.ts);
    out.append('}');
    return out;
}

std::optional<Created> decodeCreated(QByteArrayView json)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toByteArray()).object();
    const QJsonValue seq = object.value(u"seq");
    const QJsonValue ts = object.value(u"ts");
    if (!seq.isDouble() || !ts.isDouble())
        return std::nullopt;
    return Created{seq.toInteger(), ts.toInteger()};
}

QByteArray encodeHello(const Hello &hello)
{
    QByteArray out("{\"type\":\"hello\",\"room\":");
    appendQuoted(out, hello.room);
    out.append(",\"protocol\":");
    appendInteger(out, hello.protocol);
    out.append(",\"last_seq\":");
    appendInteger(out, hello.lastSeq);
    out.append(",\"gap\":");
    appendBool(out, hello.gap);
    out.append(",\"reset\":");
    appendBool(out, hello.reset);
    out.append(",\"observer\":");
    appendBool(out, hello.observer);
    out.append(",\"now\":");
    appendInteger(out, hello.now);
    out.append('}');
    return out;
}

std::optional<Hello> decodeHello(const QJsonObject &frame)
{
    const QJsonValue lastSeq = frame.value(u"last_seq");
    const QJsonValue now = frame.value(u"now");
    if (frame.value(u"type").toString() != u"hello" || !lastSeq.isDouble() || !now.isDouble())
        return std::nullopt;
    Hello hello;
    hello.room = frame.value(u"room").toString();
    hello.protocol = frame.value(u"protocol").toInt();
    hello.lastSeq = lastSeq.toInteger();
    hello.gap = frame.value(u"gap").toBool();
    hello.reset = frame.value(u"reset").toBool();
    hello.observer = frame.value(u"observer").toBool();
    hello.now = now.toInteger();
    return hello;
}

QByteArray encodeAck(const Ack &ack)
{
    // One per message sent over /ws, on the hot path: no document, one allocation.
    QByteArray out;
    out.reserve(64 + ack.id.size());
    out.append("{\"type\":\"ack\",\"id\":").append(ack.id);
    out.append(",\"seq\":");
    appendInteger(out, ack.created.seq);
    out.append(",\"ts\":");
    appendInteger(out, ack.created.ts);
    out.append('}');
    return out;
}

std::optional<Ack> decodeAck(const QJsonObject &frame)
{
    const QJsonValue seq = frame.value(u"seq");
    const QJsonValue ts = frame.value(u"ts");
    if (frame.value(u"type").toString() != u"ack" || !frame.contains(u"id") || !seq.isDouble() ||
        !ts.isDouble())
        return std::nullopt;
    return Ack{rawMember(frame, u"id"), {seq.toInteger(), ts.toInteger()}};
}

} // namespace PushChat::JsonCodec
