#pragma once

#include "chatmessage.h"

#include <QByteArray>
#include <QHash>
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
        QString clientKey;         ///< nick + client_id of a retryable send, or empty
    };

    struct Slice
    {
        QList<QByteArray> json; ///< encoded messages with seq > cursor, ascending
        bool gap = false;       ///< some messages after the cursor were evicted
        bool reset = false;     ///< the cursor is ahead of this history (a restarted server)
    };

    explicit Room(int historyLimit = 10000);

    /// `clientKey` (see clientKey()) makes a retried send find the message it already stored.
    const Entry &append(MessageKind kind, const QString &nick, const QString &text, qint64 ts,
                        const QString &clientKey = {});
    /// The retained message stored with this key, if any.
    const Entry *findByClientKey(const QString &clientKey) const;
    static QString clientKey(const QString &nick, const QString &clientId);

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
    /// seq → client key of retained messages sent with a client_id.
    QHash<qint64, QString> retainedClientKeys() const;
    void restore(const QList<ChatMessage> &messages, qint64 lastSeq,
                 const QHash<qint64, QString> &clientKeys = {});

private:
    void push(const ChatMessage &message, const QString &clientKey);

    int m_historyLimit;
    qint64 m_lastSeq = 0;
    std::deque<Entry> m_entries;
    QHash<QString, qint64> m_seqByClientKey;
};

/// What outlives a server's stop: enough to start again where it left off.
struct RoomSnapshot
{
    QList<ChatMessage> messages;
    qint64 lastSeq = 0;
    QHash<qint64, QString> clientKeys;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::RoomSnapshot)
