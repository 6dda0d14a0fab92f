#pragma once

#include <QString>

#include <optional>

class QSslCertificate;
class QSslConfiguration;

namespace PushChat {

/// The server's certificate and key, read from PEM files, as a TLS configuration for QSslSocket:
/// https:// and wss:// on the room's one port (docs/PROTOCOL.md, "TLS").
class TlsConfig
{
public:
    /// The configuration for `certificateFile` (the server's certificate, then any chain) and
    /// `keyFile` (its private key, EC or RSA, unencrypted); nullopt and `error` when either
    /// cannot be read. A key that does not match the certificate fails each handshake.
    static std::optional<QSslConfiguration> load(const QString &certificateFile,
                                                 const QString &keyFile, QString *error);
    /// "SHA256:AB:CD:…", what a client pins instead of trusting a CA.
    static QString fingerprint(const QSslCertificate &certificate);
    /// The fingerprint of the first certificate in a PEM file; empty if there is none.
    static QString fingerprintOfFile(const QString &certificateFile);
};

} // namespace PushChat
