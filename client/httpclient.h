#pragma once

#include "chattransport.h"
#include "clienttls.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTimer>

#include <utility>

class QTcpSocket;

namespace PushChat {

class MetricsRecorder;

/// The host as it goes into a `Host` header: IPv6 addresses in brackets.
QByteArray hostHeader(const QString &host);
/// What a client says when TLS refused the server's certificate.
QString untrustedMessage(const QString &tlsError);
/// `Authorization: Bearer KEY\r\n` for a room key; nothing when `key` is empty.
QByteArray authorizationHeader(const QString &key);

struct HttpResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names in lower case
    QByteArray body;
    qint64 wireBytes = 0; ///< head and body as read from the socket
    qint64 sentAtMs = 0;  ///< local clock when the request was written
    qint64 receivedAtMs = 0;

    QByteArray header(const QByteArray &lowerCaseName) const;
};

/// A small HTTP/1.1 client on one keep-alive QTcpSocket, one request at a time. We write
/// every byte ourselves, so the metrics count exactly what crosses the wire (QNetworkAccess-
/// Manager hides its headers and its connection pool). Only what protocol v1 needs:
/// Content-Length bodies, no chunking, no redirects.
class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    /// `metrics` may be null; then nothing is counted.
    HttpClient(const QString &host, quint16 port, MetricsRecorder *metrics,
               QObject *parent = nullptr);
    ~HttpClient() override;

    /// Extra header lines ending in "\r\n", sent with every request (e.g. Authorization).
    void setExtraHeaders(const QByteArray &headers) { m_extraHeaders = headers; }
    /// TLS for the connections from now on (https://).
    void setTls(const ClientTls &tls) { m_tls = tls; }

    /// Sends a request; answers with finished() or failed(). Must not be called while busy().
    /// `timeoutMs` covers the whole exchange, connecting included.
    void request(const QByteArray &method, const QByteArray &target, const QByteArray &jsonBody,
                 int timeoutMs);
    bool busy() const { return m_busy; }
    /// Drops the connection and any request in flight without emitting anything.
    void abort();
    bool isConnected() const;

signals:
    /// The TCP connection is established (before the request is written).
    void connected();
    void finished(const PushChat::HttpResponse &response);
    /// `written`: the request went (at least partly) out, so the server may have acted on it.
    void failed(PushChat::ErrorCode code, const QString &message, bool written);

private:
    void ensureSocket();
    void writeRequest();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onTimeout();
    void finishWithError(ErrorCode code, const QString &message);
    void closeSocket();

    QString m_host;
    quint16 m_port;
    MetricsRecorder *m_metrics;
    QByteArray m_extraHeaders;
    ClientTls m_tls;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    QByteArray m_buffer;
    bool m_busy = false;
    bool m_written = false;
    bool m_reused = false; ///< the request went on a kept-alive connection: retry once if stale
    bool m_connected = false;
    qint64 m_sentAtMs = 0;
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_body;
    int m_timeoutMs = 0;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::HttpResponse)
