#include "eventlog.h"
#include "metricsrecorder.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using namespace PushChat;

class tst_EventLog : public QObject
{
    Q_OBJECT

private slots:
    void boundedByCapacity();
    void boundedByAge();
    void eventsSinceIsOrdered();
    void recorderCountsAndLogs();
    void recorderPercentiles();
    void recorderSplitsHeadersPayloadAndSetup();
    void recorderRatesOverTheTimeOfUse();
};

namespace {
ClientEvent at(qint64 timeMs, int count = 0)
{
    ClientEvent event;
    event.timeMs = timeMs;
    event.count = count;
    return event;
}
} // namespace

void tst_EventLog::boundedByCapacity()
{
    EventLog log;
    log.setCapacity(100);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 1000; ++i)
        log.append(at(now, i));
    QCOMPARE(log.size(), 100);
    QCOMPARE(log.events().first().count, 900);
    QCOMPARE(log.events().last().count, 999);
}

void tst_EventLog::boundedByAge()
{
    EventLog log;
    log.setMaxAgeMs(60000);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    log.append(at(now - 120000));
    log.append(at(now - 30000));
    log.append(at(now));
    QCOMPARE(log.size(), 2);
}

void tst_EventLog::eventsSinceIsOrdered()
{
    EventLog log;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 60; ++i)
        log.append(at(now - 59000 + i * 1000, i));
    const QList<ClientEvent> last30 = log.eventsSince(now - 30000);
    QCOMPARE(last30.size(), 31);
    QCOMPARE(last30.first().count, 29);
    QCOMPARE(last30.last().count, 59);
}

void tst_EventLog::recorderCountsAndLogs()
{
    EventLog log;
    MetricsRecorder recorder(Transport::Polling, &log);
    QSignalSpy changed(&recorder, &MetricsRecorder::changed);
    recorder.connectionOpened();
    recorder.requestSent(120);
    recorder.responseReceived(200, 0);
    recorder.requestSent(120);
    recorder.responseReceived(350, 2);
    recorder.messagesReceived(2);
    const TransportMetrics m = recorder.metrics();
    QCOMPARE(m.httpRequests, 2);
    QCOMPARE(m.httpResponses, 2);
    QCOMPARE(m.emptyResponses, 1);
    QCOMPARE(m.bytesSent, 240);
    QCOMPARE(m.bytesReceived, 550);
    QCOMPARE(m.openConnections, 1);
    QCOMPARE(m.messagesReceived, 2);
    QCOMPARE(log.size(), 5);
    QCOMPARE(log.events().at(2).type, ClientEvent::Type::ResponseEmpty);
    QCOMPARE(log.events().at(4).type, ClientEvent::Type::ResponseMessages);
    QCOMPARE(log.events().at(4).count, 2);
    QVERIFY(changed.wait(1000));
    QCOMPARE(changed.size(), 1); // coalesced
}

void tst_EventLog::recorderPercentiles()
{
    MetricsRecorder recorder(Transport::WebSocket, nullptr);
    for (int i = 1; i <= 100; ++i)
        recorder.latency(i);
    LatencyStats latency = recorder.metrics().latency;
    QCOMPARE(latency.samples, 100);
    QVERIFY(qAbs(latency.p50 - 50) <= 1);
    QVERIFY(qAbs(latency.p95 - 95) <= 1);
    QCOMPARE(latency.max, 100);
    // A sliding window: old samples fall out.
    for (int i = 0; i < MetricsRecorder::LatencyWindow; ++i)
        recorder.latency(7);
    latency = recorder.metrics().latency;
    QCOMPARE(latency.samples, MetricsRecorder::LatencyWindow);
    QCOMPARE(latency.max, 7);
}

void tst_EventLog::recorderSplitsHeadersPayloadAndSetup()
{
    MetricsRecorder recorder(Transport::WebSocket, nullptr);
    recorder.connectionOpened();
    recorder.handshakeSent(200);
    recorder.handshakeReceived(130);
    recorder.headerReceived(2); // a message frame: 2 header bytes, 10 payload
    recorder.frameIn(12, 1);
    recorder.frameOut(20);
    recorder.headerSent(6); // 2 header + 4 mask, 14 payload
    const TransportMetrics m = recorder.metrics();
    QCOMPARE(m.bytesSent, 220);
    QCOMPARE(m.bytesReceived, 142);
    QCOMPARE(m.setupBytes, 330);
    QCOMPARE(m.headerBytes(), 338);
    QCOMPARE(m.steadyHeaderBytes(), 8);
    QCOMPARE(m.payloadBytes(), 24);
    QCOMPARE(m.httpRequests, 0);

    MetricsRecorder http(Transport::Polling, nullptr);
    http.requestSent(80);
    http.headerSent(80);
    http.headerReceived(120);
    http.responseReceived(180, 0);
    QCOMPARE(http.metrics().setupBytes, 0);
    QCOMPARE(http.metrics().payloadBytes(), 60);
}

void tst_EventLog::recorderRatesOverTheTimeOfUse()
{
    TransportMetrics ten;
    ten.observedMs = 30000;
    QCOMPARE(ten.perMinute(10), 20.0);
    QCOMPARE(TransportMetrics{}.perMinute(10), 0.0);

    MetricsRecorder recorder(Transport::LongPoll, nullptr);
    QCOMPARE(recorder.metrics().observedMs, 0); // not used yet
    recorder.connectionOpened();
    const qint64 opened = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > opened + 20);
    recorder.connectionClosed();
    const qint64 used = recorder.metrics().observedMs;
    QVERIFY(used >= 20);
    // Closed: the time since does not count.
    const qint64 closed = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > closed + 20);
    QCOMPARE(recorder.metrics().observedMs, used);
}

QTEST_GUILESS_MAIN(tst_EventLog)
#include "tst_eventlog.moc"
