#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>

#include <optional>

class QObject;
class QTcpSocket;

namespace PushChat {

/// How a client reaches an https:// room: through TLS, trusting the system's certificate
/// authorities, the ones given (a self-signed room certificate is its own), or exactly the
/// certificate whose SHA-256 fingerprint was pinned (the one the host shows). Nothing else: an
/// untrusted certificate fails the connection with ErrorCode::Untrusted.
struct ClientTls
{
    bool enabled = false; ///< https:// and wss://
    QList<QSslCertificate> caCertificates;
    QByteArray pinnedSha256; ///< the raw digest; empty: none pinned

    /// Reads PEM certificates to trust; nullopt and `error` when the file holds none.
    static std::optional<QList<QSslCertificate>> readCaFile(const QString &path, QString *error);
    /// "SHA256:AB:CD:…" (as pushchat-server prints it) or 64 hex digits, to the raw digest;
    /// nullopt when it is neither.
    static std::optional<QByteArray> parseFingerprint(const QString &text);

    /// A QSslSocket set up for this trust when enabled, else a QTcpSocket.
    QTcpSocket *createSocket(QObject *parent) const;
    /// connectToHostEncrypted() for a QSslSocket, connectToHost() otherwise.
    static void connectToHost(QTcpSocket *socket, const QString &host, quint16 port);
};

} // namespace PushChat
