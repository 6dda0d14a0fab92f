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

/// `{"error":"…"}`
QByteArray encodeError(QStringView message);

/// `{"type":"error","code":…,"error":"…"}` for WebSocket clients.
QByteArray webSocketError(int code, QStringView message);

std::optional<ChatMessage> decodeMessage(const QJsonObject &object);

/// Parses a poll answer; on failure returns nullopt and says why in *error.
std::optional<MessagePage> decodePage(QByteArrayView json, QString *error = nullptr);

} // namespace PushChat::JsonCodec
