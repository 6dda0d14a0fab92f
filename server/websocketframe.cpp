#include "websocketframe.h"

namespace PushChat::WebSocketFrame {

namespace {
constexpr qsizetype MaxControlPayload = 125;

ParsedFrame failure(quint16 code, const char *error)
{
    ParsedFrame result;
    result.status = ParsedFrame::Status::Error;
    result.closeCode = code;
    result.error = error;
    return result;
}
} // namespace

QByteArray frame(Opcode opcode, QByteArrayView payload)
{
    const qint64 size = payload.size();
    QByteArray bytes;
    bytes.reserve(size + 10);
    bytes.append(char(0x80 | opcode)); // FIN
    if (size < 126) {
        bytes.append(char(size));
    } else if (size <= 0xffff) {
        bytes.append(char(126));
        bytes.append(char((size >> 8) & 0xff));
        bytes.append(char(size & 0xff));
    } else {
        bytes.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            bytes.append(char((size >> shift) & 0xff));
    }
    bytes.append(payload);
    return bytes;
}

QByteArrayView payloadOf(QByteArrayView builtFrame)
{
    Q_ASSERT(builtFrame.size() >= 2);
    const quint8 length7 = quint8(builtFrame.at(1)) & 0x7f;
    const qsizetype header = length7 == 127 ? 10 : length7 == 126 ? 4 : 2;
    return builtFrame.sliced(header);
}

QByteArray close(quint16 code, QByteArrayView reason)
{
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xff));
    // Cut at a character boundary so the reason stays valid UTF-8.
    qsizetype length = qMin(reason.size(), MaxControlPayload - 2);
    while (length > 0 && length < reason.size() && (quint8(reason.at(length)) & 0xc0) == 0x80)
        --length;
    payload.append(reason.first(length));
    return frame(Close, payload);
}

qint64 wireSize(qint64 payloadBytes, bool masked)
{
    qint64 header = 2;
    if (payloadBytes > 0xffff)
        header += 8;
    else if (payloadBytes >= 126)
        header += 2;
    return header + (masked ? 4 : 0) + payloadBytes;
}

ParsedFrame parseClientFrame(QByteArrayView data, qint64 maxPayloadBytes)
{
    if (data.size() < 2)
        return {};
    const auto byte = [&](qsizetype i) { return quint8(data.at(i)); };
    const bool fin = byte(0) & 0x80;
    const quint8 opcode = byte(0) & 0x0f;
    if (byte(0) & 0x70)
        return failure(CloseProtocolError, "reserved bits set without an extension");
    const bool control = opcode & 0x08;
    if (opcode != Continuation && opcode != Text && opcode != Binary && opcode != Close &&
        opcode != Ping && opcode != Pong)
        return failure(CloseProtocolError, "unknown opcode");
    if (!(byte(1) & 0x80))
        return failure(CloseProtocolError, "client frames must be masked");
    if (control && !fin)
        return failure(CloseProtocolError, "control frames cannot be fragmented");

    quint64 length = byte(1) & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (data.size() < 4)
            return {};
        length = (quint64(byte(2)) << 8) | byte(3);
        if (length < 126)
            return failure(CloseProtocolError, "payload length not in its shortest form");
        offset = 4;
    } else if (length == 127) {
        if (data.size() < 10)
            return {};
        length = 0;
        for (qsizetype i = 2; i < 10; ++i)
            length = (length << 8) | byte(i);
        if (length >> 63)
            return failure(CloseProtocolError, "payload length has its top bit set");
        if (length <= 0xffff)
            return failure(CloseProtocolError, "payload length not in its shortest form");
        offset = 10;
    }
    if (control && length > quint64(MaxControlPayload))
        return failure(CloseProtocolError, "control frame payload over 125 bytes");
    if (length > quint64(maxPayloadBytes))
        return failure(CloseTooBig, "message too big");

    const qsizetype maskOffset = offset;
    offset += 4;
    if (data.size() < offset || quint64(data.size() - offset) < length)
        return {};

    ParsedFrame result;
    result.status = ParsedFrame::Status::Complete;
    result.fin = fin;
    result.opcode = opcode;
    result.consumed = offset + qsizetype(length);
    result.payload.resize(qsizetype(length));
    const char *mask = data.data() + maskOffset;
    const char *in = data.data() + offset;
    char *out = result.payload.data();
    for (qsizetype i = 0; i < qsizetype(length); ++i)
        out[i] = char(in[i] ^ mask[i & 3]);
    return result;
}

bool isValidReceivedCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

bool isValidUtf8(QByteArrayView bytes)
{
    // Qt's decoder refuses overlong forms, surrogates and code points past U+10FFFF, as RFC 6455
    // asks (tst_websocketframe holds the cases).
    return bytes.isValidUtf8();
}

} // namespace PushChat::WebSocketFrame
