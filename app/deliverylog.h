#pragma once

#include "protocol.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace PushChat {

class ChatClient;

/// One message as one client received it: when the server stored it, when it arrived here
/// and the delay between the two (corrected for the difference between the clocks).
struct Delivery
{
    qint64 seq = 0;
    Transport transport = Transport::Polling;
    qint64 sentMs = 0;     ///< server clock: when the room stored it (`ts`)
    qint64 receivedMs = 0; ///< local clock: when it arrived here
    qint64 delayMs = 0;    ///< receivedMs on the server's clock − sentMs
    QString nick;
    QString text;
};

/// Records every message a client delivers, with the transport that delivered it, for the
/// compare view's line-up and the CSV export. Messages up to a baseline seq (the history read
/// on connecting) are no deliveries worth timing and are left out.
class DeliveryLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryLog)

public:
    /// Deliveries kept; the oldest go first.
    static constexpr int Capacity = 100000;

    explicit DeliveryLog(QObject *parent = nullptr);

    /// Follows `client` from now on (null: stops); messages at or below `baselineSeq` are
    /// ignored.
    void attach(ChatClient *client, qint64 baselineSeq = 0);
    void clear();
    const QList<Delivery> &deliveries() const { return m_deliveries; }

signals:
    void delivered(const PushChat::Delivery &delivery);

private:
    QPointer<ChatClient> m_client;
    qint64 m_baselineSeq = 0;
    QList<Delivery> m_deliveries;
};

} // namespace PushChat

Q_DECLARE_METATYPE(PushChat::Delivery)
