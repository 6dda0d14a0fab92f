#include "sessionrequest.h"

#include "clienttls.h"
#include "protocollimits.h"

#include <QCoreApplication>

#include <algorithm>

namespace PushChat {

namespace {
// No room is known yet: the limits every server starts with.
constexpr int MaxNickChars = ProtocolLimits{}.maxNickChars;
constexpr int DefaultPort = 8765;

bool isControl(uint ch)
{
    const auto category = QChar::category(ch);
    return category == QChar::Other_Control || category == QChar::Separator_Line ||
           category == QChar::Separator_Paragraph;
}
} // namespace

std::optional<QString> SessionRequest::nickProblem(const QString &nick)
{
    const QString trimmed = nick.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("Choose a nick: the name others see next to your messages.");
    // Counted and checked as the server does: characters, not UTF-16 units.
    const auto characters = trimmed.toUcs4();
    if (characters.size() > MaxNickChars)
        return QStringLiteral("A nick has at most %1 characters.").arg(MaxNickChars);
    if (std::any_of(characters.begin(), characters.end(), isControl))
        return QStringLiteral("A nick cannot contain control characters.");
    return std::nullopt;
}

QString SessionRequest::nickFromLoginName(const QString &loginName)
{
    QList<char32_t> kept;
    for (const uint ch : loginName.trimmed().toUcs4()) {
        if (!isControl(ch))
            kept.append(char32_t(ch));
    }
    return QString::fromUcs4(kept.constData(), qMin(kept.size(), qsizetype(MaxNickChars)))
        .trimmed();
}

QUrl SessionRequest::parseAddress(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    if (!trimmed.contains(QStringLiteral("://")))
        trimmed.prepend(QStringLiteral("http://"));
    QUrl url(trimmed, QUrl::StrictMode);
    const bool knownScheme =
        url.scheme() == QStringLiteral("http") || url.scheme() == QStringLiteral("https");
    if (!url.isValid() || !knownScheme || url.host().isEmpty())
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
        if (tlsCertificateFile.trimmed().isEmpty() != tlsKeyFile.trimmed().isEmpty())
            return QCoreApplication::translate(
                "PushChat::SessionRequest",
                "For https://, give both the certificate file and its key file.");
        return std::nullopt;
    }
    if (!parseAddress(address).isValid())
        return QStringLiteral("Type the address the host shows, like http://192.168.1.20:8765 "
                              "or 192.168.1.20:8765.");
    if (!fingerprint.trimmed().isEmpty() && !ClientTls::parseFingerprint(fingerprint))
        return QCoreApplication::translate(
            "PushChat::SessionRequest",
            "The certificate fingerprint is SHA256: and 32 hex pairs, as the host shows it.");
    return std::nullopt;
}

} // namespace PushChat
