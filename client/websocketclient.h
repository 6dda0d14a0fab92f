#pragma once

#include "chattransport.h"
#include "clienttls.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace PushChat {

class MetricsRecorder;

/// A minimal RFC 6455 client on QTcpSocket: handshake, masked text frames out, unmasked
/// frames in, ping/pong and close. Written instead of QWebSocket so every byte of the
/// handshake and of the framing can be counted.
class WebSocketClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketClient)

public:
    WebSocketClient(MetricsRecorder *metrics, QObject *parent = nullptr);
    ~WebSocketClient() override;

    /// Connects and sends the upgrade for `target` (path and query); `extraHeaders` lines end
    /// in "\r\n". Answers with connected() or failed().
    void open(const QString &host, quint16 port, const QByteArray &target,
              const QByteArray &extraHeaders, int timeoutMs);
    /// TLS for the next open() (wss://).
    void setTls(const ClientTls &tls) { m_tls = tls; }
    void sendText(const QByteArray &utf8);
    void sendPing();
    /// Aborts the connection without emitting anything.
    void abort();

signals:
    void connected();
    void textReceived(const QByteArray &utf8, qint64 frameBytes);
    void pong();
    void failed(PushChat::ErrorCode code, const QString &message);

private:
    void onConnected();
    void onReadyRead();
    bool parseHandshake();
    void parseFrames();
    void writeFrame(int opcode, const QByteArray &payload);
    void onSocketError();
    void fail(ErrorCode code, const QString &message);

    MetricsRecorder *m_metrics;
    QTcpSocket *m_socket = nullptr;
    ClientTls m_tls;
    QTimer m_timer;
    QByteArray m_request;
    QByteArray m_acceptKey;
    QByteArray m_buffer;
    QByteArray m_fragments;
    qint64 m_fragmentBytes = 0;
    bool m_open = false;
    bool m_tcpOpen = false;
};

} // namespace PushChat
