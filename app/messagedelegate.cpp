#include "messagedelegate.h"

#include "messagelistmodel.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QHash>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLayout>
#include <QTextOption>

#include <cmath>

namespace PushChat {

namespace {
constexpr int Margin = 6;
constexpr int Gap = 8;
constexpr int MinTextWidth = 40;
constexpr int NickPadding = 4;
/// A nick takes at most this share of the row; longer ones are elided.
constexpr int NickMaxShareDivisor = 3;
constexpr int SelectionLighterPercent = 170;
constexpr int OwnBarWidth = 3;
constexpr QRgb OwnBackground = 0xe8f1fb;
constexpr QRgb OwnBar = 0x1e88e5;
constexpr QRgb GapBackground = 0xfff4d6;
constexpr QRgb GapText = 0x8a5a00;
constexpr QRgb NoticeBackground = 0xfdecea;
constexpr QRgb NoticeText = 0xb3261e;

QTextOption wrapOption()
{
    QTextOption option(Qt::AlignLeft | Qt::AlignTop);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    return option;
}

struct TextFit
{
    int fullHeight = 0;
    int foldedHeight = 0; ///< of the first FoldedLines lines
    int lines = 0;
};

// How `text` wraps at `width`, the way drawText() with wrapOption() wraps it.
TextFit layOutText(const QFont &font, const QString &text, int width, int foldedLines)
{
    QTextLayout layout(text, font);
    layout.setTextOption(wrapOption());
    layout.beginLayout();
    qreal height = 0;
    TextFit fit;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        height += line.height();
        if (++fit.lines == foldedLines)
            fit.foldedHeight = int(std::ceil(height));
    }
    layout.endLayout();
    fit.fullHeight = int(std::ceil(height));
    return fit;
}

struct FitKey
{
    QString text;
    QString font;
    int width;
    int foldedLines;
    friend bool operator==(const FitKey &, const FitKey &) = default;
};

size_t qHash(const FitKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.text, key.font, key.width, key.foldedLines);
}

// The view asks for every row's height whenever it lays the rows out, which it does for each
// message added: without the cache a long chat cost a text layout per row per message. The key
// holds everything the fit depends on, so nothing needs invalidating; the cache is the GUI
// thread's, bounded, and starts again when full.
constexpr qsizetype MaxCachedFits = 20000;

TextFit fitText(const QFont &font, const QString &text, int width, int foldedLines)
{
    static QHash<FitKey, TextFit> cache;
    const FitKey key{text, font.key(), width, foldedLines};
    if (const auto cached = cache.constFind(key); cached != cache.cend())
        return *cached;
    const TextFit fit = layOutText(font, text, width, foldedLines);
    if (cache.size() >= MaxCachedFits)
        cache.clear();
    cache.insert(key, fit);
    return fit;
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
        const int nickWidth =
            std::min(bold.horizontalAdvance(nick) + NickPadding, width / NickMaxShareDivisor);
        l.nick = QRect(x, Margin, nickWidth, bold.height());
        x += nickWidth + Gap;
    }
    const int textWidth = std::max(MinTextWidth, width - x - Margin);
    const QString text = rowText(index);
    QFont textFont = option.font;
    textFont.setBold(type == MessageListModel::RowType::Gap ||
                     type == MessageListModel::RowType::Notice);
    textFont.setItalic(type == MessageListModel::RowType::Join ||
                       type == MessageListModel::RowType::Leave);
    const TextFit fit = fitText(textFont, text, textWidth, FoldedLines);
    l.fullTextHeight = std::max(fit.fullHeight, fm.height());
    // Folding a single line away would save nothing: only longer texts fold.
    const bool foldable = type == MessageListModel::RowType::Chat && fit.lines > FoldedLines + 1;
    const bool folded = foldable && !index.data(MessageListModel::ExpandedRole).toBool();
    l.hiddenLines = foldable ? fit.lines - FoldedLines : 0;
    l.text = QRect(x, Margin, textWidth, folded ? fit.foldedHeight : l.fullTextHeight);
    l.height = l.text.height() + 2 * Margin;
    if (foldable) {
        l.foldLink =
            folded ? tr("Show more (%n more line(s))", nullptr, l.hiddenLines) : tr("Show less");
        // Within the text column, however narrow: the link must stay where it can be clicked.
        l.foldToggle =
            QRect(x, l.text.bottom() + 1,
                  std::min(fm.horizontalAdvance(l.foldLink) + Margin, textWidth), fm.height());
        l.height += l.foldToggle.height();
    }
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
        painter->fillRect(row, palette.highlight().color().lighter(SelectionLighterPercent));
    } else if (own) {
        painter->fillRect(row, QColor(OwnBackground));
        painter->fillRect(QRect(0, 0, OwnBarWidth, row.height()), QColor(OwnBar));
    } else if (type == MessageListModel::RowType::Gap) {
        painter->fillRect(row, QColor(GapBackground));
    } else if (type == MessageListModel::RowType::Notice) {
        painter->fillRect(row, QColor(NoticeBackground));
    }

    const QColor muted = palette.color(QPalette::PlaceholderText);
    painter->setFont(option.font);
    painter->setPen(muted);
    const QDateTime time = index.data(MessageListModel::TimeRole).toDateTime();
    painter->drawText(l.time, Qt::AlignLeft | Qt::AlignTop,
                      time.toString(QStringLiteral("HH:mm:ss")));

    switch (type) {
    case MessageListModel::RowType::Chat:
        paintChat(painter, option, index, l);
        break;
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
        painter->setPen(type == MessageListModel::RowType::Gap ? QColor(GapText)
                                                               : QColor(NoticeText));
        painter->drawText(QRectF(l.text), rowText(index), wrapOption());
        break;
    }
    painter->restore();
}

