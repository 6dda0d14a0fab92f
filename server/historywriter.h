#pragma once

#include "historystore.h"

#include <QObject>

namespace PushChat {

/// Runs a HistoryStore on a thread of its own, for HistoryJournal: batches come in by queued
/// calls, and every batch queued while a commit was syncing goes into the next transaction, so
/// a slow disk makes the transactions larger, not the server slower.
class HistoryWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWriter)

public:
    explicit HistoryWriter(HistoryStore::Sync sync, QObject *parent = nullptr);
    ~HistoryWriter() override;

    // Both run on the writer's thread (the journal calls them with a blocking queued call).
    std::optional<StoredHistory> open(const QString &path, int retention, QString *error);
    /// Commits what is queued, then closes the file.
    void close();

public slots:
    void append(const PushChat::StoredMessages &batch);
    /// After whatever was appended before it is committed.
    void clear();

signals:
    /// Every message up to `lastSeq` is committed; `commitCount`: HistoryStore::commitCount().
    void durable(qint64 lastSeq, quint64 commitCount);
    /// A commit failed: nothing after the last durable seq is stored, and the writer stores
    /// nothing more (a later batch would leave a hole in the seqs).
    void failed(const QString &error);
    void cleared(PushChat::HistoryEpoch epoch, qint64 startSeq);
    /// The history is as it was (SQLite rolled the deletion back); appending goes on.
    void clearFailed(const QString &error);

private:
    void commitQueued();

    HistoryStore m_store;
    StoredMessages m_queued;
    bool m_commitPosted = false;
    bool m_failed = false;
};

} // namespace PushChat
