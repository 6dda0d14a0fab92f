#include "httpclient.h"

#include "clientlog.h"
#include "metricsrecorder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTcpSocket>

namespace PushChat {

QByteArray hostHeader(const QString &host)
{
    return host.contains(QLatin1Char(':')) ? '[' + host.toUtf8() + ']' : host.toUtf8();
}

QByteArray authorizationHeader(const QString &key)
{
    if (key.isEmpty())
        return {};
    return "Authorization: Bearer " + key.toUtf8() + "\r\n";
}

QString untrustedMessage(const QString &tlsError)
{
    return QCoreApplication::translate("PushChat::ClientTls",
                                       "The server's certificate is not trusted (%1). Trust it "
                                       "with its CA file or pin its SHA-256 fingerprint.")
        .arg(tlsError);
}

QByteArray HttpResponse::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

HttpClient::HttpClient(const QString &host, quint16 port, MetricsRecorder *metrics, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_port(port)
    , m_metrics(metrics)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpClient::onTimeout);
}

HttpClient::~HttpClient()
{
    closeSocket();
}

bool HttpClient::isConnected() const
{
    return m_socket && m_connected;
}

void HttpClient::request(const QByteArray &method, const QByteArray &target,
                         const QByteArray &jsonBody, int timeoutMs)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_written = false;
    m_method = method;
    m_target = target;
    m_body = jsonBody;
    m_timeoutMs = timeoutMs;
    m_timer.start(timeoutMs);
    m_reused = isConnected();
    if (m_reused)
        writeRequest();
    else
        ensureSocket();
}

void HttpClient::ensureSocket()
{
    closeSocket();
    m_socket = m_tls.createSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_connected = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_metrics)
            m_metrics->connectionOpened();
        emit connected();
        if (m_busy && m_socket)
            writeRequest();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpClient::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpClient::onSocketError);
    ClientTls::connectToHost(m_socket, m_host, m_port);
}

void HttpClient::writeRequest()
{
    QByteArray raw = m_method + ' ' + m_target + " HTTP/1.1\r\nHost: " + hostHeader(m_host) + ':' +
                     QByteArray::number(m_port) + "\r\n" + m_extraHeaders;
    if (m_method == "POST") {
        raw += "Content-Type: application/json\r\nContent-Length: " +
               QByteArray::number(m_body.size()) + "\r\n";
    }
    raw += "\r\n";
    raw += m_body;
    m_buffer.clear();
    m_written = true;
    m_sentAtMs = QDateTime::currentMSecsSinceEpoch();
    m_socket->write(raw);
    if (m_metrics) {
        m_metrics->requestSent(raw.size(), QString::fromUtf8(m_method + ' ' + m_target));
        m_metrics->headerSent(raw.size() - m_body.size());
    }
    qCDebug(lcClientHttp) << m_method << m_target;
}

void HttpClient::onReadyRead()
{
    m_buffer += m_socket->readAll();
    if (!m_busy) {
        // Nothing is asked: the server has no reason to talk. Count it and forget it.
        if (m_metrics)
            m_metrics->bytesReceived(m_buffer.size());
        m_buffer.clear();
        return;
    }
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    HttpResponse response;
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    bool ok = false;
    response.status = statusLine.value(1).toInt(&ok);
    if (!statusLine.value(0).startsWith("HTTP/1.") || !ok) {
        finishWithError(ErrorCode::ProtocolError, tr("Malformed HTTP status line"));
        return;
    }
    qint64 length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        response.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
    }
    if (response.status == 100) {
        // Not asked for, but harmless: skip it.
        if (m_metrics) {
            m_metrics->bytesReceived(headEnd + 4);
            m_metrics->headerReceived(headEnd + 4);
        }
        m_buffer.remove(0, headEnd + 4);
        onReadyRead();
        return;
    }
    const qint64 total = headEnd + 4 + length;
    if (m_buffer.size() < total)
        return;
    response.body = m_buffer.mid(headEnd + 4, length);
    response.wireBytes = total;
    response.sentAtMs = m_sentAtMs;
    response.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_buffer.remove(0, total);
    if (m_metrics)
        m_metrics->headerReceived(headEnd + 4); // the whole response is counted by its reader
    m_busy = false;
    m_timer.stop();
    if (response.header("connection").toLower() == "close" || statusLine.value(0) == "HTTP/1.0")
        closeSocket();
    emit finished(response);
}

void HttpClient::onDisconnected()
{
    if (!m_busy) {
        closeSocket();
        return;
    }
    // A kept-alive connection the server closed while idle: try once more on a fresh one.
    // Only a GET: a POST may have been stored already, ChatClient decides about those.
    if (m_reused && m_buffer.isEmpty() && m_method == "GET") {
        qCDebug(lcClientHttp) << "stale keep-alive connection, retrying" << m_target;
        m_reused = false;
        ensureSocket();
        return;
    }
    finishWithError(ErrorCode::ConnectionLost, tr("Connection closed by the server"));
}

void HttpClient::onSocketError()
{
    if (!m_socket)
        return;
    const auto error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError)
        return; // onDisconnected() decides
    if (!m_busy) {
        closeSocket();
        return;
    }
    ErrorCode code = ErrorCode::ConnectionLost;
    if (error == QAbstractSocket::ConnectionRefusedError)
        code = ErrorCode::ConnectionRefused;
    else if (error == QAbstractSocket::HostNotFoundError)
        code = ErrorCode::HostNotFound;
    else if (error == QAbstractSocket::SocketTimeoutError)
        code = ErrorCode::Timeout;
    else if (error == QAbstractSocket::SslHandshakeFailedError)
        code = ErrorCode::Untrusted;
    if (m_reused && m_buffer.isEmpty() && code == ErrorCode::ConnectionLost && m_method == "GET") {
        m_reused = false;
        ensureSocket();
        return;
    }
    finishWithError(code, code == ErrorCode::Untrusted ? untrustedMessage(m_socket->errorString())
                                                       : m_socket->errorString());
}

void HttpClient::onTimeout()
{
    if (m_busy)
        finishWithError(ErrorCode::Timeout, tr("No answer within %1 ms").arg(m_timeoutMs));
}

void HttpClient::finishWithError(ErrorCode code, const QString &message)
{
    const bool written = m_written;
    if (m_metrics && !m_buffer.isEmpty())
        m_metrics->bytesReceived(m_buffer.size());
    closeSocket();
    m_busy = false;
    m_timer.stop();
    qCDebug(lcClientHttp) << "failed" << m_target << message;
    emit failed(code, message, written);
}

void HttpClient::abort()
{
    closeSocket();
    m_busy = false;
    m_timer.stop();
}

void HttpClient::closeSocket()
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    m_buffer.clear();
    if (m_connected && m_metrics)
        m_metrics->connectionClosed();
    m_connected = false;
}

} // namespace PushChat
