#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace PushChat {

/// What to answer to a GET for a static file.
struct StaticResponse
{
    int status = 404;
    QByteArray body;        ///< empty for 304 and 404
    QByteArray contentType; ///< of the body
    QByteArray etag;        ///< quoted strong validator; empty for 404
    QByteArray cacheControl;
    /// Further header lines, each ending in CRLF (e.g. the page's Content-Security-Policy).
    QByteArray extraHeaders;
};

/// The browser client's files, embedded in the binary under the resource prefix ":/web".
/// Only those files can be served: "/" and "/index.html" map to index.html, "/static/NAME" to
/// NAME; every other path, including any with "..", "%2e" or "//", is a 404.
namespace StaticFiles {

/// A pure function of the path (as sent, not decoded) and the If-None-Match header
/// (null when absent): 200 with the file, 304 when a listed ETag matches, or 404.
StaticResponse serve(QByteArrayView path, QByteArrayView ifNoneMatch = {});

/// The Content-Type for a file name, by extension; application/octet-stream if unknown.
QByteArray contentTypeFor(QByteArrayView fileName);

/// True when an If-None-Match value names this ETag (or is "*"); weak forms compare too.
bool etagMatches(QByteArrayView ifNoneMatch, QByteArrayView etag);

} // namespace StaticFiles

} // namespace PushChat
