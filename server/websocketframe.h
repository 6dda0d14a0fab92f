#pragma once

#include <QByteArray>
#include <QByteArrayView>

/// Server-to-client WebSocket frames (RFC 6455, unmasked), built once and written as they are.
namespace PushChat::WebSocketFrame {

/// A final text frame carrying `payload`.
QByteArray text(QByteArrayView payload);

/// Bytes a frame with this payload takes on the wire; `masked` for client-to-server frames.
qint64 wireSize(qint64 payloadBytes, bool masked);

} // namespace PushChat::WebSocketFrame
