#include "protocollimits.h"

namespace PushChat {

qsizetype utf8Length(QStringView text)
{
    // Counted without encoding: this runs on every key typed into a chat input.
    qsizetype bytes = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t unit = text[i].unicode();
        // QString::toUtf8() writes an unpaired surrogate as '?': one byte, as ASCII.
        const bool unpairedSurrogate =
            QChar::isSurrogate(unit) && !(QChar::isHighSurrogate(unit) && i + 1 < size &&
                                          QChar::isLowSurrogate(text[i + 1].unicode()));
        if (unit < 0x80 || unpairedSurrogate) {
            bytes += 1;
        } else if (unit < 0x800) {
            bytes += 2;
        } else if (QChar::isHighSurrogate(unit)) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

qsizetype nickLength(QStringView nick)
{
    qsizetype characters = 0;
    const qsizetype size = nick.size();
    for (qsizetype i = 0; i < size; ++i) {
        if (QChar::isHighSurrogate(nick[i].unicode()) && i + 1 < size &&
            QChar::isLowSurrogate(nick[i + 1].unicode()))
            ++i;
        ++characters;
    }
    return characters;
}

} // namespace PushChat
