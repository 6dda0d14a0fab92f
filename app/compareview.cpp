#include "compareview.h"

#include "chatclient.h"
#include "comparecounters.h"
#include "comparemodel.h"
#include "comparesession.h"
#include "csvexport.h"
#include "deliverylog.h"
#include "eventlog.h"
#include "flowlayout.h"
#include "howitworksdialog.h"
#include "languagefont.h"
#include "pollinterval.h"
#include "timelinewidget.h"
#include "trafficgenerator.h"
#include "verticalscrollarea.h"
#include "zoom.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace PushChat {

CompareView::CompareView(QWidget *parent)
    : QWidget(parent)
    , m_session(new CompareSession(this))
    , m_model(new CompareModel(this))
    , m_counters(new CompareCounters(this))
    , m_table(new QTableView(this))
    , m_timeline(new TimelineWidget(this))
    , m_rateSpin(new QDoubleSpinBox(this))
    , m_botButton(new QPushButton(this))
    , m_burstSpin(new QSpinBox(this))
    , m_burstButton(new QPushButton(this))
    , m_intervalSlider(new QSlider(Qt::Horizontal, this))
    , m_intervalLabel(new QLabel(this))
    , m_sentLabel(new QLabel(this))
    , m_botCaption(new QLabel(this))
    , m_intervalCaption(new QLabel(this))
    , m_howButton(new QPushButton(this))
    , m_backButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("compareView"));
    m_timeline->setObjectName(QStringLiteral("compareTimeline"));

    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setWordWrap(false);
    const auto fitRows = [this] {
        m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
        // A header and three rows at least: the rest of a 720-pixel screen is the counters' and
        // the timeline's at 150 % text.
        m_table->setMinimumHeight(m_table->fontMetrics().height() * 4);
    };
    fitRows();
    Zoom::onFontChange(m_table, fitRows);
    m_table->viewport()->installEventFilter(this);
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this,
            &CompareView::alignCounters);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        m_followEnd = value >= m_table->verticalScrollBar()->maximum() - 2;
    });
    connect(m_model, &CompareModel::rowsInserted, this, [this] {
        if (m_followEnd)
            m_table->scrollToBottom();
    });

    auto *lineUp = new QWidget(this);
    auto *lineUpLayout = new QVBoxLayout(lineUp);
    lineUpLayout->setContentsMargins(0, 0, 0, 0);
    lineUpLayout->setSpacing(2);
    lineUpLayout->addWidget(m_counters);
    lineUpLayout->addWidget(m_table, 1);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(lineUp);
    m_split->addWidget(m_timeline);
    m_split->setStretchFactor(0, 1);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addWidget(createGeneratorBar());
    // With the server cost row the line-up and the timeline need more than a 720 px projector
    // leaves at 150 %: they scroll rather than making the window taller.
    layout->addWidget(new VerticalScrollArea(m_split, this), 1);

    connect(m_session, &CompareSession::delivered, m_model, &CompareModel::add);
    connect(m_session->generator(), &TrafficGenerator::sent, this, [this](int total) {
        m_sent = total;
        m_sentLabel->setText(tr("%n sent", nullptr, total));
    });
    connect(m_session->generator(), &TrafficGenerator::runningChanged, this,
            &CompareView::retranslateUi);
    m_refreshTimer.setInterval(500);
    connect(&m_refreshTimer, &QTimer::timeout, this, &CompareView::refreshCounters);
    retranslateUi();
}

void CompareView::retranslateUi()
{
    m_botCaption->setText(tr("Bot sends"));
    m_rateSpin->setSuffix(tr(" msg/s"));
    m_rateSpin->setToolTip(tr("Messages a second the bot sends: 0.2 to 50"));
    m_botButton->setText(m_session->generator()->isRunning() ? tr("Stop &bot") : tr("Start &bot"));
    m_burstButton->setText(tr("Send a b&urst of"));
    if (m_sent >= 0)
        m_sentLabel->setText(tr("%n sent", nullptr, m_sent));
    m_intervalSlider->setToolTip(tr("How often the polling observer asks: 100 ms to 10 s"));
    m_intervalCaption->setText(tr("Polling &every"));
    m_intervalLabel->setText(PollInterval::text(PollInterval::toMs(m_intervalSlider->value())));
    m_intervalLabel->setMinimumWidth(fontMetrics().horizontalAdvance(PollInterval::text(10000)));
    m_howButton->setText(tr("How it &works"));
    m_howButton->setToolTip(tr("What each technique's client and server do, what it costs, and "
                               "when it is the right choice"));
    m_backButton->setText(tr("Back to &chat"));
}

