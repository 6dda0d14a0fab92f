#include "howitworksdialog.h"

#include "inspectormodel.h"
#include "languagefont.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace PushChat {

namespace {
// Wide enough for a readable line, in average characters of the dialog's font.
constexpr int ColumnChars = 48;
} // namespace

HowItWorksDialog::HowItWorksDialog(QWidget *parent)
    : QDialog(parent)
    , m_columnsLayout(new QHBoxLayout)
    , m_closeButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("howItWorksDialog"));
    setModal(false);
    m_closeButton->setObjectName(QStringLiteral("howItWorksCloseButton"));
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_columnsLayout, 1);
    layout->addWidget(m_closeButton, 0, Qt::AlignRight);
    rebuild();
}

void HowItWorksDialog::setTechniques(const QList<Transport> &techniques)
{
    if (techniques == m_techniques)
        return;
    m_techniques = techniques;
    rebuild();
}

QString HowItWorksDialog::title(Transport technique)
{
    return tr("%1: how it works").arg(InspectorModel::modeTitle(technique));
}

QString HowItWorksDialog::partTitle(Part part)
{
    switch (part) {
    case Part::Client:
        return tr("The client");
    case Part::Server:
        return tr("The server");
    case Part::Cost:
        return tr("What it costs");
    case Part::Choice:
        return tr("When to choose it");
    }
    return {};
}

QString HowItWorksDialog::text(Transport technique, Part part)
{
    switch (technique) {
    case Transport::Polling:
        switch (part) {
        case Part::Client:
            return tr("The client asks GET /api/messages?after=N at a fixed interval (1 s by "
                      "default, 100 ms to 10 s), N being the newest seq it has shown.");
        case Part::Server:
            return tr("The server answers each request at once with the messages after N, "
                      "usually none, and keeps nothing for the client until its next request.");
        case Part::Cost:
            return tr("Every round trip costs HTTP headers both ways, news or not, so requests "
                      "grow with clients × rate; most answers are empty, and a message waits "
                      "half an interval on average before it is seen.");
        case Part::Choice:
            return tr("The simplest to build and to debug, fine when news is rare or a delay "
                      "does not matter — but wasteful: a shorter interval buys speed with many "
                      "more empty answers.");
        }
        break;
    case Transport::LongPoll:
        switch (part) {
        case Part::Client:
            return tr("The client asks GET /api/messages?after=N&wait=25 and sends the next "
                      "request as soon as an answer comes back.");
        case Part::Server:
            return tr("The server holds the request until a message after N is stored, then "
                      "answers every waiting poll with the same bytes; after 25 s without news "
                      "it answers with an empty list.");
        case Part::Cost:
            return tr("Messages arrive almost at once and empty answers are rare (one per 25 s "
                      "of quiet), but each delivery still costs a new request with full "
                      "headers, and the server holds an open connection for every waiting "
                      "client.");
        case Part::Choice:
            return tr("It works through anything that speaks HTTP — old proxies, strict "
                      "firewalls — so it is the safe choice when you need push. But it holds a "
                      "request for up to 25 s: a proxy or NAT box with a shorter timeout cuts "
                      "it, and the client must simply ask again.");
        }
        break;
    case Transport::WebSocket:
        switch (part) {
        case Part::Client:
            return tr("The client opens one connection with GET /ws?after=N and an Upgrade: "
                      "websocket handshake, then sends its messages on it as small JSON frames "
                      "({\"type\":\"send\",…}).");
        case Part::Server:
            return tr("The server answers 101 Switching Protocols, sends a hello and the "
                      "messages the client missed, then pushes each new message as one frame "
                      "the moment it is stored, and confirms each send with an ack.");
        case Part::Cost:
            return tr("After the handshake a message costs its JSON plus a few bytes of "
                      "framing, both ways on the one connection; nothing is sent while nothing "
                      "happens, and the server keeps one open connection per client.");
        case Part::Choice:
            return tr("Full duplex with the least delay and traffic: the right choice for chat "
                      "and live figures, if every hop on the path (proxy, load balancer, "
                      "firewall) passes the Upgrade; where one does not, fall back to long "
                      "polling.");
        }
        break;
    }
    return {};
}

void HowItWorksDialog::rebuild()
{
    setWindowTitle(tr("How it works"));
    m_closeButton->setText(tr("&Close"));
    delete m_columns;
    m_columns = new QWidget(this);
    auto *columns = new QHBoxLayout(m_columns);
    columns->setContentsMargins(0, 0, 0, 0);
    const int columnWidth = latinCharWidth(fontMetrics()) * ColumnChars;
    for (const Transport technique : std::as_const(m_techniques)) {
        auto *column = new QVBoxLayout;
        auto *heading = new QLabel(title(technique), m_columns);
        heading->setObjectName(QStringLiteral("howTitle_%1").arg(transportName(technique)));
        QFont headingFont = heading->font();
        headingFont.setBold(true);
        headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
        heading->setFont(headingFont);
        column->addWidget(heading);
        for (const Part part : Parts) {
            auto *caption = new QLabel(partTitle(part), m_columns);
            QFont bold = caption->font();
            bold.setBold(true);
            caption->setFont(bold);
            auto *body = new QLabel(text(technique, part), m_columns);
            body->setObjectName(
                QStringLiteral("howText_%1_%2").arg(transportName(technique)).arg(int(part)));
            body->setTextFormat(Qt::PlainText);
            body->setWordWrap(true);
            body->setTextInteractionFlags(Qt::TextSelectableByMouse);
            // A window does not grow to its labels' wrapped height by itself: ask for it.
            body->setMinimumSize(columnWidth, body->heightForWidth(columnWidth));
            column->addSpacing(fontMetrics().height() / 2);
            column->addWidget(caption);
            column->addWidget(body);
        }
        column->addStretch();
        columns->addLayout(column, 1);
    }
    m_columnsLayout->addWidget(m_columns);
    adjustSize();
}

void HowItWorksDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        rebuild();
    QDialog::changeEvent(event);
}

} // namespace PushChat
