#include "websocketframe.h"

namespace PushChat::WebSocketFrame {

QByteArray text(QByteArrayView payload)
{
    const qint64 size = payload.size();
    QByteArray frame;
    frame.reserve(size + 10);
    frame.append(char(0x81)); // FIN + text
    if (size < 126) {
        frame.append(char(size));
    } else if (size <= 0xffff) {
        frame.append(char(126));
        frame.append(char((size >> 8) & 0xff));
        frame.append(char(size & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
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

} // namespace PushChat::WebSocketFrame
