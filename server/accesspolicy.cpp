#include "accesspolicy.h"

#include <QCryptographicHash>
#include <QUrl>

namespace PushChat {

namespace {

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Hashing first makes the comparison independent of both contents and lengths.
    const QByteArray ha = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray hb = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < ha.size(); ++i)
        diff |= static_cast<unsigned char>(ha[i] ^ hb[i]);
    return diff == 0;
}

// "host:port", "[v6]:port" or "host" → lower-case host and port (default 80).
std::pair<QString, int> splitHostPort(const QByteArray &hostHeader)
{
    QString host = QString::fromLatin1(hostHeader).trimmed().toLower();
    int port = 80;
    const qsizetype bracket = host.lastIndexOf(u']');
    const qsizetype colon = host.lastIndexOf(u':');
    if (colon > bracket && colon >= 0) {
        bool ok = false;
        port = host.mid(colon + 1).toInt(&ok);
        if (!ok)
            port = -1;
        host.truncate(colon);
    }
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    return {host, port};
}

} // namespace

AccessPolicy::AccessPolicy(const QStringList &allowedOrigins, const QString &key)
    : m_allowedOrigins(allowedOrigins)
    , m_key(key.toUtf8())
{}

AccessPolicy::Refusal AccessPolicy::check(const Http::Request &request,
                                          const QueryItems &query) const
{
    const QByteArray origin = request.header("origin");
    if (!origin.isNull() && !m_allowedOrigins.contains(QString::fromLatin1(origin))) {
        const QUrl originUrl(QString::fromLatin1(origin));
        const int defaultPort = originUrl.scheme() == u"https" ? 443 : 80;
        const auto [host, port] = splitHostPort(request.header("host"));
        const bool sameOrigin = originUrl.isValid() && !originUrl.host().isEmpty() &&
                                originUrl.host().toLower() == host &&
                                originUrl.port(defaultPort) == port;
        if (!sameOrigin) {
            return {403,
                    QStringLiteral("cross-origin request from %1 refused")
                        .arg(QString::fromLatin1(origin)),
                    {}};
        }
    }
    if (m_key.isEmpty())
        return {};
    QByteArray presented;
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer "))
        presented = authorization.mid(7).trimmed();
    else
        presented = RequestDecoding::queryValue(query, "key");
    if (presented.isNull() || !constantTimeEquals(presented, m_key)) {
        return {401,
                presented.isNull() ? QStringLiteral("this room needs a key")
                                   : QStringLiteral("wrong room key"),
                QByteArrayLiteral("WWW-Authenticate: Bearer\r\n")};
    }
    return {};
}

} // namespace PushChat
