#include "jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace PushChat::JsonCodec {

namespace {

void appendQuoted(QByteArray &out, QStringView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (byte) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (byte < 0x20) {
                out.append("\\u00");
                out.append(hex[byte >> 4]);
                out.append(hex[byte & 0xf]);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

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

QByteArray quote(QStringView text)
{
    QByteArray out;
    appendQuoted(out, text);
    return out;
}

QByteArray encodeMessage(const ChatMessage &message)
{
    QByteArray out;
    out.reserve(64 + message.text.size() * 3 + message.nick.size() * 3);
    out.append("{\"seq\":").append(QByteArray::number(message.seq));
    out.append(",\"ts\":").append(QByteArray::number(message.ts));
    out.append(",\"nick\":");
    appendQuoted(out, message.nick);
    out.append(",\"text\":");
    appendQuoted(out, message.text);
    out.append(",\"kind\":\"").append(messageKindName(message.kind).toLatin1()).append("\"}");
    return out;
}

QByteArray webSocketMessage(const QByteArray &encodedMessage)
{
    Q_ASSERT(encodedMessage.startsWith('{'));
    QByteArray out;
    out.reserve(encodedMessage.size() + 17);
    out.append("{\"type\":\"message\",").append(QByteArrayView(encodedMessage).sliced(1));
    return out;
}

QByteArray encodePage(const QList<QByteArray> &encodedMessages, qint64 lastSeq, bool gap,
                      qint64 now, bool reset)
{
    qsizetype size = 80;
    for (const QByteArray &m : encodedMessages)
        size += m.size() + 1;
    QByteArray out;
    out.reserve(size);
    out.append("{\"messages\":[");
    for (qsizetype i = 0; i < encodedMessages.size(); ++i) {
        if (i)
            out.append(',');
        out.append(encodedMessages.at(i));
    }
    out.append("],\"last_seq\":").append(QByteArray::number(lastSeq));
    out.append(",\"gap\":").append(gap ? "true" : "false");
    if (reset)
        out.append(",\"reset\":true");
    out.append(",\"now\":").append(QByteArray::number(now)).append('}');
    return out;
}

QByteArray encodeError(QStringView message)
{
    QByteArray out("{\"error\":");
    appendQuoted(out, message);
    out.append('}');
    return out;
}

QByteArray webSocketError(int code, QStringView message)
{
    QByteArray out("{\"type\":\"error\",\"code\":");
    out.append(QByteArray::number(code)).append(",\"error\":");
    appendQuoted(out, message);
    out.append('}');
    return out;
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
    for (const QJsonValue &value : messages.toArray()) {
        const auto message = decodeMessage(value.toObject());
        if (!message)
            return fail(QStringLiteral("malformed message in \"messages\""));
        page.messages.append(*message);
    }
    page.lastSeq = object.value(u"last_seq").toInteger();
    page.gap = object.value(u"gap").toBool();
    page.reset = object.value(u"reset").toBool();
    page.now = object.value(u"now").toInteger();
    return page;
}

} // namespace PushChat::JsonCodec
