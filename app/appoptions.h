#pragma once

#include "protocol.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace PushChat {

/// The command line of `pushchat`, parsed without side effects so tests can check it.
struct AppOptions
{
    enum class Start { StartScreen, Host, Join };

    Start start = Start::StartScreen;
    std::optional<quint16> port;
    QString joinAddress;
    std::optional<QString> nick;
    std::optional<QString> key;
    std::optional<QString> room;
    std::optional<Transport> mode;
    std::optional<int> intervalMs;
    int tourSeconds = 0;           ///< > 0: switch mode by itself every so many seconds
    bool compare = false;          ///< open the compare view once in the room
    bool present = false;          ///< start in presentation mode
    std::optional<double> botRate; ///< the compare view's bot sends this many messages a second
    QString faultScript;           ///< hosting: a fault script file run once the room is open

    bool showHelp = false;
    bool showVersion = false;
    QString helpText;
    QString error; ///< non-empty: the command line was wrong; helpText says how to use it

    static AppOptions parse(const QStringList &arguments);
};

} // namespace PushChat
