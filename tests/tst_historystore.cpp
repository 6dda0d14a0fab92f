// HistoryStore, HistoryWriter and HistoryJournal on real files, with a writer process killed by
// SIGKILL. Over 500 lines because each durability promise (reopen, retention, seq checks, clear,
// group commit, crash, full disk) is its own test and they share one fixture.

#include "historyjournal.h"
#include "historystore.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace PushChat;

namespace {

StoredMessage makeMessage(qint64 seq, MessageKind kind = MessageKind::Chat,
                          const QString &clientId = {})
{
    StoredMessage stored;
    stored.message.seq = seq;
    stored.message.ts = 1764100000000 + seq;
    stored.message.nick = QStringLiteral("ålice");
    stored.message.text = kind == MessageKind::Chat
                              ? QStringLiteral("message %1 — ✓ \"quoted\" 'and' \\").arg(seq)
                              : QString();
    stored.message.kind = kind;
    stored.clientKey = Room::clientKey(stored.message.nick, clientId);
    return stored;
}

StoredMessages makeBatch(qint64 firstSeq, int count)
{
    StoredMessages batch;
    for (int i = 0; i < count; ++i) {
        const qint64 seq = firstSeq + i;
        batch.append(makeMessage(seq, MessageKind::Chat,
                                 seq % 2 ? QStringLiteral("id-%1").arg(seq) : QString()));
    }
    return batch;
}

QList<ChatMessage> messagesOf(const StoredMessages &batch)
{
    QList<ChatMessage> messages;
    for (const StoredMessage &stored : batch)
        messages.append(stored.message);
    return messages;
}

QHash<qint64, QString> clientKeysOf(const StoredMessages &batch)
{
    QHash<qint64, QString> keys;
    for (const StoredMessage &stored : batch) {
        if (!stored.clientKey.isEmpty())
            keys.insert(stored.message.seq, stored.clientKey);
    }
    return keys;
}

ChatMessage chat(const QString &text)
{
    ChatMessage message;
    message.ts = 1764100000000;
    message.nick = QStringLiteral("bob");
    message.text = text;
    return message;
}

/// Every seq from the first retained one to lastSeq present once, in order.
bool consecutive(const StoredHistory &history, qint64 firstSeq)
{
    qint64 expected = firstSeq;
    for (const ChatMessage &message : history.room.messages) {
        if (message.seq != expected++)
            return false;
    }
    return expected == history.room.lastSeq + 1;
}

/// historystore-crashwriter's report, read as it comes.
struct WriterOutput
{
    std::optional<HistoryEpoch> epoch;
    qint64 openedAt = -1;
    qint64 durable = 0;
    bool backwards = false;
    QByteArray failure; ///< "LOST ERROR" once the store failed
    QByteArray unexpected;
    QByteArray buffered;

    void read(QProcess &process)
    {
        buffered += process.readAllStandardOutput();
        qsizetype end;
        while ((end = buffered.indexOf('\n')) >= 0) {
            const QByteArray line = buffered.left(end);
            buffered.remove(0, end + 1);
            const QList<QByteArray> words = line.split(' ');
            if (words.value(0) == "open" && words.size() == 3) {
                epoch = HistoryEpoch::fromString(QString::fromLatin1(words.at(1)));
                openedAt = words.at(2).toLongLong();
            } else if (words.value(0) == "durable") {
                const qint64 seq = words.value(1).toLongLong();
                backwards = backwards || seq <= durable;
                durable = seq;
            } else if (words.value(0) == "failed") {
                failure = line.mid(7);
            } else {
                unexpected += line + '\n';
            }
        }
    }
};

} // namespace

class tst_HistoryStore : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void epochText_data();
    void epochText();
    void epochIsRandomAndRoundTrips();

    void createsAnEmptyHistory();
    void reopenFindsEverything();
    void loadsAndKeepsTheRetainedTail();
    void refusesASeqThatDoesNotFollow_data();
    void refusesASeqThatDoesNotFollow();
    void clearChoosesANewEpochAndSeqGoesOn();
    void aSecondServerCannotOpenTheSameFile();
    void refusesFilesThatAreNotHistories_data();
    void refusesFilesThatAreNotHistories();

    void journalCommitsOnePassInOneTransaction();
    void journalShowsNothingBeforeItIsDurable();
    void journalCommitsWhatWasSubmittedWhenDestroyed();
    void journalClearsBetweenWhatCameBeforeAndAfter_data();
    void journalClearsBetweenWhatCameBeforeAndAfter();
    void journalInMemory();

    void killedWriterLosesNothingItReportedDurable();
    void aFullDiskStopsTheStoreWithoutAHole();

