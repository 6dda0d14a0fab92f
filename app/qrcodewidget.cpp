#include "qrcodewidget.h"

#include <QPainter>

namespace PushChat {

namespace {
constexpr int QuietZone = 4; // modules of light border the standard asks for
constexpr int MinPixelsPerModule = 2;
// Text lines the code is tall when space allows: big enough to scan from a few metres.
constexpr int PreferredLines = 8;
} // namespace

QrCodeWidget::QrCodeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void QrCodeWidget::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_code = QrCode::encode(text.toUtf8());
    setToolTip(m_code ? tr("Scan to open %1").arg(text) : QString());
    updateGeometry();
    update();
}

int QrCodeWidget::modulesPerSide() const
{
    return m_code ? m_code->size() + 2 * QuietZone : 0;
}

QRect QrCodeWidget::symbolRect() const
{
    const int modules = modulesPerSide();
    if (modules == 0)
        return {};
    const int module = std::min(width(), height()) / modules;
    if (module < 1)
        return {};
    const int side = module * modules;
    return {(width() - side) / 2, (height() - side) / 2, side, side};
}

QSize QrCodeWidget::sizeHint() const
{
    const int side =
        std::max(minimumSizeHint().width(), fontMetrics().lineSpacing() * PreferredLines);
    return {side, side};
}

QSize QrCodeWidget::minimumSizeHint() const
{
    // Version 2 (25 modules) holds any join address; before a text, room for one.
    const int modules = m_code ? modulesPerSide() : 25 + 2 * QuietZone;
    return {modules * MinPixelsPerModule, modules * MinPixelsPerModule};
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    const QRect symbol = symbolRect();
    if (symbol.isEmpty())
        return;
    QPainter p(this);
    p.fillRect(symbol, Qt::white);
    const int module = symbol.width() / modulesPerSide();
    const int size = m_code->size();
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            if (m_code->isDark(x, y))
                p.fillRect(symbol.x() + (QuietZone + x) * module,
                           symbol.y() + (QuietZone + y) * module, module, module, Qt::black);
        }
    }
}

} // namespace PushChat
