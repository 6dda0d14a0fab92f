#pragma once

#include "chatmessage.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <optional>

/// The wire format of protocol v1 (docs/PROTOCOL.md). Encoding is hand-written so the
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

/// One JSON value, compact, as QJsonDocument would write it inside an array; strings and
/// whole numbers without building a document.
QByteArray encodeValue(const QJsonValue &value);

/// `{"seq":…,"ts":…,"nick":"…","text":"…","kind":"…"}`
QByteArray encodeMessage(const ChatMessage &message);

/// What webSocketMessage() puts before the members of an encoded message, in place of its `{`.
inline constexpr QByteArrayView WebSocketMessagePrefix = "{\"type\":\"message\",";

/// `{"type":"message",…}` made from the output of encodeMessage() without re-encoding.
QByteArray webSocketMessage(QByteArrayView encodedMessage);

/// `{"messages":[…],"last_seq":L,"gap":G,"now":T}` from already encoded messages, given as
/// one comma-separated list (the inside of the array).
QByteArray encodePage(QByteArrayView encodedMessageList, qint64 lastSeq, bool gap, qint64 now,
                      bool reset = false);
/// encodePage() in two halves, for a caller that appends the messages in between itself:
/// PageHead, the comma-separated messages, then appendPageTail().
inline constexpr QByteArrayView PageHead = "{\"messages\":[";
void appendPageTail(QByteArray &out, qint64 lastSeq, bool gap, qint64 now, bool reset = false);

/// `{"error":"…"}`
QByteArray encodeError(QStringView message);

/// `{"type":"error","code":…,"error":"…"}` for WebSocket clients.
QByteArray webSocketError(int code, QStringView message);

std::optional<ChatMessage> decodeMessage(const QJsonObject &object);

/// A member of a client's command: absent, a string, or any other JSON value.
struct CommandValue
{
    enum class Kind { Absent, String, Other };
    Kind kind = Kind::Absent;
    QString string; ///< when a String

    bool isString() const { return kind == Kind::String; }
    friend bool operator==(const CommandValue &, const CommandValue &) = default;
};

/// The members the server reads from a WebSocket client's `{"type":"send",…}`.
struct ClientCommand
{
    CommandValue type;
    CommandValue text;
    CommandValue clientId;
    QByteArray id; ///< the `id` member as encodeValue() writes it, for the echo; null if absent

    friend bool operator==(const ClientCommand &, const ClientCommand &) = default;
};

/// Reads a client's command from a WebSocket text frame (valid UTF-8); nullopt if it is not
/// one JSON object. A flat object of strings without escapes and small whole numbers, nearly
/// every command, is read in one pass; anything else goes to decodeClientCommandWithQt(),
/// which gives the same result for every input.
std::optional<ClientCommand> decodeClientCommand(const QByteArray &utf8);
/// The one-pass reader alone: nullopt for whatever it leaves to QJsonDocument.
std::optional<ClientCommand> decodeFlatClientCommand(QByteArrayView utf8);
/// The same through QJsonDocument: the reference the one-pass reader must agree with.
std::optional<ClientCommand> decodeClientCommandWithQt(const QByteArray &utf8);

/// The members the server reads from a JSON post, `{"nick":…,"text":…,"client_id":…}`.
struct PostedMessage
{
    CommandValue nick;
    CommandValue text;
    CommandValue clientId;

    friend bool operator==(const PostedMessage &, const PostedMessage &) = default;
};

/// Reads a post's JSON body (valid UTF-8) as decodeClientCommand() reads a command: in one
/// pass when it can, else through decodePostedMessageWithQt(), with the same result. Nullopt,
/// with the reason in *error, if the body is not one JSON object.
std::optional<PostedMessage> decodePostedMessage(const QByteArray &utf8, QString *error = nullptr);
/// The one-pass reader alone: nullopt for whatever it leaves to QJsonDocument.
std::optional<PostedMessage> decodeFlatPostedMessage(QByteArrayView utf8);
/// The same through QJsonDocument: the reference the one-pass reader must agree with.
std::optional<PostedMessage> decodePostedMessageWithQt(const QByteArray &utf8,
                                                       QString *error = nullptr);

/// Parses a poll answer; on failure returns nullopt and says why in *error.
std::optional<MessagePage> decodePage(QByteArrayView json, QString *error = nullptr);

} // namespace PushChat::JsonCodec
