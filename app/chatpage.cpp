#include "chatpage.h"

#include "applog.h"
#include "chatclient.h"
#include "inspectormodel.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "modetoggle.h"
#include "pollinterval.h"
#include "roompanel.h"
#include "sessioncontroller.h"
#include "timelinewidget.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace PushChat {

ChatPage::ChatPage(SessionController *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_modeToggle(new ModeToggle(this))
    , m_intervalSlider(new QSlider(Qt::Horizontal, this))
    , m_intervalLabel(new QLabel(this))
    , m_banner(new QFrame(this))
    , m_bannerLabel(new QLabel(m_banner))
    , m_reconnectButton(new QPushButton(tr("Reconnect &now"), m_banner))
    , m_messageView(new QListView(this))
    , m_input(new QLineEdit(this))
    , m_sendButton(new QPushButton(tr("Send"), this))
    , m_inspectorModel(new InspectorModel(this))
    , m_inspectorView(new QTableView(this))
    , m_timeline(new TimelineWidget(this))
    , m_roomPanel(new RoomPanel(session, this))
{
    // Top row: the mode toggle and the polling interval.
    m_intervalSlider->setObjectName(QStringLiteral("intervalSlider"));
    m_intervalSlider->setRange(0, PollInterval::SliderMax);
    m_intervalSlider->setValue(PollInterval::toSlider(1000));
    m_intervalSlider->setMinimumWidth(160);
    m_intervalSlider->setToolTip(tr("How often polling asks the server: 100 ms to 10 s"));
    m_intervalLabel->setObjectName(QStringLiteral("intervalLabel"));
    m_intervalLabel->setMinimumWidth(
        m_intervalLabel->fontMetrics().horizontalAdvance(QStringLiteral("every 10.0 s")));
    auto *intervalCaption = new QLabel(tr("Polling &interval:"), this);
    intervalCaption->setBuddy(m_intervalSlider);
    auto *top = new QHBoxLayout;
    auto *modeCaption = new QLabel(tr("Mode:"), this);
    top->addWidget(modeCaption);
    top->addWidget(m_modeToggle);
    top->addSpacing(24);
    top->addWidget(intervalCaption);
    top->addWidget(m_intervalSlider);
    top->addWidget(m_intervalLabel);
    top->addStretch();

    // The banner shown while the link is down.
    m_banner->setObjectName(QStringLiteral("connectionBanner"));
    m_banner->setStyleSheet(QStringLiteral("#connectionBanner { background: #fff4d6; border: 1px "
                                           "solid #e0b64a; border-radius: 4px; }"));
    m_bannerLabel->setObjectName(QStringLiteral("connectionBannerLabel"));
    m_bannerLabel->setTextFormat(Qt::PlainText);
    m_bannerLabel->setWordWrap(true);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerLabel, 1);
    bannerLayout->addWidget(m_reconnectButton);
    m_banner->hide();

    // The chat.
    m_messageView->setObjectName(QStringLiteral("messageList"));
    m_messageView->setModel(session->messages());
    m_messageView->setItemDelegate(new MessageDelegate(m_messageView));
    m_messageView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_messageView->setResizeMode(QListView::Adjust);
    m_messageView->setLayoutMode(QListView::Batched);
    m_messageView->setBatchSize(200);
    m_messageView->setWordWrap(true);
    m_messageView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_messageView->setFocusPolicy(Qt::StrongFocus);
    m_input->setObjectName(QStringLiteral("messageInput"));
    m_input->setPlaceholderText(tr("Type a message and press Enter"));
    m_input->setMaxLength(4096);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_sendButton);
    auto *chat = new QWidget(this);
    auto *chatLayout = new QVBoxLayout(chat);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->addWidget(m_banner);
    chatLayout->addWidget(m_messageView, 1);
    chatLayout->addLayout(inputRow);

    // The inspector and the timeline.
    m_inspectorView->setObjectName(QStringLiteral("inspectorTable"));
    m_inspectorView->setModel(m_inspectorModel);
    m_inspectorView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_inspectorView->verticalHeader()->setDefaultSectionSize(
        m_inspectorView->fontMetrics().height() + 6);
    m_inspectorView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_inspectorView->setSelectionMode(QAbstractItemView::NoSelection);
    m_inspectorView->setFocusPolicy(Qt::NoFocus);
    m_inspectorView->setAlternatingRowColors(true);
    m_inspectorView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_inspectorView->setMinimumHeight(m_inspectorView->fontMetrics().height() + 12 +
                                      InspectorModel::MeasureCount *
                                          m_inspectorView->verticalHeader()->defaultSectionSize() +
                                      2 * m_inspectorView->frameWidth());
    auto *inspectorBox =
        new QGroupBox(tr("Transport inspector — what each mode cost so far"), this);
    auto *inspectorLayout = new QVBoxLayout(inspectorBox);
    inspectorLayout->addWidget(m_inspectorView);
    auto *timelineBox = new QGroupBox(tr("Timeline — the last 30 seconds"), this);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->addWidget(m_timeline);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(inspectorBox);
    right->addWidget(timelineBox);
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);

    auto *columns = new QSplitter(Qt::Horizontal, this);
    columns->setObjectName(QStringLiteral("chatColumns"));
    columns->addWidget(m_roomPanel);
    columns->addWidget(chat);
    columns->addWidget(right);
    columns->setStretchFactor(0, 0);
    columns->setStretchFactor(1, 3);
    columns->setStretchFactor(2, 4);
    columns->setSizes({270, 480, 590});
    columns->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(columns, 1);

    connect(m_input, &QLineEdit::returnPressed, this, &ChatPage::sendInput);
    connect(m_sendButton, &QPushButton::clicked, this, &ChatPage::sendInput);
    connect(m_modeToggle, &ModeToggle::modeRequested, this, [this](Transport mode) {
        if (ChatClient *client = m_session->client())
            client->setMode(mode);
        m_input->setFocus();
    });
    connect(m_intervalSlider, &QSlider::valueChanged, this, &ChatPage::setIntervalFromSlider);
    connect(m_reconnectButton, &QPushButton::clicked, m_session, &SessionController::reconnectNow);
    connect(m_session, &SessionController::titleChanged, this, &ChatPage::updateState);
    connect(m_session, &SessionController::modesUsedChanged, this,
            [this] { m_inspectorModel->setModes(m_session->modesUsed()); });
    connect(m_session->messages(), &MessageListModel::rowsAppended, this,
            &ChatPage::scrollToEndIfFollowing);
    // Follow new messages only while the user is at the end of the history.
    connect(m_messageView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_followEnd = value >= m_messageView->verticalScrollBar()->maximum() - 4;
    });

    setTabOrder(m_input, m_sendButton);
    setTabOrder(m_sendButton, m_modeToggle->button(Transport::Polling));
    setTabOrder(m_modeToggle->button(Transport::Polling),
                m_modeToggle->button(Transport::LongPoll));
    setTabOrder(m_modeToggle->button(Transport::LongPoll),
                m_modeToggle->button(Transport::WebSocket));
    setTabOrder(m_modeToggle->button(Transport::WebSocket), m_intervalSlider);
    setTabOrder(m_intervalSlider, m_messageView);
    setIntervalFromSlider(m_intervalSlider->value());
}

