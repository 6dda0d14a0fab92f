#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace PushChat {

enum class MessageKind { Chat, Join, Leave };

QString messageKindName(MessageKind kind);

/// One message of a room, as stored by the server and seen by every client.
struct ChatMessage
{
    qint64 seq = 0; ///< 1, 2, 3 … per room, never reused
    qint64 ts = 0;  ///< server clock, ms since the epoch
    QString nick;
    QString text;
    MessageKind kind = MessageKind::Chat;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

/// The answer to a poll: messages after the cursor, the room's last seq, whether some were missed.
struct MessagePage
{
    QList<ChatMessage> messages;
    qint64 lastSeq = 0;
    bool gap = false;
    bool reset = false; ///< the cursor was from another history: drop it and start again
    bool more = false;  ///< the page was cut at its bound: ask again after its last message now
    QString epoch;      ///< the history's identity, 16 hex digits; empty if the server sent none
    qint64 now = 0;     ///< server clock when the answer was made
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::ChatMessage)
Q_DECLARE_METATYPE(PushChat::MessagePage)