private:
    QString path(const QString &name = QStringLiteral("room.sqlite")) const
    {
        return m_dir->filePath(name);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_HistoryStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_HistoryStore::epochText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addRow("16 hex digits") << QStringLiteral("0123456789abcdef") << true;
    QTest::addRow("high bit set") << QStringLiteral("ffffffffffffffff") << true;
    QTest::addRow("null epoch") << QStringLiteral("0000000000000000") << false;
    QTest::addRow("upper case") << QStringLiteral("0123456789ABCDEF") << false;
    QTest::addRow("too short") << QStringLiteral("123456789abcdef") << false;
    QTest::addRow("too long") << QStringLiteral("0123456789abcdef0") << false;
    QTest::addRow("sign") << QStringLiteral("+123456789abcdef") << false;
    QTest::addRow("0x prefix") << QStringLiteral("0x3456789abcdef0") << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_HistoryStore::epochText()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const std::optional<HistoryEpoch> epoch = HistoryEpoch::fromString(text);
    QCOMPARE(epoch.has_value(), valid);
    if (valid)
        QCOMPARE(epoch->toString(), text);
}

void tst_HistoryStore::epochIsRandomAndRoundTrips()
{
    const HistoryEpoch first = HistoryEpoch::generate();
    const HistoryEpoch second = HistoryEpoch::generate();
    QVERIFY(!first.isNull());
    QVERIFY(HistoryEpoch().isNull());
    QVERIFY(first != second);
    QCOMPARE(HistoryEpoch::fromString(first.toString()), first);
    QCOMPARE(HistoryEpoch::fromStorage(first.toStorage()), first);
    const HistoryEpoch high = *HistoryEpoch::fromString(QStringLiteral("8000000000000001"));
    QVERIFY(high.toStorage() < 0);
    QCOMPARE(HistoryEpoch::fromStorage(high.toStorage()), high);
}

void tst_HistoryStore::createsAnEmptyHistory()
{
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 100);
    QVERIFY2(history, qPrintable(store.errorString()));
    QVERIFY(!history->epoch.isNull());
    QCOMPARE(history->room.lastSeq, 0);
    QCOMPARE(history->startSeq, 0);
    QVERIFY(history->room.messages.isEmpty());
    QVERIFY(history->room.clientKeys.isEmpty());
    QVERIFY(QFile::exists(path()));
    QCOMPARE(store.epoch(), history->epoch);
    QCOMPARE(store.commitCount(), 0u);
}

void tst_HistoryStore::reopenFindsEverything()
{
    StoredMessages all;
    HistoryEpoch epoch;
    {
        HistoryStore store;
        const std::optional<StoredHistory> history = store.open(path(), 100);
        QVERIFY2(history, qPrintable(store.errorString()));
        epoch = history->epoch;
        StoredMessages first{makeMessage(1, MessageKind::Join),
                             makeMessage(2, MessageKind::Chat, QStringLiteral("k-2"))};
        StoredMessages second = makeBatch(3, 7);
        second.append(makeMessage(10, MessageKind::Leave));
        QVERIFY2(store.append(first), qPrintable(store.errorString()));
        QVERIFY2(store.append(second), qPrintable(store.errorString()));
        QVERIFY(store.append({}));
        QCOMPARE(store.commitCount(), 2u);
        QCOMPARE(store.lastSeq(), 10);
        all = first + second;
    }
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 100);
    QVERIFY2(history, qPrintable(store.errorString()));
    QCOMPARE(history->epoch, epoch);
    QCOMPARE(history->room.lastSeq, 10);
    QCOMPARE(history->room.messages, messagesOf(all));
    QCOMPARE(history->room.clientKeys, clientKeysOf(all));
    QCOMPARE(history->room.clientKeys.value(2),
             Room::clientKey(QStringLiteral("ålice"), QStringLiteral("k-2")));
    // Seq goes on where it stopped.
    QVERIFY(store.append({makeMessage(11)}));
}

