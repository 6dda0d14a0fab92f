#include "roompanel.h"

#include "inspectormodel.h"
#include "joinbanner.h"
#include "joinurls.h"
#include "languagefont.h"
#include "onlinetotals.h"
#include "serverstatspoller.h"
#include "sessioncontroller.h"
#include "zoom.h"

#include <QEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <iterator>

namespace PushChat {

namespace {
constexpr StatsBucket Buckets[] = {StatsBucket::Polling, StatsBucket::LongPoll,
                                   StatsBucket::WebSocket, StatsBucket::Other};
constexpr int StatsColumns = int(std::size(Buckets));
// Requests, empty responses, frames, KB in, KB out, connections.
constexpr int StatsRows = 6;
constexpr int StatsRowPadding = 4;
constexpr qint64 BytesPerKiB = 1024;
constexpr qint64 MsPerSecond = 1000;

QString transportLabel(std::optional<Transport> transport)
{
    // Posts without `via` (curl, the tutorial's form) say nothing about receiving.
    return transport ? InspectorModel::modeTitle(*transport)
                     : RoomPanel::tr("sender only (HTTP posts)");
}
} // namespace

RoomPanel::RoomPanel(SessionController *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_addressBox(new QGroupBox(this))
    , m_joinBanner(new JoinBanner(Qt::Vertical, m_addressBox))
    , m_onlineBox(new QGroupBox(this))
    , m_onlineTotals(new QLabel(this))
    , m_connectionTotals(new QLabel(this))
    , m_onlineList(new QListWidget(this))
    , m_statsBox(new QGroupBox(this))
    , m_statsTable(new QTableWidget(m_statsBox))
    , m_statsSummary(new QLabel(m_statsBox))
    , m_historyLabel(new QLabel(m_statsBox))
    , m_clearHistoryButton(new QPushButton(tr("C&lear history…"), this))
    , m_leaveButton(new QPushButton(this))
{
    auto *addressLayout = new QVBoxLayout(m_addressBox);
    addressLayout->addWidget(m_joinBanner);

    m_onlineList->setObjectName(QStringLiteral("onlineList"));
    auto *onlineLayout = new QVBoxLayout(m_onlineBox);
    for (QLabel *totals : {m_onlineTotals, m_connectionTotals}) {
        totals->setTextFormat(Qt::PlainText);
        totals->setWordWrap(true);
        onlineLayout->addWidget(totals);
    }
    m_onlineTotals->setObjectName(QStringLiteral("onlineTotals"));
    m_connectionTotals->setObjectName(QStringLiteral("connectionTotals"));
    // The totals above say how many: the list may shrink to two rows and scroll.
    m_onlineList->setMinimumHeight(m_onlineList->fontMetrics().height() * 2);
    onlineLayout->addWidget(m_onlineList);

    m_statsTable->setObjectName(QStringLiteral("serverStatsTable"));
    m_statsTable->setColumnCount(StatsColumns);
    m_statsTable->setRowCount(StatsRows);
    m_statsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_statsTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_statsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_statsTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_statsTable->setFocusPolicy(Qt::NoFocus);
    m_statsTable->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_statsTable->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const auto fitStats = [this] {
        const QFontMetrics fm = m_statsTable->fontMetrics();
        m_statsTable->verticalHeader()->setDefaultSectionSize(fm.height() + StatsRowPadding);
        m_statsTable->setFixedHeight(m_statsTable->horizontalHeader()->sizeHint().height() +
                                     StatsRows *
                                         m_statsTable->verticalHeader()->defaultSectionSize() +
                                     2 * m_statsTable->frameWidth());
        // Every column wide enough for five digits: a counter shown as "1,…" tells nothing.
        const int cell = fm.horizontalAdvance(QLocale().toString(88888)) + latinCharWidth(fm);
        m_statsTable->setMinimumWidth(m_statsTable->verticalHeader()->sizeHint().width() +
                                      StatsColumns * cell + 2 * m_statsTable->frameWidth());
    };
    fitStats();
    Zoom::onFontChange(m_statsTable, fitStats);
    for (int r = 0; r < StatsRows; ++r) {
        for (int c = 0; c < StatsColumns; ++c) {
            auto *item = new QTableWidgetItem(QStringLiteral("–"));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_statsTable->setItem(r, c, item);
        }
    }
    m_statsSummary->setObjectName(QStringLiteral("serverStatsSummary"));
    m_statsSummary->setTextFormat(Qt::PlainText);
    m_statsSummary->setWordWrap(true);
    auto *statsLayout = new QVBoxLayout(m_statsBox);
    statsLayout->addWidget(m_statsTable);
    statsLayout->addWidget(m_statsSummary);
    // One line: the panel must fit a projector at 150 % (the full path is the tooltip).
    m_historyLabel->setObjectName(QStringLiteral("historyLabel"));
    m_historyLabel->setTextFormat(Qt::PlainText);
    m_historyLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statsLayout->addWidget(m_historyLabel);
    m_historyLabel->hide(); // refresh() shows it, and the button, when hosting
    m_clearHistoryButton->setObjectName(QStringLiteral("clearHistoryButton"));
    m_clearHistoryButton->hide();
    m_clearHistoryButton->setToolTip(
        tr("Deletes every message of this room, for everyone in it; the room goes on."));

    m_leaveButton->setObjectName(QStringLiteral("leaveButton"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_addressBox);
    layout->addWidget(m_onlineBox, 1);
    layout->addWidget(m_statsBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_clearHistoryButton);
    buttons->addWidget(m_leaveButton, 1);
    layout->addLayout(buttons);

    connect(m_leaveButton, &QPushButton::clicked, m_session, &SessionController::leave);
    connect(m_session->statsPoller(), &ServerStatsPoller::updated, this,
            &RoomPanel::showServerStats);
    connect(m_clearHistoryButton, &QPushButton::clicked, this, &RoomPanel::confirmClearHistory);
    connect(m_session, &SessionController::historyCleared, this, [this] {
        m_clearHistoryButton->setEnabled(true);
        showHistoryFile();
    });
    connect(m_session, &SessionController::historyFailed, this, [this](const ServerError &error) {
        m_clearHistoryButton->setEnabled(true);
        m_historyLabel->setText(error.message);
    });
    retranslateUi();
}

void RoomPanel::retranslateUi()
{
    m_addressBox->setTitle(tr("Others join at"));
    m_onlineBox->setTitle(tr("People online"));
    m_statsBox->setTitle(tr("Server counters (/api/stats)"));
    m_clearHistoryButton->setText(tr("C&lear history…"));
    m_connectionTotals->setToolTip(
        tr("Open connections at the server, observers and simulated clients included: they "
           "have no nick, so the list does not show them"));
    m_statsTable->setHorizontalHeaderLabels({tr("Poll"), tr("Long"), tr("WS"), tr("Other")});
    m_statsTable->setVerticalHeaderLabels(
        {tr("Requests"), tr("Empty"), tr("Frames"), tr("KB in"), tr("KB out"), tr("Connections")});
    updateRoleTexts();
}

void RoomPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        if (const ChatClient *client = m_session->client())
            showRoomInfo(client->roomInfo());
        if (m_statsBox->isVisible())
            showServerStats();
        showHistoryFile();
    }
    QWidget::changeEvent(event);
}

void RoomPanel::updateRoleTexts()
{
    const bool hosting = m_session->isHosting();
    m_leaveButton->setText(hosting ? tr("&Stop hosting") : tr("&Leave room"));
    m_leaveButton->setToolTip(hosting ? tr("Closes the room for everyone and goes back to "
                                           "the start screen.")
                                      : tr("Leaves the room and goes back to the start screen."));
}

void RoomPanel::refresh()
{
    const bool hosting = m_session->isHosting();
    m_addressBox->setVisible(hosting);
    m_statsBox->setVisible(hosting);
    m_historyLabel->setVisible(hosting);
    m_clearHistoryButton->setVisible(hosting);
    m_clearHistoryButton->setEnabled(true);
    showHistoryFile();
    updateRoleTexts();
    m_onlineList->clear();
    m_onlineTotals->clear();
    m_connectionTotals->clear();
    m_connectionTotals->setVisible(hosting);
    if (hosting)
        m_joinBanner->setAddresses(m_session->joinUrls(), JoinUrls::loopback(m_session->port()),
                                   !m_session->request().key.isEmpty(),
                                   m_session->tlsFingerprint());
    if (ChatClient *client = m_session->client()) {
        connect(client, &ChatClient::roomInfoChanged, this, &RoomPanel::showRoomInfo,
                Qt::UniqueConnection);
        // While the link is down the list is what it was: show it as stale.
        connect(client, &ChatClient::stateChanged, m_onlineList, [this](ChatClient::State state) {
            m_onlineList->setEnabled(state == ChatClient::State::Connected);
        });
    }
}

void RoomPanel::showHistoryFile()
{
    const QString file = m_session->historyFile();
    m_historyLabel->setText(file.isEmpty() ? tr("History: in memory until the app closes")
                                           : tr("History: %1").arg(QFileInfo(file).fileName()));
    m_historyLabel->setToolTip(file);
}

void RoomPanel::confirmClearHistory()
{
    const auto answer = QMessageBox::question(
        this, tr("Clear history"),
        tr("Delete every message of this room, for everyone in it? This cannot be undone."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_clearHistoryButton->setEnabled(false); // until the server answers
    m_session->clearHistory();
}

void RoomPanel::showRoomInfo(const RoomInfo &info)
{
    m_onlineList->clear();
    m_onlineTotals->setText(OnlineTotals::members(info));
    const QString own = m_session->request().nick;
    for (const RoomInfo::Member &member : info.online) {
        QString line = QStringLiteral("%1 — %2").arg(member.nick, transportLabel(member.transport));
        if (member.nick == own)
            line += tr(" (you)");
        m_onlineList->addItem(line);
    }
    if (info.online.isEmpty())
        m_onlineList->addItem(tr("nobody yet"));
}

void RoomPanel::showServerStats()
{
    const ServerStatsPoller::Snapshot s = m_session->statsPoller()->snapshot();
    const QLocale locale;
    for (int c = 0; c < StatsColumns; ++c) {
        const TransportCounters &t = s.stats[Buckets[c]];
        const qint64 values[] = {t.requests,
                                 t.emptyResponses,
                                 t.framesIn + t.framesOut,
                                 t.bytesIn / BytesPerKiB,
                                 t.bytesOut / BytesPerKiB,
                                 t.openConnections};
        for (int r = 0; r < StatsRows; ++r)
            m_statsTable->item(r, c)->setText(locale.toString(values[r]));
    }
    m_connectionTotals->setText(OnlineTotals::connections(s.stats));
    const qint64 parked = s.stats[StatsBucket::LongPoll].parked;
    m_statsSummary->setText(tr("Up %1 s · %2 messages stored · %3 long polls waiting")
                                .arg(s.uptimeMs / MsPerSecond)
                                .arg(s.retained)
                                .arg(parked));
}

} // namespace PushChat
