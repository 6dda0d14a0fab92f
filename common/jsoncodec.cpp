#include "jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstring>

namespace PushChat::JsonCodec {

namespace {

std::optional<MessageKind> kindFromName(const QString &name)
{
    if (name == u"chat")
        return MessageKind::Chat;
    if (name == u"join")
        return MessageKind::Join;
    if (name == u"leave")
        return MessageKind::Leave;
    return std::nullopt;
}

} // namespace

void appendQuoted(QByteArray &out, QStringView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    // Runs of bytes that need no escape go in with one append: byte by byte, QByteArray's
    // append cost more than the rest of encoding a message.
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    for (const char *p = run; p != end; ++p) {
        const auto byte = static_cast<unsigned char>(*p);
        if (byte >= 0x20 && byte != '"' && byte != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (byte) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 0xf]};
            out.append(escape, sizeof escape);
        }
        }
    }
    out.append(run, end - run);
    out.append('"');
}

char *writeInteger(char *out, qint64 value)
{
    char digits[20];
    char *const end = digits + sizeof digits;
    char *p = end;
    // The magnitude as unsigned, so the most negative value has one too.
    quint64 magnitude = value < 0 ? 0 - quint64(value) : quint64(value);
    do {
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0)
        *out++ = '-';
    std::memcpy(out, p, size_t(end - p));
    return out + (end - p);
}

void appendInteger(QByteArray &out, qint64 value)
{
    char text[MaxIntegerChars];
    out.append(text, writeInteger(text, value) - text);
}

QByteArray quote(QStringView text)
{
    QByteArray out;
    appendQuoted(out, text);
    return out;
}

QByteArray encodeValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return quote(value.toString());
    case QJsonValue::Double: {
        const double number = value.toDouble();
        constexpr double exactIntegers = 9007199254740992.0; // 2^53
        if (number == std::trunc(number) && std::abs(number) < exactIntegers)
            return QByteArray::number(qint64(number));
        break;
    }
    case QJsonValue::Bool:
        return value.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
    case QJsonValue::Null:
        return QByteArrayLiteral("null");
    default:
        break;
    }
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray rawMember(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    return value.isUndefined() ? QByteArray() : encodeValue(value);
}

QByteArray encodeMessage(const ChatMessage &message)
{
    // Exactly what ASCII text without escapes needs, the common case.
    QByteArray out;
    out.reserve(80 + message.nick.size() + message.text.size());
    out.append("{\"seq\":");
    appendInteger(out, message.seq);
    out.append(",\"ts\":");
    appendInteger(out, message.ts);
    out.append(",\"nick\":");
    appendQuoted(out, message.nick);
    out.append(",\"text\":");
    appendQuoted(out, message.text);
    out.append(",\"kind\":\"").append(messageKindName(message.kind).toLatin1()).append("\"}");
    return out;
}

QByteArray webSocketMessage(QByteArrayView encodedMessage)
{
    Q_ASSERT(encodedMessage.startsWith('{'));
    QByteArray out;
    out.reserve(encodedMessage.size() + WebSocketMessagePrefix.size() - 1);
    out.append(WebSocketMessagePrefix).append(encodedMessage.sliced(1));
    return out;
}

QByteArray encodePage(QByteArrayView encodedMessageList, qint64 lastSeq, bool gap, qint64 now,
                      bool reset, bool more, QStringView epoch)
{
    QByteArray out;
    out.reserve(encodedMessageList.size() + 110);
    out.append(PageHead).append(encodedMessageList);
    appendPageTail(out, lastSeq, gap, now, reset, more, epoch);
    return out;
}

void appendPageTail(QByteArray &out, qint64 lastSeq, bool gap, qint64 now, bool reset, bool more,
                    QStringView epoch)
{
    out.append("],\"last_seq\":");
    appendInteger(out, lastSeq);
    if (!epoch.isEmpty()) {
        out.append(",\"epoch\":");
        appendQuoted(out, epoch);
    }
    out.append(",\"gap\":").append(gap ? "true" : "false");
    if (reset)
        out.append(",\"reset\":true");
    if (more)
        out.append(",\"more\":true");
    out.append(",\"now\":");
    appendInteger(out, now);
    out.append('}');
}

QByteArray encodeError(QStringView message)
{
    QByteArray out("{\"error\":");
    appendQuoted(out, message);
    out.append('}');
    return out;
}

QByteArray webSocketError(int code, QStringView message, QByteArrayView id)
{
    QByteArray out("{\"type\":\"error\",\"code\":");
    out.append(QByteArray::number(code)).append(",\"error\":");
    appendQuoted(out, message);
    if (!id.isEmpty())
        out.append(",\"id\":").append(id);
    out.append('}');
    return out;
}

std::optional<QString> decodeError(QByteArrayView json)
{
    const QJsonValue error = QJsonDocument::fromJson(json.toByteArray()).object().value(u"error");
    if (!error.isString())
        return std::nullopt;
    return error.toString();
}

std::optional<WebSocketError> decodeWebSocketError(const QJsonObject &frame)
{
    const QJsonValue code = frame.value(u"code");
    const QJsonValue error = frame.value(u"error");
    if (frame.value(u"type").toString() != u"error" || !code.isDouble() || !error.isString())
        return std::nullopt;
    return WebSocketError{code.toInt(), error.toString(), rawMember(frame, u"id")};
}

std::optional<ChatMessage> decodeMessage(const QJsonObject &object)
{
    const QJsonValue seq = object.value(u"seq");
    const QJsonValue ts = object.value(u"ts");
    const QJsonValue nick = object.value(u"nick");
    const QJsonValue text = object.value(u"text");
    if (!seq.isDouble() || !ts.isDouble() || !nick.isString() || !text.isString())
        return std::nullopt;
    ChatMessage message;
    message.seq = seq.toInteger();
    message.ts = ts.toInteger();
    message.nick = nick.toString();
    message.text = text.toString();
    if (message.seq < 1)
        return std::nullopt;
    const auto kind = kindFromName(object.value(u"kind").toString(QStringLiteral("chat")));
    if (!kind)
        return std::nullopt;
    message.kind = *kind;
    return message;
}

std::optional<MessagePage> decodePage(QByteArrayView json, QString *error)
{
    auto fail = [error](const QString &why) -> std::optional<MessagePage> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid JSON: %1").arg(parseError.errorString()));
    if (!doc.isObject())
        return fail(QStringLiteral("expected a JSON object"));
    const QJsonObject object = doc.object();
    const QJsonValue messages = object.value(u"messages");
    if (!messages.isArray())
        return fail(QStringLiteral("no \"messages\" array"));
    MessagePage page;
    for (const QJsonValue value : messages.toArray()) {
        const auto message = decodeMessage(value.toObject());
        if (!message)
            return fail(QStringLiteral("malformed message in \"messages\""));
        page.messages.append(*message);
    }
    page.lastSeq = object.value(u"last_seq").toInteger();
    page.gap = object.value(u"gap").toBool();
    page.reset = object.value(u"reset").toBool();
    page.more = object.value(u"more").toBool();
    page.epoch = object.value(u"epoch").toString();
    page.now = object.value(u"now").toInteger();
    return page;
}

} // namespace PushChat::JsonCodec
