#include "messagedelegate.h"

#include "messagelistmodel.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QPainter>
#include <QTextLayout>
#include <QTextOption>

#include <cmath>

namespace PushChat {

namespace {
constexpr int Margin = 6;
constexpr int Gap = 8;

QTextOption wrapOption()
{
    QTextOption option(Qt::AlignLeft | Qt::AlignTop);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

// The height `text` needs at `width`, wrapped the way drawText() with wrapOption() wraps it.
int textHeight(const QFont &font, const QString &text, int width)
{
    QTextLayout layout(text, font);
    layout.setTextOption(wrapOption());
    layout.beginLayout();
    qreal height = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        height += line.height();
    }
    layout.endLayout();
    return int(std::ceil(height));
}

int viewWidth(const QStyleOptionViewItem &option)
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    return option.rect.width();
}

// What the text column shows: the message as written, or the line about a join, leave or gap.
QString rowText(const QModelIndex &index)
{
    switch (index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>()) {
    case MessageListModel::RowType::Chat:
        return index.data(MessageListModel::TextRole).toString();
    case MessageListModel::RowType::Join:
        return QStringLiteral("→ ") + index.data().toString();
    case MessageListModel::RowType::Leave:
        return QStringLiteral("← ") + index.data().toString();
    case MessageListModel::RowType::Gap:
    case MessageListModel::RowType::Notice:
        break;
    }
    return index.data().toString();
}

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                const QModelIndex &index, int width) const
{
    Layout l;
    const QFontMetrics fm(option.font);
    const QFontMetrics bold(boldFont(option.font));
    const auto type = index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>();
    const int timeWidth = fm.horizontalAdvance(QStringLiteral("00:00:00"));
    l.time = QRect(Margin, Margin, timeWidth, fm.height());
    int x = Margin + timeWidth + Gap;
    if (type == MessageListModel::RowType::Chat) {
        QString nick = index.data(MessageListModel::NickRole).toString();
        if (index.data(MessageListModel::OwnRole).toBool())
            nick += tr(" (you)");
        const int nickWidth = std::min(bold.horizontalAdvance(nick) + 4, width / 3);
        l.nick = QRect(x, Margin, nickWidth, bold.height());
        x += nickWidth + Gap;
    }
    const int textWidth = std::max(40, width - x - Margin);
    const QString text = rowText(index);
    QFont textFont = option.font;
    textFont.setBold(type == MessageListModel::RowType::Gap ||
                     type == MessageListModel::RowType::Notice);
    textFont.setItalic(type == MessageListModel::RowType::Join ||
                       type == MessageListModel::RowType::Leave);
    const int height = textHeight(textFont, text, textWidth);
    l.text = QRect(x, Margin, textWidth, std::max(height, fm.height()));
    l.height = l.text.height() + 2 * Margin;
    return l;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int width = viewWidth(option);
    return {width, layout(option, index, width).height};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    const auto type = index.data(MessageListModel::RowTypeRole).value<MessageListModel::RowType>();
    const Layout l = layout(option, index, option.rect.width());
    const QPalette &palette = option.palette;
    painter->save();
    painter->translate(option.rect.topLeft());
    const QRect row(0, 0, option.rect.width(), option.rect.height());

    const bool own = index.data(MessageListModel::OwnRole).toBool();
    if (option.state & QStyle::State_Selected) {
        painter->fillRect(row, palette.highlight().color().lighter(170));
    } else if (own) {
        painter->fillRect(row, QColor(0xe8, 0xf1, 0xfb));
        painter->fillRect(QRect(0, 0, 3, row.height()), QColor(0x1e, 0x88, 0xe5));
    } else if (type == MessageListModel::RowType::Gap) {
        painter->fillRect(row, QColor(0xff, 0xf4, 0xd6));
    } else if (type == MessageListModel::RowType::Notice) {
        painter->fillRect(row, QColor(0xfd, 0xec, 0xea));
    }

    const QColor muted = palette.color(QPalette::PlaceholderText);
    painter->setFont(option.font);
    painter->setPen(muted);
    const QDateTime time = index.data(MessageListModel::TimeRole).toDateTime();
    painter->drawText(l.time, Qt::AlignLeft | Qt::AlignTop,
                      time.toString(QStringLiteral("HH:mm:ss")));

    switch (type) {
    case MessageListModel::RowType::Chat: {
        QString nick = index.data(MessageListModel::NickRole).toString();
        if (own)
            nick += tr(" (you)");
        painter->setFont(boldFont(option.font));
        painter->setPen(index.data(MessageListModel::ColorRole).value<QColor>());
        const QFontMetrics bold(painter->font());
        painter->drawText(l.nick, Qt::AlignLeft | Qt::AlignTop,
                          bold.elidedText(nick, Qt::ElideRight, l.nick.width()));
        painter->setFont(option.font);
        painter->setPen(palette.color(QPalette::Text));
        // QPainter::drawText never interprets markup: the text appears exactly as written.
        painter->drawText(QRectF(l.text), rowText(index), wrapOption());
        break;
    }
    case MessageListModel::RowType::Join:
    case MessageListModel::RowType::Leave: {
        QFont italic = option.font;
        italic.setItalic(true);
        painter->setFont(italic);
        painter->setPen(muted);
        painter->drawText(QRectF(l.text), rowText(index), wrapOption());
        break;
    }
    case MessageListModel::RowType::Gap:
    case MessageListModel::RowType::Notice:
        painter->setFont(boldFont(option.font));
        painter->setPen(type == MessageListModel::RowType::Gap ? QColor(0x8a, 0x5a, 0x00)
                                                               : QColor(0xb3, 0x26, 0x1e));
        painter->drawText(QRectF(l.text), rowText(index), wrapOption());
        break;
    }
    painter->restore();
}

} // namespace PushChat
