#pragma once

#include <QLayout>
#include <QList>
#include <QStyle>

namespace PushChat {

/// Lays its items out in a row and wraps them onto more rows when the width runs out, so a
/// tool bar fits a narrow window (a 1280×720 projector at 150 % scaling) instead of widening
/// it. An item added with Qt::AlignRight (QLayout::setAlignment) goes to the right end of the
/// row it lands on. Put controls that belong together (a caption and its field) in one widget.
class FlowLayout final : public QLayout
{
public:
    explicit FlowLayout(QWidget *parent = nullptr);
    ~FlowLayout() override;

    /// A widget holding `widgets` side by side, to keep them on one row of a FlowLayout.
    static QWidget *group(QWidget *parent, const QList<QWidget *> &widgets);

    void addItem(QLayoutItem *item) override;
    int count() const override { return int(m_items.size()); }
    QLayoutItem *itemAt(int index) const override { return m_items.value(index); }
    QLayoutItem *takeAt(int index) override;

    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

private:
    /// The layout's spacing, or else the style's `metric`.
    int gap(QStyle::PixelMetric metric) const;
    /// Places the items in `rect` (only measures unless `apply`); returns the height used.
    int arrange(const QRect &rect, bool apply) const;

    QList<QLayoutItem *> m_items;
};

} // namespace PushChat
