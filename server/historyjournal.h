#pragma once

#include "historystore.h"

#include <QHash>
#include <QObject>
#include <QThread>

#include <deque>
#include <memory>

namespace PushChat {

class HistoryWriter;

/// The server thread's side of durable history. The chat core gives each message to submit(),
/// which assigns its seq; once durable() names it, the core stores it in the Room, acks it,
/// wakes the long polls and broadcasts it, in seq order. Nothing is acked or shown before.
///
/// With a file (open()) the store runs on a thread of its own (HistoryWriter), and the messages
/// submitted in one pass of the server's event loop go to it as one batch, committed in one
/// transaction (group commit). Without one (openInMemory()) a message is durable at the end of
/// the pass it was submitted in, through the same signals.
class HistoryJournal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryJournal)

public:
    explicit HistoryJournal(QObject *parent = nullptr);
    /// Commits what was submitted, then joins the writer's thread.
    ~HistoryJournal() override;

    /// Opens (or creates) the history file on a new writer thread and waits for its contents:
    /// a server cannot answer anyone before it knows its history. nullopt: errorString().
    /// A journal is opened once (by open() or openInMemory()), for one run of a server.
    std::optional<StoredHistory> open(const QString &path, int retention,
                                      HistoryStore::Sync sync = HistoryStore::Sync::Full);
    /// No file: the history lives as long as the process. `epoch` is the history's identity
    /// (HistoryEpoch::generate() for a new one; the old one when a host restarts its server
    /// with the history it kept in memory); seq goes on after `lastSeq`.
    void openInMemory(HistoryEpoch epoch, qint64 lastSeq);

    bool isOpen() const { return m_open; }
    bool isPersistent() const { return bool(m_writer); }
    HistoryEpoch epoch() const { return m_epoch; }
    QString errorString() const { return m_errorString; }
    bool hasFailed() const { return m_failed; }

    /// Assigns `message` the next seq (its own seq is ignored) and queues it for the store.
    /// Returns the seq, or 0 when the journal has failed (the message was not taken). The seq
    /// is final: the store refuses anything but the next one, so seqs stay consecutive.
    qint64 submit(const ChatMessage &message, const QString &clientKey = {});
    /// The submitted message stored with this key that is not durable yet, if any: a retry of
    /// the same send waits for it rather than storing it twice.
    const StoredMessage *findPending(const QString &clientKey) const;
    /// Submitted, not durable yet: a server can refuse sends while a stalled disk lets this grow.
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }

    qint64 submittedSeq() const { return m_submittedSeq; }
    qint64 durableSeq() const { return m_durableSeq; }
    /// Transactions the store committed for appends since open() (0 in memory).
    quint64 commitCount() const { return m_commitCount; }

    /// After every message submitted so far is durable, deletes the history and gives it a new
    /// epoch (cleared()); seq goes on counting. In memory, durable() for what was pending and
    /// cleared() come before this returns.
    void clear();

signals:
    /// These messages, ascending and following those of the previous durable(), are durable.
    void durable(const PushChat::StoredMessages &messages);
    /// The store failed: `lost` were submitted but never stored; submit() refuses from now on.
    void failed(const QString &error, const PushChat::StoredMessages &lost);
    /// The new history's messages will have seqs above `startSeq` (see StoredHistory).
    void cleared(PushChat::HistoryEpoch epoch, qint64 startSeq);
    /// "Clear history" did not happen; the history goes on as it was.
    void clearFailed(const QString &error);

private:
    /// Sends this pass's messages to the writer (in memory: makes them durable).
    void handOver();
    void onDurable(qint64 lastSeq, quint64 commitCount);
    void onWriterFailed(const QString &error);
    void closeWriter();

    HistoryEpoch m_epoch;
    QThread m_thread;
    std::unique_ptr<HistoryWriter> m_writer;
    StoredMessages m_batch;              ///< submitted in this pass, not yet handed over
    std::deque<StoredMessage> m_pending; ///< submitted, not yet durable (m_batch included)
    QHash<QString, qint64> m_pendingSeqByClientKey;
    qint64 m_submittedSeq = 0;
    qint64 m_durableSeq = 0;
    quint64 m_commitCount = 0;
    bool m_open = false;
    bool m_handOverPosted = false;
    bool m_failed = false;
    QString m_errorString;
};

} // namespace PushChat
