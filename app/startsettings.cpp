#include "startsettings.h"

#include <QSettings>

#include <limits>

#include <pwd.h>
#include <unistd.h>

namespace PushChat {

namespace {
QString loginName()
{
    // Terminals set USER; a container or a service often does not, yet the account has a name.
    for (const char *variable : {"USER", "LOGNAME", "USERNAME"}) {
        QString name = qEnvironmentVariable(variable);
        if (!name.trimmed().isEmpty())
            return name;
    }
    if (const passwd *account = ::getpwuid(::geteuid()))
        return QString::fromLocal8Bit(account->pw_name);
    return {};
}
} // namespace

QString StartSettings::defaultNick()
{
    const QString nick = SessionRequest::nickFromLoginName(loginName());
    return nick.isEmpty() ? QStringLiteral("host") : nick;
}

StartSettings StartSettings::load(QSettings &settings)
{
    StartSettings s;
    settings.beginGroup(QStringLiteral("start"));
    s.roomName = settings.value(QStringLiteral("roomName"), s.roomName).toString();
    const uint port = settings.value(QStringLiteral("port"), s.port).toUInt();
    s.port = port <= std::numeric_limits<quint16>::max() ? quint16(port) : s.port;
    s.hostKey = settings.value(QStringLiteral("hostKey")).toString();
    s.nick = settings.value(QStringLiteral("nick")).toString();
    if (s.nick.trimmed().isEmpty())
        s.nick = defaultNick(); // so that `--host` hosts at once on the first run
    s.joinAddress = settings.value(QStringLiteral("joinAddress")).toString();
    s.joinKey = settings.value(QStringLiteral("joinKey")).toString();
    s.mode = transportFromName(settings.value(QStringLiteral("mode")).toString())
                 .value_or(Transport::WebSocket);
    settings.endGroup();
    return s;
}

void StartSettings::save(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("start"));
    settings.setValue(QStringLiteral("roomName"), roomName);
    settings.setValue(QStringLiteral("port"), uint(port));
    settings.setValue(QStringLiteral("hostKey"), hostKey);
    settings.setValue(QStringLiteral("nick"), nick);
    settings.setValue(QStringLiteral("joinAddress"), joinAddress);
    settings.setValue(QStringLiteral("joinKey"), joinKey);
    settings.setValue(QStringLiteral("mode"), transportName(mode));
    settings.endGroup();
}

void StartSettings::remember(const SessionRequest &request)
{
    nick = request.nick.trimmed();
    mode = request.mode;
    if (request.kind == SessionRequest::Kind::Host) {
        roomName = request.roomName.trimmed();
        port = request.port;
        hostKey = request.key;
    } else {
        joinAddress = request.address.trimmed();
        joinKey = request.key;
    }
}

void StartSettings::apply(const AppOptions &options)
{
    if (options.port)
        port = *options.port;
    if (options.nick)
        nick = *options.nick;
    if (options.room)
        roomName = *options.room;
    if (options.mode)
        mode = *options.mode;
    if (options.key) {
        hostKey = *options.key;
        joinKey = *options.key;
    }
    if (!options.joinAddress.isEmpty())
        joinAddress = options.joinAddress;
}

SessionRequest StartSettings::hostRequest() const
{
    SessionRequest request;
    request.kind = SessionRequest::Kind::Host;
    request.roomName = roomName;
    request.port = port;
    request.key = hostKey;
    request.nick = nick;
    request.mode = mode;
    return request;
}

SessionRequest StartSettings::joinRequest() const
{
    SessionRequest request;
    request.kind = SessionRequest::Kind::Join;
    request.address = joinAddress;
    request.key = joinKey;
    request.nick = nick;
    request.mode = mode;
    return request;
}

} // namespace PushChat
