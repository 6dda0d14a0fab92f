#include "requestdecoding.h"

#include "jsoncodec.h"

#include <QStringDecoder>

#include <algorithm>

namespace PushChat::RequestDecoding {

namespace {

constexpr qint64 MaxCursor = 9007199254740991LL; // 2^53 - 1: exact in every JSON reader
constexpr qsizetype MaxClientIdChars = 64;

std::optional<QString> fromUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// A whole number in [min, max]; nullopt for anything else ("", "1.5", "-1", "1e3", "0x10").
std::optional<qint64> parseInteger(const QByteArray &text, qint64 min, qint64 max)
{
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value < min || value > max)
        return std::nullopt;
    return value;
}

Decoded<ChatPost> jsonPost(const QByteArray &body)
{
    using Kind = JsonCodec::CommandValue::Kind;
    QString error;
    const auto post = JsonCodec::decodePostedMessage(body, &error);
    if (!post)
        return Decoded<ChatPost>::refused(400, error);
    if (post->nick.kind == Kind::Other || post->text.kind == Kind::Other)
        return Decoded<ChatPost>::refused(400,
                                          QStringLiteral("\"nick\" and \"text\" must be strings"));
    if (post->clientId.kind == Kind::Other)
        return Decoded<ChatPost>::refused(400, QStringLiteral("\"client_id\" must be a string"));
    if (!post->nick.isString() || !post->text.isString())
        return Decoded<ChatPost>::refused(
            400,
            QStringLiteral("missing field \"%1\"").arg(post->nick.isString() ? u"text" : u"nick"));
    return {{post->nick.string, post->text.string, post->clientId.string}, 0, {}};
}

Decoded<ChatPost> formPost(const QByteArray &body)
{
    QueryItems form;
    if (!Http::parseQuery(body, &form))
        return Decoded<ChatPost>::refused(400, QStringLiteral("malformed form body"));
    const QByteArray nickBytes = queryValue(form, "nick");
    const QByteArray textBytes = queryValue(form, "text");
    const QByteArray clientIdBytes = queryValue(form, "client_id");
    ChatPost post;
    for (auto [bytes, field] :
         {std::pair{&nickBytes, &post.nick}, std::pair{&textBytes, &post.text},
          std::pair{&clientIdBytes, &post.clientId}}) {
        if (bytes->isNull())
            continue;
        const std::optional<QString> decoded = fromUtf8(*bytes);
        if (!decoded)
            return Decoded<ChatPost>::refused(400, QStringLiteral("form field is not valid UTF-8"));
        *field = *decoded;
    }
    if (nickBytes.isNull() || textBytes.isNull())
        return Decoded<ChatPost>::refused(
            400,
            QStringLiteral("missing field \"%1\"").arg(nickBytes.isNull() ? u"nick" : u"text"));
    return {std::move(post), 0, {}};
}

} // namespace

QByteArray queryValue(const QueryItems &items, QByteArrayView key)
{
    for (const auto &[name, value] : items) {
        if (name == key)
            return value.isNull() ? QByteArray("") : value;
    }
    return {};
}

Decoded<QueryItems> query(QByteArrayView queryString)
{
    Decoded<QueryItems> decoded;
    if (!Http::parseQuery(queryString, &decoded.value))
        return Decoded<QueryItems>::refused(400, QStringLiteral("malformed query string"));
    return decoded;
}

Decoded<qint64> cursor(const QueryItems &query)
{
    const QByteArray text = queryValue(query, "after");
    if (text.isNull())
        return {0, 0, {}};
    if (const auto after = parseInteger(text, 0, MaxCursor))
        return {*after, 0, {}};
    return Decoded<qint64>::refused(400, QStringLiteral("\"after\" must be a whole number >= 0"));
}

Decoded<qint64> waitSeconds(const QueryItems &query, int maxSeconds)
{
    const QByteArray text = queryValue(query, "wait");
    if (text.isNull())
        return {0, 0, {}};
    if (const auto wait = parseInteger(text, 1, maxSeconds))
        return {*wait, 0, {}};
    return Decoded<qint64>::refused(
        400,
        QStringLiteral("\"wait\" must be a whole number of seconds from 1 to %1").arg(maxSeconds));
}

Decoded<HistoryEpoch> epoch(const QueryItems &query)
{
    const QByteArray text = queryValue(query, "epoch");
    if (text.isNull())
        return {};
    if (const auto epoch = HistoryEpoch::fromString(QString::fromLatin1(text)))
        return {*epoch, 0, {}};
    return Decoded<HistoryEpoch>::refused(
        400, QStringLiteral("\"epoch\" must be 16 hex digits, as a page or hello gave it"));
}

Decoded<QString> nick(const QueryItems &query, int maxNickChars)
{
    const QByteArray bytes = queryValue(query, "nick");
    if (bytes.isNull())
        return {};
    const std::optional<QString> nick = fromUtf8(bytes);
    if (!nick)
        return Decoded<QString>::refused(400, QStringLiteral("nick is not valid UTF-8"));
    if (const QString error = nickError(*nick, maxNickChars); !error.isEmpty())
        return Decoded<QString>::refused(400, error);
    return {nick->trimmed(), 0, {}};
}

