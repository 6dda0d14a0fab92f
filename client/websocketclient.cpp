#include "websocketclient.h"

#include "clientlog.h"
#include "httpclient.h"
#include "metricsrecorder.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>

#include <utility>

namespace PushChat {

namespace {
enum Opcode { Continuation = 0, Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10 };
constexpr char Guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr int NonceBytes = 16; ///< the Sec-WebSocket-Key before base64 (RFC 6455 4.1)
/// Far above the server's 64 KiB messages: only a broken peer sends more.
constexpr qint64 MaxFrameBytes = 16 * 1024 * 1024;
constexpr int CloseNoStatus = 1005;      ///< RFC 6455: the close frame carried no code
constexpr int CloseMessageTooBig = 1009; ///< RFC 6455: we sent more than the server takes
constexpr int MaxFrameHeaderBytes = 14;  ///< 2, 8 bytes of length, 4 of mask
} // namespace

WebSocketClient::WebSocketClient(MetricsRecorder *metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this,
            [this] { fail(ErrorCode::Timeout, tr("The WebSocket handshake timed out")); });
}

WebSocketClient::~WebSocketClient()
{
    abort();
}

void WebSocketClient::open(const QString &host, quint16 port, const QByteArray &target,
                           const QByteArray &extraHeaders, int timeoutMs)
{
    abort();
    QByteArray nonce(NonceBytes, Qt::Uninitialized);
    for (char &c : nonce)
        c = char(QRandomGenerator::global()->bounded(256));
    const QByteArray key = nonce.toBase64();
    m_acceptKey = QCryptographicHash::hash(key + Guid, QCryptographicHash::Sha1).toBase64();
    m_request = "GET " + target + " HTTP/1.1\r\nHost: " + hostHeader(host) + ':' +
                QByteArray::number(port) +
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    m_socket = m_tls.createSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &WebSocketClient::onConnected);
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketClient::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &WebSocketClient::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { fail(ErrorCode::ConnectionLost, tr("Connection closed by the server")); });
    m_timer.start(timeoutMs);
    ClientTls::connectToHost(m_socket, host, port);
}

void WebSocketClient::onConnected()
{
    m_tcpOpen = true;
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_metrics) {
        m_metrics->connectionOpened();
        m_metrics->handshakeSent(m_request.size());
    }
    m_socket->write(m_request);
}

void WebSocketClient::onReadyRead()
{
    m_buffer += m_socket->readAll();
    if (!m_open) {
        if (!parseHandshake())
            return;
    }
    parseFrames();
}

bool WebSocketClient::parseHandshake()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QByteArray head = m_buffer.left(end);
    if (m_metrics)
        m_metrics->handshakeReceived(end + 4);
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> lines = head.split('\n');
    const int status = lines.value(0).split(' ').value(1).toInt();
    if (status != 101) {
        QByteArray blocked;
        for (const QByteArray &line : lines) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "pushchat-blocked")
                blocked = line.mid(colon + 1).trimmed();
        }
        if (!blocked.isEmpty()) {
            fail(ErrorCode::Blocked, tr("WebSocket upgrades are refused on the way to the server "
                                        "(HTTP %1): try long polling or polling")
                                         .arg(status));
            return false;
        }
        fail(errorCodeForHttpStatus(status),
             tr("The server refused the WebSocket (HTTP %1)").arg(status));
        return false;
    }
    bool accepted = false;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "sec-websocket-accept")
            accepted = line.mid(colon + 1).trimmed() == m_acceptKey;
    }
    if (!accepted) {
        fail(ErrorCode::ProtocolError, tr("Wrong Sec-WebSocket-Accept"));
        return false;
    }
    m_open = true;
    m_timer.stop();
    emit connected();
    return m_socket != nullptr;
}

