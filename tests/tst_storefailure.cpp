// The durable store's refusals (issue 15): when the disk refuses the history's writes, and when
// more messages wait for a stalled disk than the server holds for it, sends are refused with
// 503 (HTTP) or an error frame with code 503 (WebSocket); nothing acknowledged is lost, nothing
// is acknowledged that was not stored, and readers are served throughout.
//
// Both faults are real, not simulated in the server: the disk's refusal is the file-size limit
// of the process (RLIMIT_FSIZE: SQLite's next write fails with EFBIG, as on a full disk), the
// stall is the writer thread held inside a signal handler (as a thread blocked in a write or
// fsync to a hung disk is).

#include "roomserver.h"
#include "servertestsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <atomic>
#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ServerTestSupport;

namespace {

ServerConfig storeConfig(const QString &path)
{
    ServerConfig config = quietConfig();
    config.storePath = path;
    config.storeSync = HistoryStore::Sync::Normal;
    return config;
}

QByteArray postBody(const QByteArray &nick, const QByteArray &text, const QByteArray &clientId)
{
    return R"({"nick":")" + nick + R"(","text":")" + text + R"(","client_id":")" + clientId +
           R"("})";
}

// Every chat message of the server's history, page after page: text → seq.
QHash<QString, qint64> storedChats(quint16 port)
{
    QHash<QString, qint64> chats;
    qint64 after = 0;
    for (;;) {
        const TestHttp::Reply page =
            TestHttp::get(port, "/api/messages?after=" + QByteArray::number(after));
        const QJsonArray messages = messagesOf(page);
        for (const QJsonValue &value : messages) {
            const QJsonObject message = value.toObject();
            after = message.value(u"seq").toInteger();
            if (message.value(u"kind").toString() == u"chat")
                chats.insert(message.value(u"text").toString(), after);
        }
        if (!page.json().value(u"more").toBool() || messages.isEmpty())
            return chats;
    }
}

qint64 lastSeq(quint16 port)
{
    return TestHttp::get(port, "/api/room").json().value(u"last_seq").toInteger();
}

// Holds the history writer's thread (QThread names it "PushChat history"; Linux keeps 15
// characters) in a signal handler until released: from the server's side, a disk that does
// not come back from a write.
class WriterStall
{
public:
    WriterStall()
    {
        if (::pipe2(s_release, O_CLOEXEC) != 0)
            return;
        struct sigaction action = {};
        action.sa_handler = &WriterStall::holdThread;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGUSR1, &action, &m_previous);
        m_installed = true;
    }
    ~WriterStall()
    {
        release();
        if (m_installed)
            ::sigaction(SIGUSR1, &m_previous, nullptr);
        for (int &fd : s_release) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }

    /// The writer's thread id, or 0 unless exactly one runs in this process.
    static pid_t writerThread()
    {
        pid_t found = 0;
        const QDir tasks(QStringLiteral("/proc/self/task"));
        for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
            if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "PushChat histor")
                continue;
            if (found)
                return 0;
            found = pid_t(task.toInt());
        }
        return found;
    }

    bool stall()
    {
        const pid_t thread = writerThread();
        if (!m_installed || thread == 0 || ::syscall(SYS_tgkill, ::getpid(), thread, SIGUSR1) != 0)
            return false;
        m_stalled = true;
        return QTest::qWaitFor([] { return s_holding.load(); }, 5000);
    }

    void release()
    {
        if (!m_stalled)
            return;
        m_stalled = false;
        const char byte = 0;
        while (::write(s_release[1], &byte, 1) < 0 && errno == EINTR) {
        }
    }

private:
    static void holdThread(int)
    {
        const int savedErrno = errno;
        s_holding = true;
        char byte;
        while (::read(s_release[0], &byte, 1) < 0 && errno == EINTR) {
        }
        s_holding = false;
        errno = savedErrno;
    }

    static inline int s_release[2] = {-1, -1};
    static inline std::atomic<bool> s_holding = false;
    struct sigaction m_previous = {};
    bool m_installed = false;
    bool m_stalled = false;
};

