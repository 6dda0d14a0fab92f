#pragma once

#include <QScrollArea>
#include <QScrollBar>

namespace PushChat {

/// Scrolls its content vertically only and is never narrower than the content needs: a part
/// of a page taller than a 720 px projector leaves it (at 150 %) scrolls rather than making
/// the window taller.
class VerticalScrollArea : public QScrollArea
{
public:
    explicit VerticalScrollArea(QWidget *content, QWidget *parent = nullptr)
        : QScrollArea(parent)
    {
        setWidget(content);
        setWidgetResizable(true);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setFrameShape(QFrame::NoFrame);
    }

    QSize minimumSizeHint() const override
    {
        const QSize scrollArea = QScrollArea::minimumSizeHint();
        const int contentWidth = widget() ? widget()->minimumSizeHint().width() : 0;
        return {qMax(scrollArea.width(),
                     contentWidth + verticalScrollBar()->sizeHint().width() + 2 * frameWidth()),
                scrollArea.height()};
    }
};

} // namespace PushChat
