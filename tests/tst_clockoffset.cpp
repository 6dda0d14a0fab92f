#include "clockoffset.h"

#include <QTest>

using namespace PushChat;

class tst_ClockOffset : public QObject
{
    Q_OBJECT

private slots:
    void startsInvalid();
    void midpointOfRoundTrip_data();
    void midpointOfRoundTrip();
    void prefersShortestRoundTrip();
    void ignoresNonsense();
};

void tst_ClockOffset::startsInvalid()
{
    ClockOffset clock;
    QVERIFY(!clock.isValid());
    QCOMPARE(clock.offsetMs(), 0);
    QCOMPARE(clock.serverNow(1000), 1000);
}

void tst_ClockOffset::midpointOfRoundTrip_data()
{
    QTest::addColumn<qint64>("sent");
    QTest::addColumn<qint64>("received");
    QTest::addColumn<qint64>("server");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("same clock") << 1000LL << 1010LL << 1005LL << 0LL;
    QTest::newRow("server ahead 1 h") << 1000LL << 1010LL << 3601005LL << 3600000LL;
    QTest::newRow("server behind 5 s") << 10000LL << 10020LL << 5010LL << -5000LL;
}

void tst_ClockOffset::midpointOfRoundTrip()
{
    QFETCH(qint64, sent);
    QFETCH(qint64, received);
    QFETCH(qint64, server);
    QFETCH(qint64, offset);
    ClockOffset clock;
    clock.addSample(sent, received, server);
    QVERIFY(clock.isValid());
    QCOMPARE(clock.offsetMs(), offset);
    QCOMPARE(clock.uncertaintyMs(), (received - sent) / 2);
}

void tst_ClockOffset::prefersShortestRoundTrip()
{
    ClockOffset clock;
    // A parked long poll: 25 s round trip, the server answered at the very end.
    clock.addSample(0, 25000, 25000 + 7000);
    clock.addSample(30000, 30004, 30002 + 7000); // quick: exact
    clock.addSample(40000, 40500, 40100 + 7000); // slow and asymmetric
    QCOMPARE(clock.offsetMs(), 7000);
    QCOMPARE(clock.uncertaintyMs(), 2);
}

void tst_ClockOffset::ignoresNonsense()
{
    ClockOffset clock;
    clock.addSample(100, 50, 1000); // received before sent
    clock.addSample(100, 150, 0);   // no server time
    QVERIFY(!clock.isValid());
}

QTEST_APPLESS_MAIN(tst_ClockOffset)
#include "tst_clockoffset.moc"
