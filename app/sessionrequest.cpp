#include "sessionrequest.h"

#include "protocollimits.h"

namespace PushChat {

namespace {
constexpr int DefaultPort = 8765;
} // namespace

std::optional<QString> SessionRequest::nickProblem(const QString &nick)
{
    const QString trimmed = nick.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("Choose a nick: the name others see next to your messages.");
    // No room is known yet: the defaults every server starts with.
    const int maxNickChars = ProtocolLimits{}.maxNickChars;
    if (nickLength(trimmed) > maxNickChars)
        return QStringLiteral("A nick has at most %1 characters.").arg(maxNickChars);
    for (const QChar c : trimmed) {
        if (c.category() == QChar::Other_Control)
            return QStringLiteral("A nick cannot contain control characters.");
    }
    return std::nullopt;
}

QUrl SessionRequest::parseAddress(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(QStringLiteral("://")))
        trimmed.prepend(QStringLiteral("http://"));
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QStringLiteral("http") || url.host().isEmpty())
        return {};
    if (url.port() == -1)
        url.setPort(DefaultPort);
    // The room is the whole server: whatever path was pasted (say, "/" from the join page)
    // does not matter.
    url.setPath({});
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

std::optional<QString> SessionRequest::problem() const
{
    if (auto nick = nickProblem(this->nick))
        return nick;
    if (kind == Kind::Host) {
        if (roomName.trimmed().isEmpty())
            return QStringLiteral(
                "Give the room a name, so people know they joined the right one.");
        return std::nullopt;
    }
    if (!parseAddress(address).isValid())
        return QStringLiteral("Type the address the host shows, like http://192.168.1.20:8765 "
                              "or 192.168.1.20:8765.");
    return std::nullopt;
}

} // namespace PushChat
