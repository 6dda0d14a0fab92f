#pragma once

// A deliberately small WebSocket client for tests: it writes exact frames (fragments, bad
// frames, chosen close codes: what QWebSocket will not send) and reads the server's frames one
// at a time.

#include <QByteArray>
#include <QTcpSocket>

namespace TestWebSocket {

/// A client frame: `firstByte` is FIN, RSV and opcode; the payload is masked with `mask`.
QByteArray clientFrame(quint8 firstByte, const QByteArray &payload,
                       const QByteArray &mask = QByteArray("\x12\x34\x56\x78", 4));

/// A close frame's payload: the code, then the reason.
QByteArray closePayload(quint16 code, const QByteArray &reason = {});

struct Frame
{
    int opcode = -1; ///< -1: the connection ended, or nothing came in time
    bool fin = false;
    QByteArray payload;
    quint16 closeCode() const;
};

class Client
{
public:
    /// Connects to 127.0.0.1:port and completes the handshake for `target` (e.g. "/ws?nick=a").
    bool open(quint16 port, const QByteArray &target, int timeoutMs = 5000);
    void send(quint8 firstByte, const QByteArray &payload);
    void sendRaw(const QByteArray &bytes);
    /// The next frame from the server, waiting up to `timeoutMs`.
    Frame next(int timeoutMs = 5000);
    /// The next frame that is not a text frame of type "hello" or "message" (live traffic).
    Frame nextOfOpcode(int opcode, int timeoutMs = 5000);
    /// Waits until the server has closed the TCP connection (end of stream).
    bool waitForEndOfStream(int timeoutMs = 5000);
    QTcpSocket &socket() { return m_socket; }

private:
    bool fill(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace TestWebSocket
