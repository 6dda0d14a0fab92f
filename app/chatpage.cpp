#include "chatpage.h"

#include "chatclient.h"
#include "flowlayout.h"
#include "howitworksdialog.h"
#include "inspectormodel.h"
#include "languagefont.h"
#include "messagedelegate.h"
#include "messagelistmodel.h"
#include "modetoggle.h"
#include "pollinterval.h"
#include "protocollimits.h"
#include "roompanel.h"
#include "sessioncontroller.h"
#include "timelinewidget.h"
#include "verticalscrollarea.h"
#include "zoom.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSlider>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace PushChat {

namespace {
constexpr int DefaultPollIntervalMs = 1000;
constexpr int IntervalSliderMinWidth = 160;
constexpr int ModeRowSpacing = 24;
/// Rows laid out per pass when a long history arrives, so the window stays responsive.
constexpr int MessageLayoutBatch = 200;
/// The byte counter appears once this share of the limit is used.
constexpr double ByteCounterFromShare = 0.8;
/// How much of a refused text the chat's notice quotes.
constexpr int NoticeQuoteChars = 80;
constexpr int InspectorRowPadding = 6;
constexpr int InspectorHeaderPadding = 12;
constexpr int InspectorMinRows = 3;
constexpr int ChatMinChars = 30;
/// Within this many pixels of the end the view counts as following new messages.
constexpr int FollowEndTolerance = 4;
// Room panel, chat, inspector: starting widths and how extra width is shared.
constexpr int ColumnWidths[] = {270, 480, 590};
constexpr int ColumnStretch[] = {0, 3, 4};

QString quoted(const QString &text)
{
    if (text.size() <= NoticeQuoteChars)
        return text;
    return text.left(NoticeQuoteChars) + QStringLiteral("…");
}
} // namespace

ChatPage::ChatPage(SessionController *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_modeToggle(new ModeToggle(this))
    , m_modeCaption(new QLabel(this))
    , m_howButton(new QToolButton(this))
    , m_intervalCaption(new QLabel(this))
    , m_intervalSlider(new QSlider(Qt::Horizontal, this))
    , m_intervalLabel(new QLabel(this))
    , m_banner(new QFrame(this))
    , m_bannerLabel(new QLabel(m_banner))
    , m_reconnectButton(new QPushButton(m_banner))
    , m_messageView(new QListView(this))
    , m_input(new QLineEdit(this))
    , m_inputCounter(new QLabel(this))
    , m_inputNote(new QLabel(this))
    , m_sendButton(new QPushButton(this))
    , m_inspectorModel(new InspectorModel(this))
    , m_inspectorBox(new QGroupBox(this))
    , m_timelineBox(new QGroupBox(this))
    , m_timeline(new TimelineWidget(this))
    , m_roomPanel(new RoomPanel(session, this))
{
    QLayout *modeRow = buildModeRow();
    buildBanner();
    QSplitter *columns = buildColumns(buildChat(), buildInspectorAndTimeline());
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(modeRow);
    layout->addWidget(columns, 1);
    connectControls();
    setTabOrders();
    retranslateUi();
}

void ChatPage::retranslateUi()
{
    m_modeCaption->setText(tr("Mode:"));
    m_howButton->setText(tr("How it &works"));
    m_howButton->setToolTip(tr("What the client and the server do in this mode, what it costs, "
                               "and when it is the right choice"));
    m_intervalSlider->setToolTip(tr("How often polling asks the server: 100 ms to 10 s"));
    m_intervalCaption->setText(tr("Polling &interval:"));
    m_reconnectButton->setText(tr("Reconnect &now"));
    m_sendButton->setText(tr("Send"));
    m_input->setPlaceholderText(tr("Type a message and press Enter"));
    m_inputCounter->setToolTip(tr("The room counts a message's length in bytes (UTF-8): a "
                                  "Chinese character takes three, a Latin letter one."));
    m_inspectorBox->setTitle(tr("Transport inspector — what each mode cost so far"));
    m_timelineBox->setTitle(tr("Timeline — the last 30 seconds"));
    m_intervalLabel->setMinimumWidth(m_intervalLabel->fontMetrics().horizontalAdvance(
        tr("every %1").arg(PollInterval::text(PollInterval::MaxMs))));
    setIntervalFromSlider(m_intervalSlider->value());
    updateByteCounter();
    updateState();
}

void ChatPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // The chat's own lines (joins, notices) are worded when shown: lay them out anew.
        m_session->messages()->retranslate();
        m_messageView->doItemsLayout();
        m_inspectorModel->retranslate();
    }
    QWidget::changeEvent(event);
}

