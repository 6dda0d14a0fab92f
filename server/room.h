#pragma once

#include "chatmessage.h"
#include "historyepoch.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMetaType>

#include <deque>

namespace PushChat {

/// How much one answer carries at most (docs/PROTOCOL.md, "The page"): whichever bound
/// comes first, counted over the messages' frames, and always at least one message. A
/// client that asks for the whole history gets it in pages, one request each, so no answer
/// makes the server hold more than about a mebibyte for one client.
struct PageBound
{
    qsizetype messages = 1000;
    qsizetype bytes = 1024 * 1024;
};

/// The history of one room: sequence numbers and the retained messages, each encoded once.
class Room
{
public:
    /// A stored message keeps one encoding, its WebSocket frame; poll answers take the same
    /// bytes (a history of 10,000 messages is half the memory it would be with two copies).
    struct Entry
    {
        qint64 seq = 0;
        qint64 ts = 0;
        QByteArray webSocketFrame; ///< a complete text frame: {"type":"message",…}
        QString clientKey;         ///< nick + client_id of a retryable send, or empty

        /// The message object as poll answers carry it: {"seq":…,…}.
        QByteArray json() const;
        void appendJson(QByteArray &out) const;
    };

    struct Slice
    {
        QList<const Entry *> entries; ///< the messages with seq > cursor, ascending
        bool gap = false;             ///< some messages after the cursor were evicted
        bool reset = false;           ///< the cursor is from another history (or ahead of this one)
        bool more = false; ///< cut at the page's bound: messages after the last entry follow
        QString epoch;     ///< the room's history identity, for the page

        /// `{"messages":[…],"last_seq":…,…}`, the poll answer, built in one buffer: a burst's
        /// pages run to hundreds of kilobytes, and each copy costs page faults.
        QByteArray page(qint64 lastSeq, qint64 now) const;
        /// `[…]`: the messages alone, as the tutorial's /update-message answers.
        QByteArray array() const;

    private:
        qsizetype messagesSizeBound() const;
        void appendMessages(QByteArray &out) const;
    };

    explicit Room(int historyLimit = 10000);

    /// `clientKey` (see clientKey()) makes a retried send find the message it already stored.
    const Entry &append(MessageKind kind, const QString &nick, const QString &text, qint64 ts,
                        const QString &clientKey = {});
    /// A message whose seq was given by the history journal: it must be lastSeq() + 1.
    const Entry &append(const ChatMessage &message, const QString &clientKey);
    /// The retained message stored with this key, if any.
    const Entry *findByClientKey(const QString &clientKey) const;
    static QString clientKey(const QString &nick, const QString &clientId);

    qint64 lastSeq() const { return m_lastSeq; }
    HistoryEpoch epoch() const { return m_epoch; }
    /// HistoryEpoch::toString() of epoch(), made once.
    const QString &epochText() const { return m_epochText; }
    /// This history's messages have seqs above it (see StoredHistory::startSeq).
    qint64 startSeq() const { return m_startSeq; }
    /// The oldest retained seq; lastSeq() + 1 when nothing is retained.
    qint64 firstRetainedSeq() const;
    qsizetype retainedCount() const { return qsizetype(m_entries.size()); }
    int historyLimit() const { return m_historyLimit; }

    /// The retained messages after the cursor, up to `bound` (Slice::more says whether it cut);
    /// from the oldest, with `reset`, when the cursor is from another history: ahead of this
    /// one, or given with another `epoch` (a null epoch, from a client that sent none, is taken
    /// as this history's).
    Slice after(qint64 cursor, HistoryEpoch epoch = {}, PageBound bound = {}) const;

    /// Retained messages, for carrying the history over a stop and start.
    QList<ChatMessage> retainedMessages() const;
    /// seq → client key of retained messages sent with a client_id.
    QHash<qint64, QString> retainedClientKeys() const;
    void restore(const QList<ChatMessage> &messages, qint64 lastSeq,
                 const QHash<qint64, QString> &clientKeys = {});
    /// Names the history: its identity and the seq its messages come after.
    void setHistory(HistoryEpoch epoch, qint64 startSeq);
    /// Forgets every message: a new history `epoch` whose seqs go on after lastSeq().
    void clear(HistoryEpoch epoch);

private:
    void push(const ChatMessage &message, const QString &clientKey);

    int m_historyLimit;
    qint64 m_lastSeq = 0;
    qint64 m_startSeq = 0;
    HistoryEpoch m_epoch;
    QString m_epochText;
    std::deque<Entry> m_entries;
    QHash<QString, qint64> m_seqByClientKey;
};

/// What outlives a server's stop: enough to start again where it left off.
struct RoomSnapshot
{
    QList<ChatMessage> messages;
    qint64 lastSeq = 0;
    QHash<qint64, QString> clientKeys;
    HistoryEpoch epoch; ///< null: a new history
    qint64 startSeq = 0;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::RoomSnapshot)
