#include "inspectormodel.h"

#include "chatclient.h"
#include "metricsrecorder.h"

#include <QFont>
#include <QLocale>

namespace PushChat {

InspectorModel::InspectorModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void InspectorModel::attach(ChatClient *client)
{
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    beginResetModel();
    m_modes.clear();
    m_metrics.clear();
    endResetModel();
    if (!client)
        return;
    m_current = client->mode();
    connect(client, &ChatClient::metricsChanged, this, &InspectorModel::onMetricsChanged);
    connect(client, &ChatClient::modeChanged, this, [this](Transport mode) {
        m_current = mode;
        emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    });
}

void InspectorModel::setModes(const QList<Transport> &modes)
{
    beginResetModel();
    m_modes = modes;
    m_metrics.clear();
    for (const Transport mode : std::as_const(m_modes)) {
        TransportMetrics metrics;
        metrics.transport = mode;
        m_metrics << (m_client ? m_client->metrics(mode) : metrics);
    }
    endResetModel();
}

void InspectorModel::refresh()
{
    if (!m_client || m_modes.isEmpty())
        return;
    for (qsizetype i = 0; i < m_modes.size(); ++i)
        m_metrics[i] = m_client->metrics(m_modes.at(i));
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void InspectorModel::onMetricsChanged(Transport transport)
{
    const qsizetype column = m_modes.indexOf(transport);
    if (column < 0 || !m_client)
        return;
    m_metrics[column] = m_client->metrics(transport);
    emit dataChanged(index(0, int(column)), index(rowCount() - 1, int(column)));
}

qint64 InspectorModel::value(const TransportMetrics &m, Measure measure)
{
    switch (measure) {
    case Measure::Requests:
        return m.httpRequests;
    case Measure::EmptyResponses:
        return m.emptyResponses;
    case Measure::Messages:
        return m.messagesReceived;
    case Measure::BytesUp:
        return m.bytesSent;
    case Measure::BytesDown:
        return m.bytesReceived;
    case Measure::BytesPerMessage:
        // A connection's setup (the WebSocket handshake) is paid once, not per message.
        return m.messagesReceived > 0
                   ? (m.bytesSent + m.bytesReceived - m.setupBytes) / m.messagesReceived
                   : 0;
    case Measure::OpenConnections:
        return m.openConnections;
    case Measure::Frames:
        return m.framesIn + m.framesOut;
    case Measure::Reconnects:
        return m.reconnects;
    case Measure::RecoveryTime:
        return m.lastRecoveryMs;
    case Measure::LatencyP50:
        return m.latency.p50;
    case Measure::LatencyP95:
        return m.latency.p95;
    case Measure::LatencyMax:
        return m.latency.max;
    }
    return 0;
}

QString InspectorModel::measureName(Measure measure)
{
    switch (measure) {
    case Measure::Requests:
        return tr("HTTP requests");
    case Measure::EmptyResponses:
        return tr("Empty responses");
    case Measure::Messages:
        return tr("Messages received");
    case Measure::BytesUp:
        return tr("Bytes up");
    case Measure::BytesDown:
        return tr("Bytes down");
    case Measure::BytesPerMessage:
        return tr("Bytes per message");
    case Measure::OpenConnections:
        return tr("Open connections");
    case Measure::Frames:
        return tr("WebSocket frames");
    case Measure::Reconnects:
        return tr("Reconnects");
    case Measure::RecoveryTime:
        return tr("Time to recover");
    case Measure::LatencyP50:
        return tr("Latency p50");
    case Measure::LatencyP95:
        return tr("Latency p95");
    case Measure::LatencyMax:
        return tr("Latency max");
    }
    return {};
}

QString InspectorModel::modeTitle(Transport mode)
{
    switch (mode) {
    case Transport::Polling:
        return tr("Polling");
    case Transport::LongPoll:
        return tr("Long polling");
    case Transport::WebSocket:
        return tr("WebSocket");
    }
    return {};
}

int InspectorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : MeasureCount;
}

int InspectorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_modes.size());
}

QVariant InspectorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.column() >= m_metrics.size())
        return {};
    const TransportMetrics &m = m_metrics.at(index.column());
    const auto measure = Measure(index.row());
    const qint64 v = value(m, measure);
    switch (role) {
    case ValueRole:
        return v;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DisplayRole: {
        const QLocale locale;
        switch (measure) {
        case Measure::BytesPerMessage:
            return m.messagesReceived > 0 ? locale.toString(v) : QStringLiteral("–");
        case Measure::LatencyP50:
        case Measure::LatencyP95:
        case Measure::LatencyMax:
            return m.latency.samples > 0 ? tr("%1 ms").arg(locale.toString(v))
                                         : QStringLiteral("–");
        case Measure::RecoveryTime:
            return m.recoveries > 0 ? tr("%1 ms").arg(locale.toString(v)) : QStringLiteral("–");
        default:
            return locale.toString(v);
        }
    }
    case Qt::ToolTipRole:
        switch (measure) {
        case Measure::BytesUp:
        case Measure::BytesDown:
            return tr(
                "Counted on the wire: HTTP heads and bodies, WebSocket handshake and frames.");
        case Measure::BytesPerMessage:
            return tr("All bytes up and down but the connection setup (the WebSocket "
                      "handshake, paid once), divided by the messages delivered.");
        case Measure::LatencyP50:
        case Measure::LatencyP95:
        case Measure::LatencyMax:
            return tr("From the server storing a message to it arriving here, over the last %1 "
                      "messages, corrected for the difference between the two clocks.")
                .arg(MetricsRecorder::LatencyWindow);
        case Measure::RecoveryTime:
            return tr("The last time the link was lost (a drop, a restart, a proxy timeout): "
                      "how long until it was back. Longest so far: %1 ms.")
                .arg(QLocale().toString(m.longestRecoveryMs));
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant InspectorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < MeasureCount)
            return measureName(Measure(section));
        return {};
    }
    if (section < 0 || section >= m_modes.size())
        return {};
    const Transport mode = m_modes.at(section);
    if (role == Qt::DisplayRole)
        return mode == m_current ? tr("%1 (now)").arg(modeTitle(mode)) : modeTitle(mode);
    if (role == Qt::FontRole && mode == m_current) {
        QFont font;
        font.setBold(true);
        return font;
    }
    return {};
}

} // namespace PushChat
