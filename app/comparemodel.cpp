#include "comparemodel.h"

#include "inspectormodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace PushChat {

CompareModel::CompareModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CompareModel::add(const Delivery &delivery)
{
    auto found = m_index.constFind(delivery.seq);
    int r = 0;
    if (found == m_index.constEnd()) {
        if (m_rows.size() >= MaxRows) {
            beginRemoveRows({}, 0, 0);
            m_index.remove(m_rows.constFirst().seq);
            m_rows.removeFirst();
            ++m_removed;
            endRemoveRows();
        }
        r = int(m_rows.size());
        beginInsertRows({}, r, r);
        Row row;
        row.seq = delivery.seq;
        row.nick = delivery.nick;
        row.text = delivery.text;
        m_rows.append(row);
        m_index.insert(delivery.seq, r + m_removed);
        endInsertRows();
    } else {
        r = *found - m_removed;
    }
    m_rows[r].delays[size_t(delivery.transport)] = delivery.delayMs;
    // The fastest mark may move, so the whole row changes.
    emit dataChanged(index(r, PollingColumn), index(r, WebSocketColumn));
}

void CompareModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_index.clear();
    m_removed = 0;
    endResetModel();
}

const CompareModel::Row *CompareModel::row(qint64 seq) const
{
    const auto found = m_index.constFind(seq);
    return found == m_index.constEnd() ? nullptr : &m_rows.at(*found - m_removed);
}

std::optional<qint64> CompareModel::delay(qint64 seq, Transport technique) const
{
    const Row *r = row(seq);
    return r ? r->delays[size_t(technique)] : std::nullopt;
}

std::optional<Transport> CompareModel::fastest(qint64 seq) const
{
    const Row *r = row(seq);
    return r ? fastest(*r) : std::nullopt;
}

std::optional<Transport> CompareModel::fastest(const Row &row)
{
    std::optional<Transport> best;
    for (const Transport technique :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        const auto &d = row.delays[size_t(technique)];
        if (d && (!best || *d < *row.delays[size_t(*best)]))
            best = technique;
    }
    return best;
}

void CompareModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, std::max(0, columnCount() - 1));
    emit headerDataChanged(Qt::Vertical, 0, std::max(0, rowCount() - 1));
    if (rowCount() > 0 && columnCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (index.column() == MessageColumn) {
        if (role == Qt::DisplayRole)
            return QStringLiteral("#%1  %2: %3").arg(r.seq).arg(r.nick, r.text);
        if (role == Qt::ToolTipRole)
            return r.text;
        return {};
    }
    const auto technique = Transport(index.column() - 1);
    const std::optional<qint64> &d = r.delays[size_t(technique)];
    const bool isFastest = d && fastest(r) == technique;
    switch (role) {
    case DelayRole:
        return d ? QVariant(*d) : QVariant();
    case FastestRole:
        return isFastest;
    case Qt::DisplayRole:
        if (!d)
            return tr("waiting…");
        return isFastest ? tr("+%1 ms  ★ fastest").arg(QLocale().toString(*d))
                         : tr("+%1 ms").arg(QLocale().toString(*d));
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (isFastest) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        // Light enough that the palette's text keeps far more than 4.5:1 on it.
        return isFastest ? QBrush(QColor(0xdc, 0xf3, 0xdc)) : QVariant();
    case Qt::ForegroundRole:
        return isFastest ? QBrush(QColor(0x10, 0x3d, 0x12)) : QVariant();
    case Qt::ToolTipRole:
        return tr("From the server storing the message to %1 delivering it here.")
            .arg(InspectorModel::modeTitle(technique));
    default:
        return {};
    }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MessageColumn:
        return tr("Message");
    case PollingColumn:
        return InspectorModel::modeTitle(Transport::Polling);
    case LongPollColumn:
        return InspectorModel::modeTitle(Transport::LongPoll);
    case WebSocketColumn:
        return InspectorModel::modeTitle(Transport::WebSocket);
    default:
        return {};
    }
}

} // namespace PushChat
