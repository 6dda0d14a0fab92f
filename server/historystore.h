#pragma once

#include "historyepoch.h"
#include "room.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>

class QSqlQuery;

namespace PushChat {

/// One message on its way to disk, with the key that lets a retried send find it again.
struct StoredMessage
{
    ChatMessage message;
    QString clientKey; ///< Room::clientKey(nick, client_id), or empty

    friend bool operator==(const StoredMessage &, const StoredMessage &) = default;
};
using StoredMessages = QList<StoredMessage>;

/// A history as a store holds it: what a Room needs to go on where the last run stopped.
struct StoredHistory
{
    HistoryEpoch epoch;
    /// The retained tail (at most the retention given to open()), the last seq, and the client
    /// keys of that tail: the same window in which Room de-duplicates a retried send.
    RoomSnapshot room;
    /// This history's messages have seqs above it: 0, or the last seq when the history was
    /// cleared. A reset client whose first message is above startSeq + 1 missed evicted
    /// messages (a gap); one whose first message is startSeq + 1 missed nothing.
    qint64 startSeq = 0;
};

/// A room's history in an SQLite file (Qt SQL's QSQLITE driver), in WAL mode.
///
/// Synchronous and bound to the thread that opens it, as a Qt SQL connection is: the server
/// reaches it through HistoryJournal, which runs it on a thread of its own. The file is locked
/// while open (SQLite's exclusive locking mode), so two servers never write one history.
class HistoryStore
{
    Q_DISABLE_COPY_MOVE(HistoryStore)

public:
    /// How a commit reaches the disk (SQLite's `PRAGMA synchronous` under WAL).
    enum class Sync {
        /// The WAL is synced only at checkpoints: a commit survives the process being killed,
        /// not a power cut or a kernel crash.
        Normal,
        /// Each commit syncs the WAL before it returns: survives a power cut too.
        Full,
    };

    explicit HistoryStore(Sync sync = Sync::Full);
    ~HistoryStore();

    /// Opens the history at `path`, creating the file and a new epoch if there is none.
    /// `retention`: how many of the newest messages are loaded and kept on disk (the room's
    /// history limit). nullopt on failure, with errorString().
    std::optional<StoredHistory> open(const QString &path, int retention);
    void close();
    bool isOpen() const { return bool(m_insert); }

    /// Stores the batch in one transaction. The seqs must go on from lastSeq() one by one.
    /// False: nothing of the batch is stored (errorString() says why).
    bool append(const StoredMessages &batch);
    /// Deletes every message and gives the history a new epoch. Seq goes on counting from
    /// lastSeq() (the new startSeq()), so a client that knows no epochs never mistakes the new
    /// history for the old.
    std::optional<HistoryEpoch> clear();

    HistoryEpoch epoch() const { return m_epoch; }
    qint64 lastSeq() const { return m_lastSeq; }
    qint64 startSeq() const { return m_startSeq; }
    /// Transactions committed by append() since open(): group commit is measured with it.
    quint64 commitCount() const { return m_commitCount; }
    QString path() const { return m_path; }
    QString errorString() const { return m_errorString; }

private:
    bool fail(const QString &what, const QSqlQuery &query);
    bool fail(const QString &what);
    bool exec(const QString &statement);
    bool setUp();
    std::optional<StoredHistory> load();
    bool prune();

    Sync m_sync;
    QString m_connectionName;
    QString m_path;
    int m_retention = 1;
    HistoryEpoch m_epoch;
    qint64 m_lastSeq = 0;
    qint64 m_startSeq = 0;
    qint64 m_oldestSeq = 1; ///< the oldest message on disk; m_lastSeq + 1 when there is none
    quint64 m_commitCount = 0;
    QString m_errorString;
    std::unique_ptr<QSqlQuery> m_insert; ///< prepared once; set while open
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::StoredMessage)
Q_DECLARE_METATYPE(PushChat::StoredHistory)
