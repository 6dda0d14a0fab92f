#pragma once

#include "chattransport.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QTimer>

namespace PushChat {

class WebSocketClient;

/// WebSocket: `/ws?nick=…&after=N`; the hello frame, then one frame per message. Sending by
/// `{"type":"send","text":…,"id":…}` frames, each confirmed by an ack. A ping goes out every
/// 20 s; without a pong within 10 s the transport fails with Timeout (and ChatClient
/// reconnects).
class WebSocketTransport final : public ChatTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketTransport)

public:
    explicit WebSocketTransport(const TransportContext &context, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    Transport kind() const override { return Transport::WebSocket; }
    void open(qint64 after) override;
    void send(qint64 id, const QString &text) override;
    void close() override;
    void stopReceiving() override;

private:
    void onConnected();
    void onText(const QByteArray &utf8, qint64 frameBytes);
    void onPingTimer();
    void onPongTimeout();

    WebSocketClient *m_socket;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QHash<qint64, qint64> m_sentAtMs; ///< id → local time, for clock samples from acks
    QHash<qint64, QString> m_texts;   ///< id → text until acked or refused
    QList<qint64> m_queued;           ///< sent before the hello came
    qint64 m_after = 0;
    qint64 m_openedAtMs = 0;
    qint64 m_helloLastSeq = 0;
    bool m_helloSeen = false;
};

} // namespace PushChat
