#pragma once

#include "deliverylog.h"
#include "protocol.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <array>
#include <optional>

namespace PushChat {

/// The compare view's line-up: one row per message, the message in the first column and in
/// each technique's column the delay with which that technique delivered it ("+873 ms"), the
/// fastest marked. A row appears with the first delivery and fills as the others come in.
class CompareModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareModel)

public:
    enum Column { MessageColumn, PollingColumn, LongPollColumn, WebSocketColumn, ColumnCount };
    static constexpr int DelayRole = Qt::UserRole + 1;   ///< qint64 ms, or invalid: not yet
    static constexpr int FastestRole = Qt::UserRole + 2; ///< bool
    static constexpr int MaxRows = 5000;

    explicit CompareModel(QObject *parent = nullptr);

    void add(const Delivery &delivery);
    void clear();
    /// Tells the views that headers and texts read differently (the language changed).
    void retranslate();

    static int column(Transport technique) { return int(technique) + 1; }
    /// The delay `technique` delivered `seq` with, if it did.
    std::optional<qint64> delay(qint64 seq, Transport technique) const;
    /// The technique that delivered `seq` first (smallest delay), if any did.
    std::optional<Transport> fastest(qint64 seq) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        qint64 seq = 0;
        QString nick;
        QString text;
        std::array<std::optional<qint64>, 3> delays;
    };
    const Row *row(qint64 seq) const;
    static std::optional<Transport> fastest(const Row &row);

    QList<Row> m_rows;
    QHash<qint64, int> m_index; ///< seq → row (shifted by m_removed)
    int m_removed = 0;          ///< rows dropped from the front so far
};

} // namespace PushChat
