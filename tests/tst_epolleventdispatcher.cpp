#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using PushChat::EpollEventDispatcher;

namespace {

class TimerCounter : public QObject
{
public:
    using QObject::QObject;
    int fired = 0;

protected:
    void timerEvent(QTimerEvent *) override { ++fired; }
};

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM, 0, fds); }
    ~SocketPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void installed();
    void timers_data();
    void timers();
    void zeroTimerAndSingleShot();
    void registeredTimersAndRemainingTime();
    void readNotifier();
    void writeNotifierAndDisable();
    void tcpRoundTrip();
    void reusedDescriptor();
    void wakeUpFromAnotherThread();
    void excludeSocketNotifiers();
    void excludeTimers();
    void noWaitReturnsAtOnce();
    void workerThread();
};

void TestEpollEventDispatcher::installed()
{
    auto *dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
    QVERIFY(dispatcher);
    QVERIFY(dispatcher->isValid());
}

void TestEpollEventDispatcher::timers_data()
{
    QTest::addColumn<Qt::TimerType>("type");
    QTest::addColumn<int>("interval");
    QTest::addRow("precise") << Qt::PreciseTimer << 20;
    QTest::addRow("coarse") << Qt::CoarseTimer << 20;
    QTest::addRow("very coarse") << Qt::VeryCoarseTimer << 1000;
}

void TestEpollEventDispatcher::timers()
{
    QFETCH(Qt::TimerType, type);
    QFETCH(int, interval);
    QTimer timer;
    timer.setTimerType(type);
    timer.setInterval(interval);
    QSignalSpy spy(&timer, &QTimer::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 3, interval * 3 + 5000);
    // Never early (coarse timers may be 5 % early; very coarse ones round to whole seconds).
    // Precise timers are never early; coarse ones may be by 5 %, very coarse ones round to
    // whole seconds either way.
    if (type == Qt::PreciseTimer)
        QVERIFY(clock.elapsed() >= qint64(interval) * 3);
    else if (type == Qt::CoarseTimer)
        QVERIFY(clock.elapsed() >= qint64(interval) * 3 * 95 / 100 - 1);
}

void TestEpollEventDispatcher::zeroTimerAndSingleShot()
{
    QList<int> order;
    QTimer::singleShot(30, [&] { order << 2; });
    QTimer::singleShot(0, [&] { order << 1; });
    QTimer::singleShot(60, Qt::PreciseTimer, [&] { order << 3; });
    QTRY_COMPARE(order.size(), 3);
    QCOMPARE(order, (QList<int>{1, 2, 3}));
}

void TestEpollEventDispatcher::registeredTimersAndRemainingTime()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    TimerCounter object;
    const int id = object.startTimer(500, Qt::PreciseTimer);
    QVERIFY(id > 0);
    const auto timers = dispatcher->registeredTimers(&object);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().timerId, id);
    QCOMPARE(timers.first().interval, 500);
    QCOMPARE(timers.first().timerType, Qt::PreciseTimer);
    const int remaining = dispatcher->remainingTime(id);
    QVERIFY2(remaining >= 0 && remaining <= 500, qPrintable(QString::number(remaining)));
    QTRY_VERIFY(object.fired >= 1);
    object.killTimer(id);
    QCOMPARE(dispatcher->remainingTime(id), -1);
    QVERIFY(dispatcher->registeredTimers(&object).isEmpty());
    const int a = object.startTimer(1000);
    const int b = object.startTimer(2000);
    QCOMPARE(dispatcher->registeredTimers(&object).size(), 2);
    QVERIFY(dispatcher->unregisterTimers(&object));
    QCOMPARE(dispatcher->remainingTime(a), -1);
    QCOMPARE(dispatcher->remainingTime(b), -1);
}

void TestEpollEventDispatcher::readNotifier()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    QTest::qWait(20);
    QCOMPARE(spy.size(), 0);
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY(spy.size() >= 1);
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
    spy.clear();
    QTest::qWait(20);
    QCOMPARE(spy.size(), 0); // level-triggered: quiet once drained
}

