#pragma once

#include "chatmessage.h"
#include "commandcodec.h"
#include "roomcodec.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <optional>

/// The wire format of protocol v1 (docs/PROTOCOL.md), every object's encoder and decoder:
/// messages, pages and errors here, what clients send in commandcodec.h, the room's other
/// answers (room, stats, hello, ack, created) in roomcodec.h. Encoding is hand-written so the
/// server can serialise a message once and splice the same bytes into every answer.
namespace PushChat::JsonCodec {

/// Appends `value` in decimal as QByteArray::number() writes it, without a temporary array.
void appendInteger(QByteArray &out, qint64 value);
/// The most bytes writeInteger() writes: 19 digits and a sign.
inline constexpr int MaxIntegerChars = 20;
/// Writes `value` in decimal at `out` (at most MaxIntegerChars bytes); returns the end.
char *writeInteger(char *out, qint64 value);

/// `"…"`: a JSON string literal, UTF-8, with the escapes JSON requires.
QByteArray quote(QStringView text);
/// quote() appended to `out`.
void appendQuoted(QByteArray &out, QStringView text);

/// One JSON value, compact, as QJsonDocument would write it inside an array; strings and
/// whole numbers without building a document.
QByteArray encodeValue(const QJsonValue &value);
/// The member `key` of `object` as encodeValue() writes it; a null array if it is absent.
QByteArray rawMember(const QJsonObject &object, QStringView key);

/// `{"seq":…,"ts":…,"nick":"…","text":"…","kind":"…"}`
QByteArray encodeMessage(const ChatMessage &message);
std::optional<ChatMessage> decodeMessage(const QJsonObject &object);

/// What webSocketMessage() puts before the members of an encoded message, in place of its `{`.
inline constexpr QByteArrayView WebSocketMessagePrefix = "{\"type\":\"message\",";

/// `{"type":"message",…}` made from the output of encodeMessage() without re-encoding; read
/// back with decodeMessage().
QByteArray webSocketMessage(QByteArrayView encodedMessage);

/// `{"messages":[…],"last_seq":L,"epoch":"E","gap":G,"now":T}` from already encoded messages,
/// given as one comma-separated list (the inside of the array); `"reset":true` and
/// `"more":true` only when true. `epoch`: the history's identity (16 hex digits); the member is
/// left out when it is empty.
QByteArray encodePage(QByteArrayView encodedMessageList, qint64 lastSeq, bool gap, qint64 now,
                      bool reset = false, bool more = false, QStringView epoch = {});
/// encodePage() in two halves, for a caller that appends the messages in between itself:
/// PageHead, the comma-separated messages, then appendPageTail().
inline constexpr QByteArrayView PageHead = "{\"messages\":[";
void appendPageTail(QByteArray &out, qint64 lastSeq, bool gap, qint64 now, bool reset = false,
                    bool more = false, QStringView epoch = {});

/// Parses a poll answer; on failure returns nullopt and says why in *error.
std::optional<MessagePage> decodePage(QByteArrayView json, QString *error = nullptr);

/// `{"error":"…"}`, the body of every HTTP error.
QByteArray encodeError(QStringView message);
/// The message of an HTTP error body; nullopt if it has none.
std::optional<QString> decodeError(QByteArrayView json);

/// An error event on /ws: the HTTP status that would have been used, and the `id` of the
/// command it answers as encodeValue() writes it (null if none).
struct WebSocketError
{
    int code = 0;
    QString error;
    QByteArray id;

    friend bool operator==(const WebSocketError &, const WebSocketError &) = default;
};

/// `{"type":"error","code":…,"error":"…"}`, with `,"id":…` before the `}` when `id` (as
/// encodeValue() writes it) is not empty.
QByteArray webSocketError(int code, QStringView message, QByteArrayView id = {});
std::optional<WebSocketError> decodeWebSocketError(const QJsonObject &frame);

} // namespace PushChat::JsonCodec
