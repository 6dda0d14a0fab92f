#include "qrcode.h"

#include <qrencode.h>

#include <memory>

namespace PushChat {

std::optional<QrCode> QrCode::encode(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    // Version 0 lets the library pick the smallest version; it returns null (errno ERANGE) when
    // even version 40 is too small.
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> symbol(
        QRcode_encodeData(int(text.size()), reinterpret_cast<const unsigned char *>(text.data()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!symbol)
        return std::nullopt;
    QrCode code;
    code.m_size = symbol->width;
    const qsizetype count = qsizetype(symbol->width) * symbol->width;
    code.m_dark.resize(count);
    // Bit 0 of each byte is the module's colour; the other bits say what the module is part of.
    for (qsizetype i = 0; i < count; ++i)
        code.m_dark[i] = char(symbol->data[i] & 1);
    return code;
}

bool QrCode::isDark(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_size || y >= m_size)
        return false;
    return m_dark.at(qsizetype(y) * m_size + x) != 0;
}

QByteArray QrCode::toSvg(int quietZone) const
{
    quietZone = qMax(0, quietZone);
    const QByteArray side = QByteArray::number(m_size + 2 * quietZone);
    QByteArray svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + ' ' +
                     side + "\" width=\"" + side + "\" height=\"" + side +
                     "\" shape-rendering=\"crispEdges\">"
                     "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    // A run of dark modules in a row is one rectangle: a path a few times shorter than one
    // square per module.
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size;) {
            if (!isDark(x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (isDark(x + run, y))
                ++run;
            svg += 'M' + QByteArray::number(x + quietZone) + ' ' +
                   QByteArray::number(y + quietZone) + 'h' + QByteArray::number(run) + "v1h-" +
                   QByteArray::number(run) + 'z';
            x += run;
        }
    }
    svg += "\"/></svg>\n";
    return svg;
}

} // namespace PushChat
