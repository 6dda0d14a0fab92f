#include "audienceworker.h"

#include "clientlog.h"
#include "longpolltransport.h"
#include "pollingtransport.h"
#include "websockettransport.h"

#include <QRandomGenerator>

namespace PushChat {

namespace {
// New clients join in steps, so a thousand do not all knock in the same millisecond (the
// server's listen backlog holds them, but the thread stays responsive to stop()).
constexpr int SpawnStep = 50;
constexpr int SpawnIntervalMs = 10;
constexpr int ReportIntervalMs = 250;
constexpr int ReconnectMinMs = 1000;
constexpr int ReconnectJitterMs = 2000;
} // namespace

AudienceWorker::AudienceWorker(QObject *parent)
    : QObject(parent)
    , m_spawnTimer(this) // children, so that moveToThread() takes them along
    , m_reportTimer(this)
{
    m_spawnTimer.setInterval(SpawnIntervalMs);
    connect(&m_spawnTimer, &QTimer::timeout, this, &AudienceWorker::spawnSome);
    m_reportTimer.setInterval(ReportIntervalMs);
    connect(&m_reportTimer, &QTimer::timeout, this, &AudienceWorker::report);
}

AudienceWorker::~AudienceWorker()
{
    stopAll();
}

void AudienceWorker::setRoom(const QUrl &serverUrl, const QString &key, int pollIntervalMs,
                             qint64 after)
{
    m_context.serverUrl = serverUrl;
    m_context.key = key;
    m_context.pollIntervalMs = pollIntervalMs;
    m_after = after;
}

void AudienceWorker::setCount(Transport technique, int count)
{
    m_wanted[size_t(technique)] = qMax(0, count);
    QList<Client *> &clients = m_clients[size_t(technique)];
    while (clients.size() > m_wanted[size_t(technique)]) {
        Client *client = clients.takeLast();
        client->transport->close();
        delete client->transport;
        delete client;
    }
    if (!m_spawnTimer.isActive())
        m_spawnTimer.start();
    if (!m_reportTimer.isActive())
        m_reportTimer.start();
    spawnSome();
    report();
}

void AudienceWorker::stopAll()
{
    for (const Transport technique :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket})
        setCount(technique, 0);
    m_spawnTimer.stop();
    report();
    m_reportTimer.stop();
}

void AudienceWorker::spawnSome()
{
    bool more = false;
    for (const Transport technique :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        QList<Client *> &clients = m_clients[size_t(technique)];
        const int wanted = m_wanted[size_t(technique)];
        for (int step = 0; step < SpawnStep && clients.size() < wanted; ++step) {
            auto *client = new Client{nullptr, m_after};
            client->transport = makeTransport(technique, client);
            clients.append(client);
        }
        more = more || clients.size() < wanted;
    }
    if (!more)
        m_spawnTimer.stop();
}

ChatTransport *AudienceWorker::makeTransport(Transport technique, Client *client)
{
    ChatTransport *transport = nullptr;
    switch (technique) {
    case Transport::Polling:
        transport = new PollingTransport(m_context, this);
        break;
    case Transport::LongPoll:
        transport = new LongPollTransport(m_context, this);
        break;
    case Transport::WebSocket:
        transport = new WebSocketTransport(m_context, this);
        break;
    }
    connect(transport, &ChatTransport::messagesReceived, this, [client](const MessagePage &page) {
        client->cursor = page.messages.isEmpty()
                             ? qMax(client->cursor, page.reset ? page.lastSeq : 0)
                             : page.messages.last().seq;
    });
    connect(transport, &ChatTransport::errorOccurred, this,
            [this, technique, transport](ErrorCode, const QString &message) {
                qCDebug(lcClient).noquote() << "simulated client failed:" << message;
                replaceLater(technique, transport);
            });
    if (technique == Transport::Polling) {
        // Started together, a crowd of pollers would keep asking in one burst a second; a real
        // audience's polls fall anywhere in the interval.
        const int phaseMs = int(QRandomGenerator::global()->bounded(m_context.pollIntervalMs));
        QTimer::singleShot(phaseMs, transport,
                           [transport, client] { transport->open(client->cursor); });
    } else {
        transport->open(client->cursor);
    }
    return transport;
}

void AudienceWorker::replaceLater(Transport technique, ChatTransport *failed)
{
    const int delayMs =
        ReconnectMinMs + int(QRandomGenerator::global()->bounded(ReconnectJitterMs));
    QTimer::singleShot(delayMs, this, [this, technique, failed] {
        for (Client *client : std::as_const(m_clients[size_t(technique)])) {
            if (client->transport != failed)
                continue; // (stopped meanwhile: nothing to replace)
            failed->deleteLater();
            client->transport = makeTransport(technique, client);
            return;
        }
    });
}

void AudienceWorker::report()
{
    std::array<int, 3> connected{};
    for (size_t technique = 0; technique < m_clients.size(); ++technique) {
        for (const Client *client : std::as_const(m_clients[technique]))
            connected[technique] += client->transport->state() == ChatTransport::State::Open;
    }
    emit reported(connected[0], connected[1], connected[2]);
}

} // namespace PushChat