// Caps the size of every file this process writes (the server's thread and the writer's
// included) for as long as it lives; writes past the cap fail with EFBIG instead of raising
// SIGXFSZ.
class FileSizeCap
{
public:
    explicit FileSizeCap(rlim_t bytes)
    {
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        ::getrlimit(RLIMIT_FSIZE, &m_previous);
        rlimit capped = m_previous;
        capped.rlim_cur = bytes;
        m_applied = ::setrlimit(RLIMIT_FSIZE, &capped) == 0;
    }
    ~FileSizeCap()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    bool isApplied() const { return m_applied; }

private:
    rlimit m_previous = {};
    void (*m_previousHandler)(int) = nullptr;
    bool m_applied = false;
};

} // namespace

class tst_StoreFailure : public QObject
{
    Q_OBJECT

private slots:
    void diskRefusingWritesFailsSendsWith503();
    void storeBehindRefusesSendsWith503UntilItCatchesUp();
};

void tst_StoreFailure::diskRefusingWritesFailsSendsWith503()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("room.sqlite"));
    RunningServer server;
    ServerConfig config = storeConfig(path);
    config.webSocketPingIntervalMs = 0; // no pongs: the frames counted in are the sender's sends
    QVERIFY(server.start(config));

    // A reader on WebSocket, and messages acknowledged before the disk fails.
    QWebSocket reader;
    FrameCollector readerFrames(&reader);
    reader.open(wsUrl(server.port, QStringLiteral("/ws?after=0")));
    QTRY_VERIFY(!readerFrames.ofType("hello").isEmpty());
    QWebSocket sender;
    FrameCollector senderFrames(&sender);
    sender.open(wsUrl(server.port, QStringLiteral("/ws?nick=ws")));
    QTRY_VERIFY(!senderFrames.ofType("hello").isEmpty());
    QHash<QString, qint64> acknowledged;
    for (int i = 0; i < 5; ++i) {
        const QByteArray text = "kept-" + QByteArray::number(i);
        const TestHttp::Reply reply =
            TestHttp::postJson(server.port, "/api/messages", postBody("http", text, text));
        QCOMPARE(reply.status, 201);
        acknowledged.insert(QString::fromLatin1(text), reply.json().value(u"seq").toInteger());
    }
    const qint64 lastSeqBefore = lastSeq(server.port);

    {
        // Three WebSocket sends and a post wait for a stalled writer, so that they are one
        // batch, one transaction...
        const int framesBefore = statsCounter(server.port, "websocket", "frames_in");
        const int postsBefore = statsCounter(server.port, "other", "requests");
        WriterStall stall;
        QVERIFY2(stall.stall(), "cannot find or hold the history writer's thread");
        for (int i = 0; i < 3; ++i)
            sender.sendTextMessage(
                QStringLiteral(R"({"type":"send","text":"doomed-%1","id":%1})").arg(i));
        QTcpSocket poster;
        poster.connectToHost(QHostAddress::LocalHost, server.port);
        QVERIFY(poster.waitForConnected(5000));
        poster.write(TestHttp::request("POST", "/api/messages",
                                       postBody("http", "doomed-http", "doomed-http"),
                                       "Content-Type: application/json\r\n"));
        QTRY_COMPARE(statsCounter(server.port, "websocket", "frames_in"), framesBefore + 3);
        QTRY_COMPARE(statsCounter(server.port, "other", "requests"), postsBefore + 1);

        // ...and meanwhile no file of the process may grow any more: the commit cannot append
        // to the write-ahead log, as on a full disk. (Output redirected to a file would be cut
        // too.)
        const QFileInfo wal(path + QStringLiteral("-wal"));
        QVERIFY(wal.exists());
        const FileSizeCap cap(rlim_t(qMax(wal.size(), QFileInfo(path).size())));
        QVERIFY(cap.isApplied());
        stall.release();

        // Each of the batch is refused, none acknowledged.
        QTRY_COMPARE(senderFrames.ofType("error").size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject error = senderFrames.ofType("error").at(i);
            QCOMPARE(error.value(u"id").toInt(), i);
            QCOMPARE(error.value(u"code").toInt(), 503);
            QVERIFY2(error.value(u"error").toString().startsWith(u"the history store failed: "),
                     qPrintable(error.value(u"error").toString()));
        }
        QVERIFY(senderFrames.ofType("ack").isEmpty());
        QByteArray buffer;
        const TestHttp::Reply doomed = TestHttp::readReply(poster, &buffer);
        QCOMPARE(doomed.status, 503);
        QCOMPARE(doomed.header("retry-after"), QByteArray("1"));
        QVERIFY(doomed.json().value(u"error").toString().startsWith(u"the history store failed: "));

        // From then on every send is refused at once, with a JSON error and Retry-After.
        const TestHttp::Reply later =
            TestHttp::postJson(server.port, "/api/messages", postBody("http", "later", "later"));
        QCOMPARE(later.status, 503);
        QCOMPARE(later.header("retry-after"), QByteArray("1"));
        QCOMPARE(later.json().value(u"error").toString(),
                 QStringLiteral("the history store failed; no message can be stored"));
        sender.sendTextMessage(QStringLiteral(R"({"type":"send","text":"later-ws","id":"w"})"));
        QTRY_COMPARE(senderFrames.ofType("error").size(), 4);
        QCOMPARE(senderFrames.ofType("error").last().value(u"code").toInt(), 503);

        // A retry of an acknowledged send is still answered as the first one was.
        const TestHttp::Reply retry =
            TestHttp::postJson(server.port, "/api/messages", postBody("http", "kept-2", "kept-2"));
        QCOMPARE(retry.status, 201);
        QCOMPARE(retry.json().value(u"seq").toInteger(),
                 acknowledged.value(QStringLiteral("kept-2")));

        // Readers are served what was stored, and only that: polls, a long poll, the reader's
        // WebSocket, a new WebSocket's replay.
        QCOMPARE(lastSeq(server.port), lastSeqBefore);
        QCOMPARE(storedChats(server.port), acknowledged);
        const TestHttp::Reply longPoll = TestHttp::get(
            server.port, "/api/messages?after=" + QByteArray::number(lastSeqBefore) + "&wait=1");
        QCOMPARE(longPoll.status, 200);
        QVERIFY(messagesOf(longPoll).isEmpty());
        QWebSocket newcomer;
        FrameCollector newcomerFrames(&newcomer);
        newcomer.open(wsUrl(server.port, QStringLiteral("/ws?after=0")));
        QTRY_COMPARE(newcomerFrames.ofType("message").size(), int(lastSeqBefore));
        QCOMPARE(readerFrames.ofType("message").size(), int(lastSeqBefore));
        QCOMPARE(reader.state(), QAbstractSocket::ConnectedState);
    }

    // The disk is back. Restarted on the same file, the history is exactly what was
    // acknowledged, and sends are taken again.
    server.host.reset();
    RunningServer restarted;
    QVERIFY(restarted.start(storeConfig(path)));
    QCOMPARE(lastSeq(restarted.port), lastSeqBefore);
    QCOMPARE(storedChats(restarted.port), acknowledged);
    const TestHttp::Reply again =
        TestHttp::postJson(restarted.port, "/api/messages", postBody("http", "later", "later"));
    QCOMPARE(again.status, 201);
    QCOMPARE(again.json().value(u"seq").toInteger(), lastSeqBefore + 2); // after http's new join
    QCOMPARE(storedChats(restarted.port).value(QStringLiteral("later")), lastSeqBefore + 2);
}

