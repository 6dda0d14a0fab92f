#include "comparecounters.h"

#include "contrast.h"
#include "inspectormodel.h"
#include "languagefont.h"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace PushChat {

namespace {
constexpr Transport Techniques[] = {Transport::Polling, Transport::LongPoll, Transport::WebSocket};

// Light tints: the palette's text stays far above 4.5:1 on them.
const QColor BarColors[] = {QColor(0xff, 0xd8, 0xa8), QColor(0xbb, 0xde, 0xfb),
                            QColor(0xd9, 0xcc, 0xee)};

QString perMinuteText(double value)
{
    const QLocale locale;
    return value >= 10 || value == 0
               ? CompareCounters::tr("%1 /min").arg(locale.toString(qRound(value)))
               : CompareCounters::tr("%1 /min").arg(locale.toString(value, 'f', 1));
}

QString bytesPerMinuteText(double bytes)
{
    return CompareCounters::tr("%1 /min").arg(QLocale().formattedDataSize(
        qint64(bytes), bytes < 1000 ? 0 : 1, QLocale::DataSizeSIFormat));
}
} // namespace

CompareCounters::CompareCounters(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("compareCounters"));
    setMetrics({});
}

QList<CompareCounters::Figure> CompareCounters::figures(const std::array<TransportMetrics, 3> &m)
{
    QList<Figure> result;
    auto add = [&](const QString &name, const QString &toolTip, auto value, auto text) {
        Figure figure;
        figure.name = name;
        figure.toolTip = toolTip;
        for (const Transport t : Techniques) {
            figure.values[size_t(t)] = value(m[size_t(t)]);
            figure.texts[size_t(t)] = text(m[size_t(t)], figure.values[size_t(t)]);
        }
        result.append(figure);
    };
    const auto rate = [](const TransportMetrics &, double v) { return perMinuteText(v); };
    const auto byteRate = [](const TransportMetrics &, double v) { return bytesPerMinuteText(v); };
    const auto latency = [](const TransportMetrics &metrics, double v) {
        return metrics.latency.samples > 0 ? tr("%1 ms").arg(QLocale().toString(qRound64(v)))
                                           : QStringLiteral("–");
    };
    add(
        tr("Messages received"), tr("Messages delivered to this observer."),
        [](const TransportMetrics &t) { return double(t.messagesReceived); },
        [](const TransportMetrics &, double v) { return QLocale().toString(qRound64(v)); });
    add(
        tr("HTTP requests"),
        tr("Requests a minute after the connection was set up (a WebSocket makes none)."),
        [](const TransportMetrics &t) { return t.perMinute(t.httpRequests); }, rate);
    add(
        tr("Empty responses"), tr("Answers that carried no message, a minute."),
        [](const TransportMetrics &t) { return t.perMinute(t.emptyResponses); }, rate);
    add(
        tr("Header bytes"),
        tr("HTTP heads and WebSocket frame headers a minute, both ways, without the "
           "connection setup."),
        [](const TransportMetrics &t) { return t.perMinute(t.steadyHeaderBytes()); }, byteRate);
    add(
        tr("Payload bytes"), tr("Message bodies and frame payloads a minute, both ways."),
        [](const TransportMetrics &t) { return t.perMinute(t.payloadBytes()); }, byteRate);
    add(
        tr("Connection setup"),
        tr("Paid once per connection, not per message: TCP connections opened and the "
           "WebSocket handshake."),
        [](const TransportMetrics &t) { return double(t.setupBytes); },
        [](const TransportMetrics &t, double) {
            return tr("%n conn., %1", nullptr, int(t.connectionsOpened))
                .arg(QLocale().formattedDataSize(t.setupBytes, 0, QLocale::DataSizeSIFormat));
        });
    add(
        tr("Latency p50"), tr("From the server storing a message to it arriving here: median."),
        [](const TransportMetrics &t) { return double(t.latency.p50); }, latency);
    add(
        tr("Latency p95"), tr("95 of 100 messages arrived at least this fast."),
        [](const TransportMetrics &t) { return double(t.latency.p95); }, latency);
    return result;
}

