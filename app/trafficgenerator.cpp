#include "trafficgenerator.h"

#include "chatclient.h"

#include <algorithm>
#include <cmath>

namespace PushChat {

TrafficGenerator::TrafficGenerator(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TrafficGenerator::sendOne);
}

TrafficGenerator::~TrafficGenerator()
{
    shutdown();
}

void TrafficGenerator::setServer(const QUrl &url, const QString &key, const ClientTls &tls)
{
    if (url == m_url && key == m_key && tls.pinnedSha256 == m_tls.pinnedSha256 &&
        tls.caCertificates == m_tls.caCertificates)
        return;
    shutdown();
    m_url = url;
    m_key = key;
    m_tls = tls;
}

void TrafficGenerator::start(double perSecond)
{
    m_rate = std::clamp(perSecond, MinRate, MaxRate);
    ensureBots(int(std::ceil(m_rate / PerSenderRate)));
    m_timer.start(int(std::lround(1000.0 / m_rate)));
    emit runningChanged(true);
}

void TrafficGenerator::stop()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    emit runningChanged(false);
}

void TrafficGenerator::burst(int count)
{
    count = std::clamp(count, 1, MaxBurst);
    ensureBots(int(std::ceil(count / PerSenderRate)));
    for (int i = 0; i < count; ++i)
        sendOne();
}

void TrafficGenerator::shutdown()
{
    stop();
    for (ChatClient *client : std::as_const(m_bots)) {
        client->disconnectFromServer();
        client->deleteLater();
    }
    m_bots.clear();
}

void TrafficGenerator::ensureBots(int count)
{
    while (m_bots.size() < count) {
        auto *client = new ChatClient(this);
        client->setServerUrl(m_url);
        client->setTlsTrust(m_tls.caCertificates, m_tls.pinnedSha256);
        client->setKey(m_key);
        client->setNick(m_bots.isEmpty()
                            ? botNick()
                            : QStringLiteral("%1-%2").arg(botNick()).arg(m_bots.size() + 1));
        client->setMode(Transport::WebSocket);
        client->connectToServer();
        m_bots.append(client);
    }
}

void TrafficGenerator::sendOne()
{
    if (m_url.isEmpty())
        return;
    ensureBots(1);
    ++m_sent;
    // Round robin: each bot stays under the server's per-sender limit.
    ChatClient *client = m_bots.at(m_sent % m_bots.size());
    client->send(tr("message %1 from the traffic generator").arg(m_sent));
    emit sent(m_sent);
}

} // namespace PushChat