void tst_StoreFailure::storeBehindRefusesSendsWith503UntilItCatchesUp()
{
    QTemporaryDir dir;
    RunningServer server;
    ServerConfig config = storeConfig(dir.filePath(QStringLiteral("room.sqlite")));
    config.webSocketPingIntervalMs = 0; // no pongs: the frames counted in are the sender's sends
    QVERIFY(server.start(config));
    QWebSocket reader;
    FrameCollector readerFrames(&reader);
    reader.open(wsUrl(server.port, QStringLiteral("/ws?after=0")));
    QTRY_VERIFY(!readerFrames.ofType("hello").isEmpty());
    // A WebSocket sender does not wait for its acks (PushChat's own client does): it is the
    // one client that can have more messages waiting than the limit.
    QWebSocket sender;
    FrameCollector senderFrames(&sender);
    QSignalSpy senderGone(&sender, &QWebSocket::disconnected);
    sender.open(wsUrl(server.port, QStringLiteral("/ws?nick=burst")));
    QTRY_COMPARE(readerFrames.ofType("message").size(), 1); // its join, durable
    const qint64 lastSeqBefore = lastSeq(server.port);

    const int framesBefore = statsCounter(server.port, "websocket", "frames_in");
    WriterStall stall;
    QVERIFY2(stall.stall(), "cannot find or hold the history writer's thread");

    constexpr int Limit = int(RoomServer::MaxPendingMessages);
    constexpr int Over = 300;
    // 300 bytes each: once the disk is back, the sender's own 10,000 messages and acks (4 MB)
    // go out to it while its writes are held for its acks, and it reads them all; it must not
    // be taken for a client that stopped reading (more than 2 MiB unsent).
    const QString pad(300, u'x');
    for (int i = 0; i < Limit + Over; ++i)
        sender.sendTextMessage(
            QStringLiteral(R"({"type":"send","text":"b-%1 %2","id":%1,"client_id":"b-%1"})")
                .arg(i)
                .arg(pad));
    // Once the server has read the whole burst, an HTTP post is refused at once too.
    QTRY_COMPARE_WITH_TIMEOUT(statsCounter(server.port, "websocket", "frames_in"),
                              framesBefore + Limit + Over, 20000);
    const TestHttp::Reply late =
        TestHttp::postJson(server.port, "/api/messages", postBody("http", "late", "late"));
    QCOMPARE(late.status, 503);
    QCOMPARE(late.header("retry-after"), QByteArray("1"));
    QCOMPARE(late.json().value(u"error").toString(),
             QStringLiteral("the history store is behind (%1 messages wait for the disk); "
                            "try again")
                 .arg(Limit));
    // Readers are served meanwhile, and shown nothing that is not durable.
    QCOMPARE(lastSeq(server.port), lastSeqBefore);
    QCOMPARE(readerFrames.ofType("message").size(), 1);
    QVERIFY(senderFrames.ofType("ack").isEmpty());

    // The disk comes back: the waiting messages are stored, in order, and acknowledged; those
    // past the limit were refused with 503 and not stored.
    QElapsedTimer catchingUp;
    catchingUp.start();
    stall.release();
    QTRY_COMPARE_WITH_TIMEOUT(senderFrames.ofType("ack").size() +
                                  senderFrames.ofType("error").size(),
                              Limit + Over, 30000);
    qInfo("%d messages waited for the stalled writer, %d refused; all answered %lld ms after "
          "it was released",
          Limit, Over, catchingUp.elapsed());
    const QList<QJsonObject> acks = senderFrames.ofType("ack");
    const QList<QJsonObject> errors = senderFrames.ofType("error");
    QCOMPARE(acks.size(), Limit);
    for (int i = 0; i < Limit; ++i) {
        QCOMPARE(acks.at(i).value(u"id").toInt(), i);
        QCOMPARE(acks.at(i).value(u"seq").toInteger(), lastSeqBefore + 1 + i);
    }
    for (int i = 0; i < Over; ++i) {
        QCOMPARE(errors.at(i).value(u"id").toInt(), Limit + i);
        QCOMPARE(errors.at(i).value(u"code").toInt(), 503);
    }
    QCOMPARE(lastSeq(server.port), lastSeqBefore + Limit);
    const QHash<QString, qint64> stored = storedChats(server.port);
    QCOMPARE(stored.size(), Limit);
    for (int i = 0; i < Limit; ++i)
        QCOMPARE(stored.value(QStringLiteral("b-%1 %2").arg(i).arg(pad)), lastSeqBefore + 1 + i);
    QTRY_COMPARE_WITH_TIMEOUT(readerFrames.ofType("message").size(), 1 + Limit, 20000);
    const QList<QJsonObject> broadcast = readerFrames.ofType("message");
    for (qsizetype i = 0; i < broadcast.size(); ++i)
        QCOMPARE(broadcast.at(i).value(u"seq").toInteger(), i + 1);
    // The sender got its 4 MB while its writes were held, and is still connected.
    QTRY_COMPARE(senderFrames.ofType("message").last().value(u"seq").toInteger(),
                 lastSeqBefore + Limit);
    QVERIFY(senderGone.isEmpty());

    // A refused send, sent again, is taken now.
    const QString retried = QStringLiteral("b-%1").arg(Limit);
    sender.sendTextMessage(
        QStringLiteral(R"({"type":"send","text":"%1","id":"again","client_id":"%1"})")
            .arg(retried));
    QTRY_COMPARE(senderFrames.ofType("ack").size(), Limit + 1);
    QCOMPARE(senderFrames.ofType("ack").last().value(u"seq").toInteger(),
             lastSeqBefore + Limit + 1);
}

QTEST_MAIN(tst_StoreFailure)
#include "tst_storefailure.moc"
