#include "roomcodec.h"

#include "jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <type_traits>

namespace PushChat::JsonCodec {

namespace {

/// Appends `prefix`, the member's name (`,"seq":`), and `value`.
void appendField(QByteArray &out, QByteArrayView prefix, qint64 value)
{
    out.append(prefix);
    appendInteger(out, value);
}

/// appendField() for a boolean member.
void appendFlag(QByteArray &out, QByteArrayView prefix, bool value)
{
    out.append(prefix).append(value ? "true" : "false");
}

/// `,"epoch":"…"`, the history's identity; nothing when it is empty.
void appendEpoch(QByteArray &out, QStringView epoch)
{
    if (epoch.isEmpty())
        return;
    out.append(",\"epoch\":");
    appendQuoted(out, epoch);
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

/// The members of a bucket in /api/stats, in the order they are written.
struct CounterField
{
    QLatin1StringView name;
    qint64 TransportCounters::*counter;
};
constexpr CounterField CounterFields[] = {
    {QLatin1StringView("requests"), &TransportCounters::requests},
    {QLatin1StringView("responses"), &TransportCounters::responses},
    {QLatin1StringView("empty_responses"), &TransportCounters::emptyResponses},
    {QLatin1StringView("frames_in"), &TransportCounters::framesIn},
    {QLatin1StringView("frames_out"), &TransportCounters::framesOut},
    {QLatin1StringView("bytes_in"), &TransportCounters::bytesIn},
    {QLatin1StringView("bytes_out"), &TransportCounters::bytesOut},
    {QLatin1StringView("open_connections"), &TransportCounters::openConnections},
    {QLatin1StringView("parked"), &TransportCounters::parked},
    {QLatin1StringView("cpu_ns"), &TransportCounters::cpuNs},
};

void appendCounters(QByteArray &out, const TransportCounters &counters)
{
    char separator = '{';
    for (const CounterField &field : CounterFields) {
        out.append(separator).append('"').append(field.name).append("\":");
        appendInteger(out, counters.*field.counter);
        separator = ',';
    }
    out.append('}');
}

/// `{"id":…,"ts":…,"action":"latency","value":800}`; `value` only for latency and
/// proxy-timeout, `technique` only for a block (none: the block is lifted).
void appendFaultNotice(QByteArray &out, const FaultNotice &notice)
{
    appendField(out, "{\"id\":", notice.id);
    appendField(out, ",\"ts\":", notice.ts);
    out.append(",\"action\":\"").append(faultActionName(notice.fault.action)).append('"');
    switch (notice.fault.action) {
    case Fault::Action::Latency:
    case Fault::Action::ProxyTimeout:
        appendField(out, ",\"value\":", notice.fault.value);
        break;
    case Fault::Action::Block:
        if (notice.fault.technique)
            out.append(",\"technique\":\"")
                .append(transportName(*notice.fault.technique).toLatin1())
                .append('"');
        break;
    case Fault::Action::Drop:
    case Fault::Action::Restart:
        break;
    }
    out.append('}');
}

/// Reads `faults` into *faults. False when it is malformed; entries with an action this
/// client does not know (a newer server's) are left out.
bool decodeFaultNotices(const QJsonValue &value, QList<FaultNotice> *faults)
{
    if (value.isUndefined())
        return true; // a server from before faults were announced
    if (!value.isArray())
        return false;
    for (const QJsonValue entry : value.toArray()) {
        const QJsonObject object = entry.toObject();
        const QJsonValue id = object.value(u"id");
        const QJsonValue ts = object.value(u"ts");
        const QJsonValue action = object.value(u"action");
        const QJsonValue number = object.value(u"value");
        const QJsonValue technique = object.value(u"technique");
        if (!id.isDouble() || !ts.isDouble() || !action.isString() ||
            !(number.isUndefined() || number.isDouble()) ||
            !(technique.isUndefined() || technique.isString()))
            return false;
        FaultNotice notice;
        notice.id = id.toInteger();
        notice.ts = ts.toInteger();
        const std::optional<Fault::Action> known = faultActionFromName(action.toString());
        if (!known)
            continue;
        notice.fault.action = *known;
        notice.fault.value = number.toInt();
        if (!technique.isUndefined()) {
            notice.fault.technique = transportFromName(technique.toString());
            if (!notice.fault.technique)
                continue; // a technique this client does not know
        }
        faults->append(notice);
    }
    return true;
}

TransportCounters decodeCounters(const QJsonObject &object)
{
    TransportCounters counters;
    for (const CounterField &field : CounterFields)
        counters.*field.counter = object.value(field.name).toInteger();
    return counters;
}

} // namespace

QByteArray encodeLimits(const ProtocolLimits &limits)
{
    QByteArray out("{\"max_text_bytes\":");
    appendInteger(out, limits.maxTextBytes);
    appendField(out, ",\"max_nick_chars\":", limits.maxNickChars);
    appendField(out, ",\"max_body_bytes\":", limits.maxBodyBytes);
    appendField(out, ",\"max_websocket_message_bytes\":", limits.maxWebSocketMessageBytes);
    appendField(out, ",\"history\":", limits.history);
    appendField(out, ",\"max_wait_seconds\":", limits.maxWaitSeconds);
    out.append(",\"rate_per_second\":").append(QByteArray::number(limits.ratePerSecond));
    appendField(out, ",\"online_timeout_ms\":", limits.onlineTimeoutMs);
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
    appendField(out, ",\"protocol\":", room.protocol);
    appendField(out, ",\"last_seq\":", room.lastSeq);
    appendEpoch(out, room.epoch);
    appendFlag(out, ",\"key_required\":", room.keyRequired);
    out.append(",\"online\":[");
    for (qsizetype i = 0; i < room.online.size(); ++i) {
        const RoomInfo::Member &member = room.online.at(i);
        out.append(i == 0 ? "{\"nick\":" : ",{\"nick\":");
        appendQuoted(out, member.nick);
        // A sender only seen posting is not known to receive: "other", as the stats call it.
        out.append(",\"transport\":\"")
            .append(member.transport ? transportName(*member.transport).toLatin1() : "other");
        out.append("\"}");
    }
    out.append("],\"limits\":").append(encodeLimits(room.limits));
    out.append(",\"faults\":[");
    for (qsizetype i = 0; i < room.faults.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendFaultNotice(out, room.faults.at(i));
    }
    out.append(']');
    appendField(out, ",\"now\":", room.now);
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
    room.epoch = object->value(u"epoch").toString();
    room.keyRequired = object->value(u"key_required").toBool();
    room.now = object->value(u"now").toInteger();
    const std::optional<ProtocolLimits> limits = decodeLimits(object->value(u"limits").toObject());
    if (!limits)
        return fail(error, QStringLiteral("malformed \"limits\""));
    room.limits = *limits;
    if (!decodeFaultNotices(object->value(u"faults"), &room.faults))
        return fail(error, QStringLiteral("malformed \"faults\""));
    for (const QJsonValue value : online.toArray()) {
        const QJsonObject member = value.toObject();
        const QJsonValue nick = member.value(u"nick");
        if (!nick.isString())
            return fail(error, QStringLiteral("malformed member in \"online\""));
        room.online.append(
            {nick.toString(), transportFromName(member.value(u"transport").toString())});
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
    appendField(out, "\"uptime_ms\":", report.uptimeMs);
    appendField(out, ",\"messages\":", report.messages);
    appendField(out, ",\"retained\":", report.retained);
    appendField(out, ",\"now\":", report.now);
    appendField(out, ",\"server_cpu_ns\":", report.serverCpuNs);
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
    report.serverCpuNs = object->value(u"server_cpu_ns").toInteger();
    return report;
}

QByteArray encodeCreated(const Created &created)
{
    // Exactly what two timestamps' worth of digits need: a post's answer, on the hot path.
    QByteArray out;
    out.reserve(48);
    appendField(out, "{\"seq\":", created.seq);
    appendField(out, ",\"ts\":", created.ts);
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
    appendField(out, ",\"protocol\":", hello.protocol);
    appendField(out, ",\"last_seq\":", hello.lastSeq);
    appendEpoch(out, hello.epoch);
    appendFlag(out, ",\"gap\":", hello.gap);
    appendFlag(out, ",\"reset\":", hello.reset);
    appendFlag(out, ",\"observer\":", hello.observer);
    appendField(out, ",\"now\":", hello.now);
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
    hello.epoch = frame.value(u"epoch").toString();
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
    appendField(out, ",\"seq\":", ack.created.seq);
    appendField(out, ",\"ts\":", ack.created.ts);
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
