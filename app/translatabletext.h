#pragma once

#include <QString>
#include <QStringList>

namespace PushChat {

/// A text kept in the source language with its arguments and translated each time it is
/// shown, so a line already on screen follows a switch of language. `source` is marked for
/// lupdate where it is written: QT_TR_NOOP in a class's own code, with that class's context:
///
///     TranslatableText{staticMetaObject.className(), QT_TR_NOOP("Not sent: %1"), {reason}}
struct TranslatableText
{
    const char *context = nullptr; ///< static storage, e.g. a meta-object's class name
    const char *source = nullptr;  ///< static storage, a string literal
    QStringList arguments;         ///< %1, %2, … as they were, not translated

    QString toString() const;
    bool isEmpty() const { return !source || !*source; }
};

} // namespace PushChat
