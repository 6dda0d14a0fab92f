#include "presentationbar.h"

#include "joinbanner.h"

#include <QHBoxLayout>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

namespace PushChat {

PresentationBar::PresentationBar(QMenu *menu, QWidget *parent)
    : QWidget(parent)
    , m_joinBanner(new JoinBanner(Qt::Horizontal, this))
    , m_menuButton(new QToolButton(this))
    , m_leaveButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("presentationBar"));
    m_menuButton->setObjectName(QStringLiteral("presentationMenuButton"));
    m_menuButton->setText(tr("Menu"));
    m_menuButton->setMenu(menu);
    m_menuButton->setPopupMode(QToolButton::InstantPopup);
    m_leaveButton->setObjectName(QStringLiteral("leavePresentationButton"));
    m_leaveButton->setText(tr("Leave presentation (Esc)"));
    m_leaveButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto *buttons = new QVBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_leaveButton);
    buttons->addWidget(m_menuButton, 0, Qt::AlignRight);
    buttons->addStretch();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_joinBanner, 1);
    layout->addStretch();
    layout->addLayout(buttons);

    connect(m_leaveButton, &QToolButton::clicked, this, &PresentationBar::leaveRequested);
}

} // namespace PushChat
