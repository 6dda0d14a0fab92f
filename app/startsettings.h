#pragma once

#include "appoptions.h"
#include "sessionrequest.h"

#include <QString>

class QSettings;

namespace PushChat {

/// The start screen's last values, kept with QSettings between runs.
struct StartSettings
{
    QString roomName = QStringLiteral("PushChat");
    quint16 port = 8765;
    QString hostKey;
    QString nick;
    QString joinAddress;
    QString joinKey;
    Transport mode = Transport::WebSocket;

    /// The user's login name as a nick ("host" if it has none): the user can change it later.
    static QString defaultNick();
    /// What was saved; a nick never chosen is defaultNick().
    static StartSettings load(QSettings &settings);
    void save(QSettings &settings) const;
    /// Takes over what a request used, so the next start screen shows it.
    void remember(const SessionRequest &request);
    /// The command line wins over what was remembered.
    void apply(const AppOptions &options);

    SessionRequest hostRequest() const;
    SessionRequest joinRequest() const;
};

} // namespace PushChat
