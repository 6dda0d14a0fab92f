#include "modetoggle.h"

#include "zoom.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QToolButton>

namespace PushChat {

namespace {
// Wide enough for "Long polling" at the default font, so the three segments look alike.
constexpr int SegmentMinWidth = 110;
} // namespace

ModeToggle::ModeToggle(QWidget *parent)
    : QWidget(parent)
    , m_group(new QButtonGroup(this))
{
    setObjectName(QStringLiteral("modeToggle"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    struct Segment
    {
        Transport mode;
        QString text;
        QString name;
        QString tip;
    };
    const Segment segments[] = {
        {Transport::Polling, tr("Polling"), QStringLiteral("modePolling"),
         tr("Short polling: ask the server every interval whether there is news (Ctrl+1)")},
        {Transport::LongPoll, tr("Long polling"), QStringLiteral("modeLongPoll"),
         tr("Long polling: ask once, the server answers when there is news (Ctrl+2)")},
        {Transport::WebSocket, tr("WebSocket"), QStringLiteral("modeWebSocket"),
         tr("WebSocket: one connection open both ways, the server pushes (Ctrl+3)")},
    };
    int i = 0;
    for (const Segment &segment : segments) {
        auto *button = new QToolButton(this);
        button->setObjectName(segment.name);
        button->setText(segment.text);
        button->setToolTip(segment.tip);
        button->setCheckable(true);
        button->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        button->setFocusPolicy(Qt::StrongFocus);
        button->setMinimumWidth(SegmentMinWidth);
        button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        const char *radius = i == 0 ? "border-top-left-radius: 6px; border-bottom-left-radius: 6px;"
                             : i == 2
                                 ? "border-top-right-radius: 6px; border-bottom-right-radius: 6px;"
                                 : "";
        button->setStyleSheet(
            QStringLiteral("QToolButton { padding: 5px 12px; border: 1px solid #8a94a6; "
                           "background: palette(button); %1 }"
                           "QToolButton:checked { background: #1565c0; color: white; "
                           "border-color: #0d47a1; font-weight: bold; }"
                           "QToolButton:focus { border: 2px solid #0d47a1; }")
                .arg(QLatin1String(radius)));
        m_group->addButton(button, int(segment.mode));
        layout->addWidget(button);
        ++i;
    }
    // A style sheet fixes a button's font when it is polished: hand a new one on by hand.
    Zoom::onFontChange(this, [this] {
        const auto buttons = m_group->buttons();
        for (QAbstractButton *button : buttons)
            button->setFont(font());
    });
    m_group->setExclusive(true);
    connect(m_group, &QButtonGroup::idClicked, this,
            [this](int id) { emit modeRequested(Transport(id)); });
}

void ModeToggle::setMode(Transport mode)
{
    if (auto *b = m_group->button(int(mode)))
        b->setChecked(true);
}

Transport ModeToggle::mode() const
{
    return Transport(m_group->checkedId());
}

QToolButton *ModeToggle::button(Transport mode) const
{
    return qobject_cast<QToolButton *>(m_group->button(int(mode)));
}

} // namespace PushChat
