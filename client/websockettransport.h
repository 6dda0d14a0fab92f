#pragma once

#include "chattransport.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimer>

namespace PushChat {

class WebSocketClient;

/// WebSocket: `/ws?nick=…&after=N`; the hello frame, then one frame per message. Sending by
/// `{"type":"send","text":…,"id":…}` frames, each confirmed by an ack; one send is on the wire
/// at a time, as with HTTP posts, so that a message refused over the rate limit (and sent again
/// a second later) is never overtaken by one typed after it. A ping goes out every 20 s;
/// without a pong within 10 s the transport fails with Timeout (and ChatClient reconnects).
class WebSocketTransport final : public ChatTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketTransport)

public:
    explicit WebSocketTransport(const TransportContext &context, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    Transport kind() const override { return Transport::WebSocket; }
    void open(qint64 after) override;
    void send(qint64 id, const QString &text, const QString &clientId) override;
    void close() override;
    void stopReceiving() override;

private:
    void onConnected();
    /// Hands a frame to the handler of its type.
    void onText(const QByteArray &utf8, qint64 frameBytes);
    void onMessageFrame(const QJsonObject &frame);
    void onHello(const QJsonObject &frame);
    void onAck(const QJsonObject &frame);
    void onError(const QJsonObject &frame);
    void onPingTimer();
    void onPongTimeout();
    void sendNext();
    /// Takes `id` off the queue; the next message may go.
    void finishSend(qint64 id);
    /// `id` is the message on the wire (or waiting to be sent again after a 429).
    bool isOnTheWire(qint64 id) const;

    struct PendingSend
    {
        qint64 id = 0;
        QString text;
        QString clientId;
    };
    WebSocketClient *m_socket;
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QList<PendingSend> m_pending; ///< in the order given, until acked or refused
    bool m_sending = false;       ///< the first of m_pending is on the wire or waits to retry
    qint64 m_sentAtMs = 0;        ///< local time it last went out, for a clock sample from its ack
    qint64 m_openedAtMs = 0;
    qint64 m_helloLastSeq = 0;
    bool m_helloSeen = false;
};

} // namespace PushChat