void tst_HistoryStore::loadsAndKeepsTheRetainedTail()
{
    StoredMessages all;
    {
        HistoryStore store;
        QVERIFY(store.open(path(), 10));
        for (qint64 seq = 1; seq <= 50; seq += 5) {
            const StoredMessages batch = makeBatch(seq, 5);
            QVERIFY2(store.append(batch), qPrintable(store.errorString()));
            all += batch;
        }
    }
    HistoryStore store;
    std::optional<StoredHistory> history = store.open(path(), 10);
    QVERIFY2(history, qPrintable(store.errorString()));
    QCOMPARE(history->room.lastSeq, 50);
    QCOMPARE(history->room.messages, messagesOf(all.sliced(40)));
    // The de-duplication window is the retained history, as in Room.
    QCOMPARE(history->room.clientKeys, clientKeysOf(all.sliced(40)));
    store.close();

    // Older messages are deleted from the file, an eighth of the history at a time.
    history = store.open(path(), 1000);
    QVERIFY(history);
    QVERIFY2(history->room.messages.size() <= 10 + 1,
             qPrintable(QString::number(history->room.messages.size())));
    QVERIFY(consecutive(*history, history->room.messages.front().seq));
}

void tst_HistoryStore::refusesASeqThatDoesNotFollow_data()
{
    QTest::addColumn<StoredMessages>("batch");
    QTest::addRow("skips one") << StoredMessages{makeMessage(5)};
    QTest::addRow("repeats the last") << StoredMessages{makeMessage(3)};
    QTest::addRow("hole inside the batch") << StoredMessages{makeMessage(4), makeMessage(6)};
    QTest::addRow("twice inside the batch") << StoredMessages{makeMessage(4), makeMessage(4)};
    QTest::addRow("backwards") << StoredMessages{makeMessage(4), makeMessage(5), makeMessage(1)};
}

void tst_HistoryStore::refusesASeqThatDoesNotFollow()
{
    QFETCH(StoredMessages, batch);
    {
        HistoryStore store;
        QVERIFY(store.open(path(), 100));
        QVERIFY(store.append(makeBatch(1, 3)));
        QVERIFY(!store.append(batch));
        QVERIFY(store.errorString().contains(u"does not follow"));
        QCOMPARE(store.lastSeq(), 3);
        QCOMPARE(store.commitCount(), 1u);
    }
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 100);
    QVERIFY(history);
    QCOMPARE(history->room.messages, messagesOf(makeBatch(1, 3)));
}

void tst_HistoryStore::clearChoosesANewEpochAndSeqGoesOn()
{
    HistoryEpoch oldEpoch;
    HistoryEpoch newEpoch;
    {
        HistoryStore store;
        const std::optional<StoredHistory> history = store.open(path(), 100);
        QVERIFY(history);
        oldEpoch = history->epoch;
        QVERIFY(store.append(makeBatch(1, 5)));
        const std::optional<HistoryEpoch> cleared = store.clear();
        QVERIFY2(cleared, qPrintable(store.errorString()));
        newEpoch = *cleared;
        QVERIFY(newEpoch != oldEpoch);
        QCOMPARE(store.epoch(), newEpoch);
        QCOMPARE(store.lastSeq(), 5);
        QCOMPARE(store.startSeq(), 5);
    }
    {
        // Cleared and empty: the next run still knows where seq stood.
        HistoryStore store;
        const std::optional<StoredHistory> history = store.open(path(), 100);
        QVERIFY(history);
        QCOMPARE(history->epoch, newEpoch);
        QCOMPARE(history->room.lastSeq, 5);
        QCOMPARE(history->startSeq, 5);
        QVERIFY(history->room.messages.isEmpty());
        QVERIFY(history->room.clientKeys.isEmpty());
        QVERIFY(!store.append({makeMessage(1)}));
        QVERIFY(store.append({makeMessage(6, MessageKind::Chat, QStringLiteral("again"))}));
    }
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 100);
    QVERIFY(history);
    QCOMPARE(history->epoch, newEpoch);
    QCOMPARE(history->room.lastSeq, 6);
    QCOMPARE(history->startSeq, 5);
    QCOMPARE(history->room.messages, QList<ChatMessage>{makeMessage(6).message});
    QCOMPARE(history->room.clientKeys.keys(), QList<qint64>{6});
}

