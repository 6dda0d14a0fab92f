#include "startpage.h"

#include <QComboBox>
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

QLineEdit *lineEdit(const QString &name, const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}
} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_roomEdit(lineEdit(QStringLiteral("hostRoomEdit"), tr("e.g. Class 4B"), this))
    , m_portSpin(new QSpinBox(this))
    , m_hostKeyEdit(lineEdit(QStringLiteral("hostKeyEdit"), tr("optional"), this))
    , m_hostNickEdit(lineEdit(QStringLiteral("hostNickEdit"), tr("your name in the chat"), this))
    , m_certificateEdit(lineEdit(QStringLiteral("hostCertificateEdit"),
                                 tr("optional: PEM file, serves https://"), this))
    , m_keyFileEdit(
          lineEdit(QStringLiteral("hostKeyFileEdit"), tr("the certificate's PEM key"), this))
    , m_hostButton(new QPushButton(tr("&Host room"), this))
    , m_addressEdit(
          lineEdit(QStringLiteral("joinAddressEdit"), tr("http://192.168.1.20:8765"), this))
    , m_joinNickEdit(lineEdit(QStringLiteral("joinNickEdit"), tr("your name in the chat"), this))
    , m_joinKeyEdit(lineEdit(QStringLiteral("joinKeyEdit"), tr("if the host set one"), this))
    , m_fingerprintEdit(lineEdit(QStringLiteral("joinFingerprintEdit"),
                                 tr("https:// with the host's own certificate"), this))
    , m_joinButton(new QPushButton(tr("&Join room"), this))
    , m_modeCombo(new QComboBox(this))
    , m_problemLabel(new QLabel(this))
{
    configureFields();
    auto *boxes = new QHBoxLayout;
    boxes->addWidget(buildHostBox());
    boxes->addWidget(buildJoinBox());
    layOut(boxes, buildModeRow());
    connectFields();
    setTabOrders();
}

void StartPage::configureFields()
{
    m_portSpin->setObjectName(QStringLiteral("hostPortSpin"));
    m_portSpin->setRange(0, MaxPort);
    m_portSpin->setSpecialValueText(tr("any free port"));
    m_portSpin->setToolTip(tr("Others join on this port. 8765 unless it is taken."));
    m_hostKeyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_joinKeyEdit->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_hostButton->setObjectName(QStringLiteral("hostButton"));
    m_joinButton->setObjectName(QStringLiteral("joinButton"));
    m_modeCombo->setObjectName(QStringLiteral("startModeCombo"));
    m_modeCombo->addItem(tr("Polling"), int(Transport::Polling));
    m_modeCombo->addItem(tr("Long polling"), int(Transport::LongPoll));
    m_modeCombo->addItem(tr("WebSocket"), int(Transport::WebSocket));
    m_problemLabel->setObjectName(QStringLiteral("startProblemLabel"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextFormat(Qt::PlainText);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_problemLabel->hide();
}

QGroupBox *StartPage::buildHostBox()
{
    return buildBox(tr("Host a room"),
                    tr("Runs the room on this computer. Others on your network join with the "
                       "address shown next."),
                    {{tr("Room &name:"), m_roomEdit},
                     {tr("&Port:"), m_portSpin},
                     {tr("Room &key:"), m_hostKeyEdit},
                     {tr("Your ni&ck:"), m_hostNickEdit},
                     {tr("TLS cer&tificate:"), m_certificateEdit},
                     {tr("TLS private ke&y:"), m_keyFileEdit}},
                    m_hostButton);
}

QGroupBox *StartPage::buildJoinBox()
{
    return buildBox(tr("Join a room"), tr("Type the address the host's window shows."),
                    {{tr("&Address:"), m_addressEdit},
                     {tr("Yo&ur nick:"), m_joinNickEdit},
                     {tr("Room k&ey:"), m_joinKeyEdit},
                     {tr("Certificate &fingerprint:"), m_fingerprintEdit}},
                    m_joinButton);
}

// A box of the start screen: what it does, its fields, and its button at the bottom right.
QGroupBox *StartPage::buildBox(const QString &title, const QString &intro,
                               const QList<std::pair<QString, QWidget *>> &fields,
                               QPushButton *button)
{
    auto *box = new QGroupBox(title, this);
    auto *introLabel = new QLabel(intro, box);
    introLabel->setWordWrap(true);
    auto *form = new QFormLayout;
    for (const auto &[label, field] : fields)
        form->addRow(label, field);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(introLabel);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(button, 0, Qt::AlignRight);
    return box;
}

QLayout *StartPage::buildModeRow()
{
    auto *row = new QHBoxLayout;
    auto *label = new QLabel(tr("Start in &mode:"), this);
    label->setBuddy(m_modeCombo);
    row->addWidget(label);
    row->addWidget(m_modeCombo);
    row->addWidget(new QLabel(tr("(you can switch at any time in the chat)"), this));
    row->addStretch();
    return row;
}

// The title and the two boxes in a column, centred with some air around it.
void StartPage::layOut(QLayout *boxes, QLayout *modeRow)
{
    auto *title = new QLabel(tr("<h1>PushChat</h1>"), this);
    title->setTextFormat(Qt::RichText);
    auto *subtitle = new QLabel(tr("Chat on your network, and see what short polling, long "
                                   "polling and WebSocket cost while you do."),
                                this);
    subtitle->setWordWrap(true);

    auto *column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(subtitle);
    column->addSpacing(TitleSpacing);
    column->addLayout(boxes);
    column->addLayout(modeRow);
    column->addWidget(m_problemLabel);

    auto *centre = new QVBoxLayout;
    centre->addStretch(AboveStretch);
    centre->addLayout(column);
    centre->addStretch(BelowStretch);
    auto *outer = new QHBoxLayout(this);
    outer->addStretch(SideStretch);
    outer->addLayout(centre, ColumnStretch);
    outer->addStretch(SideStretch);
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
