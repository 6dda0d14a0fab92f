#include "clienttls.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>

namespace PushChat {

std::optional<QList<QSslCertificate>> ClientTls::readCaFile(const QString &path, QString *error)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
    if (certificates.isEmpty()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(path);
        return std::nullopt;
    }
    return certificates;
}

std::optional<QByteArray> ClientTls::parseFingerprint(const QString &text)
{
    QString hex = text.trimmed();
    if (hex.startsWith(u"SHA256:", Qt::CaseInsensitive))
        hex = hex.mid(7);
    hex.remove(u':');
    static const QRegularExpression sha256Hex(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    if (!sha256Hex.match(hex).hasMatch())
        return std::nullopt;
    return QByteArray::fromHex(hex.toLatin1());
}

QTcpSocket *ClientTls::createSocket(QObject *parent) const
{
    if (!enabled)
        return new QTcpSocket(parent);
    auto *socket = new QSslSocket(parent);
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!caCertificates.isEmpty())
        configuration.addCaCertificates(caCertificates);
    socket->setSslConfiguration(configuration);
    if (!pinnedSha256.isEmpty()) {
        // The pinned certificate is trusted whoever issued it and whatever name it carries;
        // any other certificate only as the system or the given CAs allow.
        const QByteArray pin = pinnedSha256;
        QObject::connect(
            socket, &QSslSocket::sslErrors, socket, [socket, pin](const QList<QSslError> &errors) {
                if (socket->peerCertificate().digest(QCryptographicHash::Sha256) == pin)
                    socket->ignoreSslErrors(errors);
            });
    }
    return socket;
}

void ClientTls::connectToHost(QTcpSocket *socket, const QString &host, quint16 port)
{
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        tls->connectToHostEncrypted(host, port);
    else
        socket->connectToHost(host, port);
}

} // namespace PushChat
