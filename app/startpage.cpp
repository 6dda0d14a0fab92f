#include "startpage.h"

#include "verticalscrollarea.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace PushChat {

namespace {
constexpr int MaxPort = 65535;
constexpr int TitleSpacing = 12;
// The form column takes six parts of the width, a part of air on each side; above it half as
// much air as below, so it sits a little above the middle.
constexpr int ColumnStretch = 6;
constexpr int SideStretch = 1;
constexpr int AboveStretch = 1;
constexpr int BelowStretch = 2;

QLineEdit *lineEdit(const QString &name, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setClearButtonEnabled(true);
    return edit;
}
} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_roomEdit(lineEdit(QStringLiteral("hostRoomEdit"), this))
    , m_portSpin(new QSpinBox(this))
    , m_hostKeyEdit(lineEdit(QStringLiteral("hostKeyEdit"), this))
    , m_hostNickEdit(lineEdit(QStringLiteral("hostNickEdit"), this))
    , m_certificateEdit(lineEdit(QStringLiteral("hostCertificateEdit"), this))
    , m_keyFileEdit(lineEdit(QStringLiteral("hostKeyFileEdit"), this))
    , m_hostButton(new QPushButton(this))
    , m_addressEdit(lineEdit(QStringLiteral("joinAddressEdit"), this))
    , m_joinNickEdit(lineEdit(QStringLiteral("joinNickEdit"), this))
    , m_joinKeyEdit(lineEdit(QStringLiteral("joinKeyEdit"), this))
    , m_fingerprintEdit(lineEdit(QStringLiteral("joinFingerprintEdit"), this))
    , m_joinButton(new QPushButton(this))
    , m_modeCombo(new QComboBox(this))
    , m_problemLabel(new QLabel(this))
    , m_hostIntro(new QLabel(this))
    , m_joinIntro(new QLabel(this))
    , m_modeCaption(new QLabel(this))
    , m_modeHint(new QLabel(this))
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
{
    configureFields();
    auto *boxes = new QHBoxLayout;
    boxes->addWidget(buildHostBox());
    boxes->addWidget(buildJoinBox());
    layOut(boxes, buildModeRow());
    connectFields();
    setTabOrders();
    retranslateUi();
}

void StartPage::retranslateUi()
{
    const auto label = [this](const QWidget *field, const QString &text) {
        m_fieldLabels.value(field)->setText(text);
    };
    m_subtitle->setText(tr("Chat on your network, and see what short polling, long polling and "
                           "WebSocket cost while you do."));
    m_hostBox->setTitle(tr("Host a room"));
    m_hostIntro->setText(tr("Runs the room on this computer. Others on your network join with "
                            "the address shown next."));
    label(m_roomEdit, tr("Room &name:"));
    m_roomEdit->setPlaceholderText(tr("e.g. Class 4B"));
    label(m_portSpin, tr("&Port:"));
    label(m_hostKeyEdit, tr("Room &key:"));
    m_hostKeyEdit->setPlaceholderText(tr("optional"));
    label(m_hostNickEdit, tr("Your ni&ck:"));
    m_hostNickEdit->setPlaceholderText(tr("your name in the chat"));
    label(m_certificateEdit, tr("TLS cer&tificate:"));
    m_certificateEdit->setPlaceholderText(tr("optional: PEM file, serves https://"));
    label(m_keyFileEdit, tr("TLS private ke&y:"));
    m_keyFileEdit->setPlaceholderText(tr("the certificate's PEM key"));
    m_hostButton->setText(tr("&Host room"));
    m_joinBox->setTitle(tr("Join a room"));
    m_joinIntro->setText(tr("Type the address the host's window shows."));
    label(m_addressEdit, tr("&Address:"));
    m_addressEdit->setPlaceholderText(tr("http://192.168.1.20:8765"));
    label(m_joinNickEdit, tr("Yo&ur nick:"));
    m_joinNickEdit->setPlaceholderText(tr("your name in the chat"));
    label(m_joinKeyEdit, tr("Room k&ey:"));
    m_joinKeyEdit->setPlaceholderText(tr("if the host set one"));
    label(m_fingerprintEdit, tr("Certificate &fingerprint:"));
    m_fingerprintEdit->setPlaceholderText(tr("https:// with the host's own certificate"));
    m_joinButton->setText(tr("&Join room"));
    m_modeCaption->setText(tr("Start in &mode:"));
    m_modeHint->setText(tr("(you can switch at any time in the chat)"));
    m_modeCombo->setItemText(m_modeCombo->findData(int(Transport::Polling)), tr("Polling"));
    m_modeCombo->setItemText(m_modeCombo->findData(int(Transport::LongPoll)), tr("Long polling"));
    m_modeCombo->setItemText(m_modeCombo->findData(int(Transport::WebSocket)), tr("WebSocket"));
}

void StartPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void StartPage::configureFields()
{
    m_portSpin->setObjectName(QStringLiteral("hostPortSpin"));
    m_portSpin->setRange(0, MaxPort);
    m_hostKeyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_joinKeyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_hostButton->setObjectName(QStringLiteral("hostButton"));
    m_joinButton->setObjectName(QStringLiteral("joinButton"));
    m_modeCombo->setObjectName(QStringLiteral("startModeCombo"));
    for (const Transport mode : {Transport::Polling, Transport::LongPoll, Transport::WebSocket})
        m_modeCombo->addItem(QString(), int(mode));
    m_problemLabel->setObjectName(QStringLiteral("startProblemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextFormat(Qt::PlainText);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_problemLabel->hide();
}

QGroupBox *StartPage::buildHostBox()
{
    m_hostBox = buildBox(
        m_hostIntro,
        {m_roomEdit, m_portSpin, m_hostKeyEdit, m_hostNickEdit, m_certificateEdit, m_keyFileEdit},
        m_hostButton);
    return m_hostBox;
}

QGroupBox *StartPage::buildJoinBox()
{
    m_joinBox =
        buildBox(m_joinIntro, {m_addressEdit, m_joinNickEdit, m_joinKeyEdit, m_fingerprintEdit},
                 m_joinButton);
    return m_joinBox;
}

// A box of the start screen: what it does, its fields, and its button at the bottom right.
QGroupBox *StartPage::buildBox(QLabel *intro, const QList<QWidget *> &fields, QPushButton *button)
{
    auto *box = new QGroupBox(this);
    intro->setParent(box);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    for (QWidget *field : fields) {
        auto *label = new QLabel(box);
        label->setBuddy(field);
        m_fieldLabels.insert(field, label);
        form->addRow(label, field);
    }
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(button, 0, Qt::AlignRight);
    return box;
}

QLayout *StartPage::buildModeRow()
{
    auto *row = new QHBoxLayout;
    m_modeCaption->setBuddy(m_modeCombo);
    row->addWidget(m_modeCaption);
    row->addWidget(m_modeCombo);
    row->addWidget(m_modeHint);
    row->addStretch();
    return row;
}

// The title and the two boxes in a column, centred with some air around it.
void StartPage::layOut(QLayout *boxes, QLayout *modeRow)
{
    m_title->setTextFormat(Qt::RichText);
    m_title->setText(QStringLiteral("<h1>PushChat</h1>"));
    m_subtitle->setWordWrap(true);

    auto *column = new QVBoxLayout;
    column->addWidget(m_title);
    column->addWidget(m_subtitle);
    column->addSpacing(TitleSpacing);
    column->addLayout(boxes);
    column->addLayout(modeRow);
    column->addWidget(m_problemLabel);

    auto *centre = new QVBoxLayout;
    centre->addStretch(AboveStretch);
    centre->addLayout(column);
    centre->addStretch(BelowStretch);
    // On a short screen (a projector at 150 % scaling) the page scrolls rather than growing
    // the window past the screen.
    auto *content = new QWidget(this);
    auto *outer = new QHBoxLayout(content);
    outer->addStretch(SideStretch);
    outer->addLayout(centre, ColumnStretch);
    outer->addStretch(SideStretch);
    auto *page = new QVBoxLayout(this);
    page->setContentsMargins(0, 0, 0, 0);
    page->addWidget(new VerticalScrollArea(content, this));
}

void StartPage::connectFields()
{
    connect(m_hostButton, &QPushButton::clicked, this, [this] { submit(hostRequest()); });
    connect(m_joinButton, &QPushButton::clicked, this, [this] { submit(joinRequest()); });
    for (QLineEdit *edit :
         {m_roomEdit, m_hostKeyEdit, m_hostNickEdit, m_certificateEdit, m_keyFileEdit})
        connect(edit, &QLineEdit::returnPressed, m_hostButton, &QPushButton::click);
    for (QLineEdit *edit : {m_addressEdit, m_joinNickEdit, m_joinKeyEdit, m_fingerprintEdit})
        connect(edit, &QLineEdit::returnPressed, m_joinButton, &QPushButton::click);
    // The nick is one person's: typing it on one side fills in the other.
    connect(m_hostNickEdit, &QLineEdit::textEdited, m_joinNickEdit, &QLineEdit::setText);
    connect(m_joinNickEdit, &QLineEdit::textEdited, m_hostNickEdit, &QLineEdit::setText);
}

void StartPage::setTabOrders()
{
    setTabOrder(m_roomEdit, m_portSpin);
    setTabOrder(m_portSpin, m_hostKeyEdit);
    setTabOrder(m_hostKeyEdit, m_hostNickEdit);
    setTabOrder(m_hostNickEdit, m_certificateEdit);
    setTabOrder(m_certificateEdit, m_keyFileEdit);
    setTabOrder(m_keyFileEdit, m_hostButton);
    setTabOrder(m_hostButton, m_addressEdit);
    setTabOrder(m_addressEdit, m_joinNickEdit);
    setTabOrder(m_joinNickEdit, m_joinKeyEdit);
    setTabOrder(m_joinKeyEdit, m_fingerprintEdit);
    setTabOrder(m_fingerprintEdit, m_joinButton);
    setTabOrder(m_joinButton, m_modeCombo);
}

void StartPage::setValues(const StartSettings &settings)
{
    m_roomEdit->setText(settings.roomName);
    m_portSpin->setValue(settings.port);
    m_hostKeyEdit->setText(settings.hostKey);
    m_hostNickEdit->setText(settings.nick);
    m_addressEdit->setText(settings.joinAddress);
    m_joinNickEdit->setText(settings.nick);
    m_joinKeyEdit->setText(settings.joinKey);
    m_modeCombo->setCurrentIndex(m_modeCombo->findData(int(settings.mode)));
    // Start where typing is needed: a nick if there is none yet, else the Host button.
    if (settings.nick.trimmed().isEmpty())
        m_hostNickEdit->setFocus();
    else
        m_hostButton->setFocus();
}

SessionRequest StartPage::hostRequest() const
{
    SessionRequest request;
    request.kind = SessionRequest::Kind::Host;
    request.roomName = m_roomEdit->text().trimmed();
    request.port = quint16(m_portSpin->value());
    request.key = m_hostKeyEdit->text();
    request.nick = m_hostNickEdit->text().trimmed();
    request.tlsCertificateFile = m_certificateEdit->text().trimmed();
    request.tlsKeyFile = m_keyFileEdit->text().trimmed();
    request.mode = Transport(m_modeCombo->currentData().toInt());
    return request;
}

SessionRequest StartPage::joinRequest() const
{
    SessionRequest request;
    request.kind = SessionRequest::Kind::Join;
    request.address = m_addressEdit->text().trimmed();
    request.key = m_joinKeyEdit->text();
    request.nick = m_joinNickEdit->text().trimmed();
    request.fingerprint = m_fingerprintEdit->text().trimmed();
    request.mode = Transport(m_modeCombo->currentData().toInt());
    return request;
}

void StartPage::showProblem(const QString &problem)
{
    m_problemLabel->setText(problem);
    m_problemLabel->setVisible(!problem.isEmpty());
}

void StartPage::focusPort()
{
    m_portSpin->setFocus();
    m_portSpin->selectAll();
}

void StartPage::submit(const SessionRequest &request)
{
    if (const auto problem = request.problem()) {
        showProblem(*problem);
        return;
    }
    showProblem({});
    emit requested(request);
}

} // namespace PushChat