void CompareView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate();
        refreshCounters();
        fitPresentation(); // the names' column follows their words
    }
    QWidget::changeEvent(event);
}

void CompareView::showHowItWorks()
{
    if (!m_howItWorks) {
        m_howItWorks = new HowItWorksDialog(this);
        m_howItWorks->setObjectName(QStringLiteral("compareHowItWorks"));
        m_howItWorks->setTechniques(
            {std::begin(CompareSession::Techniques), std::end(CompareSession::Techniques)});
    }
    m_howItWorks->show();
    m_howItWorks->raise();
    m_howItWorks->activateWindow();
}

CompareView::~CompareView()
{
    stop();
}

QWidget *CompareView::createGeneratorBar()
{
    auto *bar = new QWidget(this);
    // On a narrow window the groups wrap onto a second row rather than widening it.
    auto *row = new FlowLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);

    m_rateSpin->setObjectName(QStringLiteral("botRateSpin"));
    m_rateSpin->setRange(TrafficGenerator::MinRate, TrafficGenerator::MaxRate);
    m_rateSpin->setDecimals(1);
    m_rateSpin->setSingleStep(0.2);
    m_rateSpin->setValue(2);
    m_botCaption->setBuddy(m_rateSpin);
    m_botButton->setObjectName(QStringLiteral("botButton"));
    m_burstSpin->setObjectName(QStringLiteral("burstSpin"));
    m_burstSpin->setRange(1, TrafficGenerator::MaxBurst);
    m_burstSpin->setValue(20);
    m_burstButton->setObjectName(QStringLiteral("burstButton"));
    m_sentLabel->setObjectName(QStringLiteral("botSentLabel"));

    m_intervalSlider->setObjectName(QStringLiteral("compareIntervalSlider"));
    m_intervalSlider->setRange(0, PollInterval::SliderMax);
    m_intervalSlider->setValue(PollInterval::toSlider(1000));
    const auto fitWidths = [this] {
        m_intervalSlider->setMinimumWidth(latinCharWidth(fontMetrics()) * 12);
        m_intervalLabel->setMinimumWidth(
            fontMetrics().horizontalAdvance(PollInterval::text(PollInterval::MaxMs)));
    };
    fitWidths();
    Zoom::onFontChange(this, [this, fitWidths] {
        fitWidths();
        fitPresentation();
    });
    m_intervalCaption->setBuddy(m_intervalSlider);
    m_howButton->setObjectName(QStringLiteral("compareHowItWorksButton"));
    m_backButton->setObjectName(QStringLiteral("compareBackButton"));

    row->addWidget(FlowLayout::group(bar, {m_botCaption, m_rateSpin, m_botButton}));
    QWidget *burst = FlowLayout::group(bar, {m_burstButton, m_burstSpin, m_sentLabel});
    burst->layout()->setContentsMargins(latinCharWidth(fontMetrics()) * 2, 0, 0, 0);
    row->addWidget(burst);
    QWidget *interval =
        FlowLayout::group(bar, {m_intervalCaption, m_intervalSlider, m_intervalLabel});
    interval->layout()->setContentsMargins(latinCharWidth(fontMetrics()) * 3, 0, 0, 0);
    row->addWidget(interval);
    QWidget *navigation = FlowLayout::group(bar, {m_howButton, m_backButton});
    row->addWidget(navigation);
    row->setAlignment(navigation, Qt::AlignRight);

    connect(m_botButton, &QPushButton::clicked, this, [this] {
        TrafficGenerator *generator = m_session->generator();
        if (generator->isRunning())
            generator->stop();
        else
            generator->start(m_rateSpin->value());
    });
    connect(m_rateSpin, &QDoubleSpinBox::valueChanged, this, [this](double perSecond) {
        if (m_session->generator()->isRunning())
            m_session->generator()->start(perSecond);
    });
    connect(m_burstButton, &QPushButton::clicked, this,
            [this] { m_session->generator()->burst(m_burstSpin->value()); });
    connect(m_intervalSlider, &QSlider::valueChanged, this, &CompareView::setIntervalFromSlider);
    connect(m_howButton, &QPushButton::clicked, this, &CompareView::showHowItWorks);
    connect(m_backButton, &QPushButton::clicked, this, &CompareView::closeRequested);
    setIntervalFromSlider(m_intervalSlider->value());
    return bar;
}