// The mode toggle and the polling interval.
QLayout *ChatPage::buildModeRow()
{
    m_intervalSlider->setObjectName(QStringLiteral("intervalSlider"));
    m_intervalSlider->setRange(0, PollInterval::SliderMax);
    m_intervalSlider->setValue(PollInterval::toSlider(DefaultPollIntervalMs));
    m_intervalSlider->setMinimumWidth(IntervalSliderMinWidth);
    m_intervalLabel->setObjectName(QStringLiteral("intervalLabel"));
    m_intervalCaption->setBuddy(m_intervalSlider);
    m_howButton->setObjectName(QStringLiteral("howItWorksButton"));
    m_howButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    const auto fitLabel = [this] {
        m_intervalLabel->setMinimumWidth(m_intervalLabel->fontMetrics().horizontalAdvance(
            tr("every %1").arg(PollInterval::text(PollInterval::MaxMs))));
    };
    fitLabel();
    Zoom::onFontChange(m_intervalLabel, fitLabel);
    // On a narrow window the interval goes under the mode toggle.
    auto *row = new FlowLayout;
    row->addWidget(FlowLayout::group(this, {m_modeCaption, m_modeToggle, m_howButton}));
    QWidget *interval =
        FlowLayout::group(this, {m_intervalCaption, m_intervalSlider, m_intervalLabel});
    interval->layout()->setContentsMargins(ModeRowSpacing, 0, 0, 0);
    row->addWidget(interval);
    return row;
}

// Shown while the link is down.
void ChatPage::buildBanner()
{
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
}

// The banner, the history, and the input line with its byte counter and note.
QWidget *ChatPage::buildChat()
{
    m_messageView->setObjectName(QStringLiteral("messageList"));
    m_messageView->setModel(m_session->messages());
    m_messageView->setItemDelegate(new MessageDelegate(m_messageView));
    m_messageView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_messageView->setResizeMode(QListView::Adjust);
    m_messageView->setLayoutMode(QListView::Batched);
    m_messageView->setBatchSize(MessageLayoutBatch);
    m_messageView->setWordWrap(true);
    m_messageView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_messageView->setFocusPolicy(Qt::StrongFocus);
    m_input->setObjectName(QStringLiteral("messageInput"));
    m_inputCounter->setObjectName(QStringLiteral("inputByteCounter"));
    m_inputNote->setObjectName(QStringLiteral("inputNote"));
    m_inputNote->setTextFormat(Qt::PlainText);
    m_inputNote->setWordWrap(true);
    m_inputNote->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_inputNote->hide();
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_inputCounter);
    inputRow->addWidget(m_sendButton);
    auto *chat = new QWidget(this);
    auto *chatLayout = new QVBoxLayout(chat);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->addWidget(m_banner);
    chatLayout->addWidget(m_messageView, 1);
    chatLayout->addLayout(inputRow);
    chatLayout->addWidget(m_inputNote);
    // Room for a sentence, not a word, whatever the other columns want (at 150 % text on a
    // 1280-pixel screen the chat was squeezed to 120 px).
    const auto fitWidth = [chat] {
        chat->setMinimumWidth(latinCharWidth(chat->fontMetrics()) * ChatMinChars);
    };
    fitWidth();
    Zoom::onFontChange(chat, fitWidth);
    return chat;
}

QWidget *ChatPage::buildInspectorAndTimeline()
{
    auto *inspectorView = new QTableView(this);
    inspectorView->setObjectName(QStringLiteral("inspectorTable"));
    inspectorView->setModel(m_inspectorModel);
    inspectorView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    inspectorView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    inspectorView->setSelectionMode(QAbstractItemView::NoSelection);
    inspectorView->setFocusPolicy(Qt::NoFocus);
    inspectorView->setAlternatingRowColors(true);
    inspectorView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    // Every measure without a scroll bar where the height allows (a 1280×720 screen at 150 %
    // text does not: then it scrolls rather than pushing the window off the screen).
    inspectorView->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    const auto fitRows = [inspectorView] {
        const int lineHeight = inspectorView->fontMetrics().height();
        inspectorView->verticalHeader()->setDefaultSectionSize(lineHeight + InspectorRowPadding);
        // The current mode's bold title is measured in the application's font, not the
        // view's (QHeaderView takes the model's font as it is): tall enough for the view's.
        inspectorView->horizontalHeader()->setMinimumHeight(lineHeight + InspectorHeaderPadding);
        inspectorView->setMinimumHeight(lineHeight + InspectorHeaderPadding +
                                        InspectorMinRows *
                                            inspectorView->verticalHeader()->defaultSectionSize() +
                                        2 * inspectorView->frameWidth());
    };
    fitRows();
    Zoom::onFontChange(inspectorView, fitRows);
    auto *inspectorLayout = new QVBoxLayout(m_inspectorBox);
    inspectorLayout->addWidget(inspectorView);
    auto *timelineLayout = new QVBoxLayout(m_timelineBox);
    timelineLayout->addWidget(m_timeline);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_inspectorBox);
    splitter->addWidget(m_timelineBox);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    return splitter;
}

