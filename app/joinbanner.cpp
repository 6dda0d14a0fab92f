#include "joinbanner.h"

#include "qrcodewidget.h"
#include "zoom.h"

#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>

namespace PushChat {

namespace {
// The address in large type: this many times the body text where it fits.
constexpr double AddressScale = 1.7;
constexpr int ListLines = 4;

// A single line of text as large as the width allows, from AddressScale times the body font
// down to the body font itself, never cut: an address is no use half shown.
class FittedText final : public QWidget
{
public:
    explicit FittedText(QWidget *parent)
        : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }

    void setText(const QString &text)
    {
        m_text = text;
        setAccessibleName(text);
        updateGeometry();
        update();
    }

    QSize sizeHint() const override
    {
        const QFontMetrics fm(scaledFont(AddressScale));
        return {fm.horizontalAdvance(m_text), fm.height()};
    }

    QSize minimumSizeHint() const override
    {
        return {fontMetrics().horizontalAdvance(m_text), sizeHint().height()};
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        double scale = AddressScale;
        QFont font = scaledFont(scale);
        // Shrink in small steps until the line fits.
        while (scale > 1.0 && QFontMetrics(font).horizontalAdvance(m_text) > width()) {
            scale = std::max(1.0, scale - 0.05);
            font = scaledFont(scale);
        }
        p.setFont(font);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, m_text);
    }

private:
    QFont scaledFont(double scale) const
    {
        QFont big = font();
        big.setBold(true);
        if (big.pixelSize() > 0)
            big.setPixelSize(int(big.pixelSize() * scale));
        else
            big.setPointSizeF(big.pointSizeF() * scale);
        return big;
    }

    QString m_text;
};
} // namespace

JoinBanner::JoinBanner(Qt::Orientation orientation, QWidget *parent)
    : QWidget(parent)
    , m_qr(new QrCodeWidget(this))
    , m_caption(new QLabel(this))
    , m_address(new FittedText(this))
    , m_hint(new QLabel(this))
    , m_moreButton(new QToolButton(this))
    , m_list(new QListWidget(this))
    , m_copyButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("joinBanner"));
    m_qr->setObjectName(QStringLiteral("joinQrCode"));
    m_address->setObjectName(QStringLiteral("joinAddress"));
    m_caption->setWordWrap(true);
    m_hint->setWordWrap(true);
    m_hint->setTextFormat(Qt::PlainText);
    m_moreButton->setObjectName(QStringLiteral("moreAddressesButton"));
    m_moreButton->setCheckable(true);
    m_moreButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_moreButton->setArrowType(Qt::RightArrow);
    m_list->setObjectName(QStringLiteral("joinAddressList"));
    const auto fitList = [this] {
        m_list->setMaximumHeight(m_list->fontMetrics().lineSpacing() * ListLines +
                                 2 * m_list->frameWidth());
    };
    fitList();
    Zoom::onFontChange(m_list, fitList);
    m_list->hide();
    m_copyButton->setObjectName(QStringLiteral("copyAddressButton"));
    m_hint->setObjectName(QStringLiteral("joinHint"));

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    auto *text = new QVBoxLayout;
    text->setContentsMargins(0, 0, 0, 0);
    text->addWidget(m_caption);
    text->addWidget(m_address);
    if (orientation == Qt::Horizontal) {
        // Across a projected screen every line of height counts: the hint beside the buttons.
        buttons->addWidget(m_hint, 1);
        buttons->addWidget(m_moreButton);
        buttons->addWidget(m_copyButton);
    } else {
        // In the room panel the box's title says it already.
        m_caption->hide();
        text->addWidget(m_hint);
        buttons->addWidget(m_moreButton);
        buttons->addStretch();
        buttons->addWidget(m_copyButton);
    }
    text->addLayout(buttons);
    text->addWidget(m_list);
    auto *layout = new QBoxLayout(
        orientation == Qt::Horizontal ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom, this);
    layout->setContentsMargins(0, 0, 0, 0);
    if (orientation == Qt::Horizontal) {
        layout->addWidget(m_qr);
        layout->addLayout(text, 1);
    } else {
        layout->addLayout(text);
        layout->addWidget(m_qr, 1);
    }

    connect(m_moreButton, &QToolButton::toggled, this, [this](bool on) {
        m_list->setVisible(on);
        m_moreButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &url) {
        if (!url.isEmpty())
            showAddress(url);
    });
    connect(m_copyButton, &QPushButton::clicked, this, &JoinBanner::copyAddress);
    retranslateUi();
}

void JoinBanner::retranslateUi()
{
    m_caption->setText(tr("Join from a phone or laptop on this network:"));
    m_copyButton->setText(tr("&Copy address"));
    m_moreButton->setText(tr("More addresses (%n)", nullptr, int(m_urls.size() - 1)));
    QString hint = m_offline ? tr("This computer has no network address right now: only "
                                  "programs on it can join.")
                             : tr("A browser at this address gets the web client too.");
    if (m_keyed)
        hint += QLatin1Char(' ') + tr("They also need the room key.");
    if (!m_fingerprint.isEmpty())
        hint += QLatin1Char(' ') + tr("The certificate's fingerprint: %1").arg(m_fingerprint);
    m_hint->setText(hint);
}

void JoinBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void JoinBanner::setAddresses(const QStringList &urls, const QString &loopback, bool keyed,
                              const QString &certificateFingerprint)
{
    m_fingerprint = certificateFingerprint;
    m_urls = urls;
    m_urls.removeAll(loopback);
    m_urls.append(loopback);
    m_list->clear();
    m_list->addItems(m_urls);
    m_moreButton->setVisible(m_urls.size() > 1);
    m_offline = urls.isEmpty() || urls == QStringList{loopback};
    m_keyed = keyed;
    retranslateUi();
    m_list->setCurrentRow(0);
    showAddress(m_urls.constFirst());
}

void JoinBanner::showAddress(const QString &url)
{
    m_current = url;
    static_cast<FittedText *>(m_address)->setText(url);
    m_qr->setText(url);
}

void JoinBanner::copyAddress()
{
    QApplication::clipboard()->setText(m_current);
}

} // namespace PushChat
