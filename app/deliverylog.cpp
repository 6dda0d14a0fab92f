#include "deliverylog.h"

#include "chatclient.h"

#include <QDateTime>

namespace PushChat {

DeliveryLog::DeliveryLog(QObject *parent)
    : QObject(parent)
{}

void DeliveryLog::attach(ChatClient *client, qint64 baselineSeq)
{
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    m_baselineSeq = baselineSeq;
    if (!client)
        return;
    connect(client, &ChatClient::messageReceived, this, [this](const ChatMessage &message) {
        if (message.seq <= m_baselineSeq || message.kind != MessageKind::Chat)
            return;
        Delivery delivery;
        delivery.seq = message.seq;
        delivery.transport = m_client->mode();
        delivery.sentMs = message.ts;
        delivery.receivedMs = QDateTime::currentMSecsSinceEpoch();
        delivery.delayMs =
            std::max<qint64>(0, m_client->clock().serverNow(delivery.receivedMs) - message.ts);
        delivery.nick = message.nick;
        delivery.text = message.text;
        if (m_deliveries.size() >= Capacity)
            m_deliveries.removeFirst();
        m_deliveries.append(delivery);
        emit delivered(delivery);
    });
}

void DeliveryLog::clear()
{
    m_deliveries.clear();
}

} // namespace PushChat
