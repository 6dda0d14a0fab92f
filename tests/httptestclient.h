#pragma once

// A deliberately small HTTP/1.1 client for tests: it writes exact bytes and reads exact
// replies, so tests can send malformed requests and check every header.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTcpSocket>

#include <utility>

namespace TestHttp {

struct Reply
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names in lower case
    QByteArray body;
    qsizetype wireBytes = 0;

    QByteArray header(const QByteArray &lowerCaseName) const;
    QJsonObject json() const;
};

/// Parses one reply from the start of `buffer`; returns its size, or 0 while incomplete.
qsizetype parseReply(const QByteArray &buffer, Reply *reply);

/// Reads one reply from a connected socket, waiting up to `timeoutMs`. status 0 on failure.
Reply readReply(QTcpSocket &socket, QByteArray *buffer, int timeoutMs = 10000);

/// Opens a connection to 127.0.0.1:port, writes `raw`, returns the first reply.
Reply exchange(quint16 port, const QByteArray &raw, int timeoutMs = 10000);

/// A well-formed request: `extraHeaders` lines end in "\r\n".
QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                   const QByteArray &extraHeaders = {});

Reply get(quint16 port, const QByteArray &target, const QByteArray &extraHeaders = {});
Reply postJson(quint16 port, const QByteArray &target, const QByteArray &json,
               const QByteArray &extraHeaders = {});
/// Posts each JSON body to /api/messages, all pipelined on one connection (fast enough to fill
/// a history), and reads the answers in order. Returns how many were `201` before the first
/// that was not (or did not come).
int postPipelined(quint16 port, const QList<QByteArray> &jsonBodies, int timeoutMs = 10000);

/// Starts a server executable with `arguments` and reads the port of the join URL
/// (http://127.0.0.1:PORT/) it prints. Returns 0 if none appears within 10 s.
quint16 startServerProcess(QProcess &process, const QString &program, const QStringList &arguments);

} // namespace TestHttp
