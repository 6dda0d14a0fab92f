#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

/// What clients send (docs/PROTOCOL.md): the WebSocket `send` command and the JSON post. The
/// server reads both in one pass when it can; clients write them here.
namespace PushChat::JsonCodec {

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

/// `{"type":"send","text":"…","client_id":"…","id":N}`: what a client sends on /ws.
QByteArray encodeSendCommand(QStringView text, QStringView clientId, qint64 id);

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

/// `{"nick":"…","text":"…","client_id":"…"}`: the body of `POST /api/messages`.
QByteArray encodePost(QStringView nick, QStringView text, QStringView clientId);

/// Reads a post's JSON body (valid UTF-8) as decodeClientCommand() reads a command: in one
/// pass when it can, else through decodePostedMessageWithQt(), with the same result. Nullopt,
/// with the reason in *error, if the body is not one JSON object.
std::optional<PostedMessage> decodePostedMessage(const QByteArray &utf8, QString *error = nullptr);
/// The one-pass reader alone: nullopt for whatever it leaves to QJsonDocument.
std::optional<PostedMessage> decodeFlatPostedMessage(QByteArrayView utf8);
/// The same through QJsonDocument: the reference the one-pass reader must agree with.
std::optional<PostedMessage> decodePostedMessageWithQt(const QByteArray &utf8,
                                                       QString *error = nullptr);

} // namespace PushChat::JsonCodec
