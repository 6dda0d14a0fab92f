#pragma once

#include <QByteArray>
#include <QByteArrayView>

/// WebSocket frames (RFC 6455): server-to-client frames built once and written as they are,
/// and a strict parser for client-to-server frames. Pure functions, no sockets.
namespace PushChat::WebSocketFrame {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

/// Close codes the server sends (RFC 6455, section 7.4.1).
enum CloseCode : quint16 {
    CloseNormal = 1000,
    CloseGoingAway = 1001,
    CloseProtocolError = 1002,
    CloseUnsupportedData = 1003,
    CloseNoStatus = 1005, ///< never sent: a close frame that carried no code
    CloseInvalidPayload = 1007,
    ClosePolicyViolation = 1008,
    CloseTooBig = 1009,
};

/// A final, unmasked frame of this opcode carrying `payload`.
QByteArray frame(Opcode opcode, QByteArrayView payload);
/// A final text frame carrying `payload`.
inline QByteArray text(QByteArrayView payload)
{
    return frame(Text, payload);
}
/// The payload of a frame built by frame(): unmasked, its length in the shortest form.
QByteArrayView payloadOf(QByteArrayView builtFrame);
/// A close frame with a code and a UTF-8 reason (cut to fit the 125-byte control payload).
QByteArray close(quint16 code, QByteArrayView reason = {});

/// Bytes a frame with this payload takes on the wire; `masked` for client-to-server frames.
qint64 wireSize(qint64 payloadBytes, bool masked);

struct ParsedFrame
{
    enum class Status { Complete, Incomplete, Error };
    Status status = Status::Incomplete;
    bool fin = false;
    quint8 opcode = 0;
    QByteArray payload;     ///< unmasked
    qsizetype consumed = 0; ///< bytes of input this frame took (Complete only)
    quint16 closeCode = 0;  ///< what to close with (Error only)
    const char *error = nullptr;
};

/// Parses the first frame of `data` as a server must read it: masked, no reserved bits or
/// opcodes, control frames final and at most 125 bytes, lengths in their shortest form.
/// A payload longer than `maxPayloadBytes` is an error (1009) as soon as its header arrives.
ParsedFrame parseClientFrame(QByteArrayView data, qint64 maxPayloadBytes);

/// Whether `code`, received in a close frame, is one a peer may send (RFC 6455, 7.4).
bool isValidReceivedCloseCode(quint16 code);

/// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool isValidUtf8(QByteArrayView bytes);

} // namespace PushChat::WebSocketFrame
