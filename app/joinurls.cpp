#include "joinurls.h"

#include "defaultroute.h"

#include <QNetworkInterface>

namespace PushChat {

namespace {
QString urlFor(const QHostAddress &address, quint16 port)
{
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("http://%1:%2").arg(host).arg(port);
}
} // namespace

QStringList JoinUrls::forPort(quint16 port)
{
    return forPort(port, DefaultRoute::interfaceName());
}

QStringList JoinUrls::forPort(quint16 port, const QString &preferredInterface)
{
    QStringList preferred;
    QStringList ipv4;
    QStringList ipv6;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        if (!interface.flags().testFlag(QNetworkInterface::IsUp) ||
            interface.flags().testFlag(QNetworkInterface::IsLoopBack))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            QHostAddress address = entry.ip();
            if (address.isLoopback())
                continue;
            if (address.protocol() == QAbstractSocket::IPv4Protocol) {
                (interface.name() == preferredInterface ? preferred : ipv4)
                    << urlFor(address, port);
            } else if (address.protocol() == QAbstractSocket::IPv6Protocol &&
                       !address.isLinkLocal()) {
                address.setScopeId({});
                ipv6 << urlFor(address, port);
            }
        }
    }
    QStringList all = preferred + ipv4 + ipv6;
    all.removeDuplicates();
    return all;
}

QString JoinUrls::loopback(quint16 port)
{
    return urlFor(QHostAddress::LocalHost, port);
}

} // namespace PushChat
