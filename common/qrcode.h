#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace PushChat {

/// A QR code symbol made by Debian's libqrencode: byte mode, error correction level M, the
/// smallest version that holds the text. A plain value: the desktop app paints its modules with
/// QPainter, the server sends it as SVG.
class QrCode
{
public:
    /// The symbol for `text` (any bytes, usually a UTF-8 URL), or nullopt when the text is empty
    /// or longer than the largest symbol holds at level M (2,331 bytes).
    static std::optional<QrCode> encode(QByteArrayView text);

    /// Modules per side (21 for version 1, 177 for version 40), not counting the quiet zone.
    int size() const { return m_size; }
    /// True for a dark module; (0, 0) is the top left. Out-of-range positions are light, so a
    /// painter may walk the quiet zone with the same call.
    bool isDark(int x, int y) const;

    /// A standalone SVG of the symbol with a light quiet zone of `quietZone` modules on each side
    /// (the standard asks for 4): one unit per module, dark modules as one path, so it scales
    /// to any size without blur.
    QByteArray toSvg(int quietZone = 4) const;

private:
    QrCode() = default;

    int m_size = 0;
    QByteArray m_dark; ///< size × size bytes, row by row, 1 for a dark module
};

} // namespace PushChat
