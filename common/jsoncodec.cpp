#include "jsoncodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <cstring>
#include <span>

namespace PushChat::JsonCodec {

namespace {

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

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// A member the one-pass reader looks for: its value goes to `value`, or as written to `raw`.
struct FlatMember
{
    QByteArrayView key;
    CommandValue *value = nullptr;
    QByteArray *raw = nullptr;
};

/// The one-pass reader: false for anything it does not take on (escapes, fractions, literals,
/// nesting, a member in `members` given twice, malformed input), which QJsonDocument then
/// decides. Other members are skipped.
bool readFlatObject(QByteArrayView json, std::span<const FlatMember> members)
{
    Q_ASSERT(members.size() <= 32);
    const char *p = json.data();
    const char *const end = p + json.size();
    auto skipSpace = [&] {
        while (p != end && isJsonSpace(*p))
            ++p;
    };
    auto readPlainString = [&](QByteArrayView *content) {
        if (p == end || *p != '"')
            return false;
        const char *const start = ++p;
        while (p != end && *p != '"') {
            if (static_cast<unsigned char>(*p) < 0x20 || *p == '\\')
                return false;
            ++p;
        }
        if (p == end)
            return false;
        *content = QByteArrayView(start, p - start);
        ++p;
        return true;
    };
    // -?(0|[1-9][0-9]*), not -0, at most 15 digits: exact as a double, and written by
    // encodeValue() exactly as it came.
    auto readSmallInteger = [&] {
        const bool negative = *p == '-';
        if (negative)
            ++p;
        const char *const digits = p;
        while (p != end && *p >= '0' && *p <= '9')
            ++p;
        const qsizetype count = p - digits;
        return count >= 1 && count <= 15 && (digits[0] != '0' || (count == 1 && !negative));
    };

    skipSpace();
    if (p == end || *p != '{')
        return false;
    ++p;
    skipSpace();
    if (p != end && *p == '}') {
        ++p;
    } else {
        unsigned seen = 0;
        for (;;) {
            QByteArrayView key;
            if (!readPlainString(&key))
                return false;
            skipSpace();
            if (p == end || *p != ':')
                return false;
            ++p;
            skipSpace();
            if (p == end)
                return false;
            const char *const valueStart = p;
            QByteArrayView string;
            bool isString = false;
            if (*p == '"') {
                if (!readPlainString(&string))
                    return false;
                isString = true;
            } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
                if (!readSmallInteger())
                    return false;
            } else {
                return false;
            }
            for (size_t i = 0; i < members.size(); ++i) {
                const FlatMember &member = members[i];
                if (key != member.key)
                    continue;
                if (seen & (1u << i))
                    return false; // which one counts is QJsonDocument's to say
                seen |= 1u << i;
                if (CommandValue *value = member.value) {
                    value->kind = isString ? CommandValue::Kind::String : CommandValue::Kind::Other;
                    if (isString)
                        value->string = QString::fromUtf8(string);
                } else if (member.raw) {
                    *member.raw = QByteArrayView(valueStart, p - valueStart).toByteArray();
                }
                break;
            }
            skipSpace();
            if (p == end)
                return false;
            if (*p == '}') {
                ++p;
                break;
            }
            if (*p != ',')
                return false;
            ++p;
            skipSpace();
        }
    }
    skipSpace();
    return p == end;
}

} // namespace

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
                      bool reset)
{
    QByteArray out;
    out.reserve(encodedMessageList.size() + 80);
    out.append(PageHead).append(encodedMessageList);
    appendPageTail(out, lastSeq, gap, now, reset);
    return out;
}

void appendPageTail(QByteArray &out, qint64 lastSeq, bool gap, qint64 now, bool reset)
{
    out.append("],\"last_seq\":");
    appendInteger(out, lastSeq);
    out.append(",\"gap\":").append(gap ? "true" : "false");
    if (reset)
        out.append(",\"reset\":true");
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

namespace {

bool readFlatCommand(QByteArrayView json, ClientCommand *command)
{
    const FlatMember members[] = {{"type", &command->type},
                                  {"text", &command->text},
                                  {"client_id", &command->clientId},
                                  {"id", nullptr, &command->id}};
    return readFlatObject(json, members);
}

bool readFlatPost(QByteArrayView json, PostedMessage *post)
{
    const FlatMember members[] = {
        {"nick", &post->nick}, {"text", &post->text}, {"client_id", &post->clientId}};
    return readFlatObject(json, members);
}

// A member of a QJsonObject as the one-pass reader reports it.
CommandValue commandValue(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    CommandValue member;
    if (value.isString())
        member = {CommandValue::Kind::String, value.toString()};
    else if (!value.isUndefined())
        member.kind = CommandValue::Kind::Other;
    return member;
}

} // namespace

std::optional<ClientCommand> decodeClientCommand(const QByteArray &utf8)
{
    ClientCommand command;
    if (readFlatCommand(utf8, &command))
        return command;
    return decodeClientCommandWithQt(utf8);
}

std::optional<ClientCommand> decodeFlatClientCommand(QByteArrayView utf8)
{
    ClientCommand command;
    if (readFlatCommand(utf8, &command))
        return command;
    return std::nullopt;
}

std::optional<ClientCommand> decodeClientCommandWithQt(const QByteArray &utf8)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    ClientCommand command;
    command.type = commandValue(object, u"type");
    command.text = commandValue(object, u"text");
    command.clientId = commandValue(object, u"client_id");
    const QJsonValue id = object.value(u"id");
    if (!id.isUndefined())
        command.id = encodeValue(id);
    return command;
}

} // namespace PushChat::JsonCodec

namespace PushChat::JsonCodec {

std::optional<PostedMessage> decodePostedMessage(const QByteArray &utf8, QString *error)
{
    PostedMessage post;
    if (readFlatPost(utf8, &post))
        return post;
    return decodePostedMessageWithQt(utf8, error);
}

std::optional<PostedMessage> decodeFlatPostedMessage(QByteArrayView utf8)
{
    PostedMessage post;
    if (readFlatPost(utf8, &post))
        return post;
    return std::nullopt;
}

std::optional<PostedMessage> decodePostedMessageWithQt(const QByteArray &utf8, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error) {
            *error = parseError.error != QJsonParseError::NoError
                         ? QStringLiteral("malformed JSON: %1").arg(parseError.errorString())
                         : QStringLiteral("expected a JSON object");
        }
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    return PostedMessage{commandValue(object, u"nick"), commandValue(object, u"text"),
                         commandValue(object, u"client_id")};
}

} // namespace PushChat::JsonCodec
