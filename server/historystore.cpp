#include "historystore.h"

#include "serverlog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace PushChat {

namespace {

/// `PRAGMA application_id` of a PushChat history ("PCHT"), so that --store never adds tables to
/// some other program's database.
constexpr qint64 ApplicationId = 0x50434854;
constexpr int SchemaVersion = 1;

QString newConnectionName()
{
    static std::atomic<quint64> counter = 0;
    return QStringLiteral("pushchat-history-%1").arg(++counter);
}

std::optional<MessageKind> kindFromName(const QString &name)
{
    for (const MessageKind kind : {MessageKind::Chat, MessageKind::Join, MessageKind::Leave}) {
        if (name == messageKindName(kind))
            return kind;
    }
    return std::nullopt;
}

bool isLockedError(const QSqlError &error)
{
    // SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file's exclusive lock.
    return error.nativeErrorCode() == u"5" || error.nativeErrorCode() == u"6";
}

} // namespace

HistoryStore::HistoryStore(Sync sync)
    : m_sync(sync)
{}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::fail(const QString &what, const QSqlQuery &query)
{
    const QSqlError error = query.lastError();
    if (isLockedError(error))
        m_errorString = QStringLiteral("%1 is in use by another PushChat server").arg(m_path);
    else
        m_errorString = QStringLiteral("%1: %2 (%3)").arg(m_path, what, error.text());
    return false;
}

bool HistoryStore::fail(const QString &what)
{
    m_errorString = QStringLiteral("%1: %2").arg(m_path, what);
    return false;
}

bool HistoryStore::exec(const QString &statement)
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    return query.exec(statement) || fail(statement, query);
}

std::optional<StoredHistory> HistoryStore::open(const QString &path, int retention)
{
    close();
    m_path = path;
    m_retention = qMax(1, retention);
    m_errorString.clear();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        fail(QStringLiteral("Qt's SQLite driver is missing (Debian: libqt6sql6-sqlite)"));
        return std::nullopt;
    }
    m_connectionName = newConnectionName();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(path);
        // A file locked by another server is an error at once, not after the driver's 5 s.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        if (!db.open()) {
            fail(QStringLiteral("cannot open (%1)").arg(db.lastError().text()));
            db = {};
            QSqlDatabase::removeDatabase(m_connectionName);
            return std::nullopt;
        }
    }
    m_insert = std::make_unique<QSqlQuery>(QSqlDatabase::database(m_connectionName, false));
    std::optional<StoredHistory> history;
    if (setUp())
        history = load();
    if (!history) {
        const QString error = m_errorString;
        close();
        m_errorString = error;
        return std::nullopt;
    }
    qCInfo(lcHistory) << "opened" << path << "epoch" << m_epoch.toString() << "last seq"
                      << m_lastSeq << "loaded" << history->room.messages.size();
    return history;
}

