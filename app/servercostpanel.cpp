#include "servercostpanel.h"

#include "chatclient.h"
#include "inspectormodel.h"
#include "serverstatspoller.h"
#include "sessioncontroller.h"
#include "simulatedaudience.h"
#include "zoom.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <iterator>

namespace PushChat {

namespace {
constexpr StatsBucket Rows[] = {StatsBucket::Polling, StatsBucket::LongPoll, StatsBucket::WebSocket,
                                StatsBucket::Monitoring, StatsBucket::Other};
constexpr int RowCount = int(std::size(Rows));
enum Column { RequestsColumn, BytesColumn, ConnectionsColumn, CpuColumn, AudienceColumn, Columns };
constexpr int RowPadding = 8;
constexpr int DefaultAudience = 100;
constexpr double BytesPerKB = 1000;
constexpr char ExpandedSetting[] = "serverCost/expanded";

QString bucketTitle(StatsBucket bucket)
{
    switch (bucket) {
    case StatsBucket::Polling:
        return InspectorModel::modeTitle(Transport::Polling);
    case StatsBucket::LongPoll:
        return InspectorModel::modeTitle(Transport::LongPoll);
    case StatsBucket::WebSocket:
        return InspectorModel::modeTitle(Transport::WebSocket);
    case StatsBucket::Monitoring:
        return ServerCostPanel::tr("Monitoring");
    case StatsBucket::Other:
        break;
    }
    return ServerCostPanel::tr("Other");
}
} // namespace

ServerCostPanel::ServerCostPanel(SessionController *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_audience(new SimulatedAudience(this))
    , m_toggle(new QToolButton(this))
    , m_table(new QTableWidget(RowCount, Columns, this))
    , m_cpuSummary(new QLabel(this))
{
    setObjectName(QStringLiteral("serverCostPanel"));
    m_table->setObjectName(QStringLiteral("serverCostTable"));
    retranslateHeaders();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AudienceColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    for (int row = 0; row < RowCount; ++row) {
        for (int column = 0; column < AudienceColumn; ++column) {
            auto *item = new QTableWidgetItem(QStringLiteral("–"));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
    }
    for (const Transport technique :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket})
        m_table->setCellWidget(int(technique), AudienceColumn, buildAudienceCell(technique));
    // As tall as its rows at the current text size (zoom and presentation mode change it).
    const auto fitRows = [this] {
        const int rowHeight =
            qMax(m_table->fontMetrics().height() + RowPadding, m_spins[0]->sizeHint().height());
        m_table->verticalHeader()->setDefaultSectionSize(rowHeight);
        m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() +
                                RowCount * rowHeight + 2 * m_table->frameWidth());
    };
    fitRows();
    Zoom::onFontChange(m_table, fitRows);

    m_cpuSummary->setObjectName(QStringLiteral("serverCostSummary"));
    m_cpuSummary->setTextFormat(Qt::PlainText);
    m_cpuSummary->setWordWrap(true);

    m_toggle->setObjectName(QStringLiteral("serverCostToggle"));
    m_toggle->setCheckable(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(m_toggle, &QToolButton::clicked, this, [this](bool expanded) {
        setExpanded(expanded);
        // A teacher who opened it for one lesson wants it open in the next.
        QSettings().setValue(QLatin1String(ExpandedSetting), expanded);
    });

    auto *header = new QHBoxLayout;
    header->addWidget(m_toggle);
    header->addWidget(m_cpuSummary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_table);
    setExpanded(QSettings().value(QLatin1String(ExpandedSetting), false).toBool());

    connect(m_session->statsPoller(), &ServerStatsPoller::updated, this,
            &ServerCostPanel::showStats);
    connect(m_session, &SessionController::entered, this, &ServerCostPanel::onEntered);
    connect(m_session, &SessionController::left, this, &ServerCostPanel::onLeft);
    // Leaving, the audience goes before the server does, rather than failing against it; a
    // restart (a fault shown on demand) keeps it, and it reconnects as a real one would.
    connect(m_session->serverHost(), &ServerHost::stateChanged, this,
            [this](ServerHost::State state) {
                if (state == ServerHost::State::Stopping &&
                    m_session->phase() == SessionController::Phase::Stopping)
                    m_audience->stop();
            });
    connect(m_audience, &SimulatedAudience::connectedCountsChanged, this,
            &ServerCostPanel::showAudience);
    setVisible(m_session->isHosting());
    retranslateUi();
}

void ServerCostPanel::retranslateHeaders()
{
    m_table->setHorizontalHeaderLabels({tr("Requests + frames /s"), tr("KB/s"), tr("Connections"),
                                        tr("Server CPU"), tr("Simulate extra clients")});
    m_table->horizontalHeaderItem(RequestsColumn)
        ->setToolTip(tr("HTTP requests a second, plus WebSocket frames in and out"));
    m_table->horizontalHeaderItem(BytesColumn)
        ->setToolTip(tr("Bytes in and out a second at the server's sockets, in kilobytes"));
    m_table->horizontalHeaderItem(CpuColumn)->setToolTip(
        tr("Share of one core the server's thread spends on this row's work, "
           "measured with the thread's own CPU clock"));
    m_table->horizontalHeaderItem(AudienceColumn)
        ->setToolTip(tr("Extra clients that only receive, run by this app on a thread of "
                        "their own"));
    QStringList rowTitles;
    for (const StatsBucket bucket : Rows)
        rowTitles << bucketTitle(bucket);
    m_table->setVerticalHeaderLabels(rowTitles);
    m_table->verticalHeaderItem(3)->setToolTip(
        tr("Reading the room and the counters (every client does now and then): not a "
           "transport's cost. This app reads its own server's counters without a request."));
    m_table->verticalHeaderItem(4)->setToolTip(
        tr("Page loads, posts that do not say their transport, accepting connections, "
           "housekeeping"));
}

void ServerCostPanel::retranslateUi()
{
    retranslateHeaders();
    m_toggle->setText(tr("&Server cost"));
    m_toggle->setToolTip(tr("What the server spends per technique, and extra simulated clients"));
    for (QSpinBox *spin : m_spins)
        spin->setToolTip(tr("How many extra clients: 1 to 1,000"));
    showAudience();
    // The CPU line is worded anew with the next counters, within a second.
    if (!m_model.hasRates())
        m_cpuSummary->setText(tr("Server cost: waiting for the first counters…"));
}

void ServerCostPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

ServerCostPanel::~ServerCostPanel() = default;

void ServerCostPanel::setExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_table->setVisible(expanded);
}

void ServerCostPanel::setPresenting(bool on)
{
    // The essentials only: the summary line, the table one click away; back as it was after.
    setExpanded(!on && QSettings().value(QLatin1String(ExpandedSetting), false).toBool());
}

bool ServerCostPanel::isExpanded() const
{
    return m_toggle->isChecked();
}

QWidget *ServerCostPanel::buildAudienceCell(Transport technique)
{
    auto *cell = new QWidget(m_table);
    auto *row = new QHBoxLayout(cell);
    row->setContentsMargins(2, 0, 2, 0);
    auto *spin = new QSpinBox(cell);
    spin->setObjectName(QStringLiteral("audienceSpin%1").arg(int(technique)));
    spin->setRange(1, SimulatedAudience::MaxPerTechnique);
    spin->setValue(DefaultAudience);
    auto *button = new QPushButton(cell);
    button->setObjectName(QStringLiteral("audienceButton%1").arg(int(technique)));
    row->addWidget(spin);
    row->addWidget(button, 1);
    m_spins[size_t(technique)] = spin;
    m_buttons[size_t(technique)] = button;
    connect(button, &QPushButton::clicked, this, [this, technique, spin] {
        simulate(technique, m_audience->count(technique) > 0 ? 0 : spin->value());
    });
    connect(spin, &QSpinBox::valueChanged, this, [this, technique](int count) {
        if (m_audience->count(technique) > 0)
            simulate(technique, count);
    });
    return cell;
}

void ServerCostPanel::simulate(Transport technique, int count)
{
    if (count > 0) {
        // From the room's newest message on: a thousand new clients do not fetch the history.
        const ChatClient *client = m_session->client();
        if (!client)
            return;
        m_audience->setRoom(client->serverUrl(), client->key(), client->pollInterval(),
                            qMax(client->cursor(), client->roomInfo().lastSeq));
    }
    m_audience->setCount(technique, count);
    showAudience();
}

void ServerCostPanel::onEntered()
{
    m_model.clear();
    setVisible(m_session->isHosting());
}

void ServerCostPanel::onLeft()
{
    m_audience->stop();
    m_model.clear();
    setVisible(false);
}

void ServerCostPanel::showAudience()
{
    for (const Transport technique :
         {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
        const int wanted = m_audience->count(technique);
        m_buttons[size_t(technique)]->setText(wanted > 0
                                                  ? tr("Stop (%1 of %2 connected)")
                                                        .arg(m_audience->connectedCount(technique))
                                                        .arg(wanted)
                                                  : tr("Start"));
    }
}

void ServerCostPanel::showStats()
{
    const ServerStatsPoller *poller = m_session->statsPoller();
    if (!poller->hasSnapshot())
        return;
    m_model.add(poller->snapshot(), ServerCostModel::processCpuNs(), m_audience->threadCpuNs());
    const QLocale locale;
    for (int row = 0; row < RowCount; ++row) {
        const ServerCostModel::Rates rates = m_model.rates(Rows[row]);
        m_table->item(row, ConnectionsColumn)->setText(locale.toString(rates.openConnections));
        if (!m_model.hasRates())
            continue;
        m_table->item(row, RequestsColumn)
            ->setText(locale.toString(rates.requestsPerSecond, 'f', 1));
        m_table->item(row, BytesColumn)
            ->setText(locale.toString(rates.bytesPerSecond / BytesPerKB, 'f', 1));
        m_table->item(row, CpuColumn)
            ->setText(tr("%1 %").arg(locale.toString(rates.cpuPercent, 'f', 2)));
    }
    if (m_model.hasRates()) {
        m_cpuSummary->setText(
            tr("CPU, share of one core: server thread %1 % · simulated clients %2 % · rest of "
               "this app %3 %")
                .arg(locale.toString(m_model.serverThreadCpuPercent(), 'f', 2),
                     locale.toString(m_model.audienceCpuPercent(), 'f', 2),
                     locale.toString(m_model.appCpuPercent(), 'f', 2)));
    }
}

} // namespace PushChat