QSplitter *ChatPage::buildColumns(QWidget *chat, QWidget *inspectorAndTimeline)
{
    auto *columns = new QSplitter(Qt::Horizontal, this);
    columns->setObjectName(QStringLiteral("chatColumns"));
    // With the totals, the TLS fields and large type the panel is taller than a 720 px
    // projector leaves the page (at 150 %): it scrolls rather than making the window taller.
    m_roomColumn = new VerticalScrollArea(m_roomPanel, columns);
    m_roomColumn->setObjectName(QStringLiteral("roomPanelScroll"));
    columns->addWidget(m_roomColumn);
    columns->addWidget(chat);
    // The same for the inspector and the timeline on a screen shorter still (the desktop
    // scaled to 150 % with a CJK font's taller lines).
    columns->addWidget(new VerticalScrollArea(inspectorAndTimeline, columns));
    for (int i = 0; i < columns->count(); ++i)
        columns->setStretchFactor(i, ColumnStretch[i]);
    columns->setSizes({std::begin(ColumnWidths), std::end(ColumnWidths)});
    columns->setChildrenCollapsible(false);
    return columns;
}

void ChatPage::connectControls()
{
    connect(m_input, &QLineEdit::returnPressed, this, &ChatPage::sendInput);
    connect(m_input, &QLineEdit::textChanged, this, &ChatPage::updateByteCounter);
    connect(m_input, &QLineEdit::textEdited, this, [this] { showInputNote({}); });
    connect(m_sendButton, &QPushButton::clicked, this, &ChatPage::sendInput);
    connect(m_modeToggle, &ModeToggle::modeRequested, this, [this](Transport mode) {
        if (ChatClient *client = m_session->client())
            client->setMode(mode);
        m_input->setFocus();
    });
    connect(m_howButton, &QToolButton::clicked, this, &ChatPage::showHowItWorks);

    connect(m_intervalSlider, &QSlider::valueChanged, this, &ChatPage::setIntervalFromSlider);
    connect(m_reconnectButton, &QPushButton::clicked, m_session, &SessionController::reconnectNow);
    connect(m_session, &SessionController::titleChanged, this, &ChatPage::updateState);
    connect(m_session, &SessionController::modesUsedChanged, this,
            [this] { m_inspectorModel->setModes(m_session->modesUsed()); });
    connect(m_session->messages(), &MessageListModel::rowsAppended, this,
            &ChatPage::scrollToEndIfFollowing);
    // Follow new messages only while the user is at the end of the history.
    connect(m_messageView->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_followEnd = value >= m_messageView->verticalScrollBar()->maximum() - FollowEndTolerance;
    });
}

void ChatPage::setTabOrders()
{
    setTabOrder(m_input, m_sendButton);
    setTabOrder(m_sendButton, m_modeToggle->button(Transport::Polling));
    setTabOrder(m_modeToggle->button(Transport::Polling),
                m_modeToggle->button(Transport::LongPoll));
    setTabOrder(m_modeToggle->button(Transport::LongPoll),
                m_modeToggle->button(Transport::WebSocket));
    setTabOrder(m_modeToggle->button(Transport::WebSocket), m_intervalSlider);
    setTabOrder(m_intervalSlider, m_messageView);
}

void ChatPage::enterRoom()
{
    ChatClient *client = m_session->client();
    if (!client)
        return;
    m_followEnd = true;
    m_unconfirmed.clear();
    showInputNote({});
    m_inspectorModel->attach(client);
    m_inspectorModel->setModes(m_session->modesUsed());
    m_timeline->setEventLog(client->eventLog());
    m_modeToggle->setMode(client->mode());
    client->setPollInterval(PollInterval::toMs(m_intervalSlider->value()));
    connect(client, &ChatClient::modeChanged, m_modeToggle, &ModeToggle::setMode);
    connect(client, &ChatClient::modeChanged, this, [this](Transport mode) {
        if (m_howItWorks)
            m_howItWorks->setTechniques({mode});
    });
    connect(client, &ChatClient::stateChanged, this, &ChatPage::updateState);
    connect(client, &ChatClient::roomInfoChanged, this, &ChatPage::updateByteCounter);
    connect(client, &ChatClient::sendAccepted, this, &ChatPage::onSendAccepted);
    connect(client, &ChatClient::sendFailed, this, &ChatPage::onSendFailed);
    m_roomPanel->refresh();
    updateState();
    updateByteCounter();
    focusInput();
}

