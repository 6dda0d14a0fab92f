#pragma once

#include <QStyledItemDelegate>

namespace PushChat {

/// Paints one chat row: time, coloured nick, the text word-wrapped — always as plain text,
/// so "<b>x</b>" shows exactly as typed. Own messages get a tinted background and a bar.
class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageDelegate)

public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    struct Layout
    {
        QRect time;
        QRect nick;
        QRect text;
        int height = 0;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, int width) const;
};

} // namespace PushChat