void CompareView::setServerCostPanel(QWidget *panel)
{
    if (auto *column = qobject_cast<QVBoxLayout *>(layout()))
        column->insertWidget(1, panel);
}

void CompareView::start(const QUrl &url, const QString &key, int pollIntervalMs, qint64 baselineSeq,
                        const ClientTls &tls)
{
    m_model->clear();
    m_followEnd = true;
    m_intervalSlider->blockSignals(true);
    m_intervalSlider->setValue(PollInterval::toSlider(pollIntervalMs));
    m_intervalSlider->blockSignals(false);
    m_intervalLabel->setText(PollInterval::text(pollIntervalMs));
    m_session->start(url, key, pollIntervalMs, baselineSeq, tls);
    QList<TimelineWidget::Lane> lanes;
    for (const Transport technique : CompareSession::Techniques)
        lanes.append({technique, m_session->observer(technique)->eventLog()});
    m_timeline->setLanes(lanes);
    m_sentLabel->clear();
    m_sent = -1;
    refreshCounters();
}

void CompareView::stop()
{
    m_session->stop();
    m_timeline->setLanes({});
}

void CompareView::startBot(double perSecond)
{
    m_rateSpin->setValue(perSecond);
    m_session->generator()->start(perSecond);
}

void CompareView::setPresenting(bool on)
{
    m_presenting = on;
    m_split->setOrientation(on ? Qt::Horizontal : Qt::Vertical);
    m_split->setStretchFactor(1, on ? 0 : 1);
    m_timeline->setCaptionsShown(!on);
    m_backButton->setVisible(!on);
    m_table->horizontalHeader()->setSectionResizeMode(
        CompareModel::MessageColumn, on ? QHeaderView::Fixed : QHeaderView::Stretch);
    // The line-up follows the newest message by itself; the scroll bar's width goes to the
    // figures.
    m_table->setVerticalScrollBarPolicy(on ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    if (on) {
        fitPresentation();
    } else {
        const int half = m_split->height() / 2;
        m_split->setSizes({half, half});
    }
}

void CompareView::fitPresentation()
{
    if (!m_presenting)
        return;
    // Side by side, the counters' figures need the width more than the timeline does.
    const int timelineWidth = m_timeline->minimumSizeHint().width();
    m_split->setSizes({m_split->width() - timelineWidth - m_split->handleWidth(), timelineWidth});
    const QFontMetrics fm(m_counters->font());
    int names = fm.horizontalAdvance(CompareCounters::tr("over %1:%2 min").arg(59).arg(59));
    for (const CompareCounters::Figure &figure : m_counters->figures())
        names = std::max(names, fm.horizontalAdvance(figure.name));
    m_table->horizontalHeader()->resizeSection(CompareModel::MessageColumn,
                                               names + latinCharWidth(fm));
}

void CompareView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitPresentation();
}

void CompareView::setIntervalFromSlider(int value)
{
    const int ms = PollInterval::toMs(value);
    m_intervalLabel->setText(PollInterval::text(ms));
    m_session->setPollInterval(ms);
}

void CompareView::refreshCounters()
{
    std::array<TransportMetrics, 3> metrics;
    for (const Transport technique : CompareSession::Techniques)
        metrics[size_t(technique)] = m_session->metrics(technique);
    m_counters->setMetrics(metrics);
}

void CompareView::alignCounters()
{
    const QHeaderView *header = m_table->horizontalHeader();
    const int offset = m_table->viewport()->mapTo(this, QPoint(0, 0)).x() -
                       m_counters->mapTo(this, QPoint(0, 0)).x();
    QList<QPair<int, int>> columns;
    for (int section = 0; section < CompareModel::ColumnCount; ++section)
        columns.append(
            {offset + header->sectionViewportPosition(section), header->sectionSize(section)});
    m_counters->setColumns(columns);
}

bool CompareView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        alignCounters();
    return QWidget::eventFilter(watched, event);
}

void CompareView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_refreshTimer.start();
    refreshCounters();
    alignCounters();
}

void CompareView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
}

QByteArray CompareView::csv() const
{
    CsvExport csv;
    for (const Transport technique : CompareSession::Techniques) {
        csv.addDeliveries(m_session->deliveries(technique)->deliveries());
        if (const ChatClient *observer = m_session->observer(technique))
            csv.addEvents(observer->eventLog()->events());
    }
    return csv.toCsv();
}

} // namespace PushChat