void CompareCounters::setMetrics(const std::array<TransportMetrics, 3> &metrics)
{
    m_figures = figures(metrics);
    m_observedMs = 0;
    for (const TransportMetrics &m : metrics)
        m_observedMs = std::max(m_observedMs, m.observedMs);
    update();
}

void CompareCounters::setColumns(const QList<QPair<int, int>> &columns)
{
    m_columns = columns;
    update();
}

int CompareCounters::rowHeight() const
{
    return fontMetrics().height() + 6;
}

QSize CompareCounters::sizeHint() const
{
    return {latinCharWidth(fontMetrics()) * 100, int(m_figures.size() + 1) * rowHeight() + 4};
}

QSize CompareCounters::minimumSizeHint() const
{
    return {latinCharWidth(fontMetrics()) * 60, int(m_figures.size() + 1) * rowHeight() + 4};
}

QList<QPair<int, int>> CompareCounters::columns() const
{
    if (m_columns.size() == 4)
        return m_columns;
    // Without a table to follow: a label column and three equal ones.
    const int label = latinCharWidth(fontMetrics()) * 22;
    const int each = (width() - label) / 3;
    return {{0, label}, {label, each}, {label + each, each}, {label + 2 * each, each}};
}

void CompareCounters::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    const QFontMetrics fm(font());
    const QColor text = palette().color(QPalette::WindowText);
    const QColor muted =
        readableOn(palette().color(QPalette::PlaceholderText), palette().color(QPalette::Window));
    const QList<QPair<int, int>> cols = columns();
    const int rh = rowHeight();
    QFont bold = font();
    bold.setBold(true);

    // Header: what the rates are over, and the three techniques.
    p.setPen(muted);
    const int seconds = int(m_observedMs / 1000);
    p.drawText(QRect(cols[0].first + 4, 0, cols[0].second - 8, rh),
               Qt::AlignLeft | Qt::AlignVCenter,
               tr("over %1:%2 min").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0')));
    p.setFont(bold);
    p.setPen(text);
    for (const Transport t : Techniques) {
        const auto [x, w] = cols[int(t) + 1];
        p.drawText(QRect(x + 6, 0, w - 12, rh), Qt::AlignLeft | Qt::AlignVCenter,
                   InspectorModel::modeTitle(t));
    }
    p.setFont(font());

    for (qsizetype row = 0; row < m_figures.size(); ++row) {
        const Figure &figure = m_figures.at(row);
        const int y = int(row + 1) * rh;
        if (row % 2 == 0)
            p.fillRect(QRect(0, y, width(), rh), palette().color(QPalette::AlternateBase));
        p.setPen(text);
        p.drawText(QRect(cols[0].first + 4, y, cols[0].second - 8, rh),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(figure.name, Qt::ElideRight, cols[0].second - 8));
        const double largest = *std::max_element(figure.values.begin(), figure.values.end());
        for (const Transport t : Techniques) {
            const auto [x, w] = cols[int(t) + 1];
            const double value = figure.values[size_t(t)];
            const int barWidth = largest > 0 ? int((w - 12) * value / largest) : 0;
            if (barWidth > 0)
                p.fillRect(QRect(x + 6, y + 3, std::max(2, barWidth), rh - 6), BarColors[int(t)]);
            p.setPen(text);
            // Right-aligned to where the longest bar ends.
            p.drawText(QRect(x + 6, y, w - 12, rh), Qt::AlignRight | Qt::AlignVCenter,
                       figure.texts[size_t(t)]);
        }
    }
}

bool CompareCounters::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int row = help->pos().y() / rowHeight() - 1;
        if (row >= 0 && row < m_figures.size())
            QToolTip::showText(help->globalPos(), m_figures.at(row).toolTip, this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace PushChat
