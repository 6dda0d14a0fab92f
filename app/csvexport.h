#pragma once

#include "clientevent.h"
#include "deliverylog.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace PushChat {

/// Writes what a view measured as CSV (RFC 4180, UTF-8, comma separated, one header line):
/// one row per delivered message per technique, then one row per request, answer, frame and
/// connection event. The columns are documented in docs/APP.md ("Export").
class CsvExport final
{
public:
    /// The header line's columns, in order.
    static QStringList columns();

    void addDeliveries(const QList<Delivery> &deliveries);
    void addEvents(const QList<ClientEvent> &events);
    QByteArray toCsv() const;

private:
    QList<Delivery> m_deliveries;
    QList<ClientEvent> m_events;
};

} // namespace PushChat
