#pragma once

#include <QColor>
#include <QString>

namespace PushChat {

/// A readable colour per nick, the same on every machine and in every run (no qHash seed).
class NickColors final
{
public:
    static QColor forNick(const QString &nick);
};

} // namespace PushChat
