#include "defaultroute.h"

#include <QFile>
#include <QList>

#include <limits>

namespace PushChat {

namespace {
constexpr uint RouteUp = 0x1; // RTF_UP

// The columns of /proc/net/route, from its header line.
struct Columns
{
    qsizetype iface = -1;
    qsizetype destination = -1;
    qsizetype flags = -1;
    qsizetype metric = -1;
    qsizetype mask = -1;

    bool complete() const
    {
        return iface >= 0 && destination >= 0 && flags >= 0 && metric >= 0 && mask >= 0;
    }
};

QList<QByteArray> fieldsOf(const QByteArray &line)
{
    return line.simplified().split(' ');
}
} // namespace

QString DefaultRoute::interfaceIn(QByteArrayView procNetRoute)
{
    const QList<QByteArray> lines = procNetRoute.toByteArray().split('\n');
    if (lines.isEmpty())
        return {};
    Columns columns;
    const QList<QByteArray> header = fieldsOf(lines.first());
    for (qsizetype i = 0; i < header.size(); ++i) {
        const QByteArray name = header.at(i).toLower();
        if (name == "iface")
            columns.iface = i;
        else if (name == "destination")
            columns.destination = i;
        else if (name == "flags")
            columns.flags = i;
        else if (name == "metric")
            columns.metric = i;
        else if (name == "mask")
            columns.mask = i;
    }
    if (!columns.complete())
        return {};
    QString best;
    uint bestMetric = std::numeric_limits<uint>::max();
    for (qsizetype l = 1; l < lines.size(); ++l) {
        const QList<QByteArray> fields = fieldsOf(lines.at(l));
        if (fields.size() < header.size())
            continue;
        bool ok[4] = {};
        // The kernel writes addresses and flags in hexadecimal, the metric in decimal.
        const uint destination = fields.at(columns.destination).toUInt(&ok[0], 16);
        const uint mask = fields.at(columns.mask).toUInt(&ok[1], 16);
        const uint flags = fields.at(columns.flags).toUInt(&ok[2], 16);
        const uint metric = fields.at(columns.metric).toUInt(&ok[3], 10);
        if (!(ok[0] && ok[1] && ok[2] && ok[3]) || destination != 0 || mask != 0 ||
            !(flags & RouteUp))
            continue;
        if (best.isEmpty() || metric < bestMetric) {
            best = QString::fromLocal8Bit(fields.at(columns.iface));
            bestMetric = metric;
        }
    }
    return best;
}

QString DefaultRoute::interfaceName()
{
    QFile file(QStringLiteral("/proc/net/route"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // A procfs file reports size 0: read until the end.
    return interfaceIn(file.readAll());
}

} // namespace PushChat
