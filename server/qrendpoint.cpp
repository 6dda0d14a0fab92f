#include "qrendpoint.h"

#include "httpparser.h"
#include "jsoncodec.h"
#include "qrcode.h"

#include <QStringDecoder>
#include <QUrl>

namespace PushChat::QrEndpoint {

namespace {

constexpr QByteArrayView NoStore = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n";

QrResponse error(const QString &message)
{
    return {400, "{\"error\":" + JsonCodec::quote(message) + '}', "application/json",
            NoStore.toByteArray()};
}

} // namespace

QrResponse serve(QByteArrayView query)
{
    QList<std::pair<QByteArray, QByteArray>> items;
    if (!Http::parseQuery(query, &items))
        return error(QStringLiteral("malformed query string"));
    QByteArray text;
    for (const auto &[name, value] : std::as_const(items)) {
        if (name == "text") {
            text = value;
            break;
        }
    }
    if (text.isEmpty())
        return error(QStringLiteral("\"text\" is missing: /api/qr.svg?text=URL"));
    if (text.size() > MaxTextBytes)
        return error(QStringLiteral("\"text\" is longer than %1 bytes").arg(MaxTextBytes));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(text);
    if (decoder.hasError())
        return error(QStringLiteral("\"text\" is not valid UTF-8"));
    const QUrl url(decoded, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty())
        return error(QStringLiteral("\"text\" must be an http:// or https:// URL"));
    // The bytes as sent are what a phone gets: QUrl only checked them.
    const std::optional<QrCode> code = QrCode::encode(text);
    if (!code)
        return error(QStringLiteral("\"text\" does not fit in a QR code"));
    return {200, code->toSvg(), "image/svg+xml", NoStore.toByteArray()};
}

} // namespace PushChat::QrEndpoint