void tst_HistoryStore::aSecondServerCannotOpenTheSameFile()
{
    HistoryStore first;
    QVERIFY(first.open(path(), 100));
    HistoryStore second;
    QVERIFY(!second.open(path(), 100));
    QVERIFY2(second.errorString().contains(u"in use by another PushChat server"),
             qPrintable(second.errorString()));
    QVERIFY(!second.isOpen());
    QVERIFY(first.append(makeBatch(1, 2)));
    first.close();
    const std::optional<StoredHistory> history = second.open(path(), 100);
    QVERIFY2(history, qPrintable(second.errorString()));
    QCOMPARE(history->room.lastSeq, 2);
}

void tst_HistoryStore::refusesFilesThatAreNotHistories_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("error");
    QTest::addRow("text file") << QStringLiteral("text") << QStringLiteral("not a database");
    QTest::addRow("another program's database")
        << QStringLiteral("sqlite") << QStringLiteral("not a PushChat history");
    QTest::addRow("directory") << QStringLiteral("directory") << QStringLiteral("cannot open");
    QTest::addRow("missing directory")
        << QStringLiteral("missing") << QStringLiteral("cannot open");
}

void tst_HistoryStore::refusesFilesThatAreNotHistories()
{
    QFETCH(QString, kind);
    QFETCH(QString, error);
    if (kind == u"text") {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
    } else if (kind == u"sqlite") {
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(QStringLiteral("CREATE TABLE notes (text TEXT)")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("other"));
    } else if (kind == u"directory") {
        QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("room.sqlite")));
    }
    const QString file = kind == u"missing" ? path(QStringLiteral("no/such/room.sqlite")) : path();
    HistoryStore store;
    QVERIFY(!store.open(file, 100));
    QVERIFY2(store.errorString().contains(error), qPrintable(store.errorString()));
    QVERIFY(!store.append(makeBatch(1, 1)));
}

void tst_HistoryStore::journalCommitsOnePassInOneTransaction()
{
    HistoryJournal journal;
    QVERIFY2(journal.open(path(), 1000), qPrintable(journal.errorString()));
    QVERIFY(journal.isPersistent());
    QSignalSpy durable(&journal, &HistoryJournal::durable);

    // One pass of the event loop: this test function.
    for (int i = 1; i <= 50; ++i)
        QCOMPARE(journal.submit(chat(QString::number(i))), i);
    QCOMPARE(journal.submittedSeq(), 50);
    QCOMPARE(journal.durableSeq(), 0);
    QTRY_COMPARE(journal.durableSeq(), 50);
    QCOMPARE(journal.commitCount(), 1u);
    QCOMPARE(durable.size(), 1);
    QCOMPARE(durable.at(0).at(0).value<StoredMessages>().size(), 50);

    // A later pass is a transaction of its own.
    QCOMPARE(journal.submit(chat(QStringLiteral("later"))), 51);
    QTRY_COMPARE(journal.durableSeq(), 51);
    QCOMPARE(journal.commitCount(), 2u);
}