void MessageDelegate::paintChat(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index, const Layout &l) const
{
    QString nick = index.data(MessageListModel::NickRole).toString();
    if (index.data(MessageListModel::OwnRole).toBool())
        nick += tr(" (you)");
    painter->setFont(boldFont(option.font));
    painter->setPen(index.data(MessageListModel::ColorRole).value<QColor>());
    const QFontMetrics bold(painter->font());
    painter->drawText(l.nick, Qt::AlignLeft | Qt::AlignTop,
                      bold.elidedText(nick, Qt::ElideRight, l.nick.width()));
    painter->setFont(option.font);
    painter->setPen(option.palette.color(QPalette::Text));
    // Laid out in full and clipped to what is shown, so a folded text breaks its lines exactly
    // where the unfolded one does. QPainter::drawText never interprets markup: the text
    // appears exactly as written.
    painter->save();
    painter->setClipRect(l.text);
    painter->drawText(QRectF(l.text.x(), l.text.y(), l.text.width(), l.fullTextHeight),
                      rowText(index), wrapOption());
    painter->restore();
    if (l.foldToggle.isEmpty())
        return;
    QFont link = option.font;
    link.setUnderline(true);
    painter->setFont(link);
    painter->setPen(option.palette.color(QPalette::Link));
    painter->drawText(
        l.foldToggle, Qt::AlignLeft | Qt::AlignTop,
        QFontMetrics(link).elidedText(l.foldLink, Qt::ElideRight, l.foldToggle.width()));
}

QRect MessageDelegate::foldToggleRect(const QStyleOptionViewItem &option,
                                      const QModelIndex &index) const
{
    const QRect toggle = layout(option, index, option.rect.width()).foldToggle;
    return toggle.isEmpty() ? QRect() : toggle.translated(option.rect.topLeft());
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const QRect toggle = foldToggleRect(option, index);
    if (toggle.isEmpty())
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton && toggle.contains(mouse->position().toPoint())) {
            toggleFold(model, index);
            return true;
        }
    } else if (event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Space || key == Qt::Key_Return || key == Qt::Key_Enter) {
            toggleFold(model, index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

void MessageDelegate::toggleFold(QAbstractItemModel *model, const QModelIndex &index)
{
    model->setData(index, !index.data(MessageListModel::ExpandedRole).toBool(),
                   MessageListModel::ExpandedRole);
    emit sizeHintChanged(index); // the view lays the rows out again
}

} // namespace PushChat
