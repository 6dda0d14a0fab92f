#include "historyepoch.h"

#include <QRandomGenerator>

namespace PushChat {

HistoryEpoch HistoryEpoch::generate()
{
    quint64 value = 0;
    while (value == 0)
        value = QRandomGenerator::system()->generate64();
    return HistoryEpoch(value);
}

std::optional<HistoryEpoch> HistoryEpoch::fromString(QStringView text)
{
    if (text.size() != 16)
        return std::nullopt;
    for (const QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return std::nullopt;
    }
    bool ok = false;
    const quint64 value = text.toULongLong(&ok, 16);
    if (!ok || value == 0)
        return std::nullopt;
    return HistoryEpoch(value);
}

HistoryEpoch HistoryEpoch::fromStorage(qint64 stored)
{
    return HistoryEpoch(quint64(stored));
}

QString HistoryEpoch::toString() const
{
    return QStringLiteral("%1").arg(m_value, 16, 16, QLatin1Char('0'));
}

} // namespace PushChat
