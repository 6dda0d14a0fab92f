#pragma once

#include <QFontMetrics>
#include <QString>

#include <algorithm>

namespace PushChat {

/// Han characters are drawn differently in Chinese and Japanese. Where the system's locale is
/// not Chinese, fontconfig's fallback for them is Noto Sans CJK JP, so a window switched to
/// Chinese (`--lang zh_CN`, View > Language) would show Japanese forms. While the interface is
/// Simplified Chinese, the application font names Noto Sans CJK SC right after the interface
/// font, for the glyphs that font lacks; otherwise the application font is the system's.
/// Call after Language::install(); needs a QApplication.
void applyLanguageFont(const QString &language);

/// The width of an average character for widths given "in characters": the font's
/// averageCharWidth(), but never more than an average Latin letter. A CJK font's
/// averageCharWidth() is its full-width advance, twice a Latin letter's, so sizing by it alone
/// (where the system's locale is Chinese) made the chat page 350 px wider than in English.
inline int latinCharWidth(const QFontMetrics &metrics)
{
    static const QString alphabet = QStringLiteral("abcdefghijklmnopqrstuvwxyz");
    const int letter = int(metrics.horizontalAdvance(alphabet) / alphabet.size());
    return std::max(1, std::min(metrics.averageCharWidth(), letter));
}

} // namespace PushChat
