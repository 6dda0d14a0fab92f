#pragma once

#include <QString>

namespace PushChat {

/// Han characters are drawn differently in Chinese and Japanese. Where the system's locale is
/// not Chinese, fontconfig's fallback for them is Noto Sans CJK JP, so a window switched to
/// Chinese (`--lang zh_CN`, View > Language) would show Japanese forms. While the interface is
/// Simplified Chinese, the application font names Noto Sans CJK SC right after the interface
/// font, for the glyphs that font lacks; otherwise the application font is the system's.
/// Call after Language::install(); needs a QApplication.
void applyLanguageFont(const QString &language);

} // namespace PushChat
