#include "faultspanel.h"

#include "sessioncontroller.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTime>
#include <QVBoxLayout>

namespace PushChat {

namespace {
constexpr int LatencyStepMs = 100;
} // namespace

FaultsPanel::FaultsPanel(SessionController *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_dropButton(new QPushButton(this))
    , m_latencySpin(new QSpinBox(this))
    , m_proxyTimeoutSpin(new QSpinBox(this))
    , m_blockCombo(new QComboBox(this))
    , m_restartButton(new QPushButton(this))
    , m_heartbeatSpin(new QSpinBox(this))
    , m_lastFault(new QLabel(this))
{
    m_dropButton->setObjectName(QStringLiteral("dropButton"));
    m_latencySpin->setObjectName(QStringLiteral("latencySpin"));
    m_latencySpin->setRange(0, FaultSettings::MaxAddedLatencyMs);
    m_latencySpin->setSingleStep(LatencyStepMs);
    m_latencySpin->setKeyboardTracking(false); // applied when typed, not at every digit
    m_proxyTimeoutSpin->setObjectName(QStringLiteral("proxyTimeoutSpin"));
    m_proxyTimeoutSpin->setRange(0, FaultSettings::MaxProxyTimeoutSeconds);
    m_proxyTimeoutSpin->setKeyboardTracking(false);
    m_blockCombo->setObjectName(QStringLiteral("blockCombo"));
    m_blockCombo->addItem(QString());
    for (const Transport technique :
         {Transport::WebSocket, Transport::LongPoll, Transport::Polling})
        m_blockCombo->addItem(QString(), int(technique));
    m_restartButton->setObjectName(QStringLiteral("restartButton"));
    m_heartbeatSpin->setObjectName(QStringLiteral("heartbeatSpin"));
    m_heartbeatSpin->setRange(1, FaultSettings::MaxProxyTimeoutSeconds);
    m_heartbeatSpin->setValue(session->heartbeatSeconds());
    m_heartbeatSpin->setKeyboardTracking(false);
    m_lastFault->setObjectName(QStringLiteral("lastFault"));
    m_lastFault->setWordWrap(true);
    m_lastFault->setTextFormat(Qt::PlainText);

    auto *form = new QFormLayout;
    // A label goes above its field when the dock is narrow (Chinese labels, a small screen).
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    for (QWidget *field :
         {static_cast<QWidget *>(m_latencySpin), static_cast<QWidget *>(m_proxyTimeoutSpin),
          static_cast<QWidget *>(m_blockCombo), static_cast<QWidget *>(m_heartbeatSpin)}) {
        auto *label = new QLabel(this);
        label->setBuddy(field);
        m_fieldLabels.insert(field, label);
        form->addRow(label, field);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_dropButton);
    layout->addLayout(form);
    layout->addWidget(m_restartButton);
    layout->addWidget(m_lastFault);
    layout->addStretch();

    connect(m_dropButton, &QPushButton::clicked, this,
            [this] { m_session->injectFault(FaultStep::now(FaultStep::Action::Drop)); });
    connect(m_restartButton, &QPushButton::clicked, this,
            [this] { m_session->injectFault(FaultStep::now(FaultStep::Action::Restart)); });
    connect(m_latencySpin, &QSpinBox::valueChanged, this, [this](int ms) {
        if (!m_updating)
            m_session->injectFault(FaultStep::now(FaultStep::Action::Latency, ms));
    });
    connect(m_proxyTimeoutSpin, &QSpinBox::valueChanged, this, [this](int seconds) {
        if (!m_updating)
            m_session->injectFault(FaultStep::now(FaultStep::Action::ProxyTimeout, seconds));
    });
    connect(m_heartbeatSpin, &QSpinBox::valueChanged, m_session,
            &SessionController::setHeartbeatSeconds);
    connect(m_blockCombo, &QComboBox::currentIndexChanged, this, &FaultsPanel::onBlockChosen);
    connect(m_session, &SessionController::faultAnnounced, this,
            [this](qint64 wallClockMs, const Fault &fault) {
                m_lastFaultDone = fault;
                m_lastFaultTime = QDateTime::fromMSecsSinceEpoch(wallClockMs).time();
                showLastFault();
                showCurrentFaults();
            });
    retranslateUi();
}

void FaultsPanel::retranslateUi()
{
    const auto label = [this](const QWidget *field, const QString &text) {
        m_fieldLabels.value(field)->setText(text);
    };
    m_dropButton->setText(tr("&Drop all connections now"));
    m_dropButton->setToolTip(tr("Every client loses its connection at once, as when a network "
                                "drops: each must come back by itself, missing nothing."));
    label(m_latencySpin, tr("Added &latency:"));
    m_latencySpin->setSuffix(tr(" ms"));
    m_latencySpin->setSpecialValueText(tr("none"));
    m_latencySpin->setToolTip(tr("Added to every answer and frame the server sends: a slow "
                                 "network."));
    label(m_proxyTimeoutSpin, tr("&Proxy timeout:"));
    m_proxyTimeoutSpin->setSuffix(tr(" s"));
    m_proxyTimeoutSpin->setSpecialValueText(tr("off"));
    m_proxyTimeoutSpin->setToolTip(
        tr("As a proxy does: requests held longer are ended (long polls come back empty and "
           "are asked again), WebSockets silent that long are cut, unless a heartbeat keeps "
           "them alive."));
    label(m_blockCombo, tr("&Block:"));
    m_blockCombo->setItemText(0, tr("nothing"));
    m_blockCombo->setItemText(m_blockCombo->findData(int(Transport::WebSocket)),
                              tr("WebSocket upgrades"));
    m_blockCombo->setItemText(m_blockCombo->findData(int(Transport::LongPoll)), tr("long polls"));
    m_blockCombo->setItemText(m_blockCombo->findData(int(Transport::Polling)), tr("polls"));
    m_blockCombo->setToolTip(tr("Refused with a clear error, as on a network whose proxy does "
                                "not pass them: switch mode to show the fallback."));
    m_restartButton->setText(tr("R&estart the server"));
    m_restartButton->setToolTip(tr("Stops the server and starts it again on the same port, "
                                   "history kept: clients resume from where they were."));
    label(m_heartbeatSpin, tr("&Heartbeat (this window):"));
    m_heartbeatSpin->setSuffix(tr(" s"));
    m_heartbeatSpin->setToolTip(
        tr("How often this window's WebSocket pings the server, from its next connection. "
           "Shorter than the proxy timeout, it keeps an idle link alive."));
    showLastFault();
}

void FaultsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void FaultsPanel::showLastFault()
{
    if (!m_lastFaultDone)
        return;
    m_lastFault->setText(tr("Last fault: %1 at %2")
                             .arg(m_lastFaultDone->label(),
                                  QLocale().toString(m_lastFaultTime, QLocale::ShortFormat)));
}

void FaultsPanel::onBlockChosen(int index)
{
    if (m_updating)
        return;
    FaultStep step = FaultStep::now(FaultStep::Action::Block);
    const QVariant technique = m_blockCombo->itemData(index);
    if (technique.isValid())
        step.technique = Transport(technique.toInt());
    m_session->injectFault(step);
}

void FaultsPanel::showCurrentFaults()
{
    const FaultSettings faults = m_session->faults();
    m_updating = true;
    m_latencySpin->setValue(faults.addedLatencyMs);
    m_proxyTimeoutSpin->setValue(faults.proxyTimeoutSeconds);
    const int index = faults.blocked ? m_blockCombo->findData(int(*faults.blocked)) : 0;
    m_blockCombo->setCurrentIndex(qMax(0, index));
    m_updating = false;
}

} // namespace PushChat