void TestEpollEventDispatcher::writeNotifierAndDisable()
{
    SocketPair pair;
    QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
    QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
    QSignalSpy readSpy(&reader, &QSocketNotifier::activated);
    QSignalSpy writeSpy(&writer, &QSocketNotifier::activated);
    QTRY_VERIFY(writeSpy.size() >= 1);
    writer.setEnabled(false);
    QTest::qWait(10);
    writeSpy.clear();
    QTest::qWait(20);
    QCOMPARE(writeSpy.size(), 0);
    // The read notifier on the same fd still works after the write one went away.
    QCOMPARE(::write(pair.fds[1], "y", 1), 1);
    QTRY_VERIFY(readSpy.size() >= 1);
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
}

void TestEpollEventDispatcher::tcpRoundTrip()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    QTcpSocket *peer = server.nextPendingConnection();
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
    const QByteArray payload(200000, 'p');
    client.write(payload);
    QByteArray echoed;
    QTRY_VERIFY_WITH_TIMEOUT((echoed += client.readAll()).size() == payload.size(), 10000);
    QCOMPARE(echoed, payload);
    peer->close();
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
}

void TestEpollEventDispatcher::reusedDescriptor()
{
    // A notifier removed and its fd closed in one iteration; the next socket gets the same
    // number and must still be watched.
    auto first = std::make_unique<SocketPair>();
    const int number = first->fds[0];
    auto notifier = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Read);
    QTest::qWait(10);
    notifier.reset();
    first.reset();
    SocketPair second;
    QCOMPARE(second.fds[0], number);
    QSocketNotifier again(second.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&again, &QSocketNotifier::activated);
    QCOMPARE(::write(second.fds[1], "r", 1), 1);
    QTRY_VERIFY(spy.size() >= 1);
    char byte;
    QCOMPARE(::read(second.fds[0], &byte, 1), 1);
}

void TestEpollEventDispatcher::wakeUpFromAnotherThread()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    bool called = false;
    QObject receiver;
    std::thread poster([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QMetaObject::invokeMethod(
            &receiver, [&] { called = true; }, Qt::QueuedConnection);
    });
    QElapsedTimer clock;
    clock.start();
    // No timers are due: only the other thread's post can end this wait. Posted events are
    // delivered at the start of the next call, as with Qt's own dispatchers.
    dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    poster.join();
    dispatcher->processEvents(QEventLoop::AllEvents);
    QVERIFY(called);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));

    // A bare wakeUp() from another thread ends a wait too.
    std::thread waker([dispatcher] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        dispatcher->wakeUp();
    });
    clock.restart();
    dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    waker.join();
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollEventDispatcher::excludeSocketNotifiers()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    QCOMPARE(::write(pair.fds[1], "z", 1), 1);
    for (int i = 0; i < 5; ++i)
        dispatcher->processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(spy.size(), 0);
    dispatcher->processEvents(QEventLoop::AllEvents);
    QCOMPARE(spy.size(), 1);
    char byte;
    QCOMPARE(::read(pair.fds[0], &byte, 1), 1);
}

void TestEpollEventDispatcher::excludeTimers()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    TimerCounter object;
    const int id = object.startTimer(1, Qt::PreciseTimer);
    QTest::qSleep(10);
    dispatcher->processEvents(QEventLoop::X11ExcludeTimers);
    QCOMPARE(object.fired, 0);
    dispatcher->processEvents(QEventLoop::AllEvents);
    QCOMPARE(object.fired, 1);
    object.killTimer(id);
}

void TestEpollEventDispatcher::noWaitReturnsAtOnce()
{
    auto *dispatcher = QAbstractEventDispatcher::instance();
    TimerCounter object;
    const int id = object.startTimer(5000);
    QElapsedTimer clock;
    clock.start();
    dispatcher->processEvents(QEventLoop::AllEvents);
    QVERIFY(clock.elapsed() < 1000);
    object.killTimer(id);
}

void TestEpollEventDispatcher::workerThread()
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    auto *worker = new QObject;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    std::atomic<int> ticks = 0;
    bool ours = false;
    QMetaObject::invokeMethod(
        worker,
        [&] {
            ours = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
            auto *timer = new QTimer(worker);
            connect(timer, &QTimer::timeout, worker, [&] { ++ticks; });
            timer->start(5);
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(ours);
    QTRY_VERIFY(ticks >= 3);
    thread.quit();
    QVERIFY(thread.wait(5000));
}

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
