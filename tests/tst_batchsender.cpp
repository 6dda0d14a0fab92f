// BatchSender against real loopback TCP sockets: what each send of a batch returns, and that
// the bytes arrive.
#include "batchsender.h"
#include "systemlimits.h"

#include <QTest>

#include <cerrno>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace PushChat;

namespace {

// Connected loopback TCP pairs: `senders[i]` writes to `receivers[i]`.
struct SocketPairs
{
    std::vector<int> senders;
    std::vector<int> receivers;

    explicit SocketPairs(int count)
    {
        const int listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
            listen(listener, 4096) != 0 ||
            getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
            close(listener);
            return;
        }
        for (int i = 0; i < count; ++i) {
            const int receiver = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(receiver, reinterpret_cast<sockaddr *>(&address), length) != 0) {
                close(receiver);
                break;
            }
            receivers.push_back(receiver);
            senders.push_back(accept(listener, nullptr, nullptr));
        }
        close(listener);
    }
    ~SocketPairs()
    {
        for (const int fd : senders)
            close(fd);
        for (const int fd : receivers)
            close(fd);
    }
    int size() const { return int(senders.size()); }
};

// Reads exactly `size` bytes (blocking) from `fd`; empty on error or end.
QByteArray readExactly(int fd, qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    qsizetype at = 0;
    while (at < size) {
        const ssize_t n = recv(fd, data.data() + at, size_t(size - at), 0);
        if (n <= 0)
            return {};
        at += n;
    }
    return data;
}

} // namespace

class tst_BatchSender : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everySocketGetsTheBytes_data();
    void everySocketGetsTheBytes();
    void fullSocketTakesPartThenNothing();
    void closedPeerIsAnErrorNotASignal();
    void emptyBatchDoesNothing();

private:
    std::unique_ptr<BatchSender> m_sender;
};

void tst_BatchSender::initTestCase()
{
    raiseOpenFileLimit();
    m_sender = BatchSender::create();
    if (!m_sender)
        QSKIP("this kernel has no io_uring, or it is turned off: the server sends one by one");
}

void tst_BatchSender::everySocketGetsTheBytes_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("fifty") << 50;
    QTest::newRow("more than one ring holds") << 2500;
}

void tst_BatchSender::everySocketGetsTheBytes()
{
    QFETCH(int, count);
    SocketPairs pairs(count);
    QCOMPARE(pairs.size(), count);
    const QByteArray frame = QByteArray("\x81\x0bhello there", 13);
    std::vector<ssize_t> results(size_t(count), -1);
    m_sender->sendToAll(pairs.senders, frame.constData(), size_t(frame.size()), results);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(results[size_t(i)], ssize_t(frame.size()));
        QCOMPARE(readExactly(pairs.receivers[size_t(i)], frame.size()), frame);
    }
}

void tst_BatchSender::fullSocketTakesPartThenNothing()
{
    // The second receiver never reads: its sends come back short, then −EAGAIN, and never
    // block the batch; the first keeps getting everything.
    SocketPairs pairs(2);
    QCOMPARE(pairs.size(), 2);
    const QByteArray chunk(64 * 1024, 'x');
    std::vector<ssize_t> results(2);
    bool sawShort = false;
    bool sawAgain = false;
    for (int round = 0; round < 10000 && !sawAgain; ++round) {
        m_sender->sendToAll(pairs.senders, chunk.constData(), size_t(chunk.size()), results);
        QCOMPARE(results[0], ssize_t(chunk.size()));
        QCOMPARE(readExactly(pairs.receivers[0], chunk.size()).size(), chunk.size());
        QVERIFY2(results[1] > 0 || results[1] == -EAGAIN, qPrintable(QString::number(results[1])));
        sawShort = sawShort || (results[1] > 0 && results[1] < chunk.size());
        sawAgain = results[1] == -EAGAIN;
    }
    QVERIFY(sawAgain);
    QVERIFY(sawShort);
}

void tst_BatchSender::closedPeerIsAnErrorNotASignal()
{
    SocketPairs pairs(2);
    QCOMPARE(pairs.size(), 2);
    // A reset, not a clean close: the next send fails at once (without MSG_NOSIGNAL it would
    // raise SIGPIPE and end this test).
    const linger resetOnClose{1, 0};
    setsockopt(pairs.receivers[1], SOL_SOCKET, SO_LINGER, &resetOnClose, sizeof resetOnClose);
    close(pairs.receivers[1]);
    pairs.receivers[1] = socket(AF_INET, SOCK_STREAM, 0); // keeps the destructor's close() valid
    const QByteArray frame("\x81\x02hi", 4);
    std::vector<ssize_t> results(2);
    QTRY_VERIFY([&] {
        m_sender->sendToAll(pairs.senders, frame.constData(), size_t(frame.size()), results);
        return results[1] < 0;
    }());
    QVERIFY2(results[1] == -ECONNRESET || results[1] == -EPIPE,
             qPrintable(QString::number(results[1])));
    QVERIFY(results[0] > 0);
}

void tst_BatchSender::emptyBatchDoesNothing()
{
    std::vector<ssize_t> results;
    m_sender->sendToAll({}, "x", 1, results);
    QVERIFY(results.empty());
}

QTEST_APPLESS_MAIN(tst_BatchSender)
#include "tst_batchsender.moc"