void WebSocketClient::parseFrames()
{
    QPointer<WebSocketClient> self(this);
    while (m_socket && m_buffer.size() >= 2) {
        const auto b0 = quint8(m_buffer.at(0));
        const auto b1 = quint8(m_buffer.at(1));
        const bool fin = b0 & 0x80;
        const int opcode = b0 & 0x0f;
        const bool masked = b1 & 0x80;
        qint64 length = b1 & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (quint8(m_buffer.at(2)) << 8) | quint8(m_buffer.at(3));
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | quint8(m_buffer.at(i));
            header = 10;
        }
        if (masked)
            header += 4;
        if (length > MaxFrameBytes) {
            fail(ErrorCode::ProtocolError, tr("Frame too large"));
            return;
        }
        if (m_buffer.size() < header + length)
            return;
        QByteArray payload = m_buffer.mid(header, length);
        if (masked) {
            const QByteArray mask = m_buffer.mid(header - 4, 4);
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload[i] ^ mask[i % 4]);
        }
        const qint64 frameBytes = header + length;
        m_buffer.remove(0, frameBytes);
        if (m_metrics)
            m_metrics->headerReceived(header); // the frame is counted by whoever reads it
        switch (opcode) {
        case Text:
        case Binary:
        case Continuation:
            m_fragments += payload;
            m_fragmentBytes += frameBytes;
            if (fin) {
                const QByteArray message = std::exchange(m_fragments, {});
                const qint64 bytes = std::exchange(m_fragmentBytes, 0);
                emit textReceived(message, bytes);
            }
            break;
        case Ping:
            if (m_metrics)
                m_metrics->frameIn(frameBytes, 0);
            writeFrame(Pong, payload);
            break;
        case Pong:
            if (m_metrics)
                m_metrics->frameIn(frameBytes, 0);
            emit pong();
            break;
        case Close: {
            if (m_metrics)
                m_metrics->frameIn(frameBytes, 0);
            const int code = payload.size() >= 2
                                 ? (quint8(payload.at(0)) << 8) | quint8(payload.at(1))
                                 : CloseNoStatus;
            writeFrame(Close, payload.left(2));
            ErrorCode error = ErrorCode::ConnectionLost;
            if (code == CloseCode::Unauthorized)
                error = ErrorCode::Unauthorized;
            else if (code == CloseCode::Forbidden)
                error = ErrorCode::Forbidden;
            else if (code == CloseCode::BadRequest || code == CloseMessageTooBig)
                error = ErrorCode::BadRequest;
            fail(error, tr("The server closed the WebSocket (%1 %2)")
                            .arg(code)
                            .arg(QString::fromUtf8(payload.mid(2))));
            return;
        }
        default:
            fail(ErrorCode::ProtocolError, tr("Unknown WebSocket opcode %1").arg(opcode));
            return;
        }
        if (!self)
            return;
    }
}

void WebSocketClient::sendText(const QByteArray &utf8)
{
    writeFrame(Text, utf8);
}

void WebSocketClient::sendPing()
{
    writeFrame(Ping, QByteArrayLiteral("pushchat"));
}

void WebSocketClient::writeFrame(int opcode, const QByteArray &payload)
{
    if (!m_socket || !m_open)
        return;
    QByteArray frame;
    frame.reserve(payload.size() + MaxFrameHeaderBytes);
    frame.append(char(0x80 | opcode));
    const qsizetype length = payload.size();
    if (length < 126) {
        frame.append(char(0x80 | length));
    } else if (length < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(length >> 8));
        frame.append(char(length & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(length) >> shift) & 0xff));
    }
    const quint32 maskValue = QRandomGenerator::global()->generate();
    char mask[4];
    for (int i = 0; i < 4; ++i)
        mask[i] = char((maskValue >> (8 * i)) & 0xff);
    frame.append(mask, 4);
    const qsizetype start = frame.size();
    frame.append(payload);
    for (qsizetype i = 0; i < length; ++i)
        frame[start + i] = char(frame[start + i] ^ mask[i % 4]);
    m_socket->write(frame);
    if (m_metrics) {
        m_metrics->frameOut(frame.size(), opcode == Text ? QString() : QStringLiteral("control"));
        m_metrics->headerSent(frame.size() - payload.size());
    }
}

void WebSocketClient::onSocketError()
{
    if (!m_socket || m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        return; // disconnected() follows
    ErrorCode code = ErrorCode::ConnectionLost;
    if (m_socket->error() == QAbstractSocket::ConnectionRefusedError)
        code = ErrorCode::ConnectionRefused;
    else if (m_socket->error() == QAbstractSocket::HostNotFoundError)
        code = ErrorCode::HostNotFound;
    else if (m_socket->error() == QAbstractSocket::SslHandshakeFailedError)
        code = ErrorCode::Untrusted;
    fail(code, code == ErrorCode::Untrusted ? untrustedMessage(m_socket->errorString())
                                            : m_socket->errorString());
}

void WebSocketClient::fail(ErrorCode code, const QString &message)
{
    if (!m_socket)
        return;
    abort();
    qCDebug(lcClientWebSocket) << "failed:" << message;
    emit failed(code, message);
}

void WebSocketClient::abort()
{
    m_timer.stop();
    if (m_socket) {
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        if (m_tcpOpen && m_metrics)
            m_metrics->connectionClosed();
    }
    m_tcpOpen = false;
    m_open = false;
    m_buffer.clear();
    m_fragments.clear();
    m_fragmentBytes = 0;
}

} // namespace PushChat
