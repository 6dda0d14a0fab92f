#include "csvexport.h"

#include <algorithm>

namespace PushChat {

namespace {
QByteArray field(const QString &value)
{
    QByteArray utf8 = value.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

QByteArray number(qint64 value)
{
    return QByteArray::number(value);
}
} // namespace

QStringList CsvExport::columns()
{
    return {QStringLiteral("kind"),     QStringLiteral("technique"),   QStringLiteral("seq"),
            QStringLiteral("sent_ms"),  QStringLiteral("received_ms"), QStringLiteral("delay_ms"),
            QStringLiteral("event_ms"), QStringLiteral("event"),       QStringLiteral("count"),
            QStringLiteral("bytes"),    QStringLiteral("detail")};
}

void CsvExport::addDeliveries(const QList<Delivery> &deliveries)
{
    m_deliveries.append(deliveries);
}

void CsvExport::addEvents(const QList<ClientEvent> &events)
{
    m_events.append(events);
}

QByteArray CsvExport::toCsv() const
{
    QList<Delivery> deliveries = m_deliveries;
    std::stable_sort(deliveries.begin(), deliveries.end(),
                     [](const Delivery &a, const Delivery &b) {
                         return a.seq != b.seq ? a.seq < b.seq : a.transport < b.transport;
                     });
    QList<ClientEvent> events = m_events;
    std::stable_sort(events.begin(), events.end(), [](const ClientEvent &a, const ClientEvent &b) {
        return a.timeMs < b.timeMs;
    });

    QByteArray out = columns().join(u',').toUtf8() + "\r\n";
    for (const Delivery &d : std::as_const(deliveries)) {
        out += "message," + transportName(d.transport).toUtf8() + ',' + number(d.seq) + ',' +
               number(d.sentMs) + ',' + number(d.receivedMs) + ',' + number(d.delayMs) +
               ",,,,,\r\n";
    }
    for (const ClientEvent &e : std::as_const(events)) {
        out += "event," + transportName(e.transport).toUtf8() + ",,,,," + number(e.timeMs) + ',' +
               clientEventTypeName(e.type).toUtf8() + ',' + number(e.count) + ',' +
               number(e.bytes) + ',' + field(e.detail) + "\r\n";
    }
    return out;
}

} // namespace PushChat
