#pragma once

#include "protocol.h"
#include "transportmetrics.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace PushChat {

class ChatClient;

/// The transport inspector's table: one column per mode used in this session (the current
/// one first marked), one row per measure, from the client's live metrics.
class InspectorModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorModel)

public:
    enum class Measure {
        Requests,
        EmptyResponses,
        Messages,
        BytesUp,
        BytesDown,
        BytesPerMessage,
        OpenConnections,
        Frames,
        Reconnects,
        RecoveryTime, ///< from losing the link to having it back, the last time
        LatencyP50,
        LatencyP95,
        LatencyMax,
    };
    Q_ENUM(Measure)
    static constexpr int MeasureCount = int(Measure::LatencyMax) + 1;

    /// The raw number behind a cell, for tests and sorting.
    static constexpr int ValueRole = Qt::UserRole + 1;

    explicit InspectorModel(QObject *parent = nullptr);

    void attach(ChatClient *client);
    void setModes(const QList<Transport> &modes);
    QList<Transport> modes() const { return m_modes; }
    /// Reads the metrics of every column again.
    void refresh();

    /// The value of one measure for a set of metrics (bytes per message: 0 without messages).
    static qint64 value(const TransportMetrics &metrics, Measure measure);
    static QString measureName(Measure measure);
    static QString modeTitle(Transport mode);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void onMetricsChanged(Transport transport);

    QPointer<ChatClient> m_client;
    QList<Transport> m_modes;
    QList<TransportMetrics> m_metrics; ///< one per column
    Transport m_current = Transport::WebSocket;
};

} // namespace PushChat
