#pragma once

#include "chatclient.h"

#include <QObject>
#include <QSocketNotifier>
#include <QTextStream>

namespace PushChat {

/// The terminal client: lines from stdin become messages or commands, messages go to stdout,
/// everything else to stderr. Finishes (with finished(exitCode)) after /quit or end of input
/// once every typed message was accepted or refused.
class CliSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CliSession)

public:
    struct Options
    {
        QUrl url;
        QString nick;
        QString key;
        Transport mode = Transport::WebSocket;
        int intervalMs = 1000;
        QList<QSslCertificate> caCertificates; ///< https:// only
        QByteArray pinnedSha256;
        int heartbeatSeconds = 20; ///< WebSocket ping interval: keeps an idle link alive
    };

    /// How long /quit or end of input waits for unconfirmed messages (or for a first
    /// connection that is still being tried).
    static constexpr int LeaveTimeoutMs = 30000;
    /// The exit status when the very first connection failed (docs/CLIENT.md).
    static constexpr int ExitCannotConnect = 2;

    explicit CliSession(const Options &options, QObject *parent = nullptr);

    void start();

signals:
    void finished(int exitCode);

private:
    void onStdin();
    void handleLine(const QString &line);
    void printStats();
    void leave();
    void failToConnect(const QString &reason);
    void finish(int exitCode);

    ChatClient m_client;
    QSocketNotifier m_stdin;
    QByteArray m_input;
    QTextStream m_out;
    QTextStream m_err;
    bool m_leaving = false;
    bool m_finished = false;
    int m_failures = 0;
};

} // namespace PushChat