bool HistoryStore::setUp()
{
    // Exclusive locking before the first access: the lock is taken at once and held until
    // close, and WAL needs no shared-memory index.
    if (!exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")))
        return false;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next())
        return fail(QStringLiteral("cannot switch to WAL"), query);
    if (query.value(0).toString() != u"wal")
        return fail(QStringLiteral("SQLite refused WAL mode"));
    if (!exec(m_sync == Sync::Full ? QStringLiteral("PRAGMA synchronous=FULL")
                                   : QStringLiteral("PRAGMA synchronous=NORMAL")))
        return false;

    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    const auto rollback = [this] {
        QSqlQuery(QSqlDatabase::database(m_connectionName, false)).exec(QStringLiteral("ROLLBACK"));
        return false;
    };
    if (!query.exec(QStringLiteral("SELECT (SELECT application_id FROM pragma_application_id), "
                                   "(SELECT user_version FROM pragma_user_version), "
                                   "(SELECT count(*) FROM sqlite_schema)")) ||
        !query.next()) {
        fail(QStringLiteral("cannot read the file's header"), query);
        return rollback();
    }
    const qint64 applicationId = query.value(0).toLongLong();
    const int version = query.value(1).toInt();
    const qint64 objects = query.value(2).toLongLong();
    query.finish();
    if (applicationId != ApplicationId && (applicationId != 0 || objects != 0)) {
        fail(QStringLiteral("not a PushChat history (a database of another program)"));
        return rollback();
    }
    if (version > SchemaVersion) {
        fail(QStringLiteral("written by a newer PushChat (schema %1)").arg(version));
        return rollback();
    }
    if (applicationId == 0) {
        const bool created =
            exec(QStringLiteral("PRAGMA application_id=%1").arg(ApplicationId)) &&
            exec(QStringLiteral("PRAGMA user_version=%1").arg(SchemaVersion)) &&
            exec(QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
                                " WITHOUT ROWID")) &&
            exec(QStringLiteral("CREATE TABLE messages (seq INTEGER PRIMARY KEY, "
                                "ts INTEGER NOT NULL, nick TEXT NOT NULL, text TEXT NOT NULL, "
                                "kind TEXT NOT NULL, client_key TEXT)"));
        if (!created)
            return rollback();
        query.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('epoch', ?), "
                                     "('start_seq', 0)"));
        query.addBindValue(HistoryEpoch::generate().toStorage());
        if (!query.exec()) {
            fail(QStringLiteral("cannot create the history"), query);
            return rollback();
        }
    }
    return exec(QStringLiteral("COMMIT")) || rollback();
}

std::optional<StoredHistory> HistoryStore::load()
{
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    if (!query.exec(QStringLiteral("SELECT (SELECT value FROM meta WHERE key = 'epoch'), "
                                   "(SELECT value FROM meta WHERE key = 'start_seq'), "
                                   "(SELECT max(seq) FROM messages), "
                                   "(SELECT min(seq) FROM messages)")) ||
        !query.next()) {
        fail(QStringLiteral("cannot read the history"), query);
        return std::nullopt;
    }
    m_epoch = HistoryEpoch::fromStorage(query.value(0).toLongLong());
    if (m_epoch.isNull()) {
        fail(QStringLiteral("the history has no epoch"));
        return std::nullopt;
    }
    m_startSeq = query.value(1).toLongLong();
    m_lastSeq = qMax(m_startSeq, query.value(2).toLongLong());
    m_oldestSeq = query.value(3).isNull() ? m_lastSeq + 1 : query.value(3).toLongLong();
    m_commitCount = 0;

    StoredHistory history;
    history.epoch = m_epoch;
    history.room.lastSeq = m_lastSeq;
    history.startSeq = m_startSeq;
    query.prepare(QStringLiteral("SELECT seq, ts, nick, text, kind, client_key FROM messages "
                                 "WHERE seq > ? ORDER BY seq"));
    query.addBindValue(m_lastSeq - m_retention);
    query.setForwardOnly(true);
    if (!query.exec()) {
        fail(QStringLiteral("cannot read the messages"), query);
        return std::nullopt;
    }
    history.room.messages.reserve(qMin<qint64>(m_retention, m_lastSeq - m_oldestSeq + 1));
    while (query.next()) {
        ChatMessage message;
        message.seq = query.value(0).toLongLong();
        message.ts = query.value(1).toLongLong();
        message.nick = query.value(2).toString();
        message.text = query.value(3).toString();
        const std::optional<MessageKind> kind = kindFromName(query.value(4).toString());
        if (!kind) {
            fail(QStringLiteral("message %1 has an unknown kind").arg(message.seq));
            return std::nullopt;
        }
        message.kind = *kind;
        const QString clientKey = query.value(5).toString();
        if (!clientKey.isEmpty())
            history.room.clientKeys.insert(message.seq, clientKey);
        history.room.messages.append(message);
    }
    if (query.lastError().isValid()) {
        fail(QStringLiteral("cannot read the messages"), query);
        return std::nullopt;
    }
    query.finish();

    if (!m_insert->prepare(QStringLiteral("INSERT INTO messages (seq, ts, nick, text, kind, "
                                          "client_key) VALUES (?, ?, ?, ?, ?, ?)"))) {
        fail(QStringLiteral("cannot prepare"), *m_insert);
        return std::nullopt;
    }
    return history;
}

