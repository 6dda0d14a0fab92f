#include "translatabletext.h"

#include <QCoreApplication>

namespace PushChat {

QString TranslatableText::toString() const
{
    if (isEmpty())
        return {};
    const QString translated = QCoreApplication::translate(context, source);
    // In one pass, not by chained arg(): an argument (a nick, a quoted message) may itself
    // contain "%1".
    QString text;
    text.reserve(translated.size());
    for (qsizetype i = 0; i < translated.size(); ++i) {
        const QChar c = translated.at(i);
        if (c == QLatin1Char('%') && i + 1 < translated.size()) {
            const int n = translated.at(i + 1).digitValue();
            if (n >= 1 && n <= arguments.size()) {
                text += arguments.at(n - 1);
                ++i;
                continue;
            }
        }
        text += c;
    }
    return text;
}

} // namespace PushChat
