#pragma once

#include "chattransport.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <array>

namespace PushChat {

/// The clients of a SimulatedAudience, on the audience's own thread: for each technique, N bare
/// transports (no ChatClient, no metrics, no nick) that only receive. A transport that fails is
/// replaced by a new one from its cursor after a pause, as a real client would reconnect.
class AudienceWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AudienceWorker)

public:
    explicit AudienceWorker(QObject *parent = nullptr);
    ~AudienceWorker() override;

public slots:
    /// The room to join; `after`: its last seq, so a new client does not fetch the history.
    void setRoom(const QUrl &serverUrl, const QString &key, int pollIntervalMs, qint64 after);
    /// Grows or shrinks the clients of `technique` to `count`.
    void setCount(PushChat::Transport technique, int count);
    void stopAll();

signals:
    /// How many clients of each technique are connected now (polling, long polling,
    /// WebSocket); a few times a second while running.
    void reported(int polling, int longPoll, int webSocket);

private:
    struct Client
    {
        ChatTransport *transport = nullptr;
        qint64 cursor = 0;
    };

    void spawnSome();
    ChatTransport *makeTransport(Transport technique, Client *client);
    void replaceLater(Transport technique, ChatTransport *failed);
    void report();

    TransportContext m_context;
    qint64 m_after = 0;
    std::array<int, 3> m_wanted{};
    std::array<QList<Client *>, 3> m_clients;
    QTimer m_spawnTimer;
    QTimer m_reportTimer;
};

} // namespace PushChat
