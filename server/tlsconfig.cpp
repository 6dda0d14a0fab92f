#include "tlsconfig.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>

namespace PushChat {

namespace {

QByteArray readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

} // namespace

std::optional<QSslConfiguration> TlsConfig::load(const QString &certificateFile,
                                                 const QString &keyFile, QString *error)
{
    const QByteArray certificatePem = readFile(certificateFile, error);
    if (certificatePem.isEmpty()) {
        if (error->isEmpty())
            *error = QStringLiteral("%1 is empty").arg(certificateFile);
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(certificateFile);
        return std::nullopt;
    }
    const QByteArray keyPem = readFile(keyFile, error);
    if (keyPem.isEmpty()) {
        if (error->isEmpty())
            *error = QStringLiteral("%1 is empty").arg(keyFile);
        return std::nullopt;
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted PEM private key (EC or RSA)").arg(keyFile);
        return std::nullopt;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients have no certificates
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

QString TlsConfig::fingerprint(const QSslCertificate &certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256).toHex().toUpper();
    QString text = QStringLiteral("SHA256:");
    for (qsizetype i = 0; i < digest.size(); i += 2) {
        if (i > 0)
            text += u':';
        text += QLatin1StringView(digest.constData() + i, 2);
    }
    return text;
}

QString TlsConfig::fingerprintOfFile(const QString &certificateFile)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    return chain.isEmpty() ? QString() : fingerprint(chain.first());
}

} // namespace PushChat
