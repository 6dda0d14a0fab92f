#pragma once

// Helpers shared by the tests that drive ChatClient end to end (tst_chatclient,
// tst_faultinjector, tst_soak).

#include "chatclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

namespace ClientTest {

// Like QTRY_VERIFY, but on a real event loop: QTest::qWait() sleeps 10 ms between rounds of
// events, which would make a stream of thousands of request/answer pairs crawl.
template<typename Condition> bool waitUntil(Condition condition, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (condition() || elapsed.hasExpired(timeoutMs))
            loop.quit();
    });
    check.start(5);
    if (!condition())
        loop.exec();
    return condition();
}

// Each seq from 1 to the last exactly once, ascending.
inline bool isComplete(const PushChat::ChatClient &client, qint64 lastSeq)
{
    const QList<PushChat::ChatMessage> &messages = client.messages();
    if (messages.size() != lastSeq)
        return false;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (messages.at(i).seq != i + 1)
            return false;
    }
    return true;
}

} // namespace ClientTest