void HistoryStore::close()
{
    if (m_connectionName.isEmpty())
        return;
    m_insert.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

bool HistoryStore::append(const StoredMessages &batch)
{
    if (!isOpen())
        return fail(QStringLiteral("the history is not open"));
    if (batch.isEmpty())
        return true;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (batch.at(i).message.seq != m_lastSeq + 1 + i) {
            return fail(QStringLiteral("seq %1 does not follow %2")
                            .arg(batch.at(i).message.seq)
                            .arg(i == 0 ? m_lastSeq : batch.at(i - 1).message.seq));
        }
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return fail(QStringLiteral("cannot begin (%1)").arg(db.lastError().text()));
    for (const StoredMessage &stored : batch) {
        const ChatMessage &message = stored.message;
        m_insert->bindValue(0, message.seq);
        m_insert->bindValue(1, message.ts);
        // Qt SQL binds a null QString as NULL: a join's empty text must stay text.
        m_insert->bindValue(2, message.nick.isNull() ? QStringLiteral("") : message.nick);
        m_insert->bindValue(3, message.text.isNull() ? QStringLiteral("") : message.text);
        m_insert->bindValue(4, messageKindName(message.kind));
        m_insert->bindValue(5,
                            stored.clientKey.isEmpty() ? QVariant() : QVariant(stored.clientKey));
        if (!m_insert->exec()) {
            fail(QStringLiteral("cannot store message %1").arg(message.seq), *m_insert);
            db.rollback();
            return false;
        }
    }
    const qint64 lastSeq = m_lastSeq;
    const qint64 oldestSeq = m_oldestSeq;
    m_lastSeq = batch.back().message.seq;
    const bool committed =
        prune() &&
        (db.commit() || fail(QStringLiteral("cannot commit (%1)").arg(db.lastError().text())));
    if (!committed) {
        db.rollback();
        m_lastSeq = lastSeq;
        m_oldestSeq = oldestSeq;
        return false;
    }
    ++m_commitCount;
    return true;
}

bool HistoryStore::prune()
{
    // Deleting in steps of an eighth of the history keeps the rows a commit touches few.
    const qint64 slack = qMax(1, m_retention / 8);
    if (m_lastSeq - m_oldestSeq + 1 <= m_retention + slack)
        return true;
    const qint64 keepFrom = m_lastSeq - m_retention + 1;
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("DELETE FROM messages WHERE seq < ?"));
    query.addBindValue(keepFrom);
    if (!query.exec())
        return fail(QStringLiteral("cannot drop old messages"), query);
    m_oldestSeq = keepFrom;
    return true;
}

std::optional<HistoryEpoch> HistoryStore::clear()
{
    if (!isOpen()) {
        fail(QStringLiteral("the history is not open"));
        return std::nullopt;
    }
    const HistoryEpoch epoch = HistoryEpoch::generate();
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        fail(QStringLiteral("cannot begin (%1)").arg(db.lastError().text()));
        return std::nullopt;
    }
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE meta SET value = CASE key WHEN 'epoch' THEN ? ELSE ? END "
                                 "WHERE key IN ('epoch', 'start_seq')"));
    query.addBindValue(epoch.toStorage());
    query.addBindValue(m_lastSeq);
    if (!query.exec() || query.numRowsAffected() != 2 ||
        !query.exec(QStringLiteral("DELETE FROM messages")) || !db.commit()) {
        fail(QStringLiteral("cannot clear the history"), query);
        db.rollback();
        return std::nullopt;
    }
    m_epoch = epoch;
    m_startSeq = m_lastSeq;
    m_oldestSeq = m_lastSeq + 1;
    qCInfo(lcHistory) << "cleared" << m_path << "new epoch" << epoch.toString();
    return epoch;
}

} // namespace PushChat
