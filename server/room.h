#pragma once

#include "chatmessage.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

#include <deque>

namespace PushChat {

/// The history of one room: sequence numbers and the retained messages, each encoded once.
class Room
{
public:
    struct Entry
    {
        ChatMessage message;
        QByteArray json;           ///< the message object, as in poll answers
        QByteArray webSocketFrame; ///< a complete text frame: {"type":"message",…}
    };

    struct Slice
    {
        QList<QByteArray> json; ///< encoded messages with seq > cursor, ascending
        bool gap = false;       ///< some messages after the cursor were evicted
        bool reset = false;     ///< the cursor is ahead of this history (a restarted server)
    };

    explicit Room(int historyLimit = 10000);

    const Entry &append(MessageKind kind, const QString &nick, const QString &text, qint64 ts);

    qint64 lastSeq() const { return m_lastSeq; }
    /// The oldest retained seq; lastSeq() + 1 when nothing is retained.
    qint64 firstRetainedSeq() const;
    qsizetype retainedCount() const { return qsizetype(m_entries.size()); }
    int historyLimit() const { return m_historyLimit; }

    Slice after(qint64 cursor) const;
    /// The entries after the cursor (clamped to what is retained), for WebSocket replay.
    QList<const Entry *> entriesAfter(qint64 cursor) const;

    /// Retained messages, for carrying the history over a stop and start.
    QList<ChatMessage> retainedMessages() const;
    void restore(const QList<ChatMessage> &messages, qint64 lastSeq);

private:
    void push(const ChatMessage &message);

    int m_historyLimit;
    qint64 m_lastSeq = 0;
    std::deque<Entry> m_entries;
};

/// What outlives a server's stop: enough to start again where it left off.
struct RoomSnapshot
{
    QList<ChatMessage> messages;
    qint64 lastSeq = 0;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::RoomSnapshot)
