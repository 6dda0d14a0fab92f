#include "commandcodec.h"

#include "jsoncodec.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <span>

namespace PushChat::JsonCodec {

namespace {

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

QByteArray encodeSendCommand(QStringView text, QStringView clientId, qint64 id)
{
    QByteArray out;
    out.reserve(64 + text.size() + clientId.size());
    out.append("{\"type\":\"send\",\"text\":");
    appendQuoted(out, text);
    out.append(",\"client_id\":");
    appendQuoted(out, clientId);
    out.append(",\"id\":");
    appendInteger(out, id);
    out.append('}');
    return out;
}

QByteArray encodePost(QStringView nick, QStringView text, QStringView clientId)
{
    QByteArray out;
    out.reserve(48 + nick.size() + text.size() + clientId.size());
    out.append("{\"nick\":");
    appendQuoted(out, nick);
    out.append(",\"text\":");
    appendQuoted(out, text);
    out.append(",\"client_id\":");
    appendQuoted(out, clientId);
    out.append('}');
    return out;
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

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The four hex digits after a "\u" at `p`, or -1 when they are not there.
int escapedCodeUnit(const char *p, const char *end)
{
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    int unit = 0;
    for (int i = 2; i < 6; ++i) {
        const int digit = hexDigit(p[i]);
        if (digit < 0)
            return -1;
        unit = unit * 16 + digit;
    }
    return unit;
}

/// What QJsonDocument lets through but RFC 8259 does not, in the strings of `json`: a raw
/// control character (QJsonDocument keeps it) and an escaped surrogate without its other half
/// (QJsonDocument makes it U+FFFD, and the text would be stored changed). Empty when neither
/// occurs; everything else about the JSON is QJsonDocument's to judge.
QString stringContentError(QByteArrayView json)
{
    const char *p = json.data();
    const char *const end = p + json.size();
    bool inString = false;
    while (p != end) {
        const auto byte = static_cast<unsigned char>(*p);
        if (!inString) {
            inString = byte == '"';
            ++p;
            continue;
        }
        if (byte == '"') {
            inString = false;
            ++p;
        } else if (byte < 0x20) {
            return QStringLiteral("malformed JSON: control character U+%1 in a string")
                .arg(int(byte), 4, 16, QLatin1Char('0'));
        } else if (byte != '\\') {
            ++p;
        } else if (p + 1 != end && p[1] == 'u') {
            const int unit = escapedCodeUnit(p, end);
            if (unit < 0)
                return {}; // a malformed escape: QJsonDocument says so
            p += 6;
            if (unit >= 0xdc00 && unit <= 0xdfff)
                return QStringLiteral("bad UTF-8: a lone surrogate \\u%1 in a string")
                    .arg(unit, 4, 16, QLatin1Char('0'));
            if (unit >= 0xd800 && unit <= 0xdbff) {
                const int low = escapedCodeUnit(p, end);
                if (low < 0xdc00 || low > 0xdfff)
                    return QStringLiteral("bad UTF-8: a lone surrogate \\u%1 in a string")
                        .arg(unit, 4, 16, QLatin1Char('0'));
                p += 6;
            }
        } else {
            p += p + 1 != end ? 2 : 1;
        }
    }
    return {};
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
    if (!stringContentError(utf8).isEmpty())
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    ClientCommand command;
    command.type = commandValue(object, u"type");
    command.text = commandValue(object, u"text");
    command.clientId = commandValue(object, u"client_id");
    command.id = rawMember(object, u"id");
    return command;
}

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
    if (const QString contentError = stringContentError(utf8); !contentError.isEmpty()) {
        if (error)
            *error = contentError;
        return std::nullopt;
    }
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