void ChatPage::setPollInterval(int ms)
{
    m_intervalSlider->setValue(PollInterval::toSlider(ms));
}

void ChatPage::showHowItWorks()
{
    if (!m_howItWorks) {
        m_howItWorks = new HowItWorksDialog(this);
        m_howItWorks->setObjectName(QStringLiteral("chatHowItWorks"));
    }
    const ChatClient *client = m_session->client();
    m_howItWorks->setTechniques({client ? client->mode() : Transport::Polling});
    m_howItWorks->show();
    m_howItWorks->raise();
    m_howItWorks->activateWindow();
}

void ChatPage::setPresenting(bool on)
{
    m_roomColumn->setVisible(!on);
    // Large type leaves no height for both: the compare view has the timeline for a class.
    m_timeline->parentWidget()->setVisible(!on);
}

void ChatPage::focusInput()
{
    m_input->setFocus();
}

int ChatPage::maxTextBytes() const
{
    // Before the first /api/room answer (or without a client) the limits every server starts with.
    const ChatClient *client = m_session->client();
    return client ? client->roomInfo().maxTextBytes() : ProtocolLimits{}.maxTextBytes;
}

void ChatPage::sendInput()
{
    ChatClient *client = m_session->client();
    const QString text = m_input->text();
    if (!client || text.trimmed().isEmpty())
        return;
    // Counted as the server counts: bytes of UTF-8, not characters.
    const qsizetype bytes = utf8Length(text);
    if (bytes > maxTextBytes()) {
        const QLocale locale;
        showInputNote(tr("Too long to send: %1 bytes, and the room takes at most %2. Shorten "
                         "it, or send it in parts.")
                          .arg(locale.toString(bytes), locale.toString(maxTextBytes())));
        m_input->setFocus();
        return;
    }
    if (const qint64 id = client->send(text))
        m_unconfirmed.insert(id, text);
    m_input->clear();
    showInputNote({});
    m_input->setFocus();
    m_followEnd = true;
}

void ChatPage::updateByteCounter()
{
    const qsizetype bytes = utf8Length(m_input->text());
    const int limit = maxTextBytes();
    const QLocale locale;
    m_inputCounter->setText(
        tr("%1 / %2 bytes").arg(locale.toString(bytes), locale.toString(limit)));
    m_inputCounter->setStyleSheet(
        bytes > limit ? QStringLiteral("color: #b3261e; font-weight: bold;") : QString());
    m_inputCounter->setVisible(bytes >= limit * ByteCounterFromShare);
    m_sendButton->setEnabled(bytes <= limit);
}

void ChatPage::showInputNote(const QString &note)
{
    m_inputNote->setText(note);
    m_inputNote->setVisible(!note.isEmpty());
}

void ChatPage::onSendAccepted(qint64 id)
{
    m_unconfirmed.remove(id);
}

void ChatPage::onSendFailed(qint64 id, const QString &reason)
{
    const QString text = m_unconfirmed.take(id);
    if (text.isEmpty()) { // not typed here
        m_session->messages()->appendNotice(
            {staticMetaObject.className(), QT_TR_NOOP("A message was not sent (%1)"), {reason}});
        return;
    }
    // As the browser client does: the text comes back unless something new was typed since.
    const bool restored = m_input->text().isEmpty();
    if (restored)
        m_input->setText(text);
    showInputNote(restored ? tr("Not sent: %1. Your text is back in the box.").arg(reason)
                           : tr("Not sent: %1.").arg(reason));
    m_session->messages()->appendNotice({staticMetaObject.className(),
                                         QT_TR_NOOP("Not sent: \"%1\" (%2)"),
                                         {quoted(text), reason}});
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
    // Not while the page is hidden behind the compare view: scrolling makes the view lay out
    // every row (a text layout each), so a long stream cost more with every message.
    // showEvent() catches up.
    if (m_followEnd && isVisible())
        m_messageView->scrollToBottom();
}

void ChatPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_followEnd)
        QTimer::singleShot(0, m_messageView, &QListView::scrollToBottom);
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
