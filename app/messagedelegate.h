#pragma once

#include <QStyledItemDelegate>

namespace PushChat {

/// Paints one chat row: time, coloured nick, the text word-wrapped — always as plain text,
/// so "<b>x</b>" shows exactly as typed. Own messages get a tinted background and a bar.
/// A message longer than FoldedLines lines is shown folded, with a "Show more" link (a click,
/// or Space on the selected row) that unfolds it and then reads "Show less".
class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageDelegate)

public:
    /// Lines a folded message shows.
    static constexpr int FoldedLines = 6;

    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

    /// Where the "Show more"/"Show less" link of the row at `option.rect` is, in the view's
    /// coordinates; empty when the message is short enough not to fold.
    QRect foldToggleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    struct Layout
    {
        QRect time;
        QRect nick;
        QRect text; ///< what is shown of the text: all of it, or the folded lines
        int fullTextHeight = 0;
        int hiddenLines = 0; ///< lines a fold hides (0: the text does not fold)
        QRect foldToggle;    ///< the link under a foldable text
        QString foldLink;    ///< its words: "Show more (…)" or "Show less"
        int height = 0;
    };
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, int width) const;
    void paintChat(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                   const Layout &l) const;
    void toggleFold(QAbstractItemModel *model, const QModelIndex &index);
};

} // namespace PushChat
