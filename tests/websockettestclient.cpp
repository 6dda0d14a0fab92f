#include "websockettestclient.h"

#include <QDeadlineTimer>
#include <QHostAddress>

namespace TestWebSocket {

QByteArray clientFrame(quint8 firstByte, const QByteArray &payload, const QByteArray &mask)
{
    QByteArray frame(1, char(firstByte));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size <= 0xffff) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(mask);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ mask.at(i & 3)));
    return frame;
}

QByteArray closePayload(quint16 code, const QByteArray &reason)
{
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code & 0xff));
    return payload + reason;
}

quint16 Frame::closeCode() const
{
    if (payload.size() < 2)
        return 0;
    return quint16((quint8(payload.at(0)) << 8) | quint8(payload.at(1)));
}

bool Client::open(quint16 port, const QByteArray &target, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(timeoutMs))
        return false;
    m_socket.write("GET " + target +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n");
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains("\r\n\r\n")) {
        if (!fill(int(deadline.remainingTime())))
            return false;
    }
    const bool switched = m_buffer.startsWith("HTTP/1.1 101 ");
    m_buffer.remove(0, m_buffer.indexOf("\r\n\r\n") + 4);
    return switched;
}

void Client::send(quint8 firstByte, const QByteArray &payload)
{
    sendRaw(clientFrame(firstByte, payload));
}

void Client::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

bool Client::fill(int timeoutMs)
{
    if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(qMax(timeoutMs, 0)))
        return false;
    m_buffer += m_socket.readAll();
    return true;
}

Frame Client::next(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (m_buffer.size() >= 2) {
            const auto byte = [&](qsizetype i) { return quint8(m_buffer.at(i)); };
            qsizetype offset = 2;
            quint64 length = byte(1) & 0x7f;
            if (length == 126 && m_buffer.size() >= 4) {
                length = (quint64(byte(2)) << 8) | byte(3);
                offset = 4;
            } else if (length == 127 && m_buffer.size() >= 10) {
                length = 0;
                for (qsizetype i = 2; i < 10; ++i)
                    length = (length << 8) | byte(i);
                offset = 10;
            }
            const bool headerComplete = (byte(1) & 0x7f) < 126 || offset > 2;
            if (headerComplete && quint64(m_buffer.size() - offset) >= length) {
                Frame frame;
                frame.fin = byte(0) & 0x80;
                frame.opcode = byte(0) & 0x0f;
                frame.payload = m_buffer.mid(offset, qsizetype(length));
                m_buffer.remove(0, offset + qsizetype(length));
                return frame;
            }
        }
        if (!fill(int(deadline.remainingTime())))
            return {};
    }
}

Frame Client::nextOfOpcode(int opcode, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        Frame frame = next(int(deadline.remainingTime()));
        if (frame.opcode == opcode || frame.opcode < 0)
            return frame;
    }
}

bool Client::waitForEndOfStream(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState) {
        if (!m_socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
        m_buffer += m_socket.readAll();
    }
    return m_socket.state() != QAbstractSocket::ConnectedState;
}

} // namespace TestWebSocket
