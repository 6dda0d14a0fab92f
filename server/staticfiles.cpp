#include "staticfiles.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QHash>

namespace PushChat::StaticFiles {

namespace {

struct Entry
{
    QByteArray body;
    QByteArray contentType;
    QByteArray etag;
};

// The page may load only its own files and talk only to its own origin: even if some text
// slipped into the DOM as markup, no inline or foreign script could run.
constexpr char PagePolicy[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'\r\n";

// Read once: the set of embedded files is fixed at build time, so the map is the whitelist.
const QHash<QByteArray, Entry> &files()
{
    static const QHash<QByteArray, Entry> table = [] {
        QHash<QByteArray, Entry> result;
        const QString root = QStringLiteral(":/web/");
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString resourcePath = it.next();
            QFile file(resourcePath);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            Entry entry;
            entry.body = file.readAll();
            const QByteArray name = resourcePath.mid(root.size()).toUtf8();
            entry.contentType = contentTypeFor(name);
            entry.etag =
                '"' +
                QCryptographicHash::hash(entry.body, QCryptographicHash::Sha256).toHex().left(20) +
                '"';
            result.insert(name, entry);
        }
        return result;
    }();
    return table;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

} // namespace

QByteArray contentTypeFor(QByteArrayView fileName)
{
    static constexpr std::pair<const char *, const char *> Types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    for (const auto &[extension, type] : Types) {
        if (fileName.endsWith(QByteArrayView(extension)))
            return QByteArray(type);
    }
    return QByteArrayLiteral("application/octet-stream");
}

bool etagMatches(QByteArrayView ifNoneMatch, QByteArrayView etag)
{
    if (etag.isEmpty())
        return false;
    qsizetype start = 0;
    while (start <= ifNoneMatch.size()) {
        qsizetype comma = ifNoneMatch.indexOf(',', start);
        if (comma < 0)
            comma = ifNoneMatch.size();
        QByteArrayView candidate = trimmed(ifNoneMatch.sliced(start, comma - start));
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.sliced(2);
        if (candidate == etag)
            return true;
        start = comma + 1;
    }
    return false;
}

StaticResponse serve(QByteArrayView path, QByteArrayView ifNoneMatch)
{
    QByteArray name;
    if (path == "/" || path == "/index.html")
        name = QByteArrayLiteral("index.html");
    else if (path.startsWith("/static/"))
        name = path.sliced(8).toByteArray();

    StaticResponse response;
    const auto &table = files();
    // Only exact names of embedded files match: "..", "%2e", "//" or a trailing "/" never do.
    const auto it = name.isEmpty() ? table.end() : table.find(name);
    if (it == table.end()) {
        response.status = 404;
        response.contentType = QByteArrayLiteral("application/json");
        response.body = QByteArrayLiteral("{\"error\":\"no such file\"}");
        return response;
    }
    response.contentType = it->contentType;
    response.etag = it->etag;
    // Names are not content-hashed, so the browser revalidates each time: a 304 costs little
    // and a host that updates PushChat never serves a stale page.
    response.cacheControl = QByteArrayLiteral("no-cache");
    response.extraHeaders = QByteArrayLiteral("X-Content-Type-Options: nosniff\r\n");
    if (name == "index.html")
        response.extraHeaders += PagePolicy;
    if (!ifNoneMatch.isNull() && etagMatches(ifNoneMatch, it->etag)) {
        response.status = 304;
        return response;
    }
    response.status = 200;
    response.body = it->body;
    return response;
}

} // namespace PushChat::StaticFiles
