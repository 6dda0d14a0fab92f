#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace PushChat {

/// What to answer to GET /api/qr.svg.
struct QrResponse
{
    int status = 400;
    QByteArray body;        ///< the SVG, or JSON {"error": …}
    QByteArray contentType; ///< of the body
    /// Further header lines, each ending in CRLF.
    QByteArray extraHeaders;
};

/// GET /api/qr.svg?text=URL: the QR code of a join address as SVG, so that the browser page can
/// show the same code the desktop app shows without a QR library of its own. Only http:// and
/// https:// URLs of at most MaxTextBytes bytes are drawn: the endpoint is for join addresses,
/// not a general QR service.
namespace QrEndpoint {

inline constexpr char Path[] = "/api/qr.svg";
inline constexpr qsizetype MaxTextBytes = 1024;

/// A pure function of the query string (as sent, not decoded): 200 with image/svg+xml, or 400
/// with a JSON error. Neither is to be cached (Cache-Control: no-store).
QrResponse serve(QByteArrayView query);

} // namespace QrEndpoint

} // namespace PushChat
