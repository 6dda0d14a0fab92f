#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace PushChat::Bench {

enum class Technique { Poll, LongPoll, WebSocket };

struct BenchOptions
{
    Technique technique = Technique::WebSocket;
    QString label; // shown in the report ("pushchat", "tornado")
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8765;
    qint64 serverPid = 0;      // 0: no CPU/RSS figures unless the tool starts the server
    QStringList serverCommand; // started by the tool when not empty; it must print its URL
    int clients = 10;
    int messages = 0;  // 0 with idleSeconds > 0: the idle scenario
    double rate = 1.0; // messages per second; 0: one at a time (next after delivery)
    int idleSeconds = 0;
    int pollIntervalMs = 1000;
    int waitSeconds = 30;      // long-poll wait
    int sourceAddresses = 1;   // client sockets spread over 127.0.0.1 … 127.0.0.N
    int senderConnections = 8; // HTTP senders: posts in flight at once
    int settleMs = 1000;
    int deliveryTimeoutMs = 10000;
    int connectConcurrency = 200;
};

QString techniqueName(Technique technique);

} // namespace PushChat::Bench
