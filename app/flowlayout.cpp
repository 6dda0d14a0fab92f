#include "flowlayout.h"

#include <QHBoxLayout>
#include <QStyle>
#include <QWidget>

#include <algorithm>

namespace PushChat {

FlowLayout::FlowLayout(QWidget *parent)
    : QLayout(parent)
{}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

QWidget *FlowLayout::group(QWidget *parent, const QList<QWidget *> &widgets)
{
    auto *group = new QWidget(parent);
    auto *row = new QHBoxLayout(group);
    row->setContentsMargins(0, 0, 0, 0);
    for (QWidget *widget : widgets)
        row->addWidget(widget);
    return group;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    return m_items.takeAt(index);
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    // The widest item alone on its row; the height follows from heightForWidth().
    QSize least;
    for (const QLayoutItem *item : m_items) {
        if (!item->isEmpty())
            least = least.expandedTo(item->minimumSize());
    }
    const QMargins margins = contentsMargins();
    return least + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // Everything on one row.
    int width = 0;
    int height = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        if (width > 0)
            width += gap(QStyle::PM_LayoutHorizontalSpacing);
        width += item->sizeHint().width();
        height = std::max(height, item->sizeHint().height());
    }
    const QMargins margins = contentsMargins();
    return {width + margins.left() + margins.right(), height + margins.top() + margins.bottom()};
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::gap(QStyle::PixelMetric metric) const
{
    if (spacing() >= 0)
        return spacing();
    const QWidget *widget = parentWidget();
    return widget ? widget->style()->pixelMetric(metric, nullptr, widget) : 0;
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    const int across = gap(QStyle::PM_LayoutHorizontalSpacing);
    const int down = gap(QStyle::PM_LayoutVerticalSpacing);
    int top = area.top();
    int rows = 0;
    QList<QLayoutItem *> row;
    int rowWidth = 0;

    // Lays `row` out at `top`: left-aligned items from the left, right-aligned ones packed
    // against the right edge; every item centred in the row's height.
    const auto finishRow = [&] {
        if (row.isEmpty())
            return;
        int rowHeight = 0;
        for (const QLayoutItem *item : row)
            rowHeight = std::max(rowHeight, item->sizeHint().height());
        if (apply) {
            int rightWidth = 0;
            for (const QLayoutItem *item : row) {
                if (item->alignment().testFlag(Qt::AlignRight))
                    rightWidth += std::min(item->sizeHint().width(), area.width()) + across;
            }
            int left = area.left();
            int right = area.right() + 1 - rightWidth + across;
            for (QLayoutItem *item : row) {
                const int width = std::max(std::min(item->sizeHint().width(), area.width()),
                                           item->minimumSize().width());
                const int height = std::min(
                    rowHeight, std::max(item->sizeHint().height(), item->minimumSize().height()));
                int &x = item->alignment().testFlag(Qt::AlignRight) ? right : left;
                item->setGeometry(QRect(x, top + (rowHeight - height) / 2, width, height));
                x += width + across;
            }
        }
        top += rowHeight + down;
        ++rows;
        row.clear();
        rowWidth = 0;
    };

    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const int width = std::min(item->sizeHint().width(), area.width());
        if (!row.isEmpty() && rowWidth + across + width > area.width())
            finishRow();
        rowWidth += (row.isEmpty() ? 0 : across) + width;
        row.append(item);
    }
    finishRow();
    const int used = rows > 0 ? top - down - area.top() : 0;
    const QMargins margins = contentsMargins();
    return used + margins.top() + margins.bottom();
}

} // namespace PushChat
