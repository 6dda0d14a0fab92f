// SocketBatch against real loopback TCP sockets: what each send or receive of a batch returns,
// and that the bytes arrive.
#include "socketbatch.h"
#include "systemlimits.h"

#include <QTest>

#include <cerrno>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
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

class tst_SocketBatch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everySocketGetsTheBytes_data();
    void everySocketGetsTheBytes();
    void fullSocketTakesPartThenNothing();
    void closedPeerIsAnErrorNotASignal();
    void emptyBatchDoesNothing();
    void receivesFromEverySocket();

private:
    std::unique_ptr<SocketBatch> m_batch;
};

void tst_SocketBatch::initTestCase()
{
    raiseOpenFileLimit();
    m_batch = SocketBatch::create();
    if (!m_batch)
        QSKIP("this kernel has no io_uring, or it is turned off: the server sends one by one, the "
              "load generator reads one by one");
}

void tst_SocketBatch::everySocketGetsTheBytes_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("fifty") << 50;
    QTest::newRow("more than one ring holds") << 2500;
}

void tst_SocketBatch::everySocketGetsTheBytes()
{
    QFETCH(int, count);
    SocketPairs pairs(count);
    QCOMPARE(pairs.size(), count);
    const QByteArray frame = QByteArray("\x81\x0bhello there", 13);
    std::vector<ssize_t> results(size_t(count), -1);
    m_batch->sendToAll(pairs.senders, frame.constData(), size_t(frame.size()), results);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(results[size_t(i)], ssize_t(frame.size()));
        QCOMPARE(readExactly(pairs.receivers[size_t(i)], frame.size()), frame);
    }
}

void tst_SocketBatch::fullSocketTakesPartThenNothing()
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
        m_batch->sendToAll(pairs.senders, chunk.constData(), size_t(chunk.size()), results);
        QCOMPARE(results[0], ssize_t(chunk.size()));
        QCOMPARE(readExactly(pairs.receivers[0], chunk.size()).size(), chunk.size());
        QVERIFY2(results[1] > 0 || results[1] == -EAGAIN, qPrintable(QString::number(results[1])));
        sawShort = sawShort || (results[1] > 0 && results[1] < chunk.size());
        sawAgain = results[1] == -EAGAIN;
    }
    QVERIFY(sawAgain);
    QVERIFY(sawShort);
}

void tst_SocketBatch::closedPeerIsAnErrorNotASignal()
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
        m_batch->sendToAll(pairs.senders, frame.constData(), size_t(frame.size()), results);
        return results[1] < 0;
    }());
    QVERIFY2(results[1] == -ECONNRESET || results[1] == -EPIPE,
             qPrintable(QString::number(results[1])));
    QVERIFY(results[0] > 0);
}

void tst_SocketBatch::emptyBatchDoesNothing()
{
    std::vector<ssize_t> results;
    m_batch->sendToAll({}, "x", 1, results);
    QVERIFY(results.empty());
}

void tst_SocketBatch::receivesFromEverySocket()
{
    // More than one ring's worth. Every third socket has 20 bytes waiting, more than its
    // 16-byte slice: the rest comes with the next batch. Every third is at its end (the peer
    // shut down), and the others have nothing yet: −EAGAIN, not a wait.
    constexpr int Count = 2500;
    constexpr size_t Slice = 16;
    SocketPairs pairs(Count);
    QCOMPARE(pairs.size(), Count);
    auto textOf = [](int i) { return QByteArray::number(i).rightJustified(20, '0'); };
    for (int i = 0; i < Count; ++i) {
        if (i % 3 == 0)
            QCOMPARE(send(pairs.senders[size_t(i)], textOf(i).constData(), 20, 0), ssize_t(20));
        else if (i % 3 == 1)
            QCOMPARE(shutdown(pairs.senders[size_t(i)], SHUT_WR), 0);
    }
    for (int i = 0; i < Count; i += 3) {
        pollfd readable{pairs.receivers[size_t(i)], POLLIN, 0};
        QCOMPARE(poll(&readable, 1, 5000), 1);
    }
    std::vector<char> buffers(Count * Slice);
    std::vector<ssize_t> results(Count);
    m_batch->receiveFromAll(pairs.receivers, buffers.data(), Slice, results);
    for (int i = 0; i < Count; ++i) {
        const ssize_t expected = i % 3 == 0 ? ssize_t(Slice) : i % 3 == 1 ? 0 : -EAGAIN;
        QCOMPARE(results[size_t(i)], expected);
        if (i % 3 == 0)
            QCOMPARE(QByteArray(buffers.data() + i * Slice, Slice), textOf(i).left(Slice));
    }
    m_batch->receiveFromAll(pairs.receivers, buffers.data(), Slice, results);
    for (int i = 0; i < Count; i += 3) {
        QCOMPARE(results[size_t(i)], ssize_t(4));
        QCOMPARE(QByteArray(buffers.data() + i * Slice, 4), textOf(i).mid(Slice));
    }
}

QTEST_APPLESS_MAIN(tst_SocketBatch)
#include "tst_socketbatch.moc"
