#pragma once

#include <QStringView>
#include <QtGlobal>

namespace PushChat {

/// What a room allows, as `GET /api/room` publishes it in `limits` (docs/PROTOCOL.md). The
/// defaults are the server's; a client that knows no room yet goes by them.
struct ProtocolLimits
{
    int maxTextBytes = 4096; ///< UTF-8 bytes of a message's text, as utf8Length() counts
    int maxNickChars = 32;   ///< characters of a trimmed nick, as nickLength() counts
    qint64 maxBodyBytes = 64 * 1024;
    int maxWebSocketMessageBytes = 64 * 1024;
    int history = 10000; ///< messages the room retains
    int maxWaitSeconds = 60;
    double ratePerSecond = 20; ///< per sender; 0: no limit
    int onlineTimeoutMs = 30000;

    friend bool operator==(const ProtocolLimits &, const ProtocolLimits &) = default;
};

/// The bytes `text` takes in UTF-8 as a client sends it (QString::toUtf8(), which writes an
/// unpaired surrogate as one '?'), which is what the server counts against maxTextBytes.
qsizetype utf8Length(QStringView text);

/// The characters (code points) of `nick`, as the server counts it against maxNickChars.
qsizetype nickLength(QStringView nick);

} // namespace PushChat