void ChatPage::enterRoom()
{
    ChatClient *client = m_session->client();
    if (!client)
        return;
    m_followEnd = true;
    m_inspectorModel->attach(client);
    m_inspectorModel->setModes(m_session->modesUsed());
    m_timeline->setEventLog(client->eventLog());
    m_modeToggle->setMode(client->mode());
    client->setPollInterval(PollInterval::toMs(m_intervalSlider->value()));
    connect(client, &ChatClient::modeChanged, m_modeToggle, &ModeToggle::setMode);
    connect(client, &ChatClient::stateChanged, this, &ChatPage::updateState);
    m_roomPanel->refresh();
    updateState();
    focusInput();
}

void ChatPage::setPollInterval(int ms)
{
    m_intervalSlider->setValue(PollInterval::toSlider(ms));
}

void ChatPage::focusInput()
{
    m_input->setFocus();
}

void ChatPage::sendInput()
{
    ChatClient *client = m_session->client();
    const QString text = m_input->text();
    if (!client || text.trimmed().isEmpty())
        return;
    client->send(text);
    m_input->clear();
    m_input->setFocus();
    m_followEnd = true;
}

void ChatPage::setIntervalFromSlider(int value)
{
    const int ms = PollInterval::toMs(value);
    m_intervalLabel->setText(tr("every %1").arg(PollInterval::text(ms)));
    if (ChatClient *client = m_session->client())
        client->setPollInterval(ms);
}

void ChatPage::scrollToEndIfFollowing()
{
    if (m_followEnd)
        m_messageView->scrollToBottom();
}

void ChatPage::updateState()
{
    ChatClient *client = m_session->client();
    const bool down = client && m_session->phase() == SessionController::Phase::InRoom &&
                      client->state() != ChatClient::State::Connected;
    if (down) {
        QString text = m_session->stateText();
        if (client->state() == ChatClient::State::Reconnecting)
            text += tr(" — trying again by itself; messages you type are sent once it is back.");
        m_bannerLabel->setText(text);
        m_reconnectButton->setVisible(client->state() != ChatClient::State::Connecting);
    }
    m_banner->setVisible(down && client->state() != ChatClient::State::Connecting);
}

} // namespace PushChat