Decoded<Subscription> subscription(const QueryItems &query, int maxNickChars, int maxWaitSeconds)
{
    const Decoded<qint64> after = cursor(query);
    if (!after.ok())
        return Decoded<Subscription>::refused(after.status, after.error);
    const Decoded<qint64> wait =
        maxWaitSeconds > 0 ? waitSeconds(query, maxWaitSeconds) : Decoded<qint64>{};
    if (!wait.ok())
        return Decoded<Subscription>::refused(wait.status, wait.error);
    Decoded<QString> reader = nick(query, maxNickChars);
    if (!reader.ok())
        return Decoded<Subscription>::refused(reader.status, reader.error);
    const Decoded<HistoryEpoch> history = epoch(query);
    if (!history.ok())
        return Decoded<Subscription>::refused(history.status, history.error);
    return {{after.value, wait.value, std::move(reader.value), history.value}, 0, {}};
}

std::optional<Transport> via(const QueryItems &query)
{
    const QByteArray via = queryValue(query, "via");
    if (via == "longpoll")
        return Transport::LongPoll;
    if (via == "polling")
        return Transport::Polling;
    return std::nullopt;
}

Decoded<ChatPost> post(const Http::Request &request)
{
    if (!fromUtf8(request.body))
        return Decoded<ChatPost>::refused(400, QStringLiteral("body is not valid UTF-8"));
    const QByteArray contentType =
        request.header("content-type").split(';').first().trimmed().toLower();
    if (contentType == "application/json" ||
        (contentType.isEmpty() && request.body.trimmed().startsWith('{')))
        return jsonPost(request.body);
    if (contentType == "application/x-www-form-urlencoded" || contentType.isEmpty())
        return formPost(request.body);
    return Decoded<ChatPost>::refused(
        415, QStringLiteral("send application/json or application/x-www-form-urlencoded"));
}

Decoded<ChatPost> compatPost(const Http::Request &request, const QueryItems &query)
{
    QueryItems form;
    if (!Http::parseQuery(request.body, &form))
        return Decoded<ChatPost>::refused(400, QStringLiteral("malformed form body"));
    const QByteArray msg = queryValue(form, "msg");
    const QByteArray formNick = queryValue(form, "nick");
    const QByteArray nickBytes = formNick.isNull() ? queryValue(query, "nick") : formNick;
    if (msg.isNull())
        return Decoded<ChatPost>::refused(400, QStringLiteral("missing form field \"msg\""));
    const std::optional<QString> text = fromUtf8(msg);
    const std::optional<QString> nick =
        nickBytes.isNull() ? std::optional(QStringLiteral("guest")) : fromUtf8(nickBytes);
    if (!text || !nick)
        return Decoded<ChatPost>::refused(400, QStringLiteral("form field is not valid UTF-8"));
    return {{*nick, *text, QString()}, 0, {}};
}

Decoded<qint64> compatCursor(const Http::Request &request, const QueryItems &query, qint64 lastSeq)
{
    QueryItems form;
    if (!Http::parseQuery(request.body, &form))
        return Decoded<qint64>::refused(400, QStringLiteral("malformed form body"));
    QByteArray text = queryValue(form, "cursor");
    if (text.isNull())
        text = queryValue(query, "cursor");
    if (text.isEmpty())
        return {lastSeq, 0, {}};
    if (const auto cursor = parseInteger(text, 0, MaxCursor))
        return {*cursor, 0, {}};
    return Decoded<qint64>::refused(400, QStringLiteral("\"cursor\" must be a whole number"));
}

QString nickError(const QString &nick, int maxNickChars)
{
    const QString trimmed = nick.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("nick is empty");
    qsizetype characters = 0;
    for (const char32_t ch : trimmed.toUcs4()) {
        ++characters;
        const auto category = QChar::category(ch);
        if (category == QChar::Other_Control || category == QChar::Separator_Line ||
            category == QChar::Separator_Paragraph)
            return QStringLiteral("nick contains a control character");
    }
    if (characters > maxNickChars)
        return QStringLiteral("nick longer than %1 characters").arg(maxNickChars);
    return {};
}

QString chatError(const ChatPost &post, int maxNickChars, int maxTextBytes)
{
    if (post.nick.isEmpty())
        return QStringLiteral("\"nick\" is required to send");
    if (QString error = nickError(post.nick, maxNickChars); !error.isEmpty())
        return error;
    if (post.text.isEmpty())
        return QStringLiteral("\"text\" is empty");
    if (post.text.toUtf8().size() > maxTextBytes)
        return QStringLiteral("\"text\" longer than %1 bytes").arg(maxTextBytes);
    const QString &clientId = post.clientId;
    if (clientId.size() > MaxClientIdChars ||
        std::any_of(clientId.cbegin(), clientId.cend(), [](QChar c) { return c.unicode() < 0x20; }))
        return QStringLiteral("\"client_id\" must be 1 to 64 characters without control "
                              "characters");
    return {};
}

} // namespace PushChat::RequestDecoding
