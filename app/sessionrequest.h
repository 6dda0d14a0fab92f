#pragma once

#include "protocol.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

#include <optional>

namespace PushChat {

/// What the start screen or the command line asks for: host a room, or join one.
struct SessionRequest
{
    Q_DECLARE_TR_FUNCTIONS(SessionRequest)

public:
    enum class Kind { Host, Join };

    Kind kind = Kind::Host;
    QString roomName;           ///< Host only
    quint16 port = 0;           ///< Host only; 0 picks a free port
    QString address;            ///< Join only, as typed: "http://host:port" or "host:port"
    QString key;                ///< empty: no room key
    QString tlsCertificateFile; ///< Host only: with the key file, the room serves https://
    QString tlsKeyFile;         ///< Host only
    QString fingerprint;        ///< Join only: the SHA-256 of the https:// room's certificate
    QString nick;
    Transport mode = Transport::WebSocket;
    /// Host only: keep the room's history on disk (SessionController::historyPath()), so that
    /// it survives the app; off, it lives as long as the app.
    bool keepHistory = true;

    /// Why the request cannot be started, or nullopt when it can.
    std::optional<QString> problem() const;

    /// The room's base URL for a join address ("host:port", "http://host:port/",
    /// "https://host:port"), or an invalid QUrl when the text is not one. The port defaults to
    /// 8765.
    static QUrl parseAddress(const QString &text);
    /// Why a nick is not acceptable to the server (docs/PROTOCOL.md), or nullopt.
    static std::optional<QString> nickProblem(const QString &nick);
    /// A nick the server accepts made from a login name: without control characters, at
    /// most 32 characters; empty when nothing of it is left.
    static QString nickFromLoginName(const QString &loginName);
};

} // namespace PushChat
