#include "nickcolors.h"

#include <array>

namespace PushChat {

QColor NickColors::forNick(const QString &nick)
{
    // Dark enough to read on a light background, far enough apart to tell apart.
    static constexpr std::array<QRgb, 12> Palette = {
        0xc62828, 0xad1457, 0x6a1b9a, 0x4527a0, 0x1565c0, 0x00838f,
        0x2e7d32, 0x558b2f, 0xef6c00, 0x8d6e63, 0x00695c, 0x37474f,
    };
    quint32 hash = 2166136261u; // FNV-1a
    for (const QChar c : nick) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return QColor::fromRgb(Palette[hash % Palette.size()]);
}

} // namespace PushChat
