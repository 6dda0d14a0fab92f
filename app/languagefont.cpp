#include "languagefont.h"

#include <QApplication>
#include <QFontInfo>

namespace PushChat {

namespace {
// fonts-noto-cjk, which the package recommends.
const QString SimplifiedChineseFamily = QStringLiteral("Noto Sans CJK SC");
} // namespace

void applyLanguageFont(const QString &language)
{
    // The system's font, as it was before any language set it.
    static const QFont systemFont = QApplication::font();
    if (language != QLatin1String("zh_CN")) {
        QApplication::setFont(systemFont);
        return;
    }
    // The family the system's font resolves to ("Sans Serif" is an alias, not a face).
    const QString interfaceFamily = QFontInfo(systemFont).family();
    QFont font = systemFont;
    font.setFamilies(interfaceFamily == SimplifiedChineseFamily
                         ? QStringList{interfaceFamily}
                         : QStringList{interfaceFamily, SimplifiedChineseFamily});
    QApplication::setFont(font);
}

} // namespace PushChat