void tst_HistoryStore::journalShowsNothingBeforeItIsDurable()
{
    HistoryEpoch epoch;
    {
        HistoryJournal journal;
        const std::optional<StoredHistory> history = journal.open(path(), 1000);
        QVERIFY(history);
        epoch = history->epoch;
        QCOMPARE(journal.epoch(), epoch);
        QSignalSpy durable(&journal, &HistoryJournal::durable);
        const QString key = Room::clientKey(QStringLiteral("bob"), QStringLiteral("retry-me"));
        QCOMPARE(journal.submit(chat(QStringLiteral("one"))), 1);
        QCOMPARE(journal.submit(chat(QStringLiteral("two")), key), 2);
        const StoredMessage *pending = journal.findPending(key);
        QVERIFY(pending);
        QCOMPARE(pending->message.seq, 2);
        QCOMPARE(pending->message.text, QStringLiteral("two"));
        QVERIFY(!journal.findPending(QStringLiteral("bob\nother")));
        QVERIFY(!journal.findPending({}));
        QCOMPARE(durable.size(), 0);

        QVERIFY(durable.wait());
        const StoredMessages messages = durable.at(0).at(0).value<StoredMessages>();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).message.seq, 1);
        QCOMPARE(messages.at(1).message.seq, 2);
        QCOMPARE(messages.at(1).clientKey, key);
        QVERIFY(!journal.findPending(key));
    }
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 1000);
    QVERIFY(history);
    QCOMPARE(history->epoch, epoch);
    QCOMPARE(history->room.lastSeq, 2);
    QCOMPARE(history->room.clientKeys.value(2),
             Room::clientKey(QStringLiteral("bob"), QStringLiteral("retry-me")));
}

void tst_HistoryStore::journalCommitsWhatWasSubmittedWhenDestroyed()
{
    {
        HistoryJournal journal;
        QVERIFY(journal.open(path(), 1000));
        for (int i = 0; i < 3; ++i)
            journal.submit(chat(QString::number(i)));
    }
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 1000);
    QVERIFY(history);
    QCOMPARE(history->room.lastSeq, 3);
    QCOMPARE(history->room.messages.size(), 3);
}

void tst_HistoryStore::journalClearsBetweenWhatCameBeforeAndAfter_data()
{
    QTest::addColumn<bool>("persistent");
    QTest::addRow("file") << true;
    QTest::addRow("memory") << false;
}

void tst_HistoryStore::journalClearsBetweenWhatCameBeforeAndAfter()
{
    QFETCH(bool, persistent);
    HistoryEpoch newEpoch;
    {
        HistoryJournal journal;
        StoredHistory history;
        if (persistent) {
            const std::optional<StoredHistory> opened = journal.open(path(), 1000);
            QVERIFY(opened);
            history = *opened;
        } else {
            history.epoch = HistoryEpoch::generate();
            journal.openInMemory(history.epoch, 0);
        }
        QList<QString> events;
        connect(&journal, &HistoryJournal::durable, this, [&](const StoredMessages &messages) {
            for (const StoredMessage &stored : messages)
                events.append(stored.message.text);
        });
        connect(&journal, &HistoryJournal::cleared, this, [&](HistoryEpoch epoch, qint64 start) {
            events.append(epoch.toString());
            QCOMPARE(start, 1); // "before" went into the old history
        });
        journal.submit(chat(QStringLiteral("before")));
        journal.clear();
        journal.submit(chat(QStringLiteral("after")));
        QTRY_COMPARE(events.size(), 3);
        QCOMPARE(events.at(0), QStringLiteral("before"));
        const std::optional<HistoryEpoch> cleared = HistoryEpoch::fromString(events.at(1));
        QVERIFY2(cleared, qPrintable(events.join(u',')));
        newEpoch = *cleared;
        QVERIFY(newEpoch != history.epoch);
        QCOMPARE(journal.epoch(), newEpoch);
        QCOMPARE(events.at(2), QStringLiteral("after"));
        QCOMPARE(journal.durableSeq(), 2);
    }
    if (!persistent)
        return;
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 1000);
    QVERIFY(history);
    QCOMPARE(history->epoch, newEpoch);
    QCOMPARE(history->room.lastSeq, 2);
    QCOMPARE(history->room.messages.size(), 1);
    QCOMPARE(history->room.messages.at(0).text, QStringLiteral("after"));
}

