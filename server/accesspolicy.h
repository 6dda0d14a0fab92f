#pragma once

#include "requestdecoding.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace PushChat {

/// Who may use the room: pages from the server's own origin or an allowed one, and with a
/// room key, only clients that present it (docs/PROTOCOL.md, "Access").
class AccessPolicy
{
public:
    struct Refusal
    {
        int status = 0; ///< 0: allowed
        QString error;
        QByteArray extraHeaders;

        bool allowed() const { return status == 0; }
    };

    AccessPolicy(const QStringList &allowedOrigins, const QString &key);

    /// Checks the Origin header against the Host header and the allowed origins, then the key
    /// (an `Authorization: Bearer` header or the `key` query item).
    Refusal check(const Http::Request &request, const QueryItems &query) const;

private:
    QStringList m_allowedOrigins;
    QByteArray m_key; ///< UTF-8; empty: no room key
};

} // namespace PushChat
