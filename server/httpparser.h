#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace PushChat::Http {

struct Limits
{
    qsizetype maxHeadBytes = 16 * 1024; ///< request line + headers + blank line; else 431
    qsizetype maxUriBytes = 4 * 1024;   ///< request target; else 414
    qsizetype maxBodyBytes = 64 * 1024; ///< else 413
    int maxHeaders = 100;               ///< else 431
};

struct Request
{
    QByteArray method;
    QByteArray target; ///< as sent: path and query
    QByteArray path;   ///< target before '?', not decoded
    QByteArray query;  ///< target after '?', not decoded
    int minorVersion = 1;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names in lower case, values trimmed
    QByteArray body;

    /// The value of the first header with this lower-case name, or a null array.
    QByteArray header(QByteArrayView lowerCaseName) const;
    bool hasHeader(QByteArrayView lowerCaseName) const;
    /// HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
    bool keepAlive() const;
    bool isWebSocketUpgrade() const;
};

struct ParseResult
{
    enum class Status { Complete, Incomplete, Error };
    Status status = Status::Incomplete;
    int errorStatus = 0; ///< HTTP status to answer with when status == Error
    QString errorMessage;
    /// With Incomplete: true once the head is in and only body bytes are missing.
    bool headComplete = false;
    qsizetype headBytes = 0; ///< size of the head including the blank line
    qsizetype consumed = 0;  ///< bytes of the input that belong to this request (Complete)
    Request request;         ///< filled when Complete, or when headComplete
};

/// Parses one HTTP/1.x request from the start of `data`. A pure function: no state, no I/O.
/// Strict on purpose: CRLF line ends, no obsolete line folding, no Transfer-Encoding, exactly
/// one Content-Length, so no two parsers can disagree on where a request ends.
ParseResult parseRequest(QByteArrayView data, const Limits &limits = {});

/// Decodes `a=1&b=x%20y` (and form bodies: '+' is a space). Returns false on bad escapes.
bool parseQuery(QByteArrayView query, QList<std::pair<QByteArray, QByteArray>> *out);

/// The reason phrase of a status code we send.
QByteArrayView reasonPhrase(int status);

} // namespace PushChat::Http
