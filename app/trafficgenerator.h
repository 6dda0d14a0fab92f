#pragma once

#include "clienttls.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>

namespace PushChat {

class ChatClient;

/// A named bot that sends messages into the room so differences show without anyone typing:
/// a steady N messages a second (0.2 … 50) or a burst of N at once. The server lets one sender
/// post 20 messages a second; above that the load is shared by helpers "bot-2", "bot-3" …
/// so nothing is refused. The bots speak WebSocket and are no part of what is compared.
class TrafficGenerator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficGenerator)

public:
    static constexpr double MinRate = 0.2;
    static constexpr double MaxRate = 50;
    static constexpr int MaxBurst = 200;
    /// Messages a second one sender may post (the server's default limit, with headroom).
    static constexpr double PerSenderRate = 18;

    explicit TrafficGenerator(QObject *parent = nullptr);
    ~TrafficGenerator() override;

    static QString botNick() { return QStringLiteral("bot"); }

    void setServer(const QUrl &url, const QString &key, const ClientTls &tls = {});
    /// Sends `perSecond` messages a second from now on (clamped to MinRate … MaxRate).
    void start(double perSecond);
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    double rate() const { return m_rate; }
    /// Sends `count` messages at once (1 … MaxBurst).
    void burst(int count);
    /// Disconnects every bot.
    void shutdown();

    int sentCount() const { return m_sent; }

signals:
    void sent(int total);
    void runningChanged(bool running);

private:
    void sendOne();
    void ensureBots(int count);

    QUrl m_url;
    QString m_key;
    ClientTls m_tls;
    QList<ChatClient *> m_bots;
    QTimer m_timer;
    double m_rate = 2;
    int m_sent = 0;
};

} // namespace PushChat