void tst_HistoryStore::journalInMemory()
{
    HistoryJournal journal;
    HistoryJournal other;
    journal.openInMemory(HistoryEpoch::generate(), 7);
    other.openInMemory({}, 0);
    QVERIFY(!journal.isPersistent());
    QVERIFY(!journal.epoch().isNull());
    QVERIFY(!other.epoch().isNull());
    QVERIFY(journal.epoch() != other.epoch());

    QSignalSpy durable(&journal, &HistoryJournal::durable);
    QCOMPARE(journal.submit(chat(QStringLiteral("a"))), 8);
    QCOMPARE(journal.submit(chat(QStringLiteral("b")), QStringLiteral("bob\nk")), 9);
    QVERIFY(journal.findPending(QStringLiteral("bob\nk")));
    QCOMPARE(journal.durableSeq(), 7);
    QVERIFY(durable.wait());
    QCOMPARE(durable.at(0).at(0).value<StoredMessages>().size(), 2);
    QCOMPARE(journal.durableSeq(), 9);
    QCOMPARE(journal.commitCount(), 0u);

    const HistoryEpoch before = journal.epoch();
    QSignalSpy cleared(&journal, &HistoryJournal::cleared);
    journal.clear();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(journal.epoch() != before);
    QCOMPARE(cleared.at(0).at(0).value<HistoryEpoch>(), journal.epoch());
    QCOMPARE(cleared.at(0).at(1).toLongLong(), 9);
    QCOMPARE(journal.submit(chat(QStringLiteral("c"))), 10);
}

void tst_HistoryStore::killedWriterLosesNothingItReportedDurable()
{
    HistoryEpoch epoch;
    qint64 startSeq = 0;
    for (int run = 0; run < 2; ++run) {
        QProcess writer;
        writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        WriterOutput output;
        connect(&writer, &QProcess::readyReadStandardOutput, this, [&] { output.read(writer); });
        writer.start(QStringLiteral(HISTORY_CRASHWRITER_PATH), {path()});
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(output.openedAt >= 0, 15000);
        QVERIFY(output.epoch);
        if (epoch.isNull())
            epoch = *output.epoch;
        QCOMPARE(*output.epoch, epoch);
        QCOMPARE(output.openedAt, startSeq);
        QTRY_VERIFY_WITH_TIMEOUT(output.durable >= startSeq + 300, 60000);
        writer.kill(); // SIGKILL: no destructor, no close, maybe in the middle of a commit
        QVERIFY(writer.waitForFinished());
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        output.read(writer);
        QVERIFY(!output.backwards);
        QVERIFY2(output.unexpected.isEmpty(), output.unexpected.constData());

        HistoryStore store;
        const std::optional<StoredHistory> history = store.open(path(), 1000000);
        QVERIFY2(history, qPrintable(store.errorString()));
        QCOMPARE(history->epoch, epoch);
        QVERIFY2(history->room.lastSeq >= output.durable,
                 qPrintable(QStringLiteral("reported %1 durable, found %2")
                                .arg(output.durable)
                                .arg(history->room.lastSeq)));
        QVERIFY(consecutive(*history, 1));
        QCOMPARE(history->room.clientKeys.size(), history->room.messages.size());
        QCOMPARE(history->room.clientKeys.value(output.durable),
                 QStringLiteral("crash\nid-%1").arg(output.durable));
        startSeq = history->room.lastSeq;
    }
}

void tst_HistoryStore::aFullDiskStopsTheStoreWithoutAHole()
{
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    WriterOutput output;
    connect(&writer, &QProcess::readyReadStandardOutput, this, [&] { output.read(writer); });
    // Files of at most 256 KiB: the WAL fills up after some hundred messages.
    writer.start(QStringLiteral(HISTORY_CRASHWRITER_PATH), {path(), QStringLiteral("262144")});
    QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));
    QVERIFY(writer.waitForFinished(60000));
    output.read(writer);
    QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
    QCOMPARE(writer.exitCode(), 1);
    QVERIFY2(output.unexpected.isEmpty(), output.unexpected.constData());
    QVERIFY(!output.failure.isEmpty());
    QVERIFY(output.durable > 0);
    QVERIFY(!output.backwards);

    // The failed transaction left nothing behind; what was reported durable is all there.
    HistoryStore store;
    const std::optional<StoredHistory> history = store.open(path(), 1000000);
    QVERIFY2(history, qPrintable(store.errorString()));
    QCOMPARE(history->room.lastSeq, output.durable);
    QVERIFY(consecutive(*history, 1));
    QVERIFY(store.append({makeMessage(output.durable + 1)}));
}

QTEST_MAIN(tst_HistoryStore)
#include "tst_historystore.moc"
