#pragma once

#include "historyepoch.h"
#include "httpparser.h"
#include "protocol.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace PushChat {

using QueryItems = QList<std::pair<QByteArray, QByteArray>>;

/// A request field read from its bytes: the value, or the HTTP status and message the request
/// is refused with.
template<typename T> struct Decoded
{
    T value{};
    int status = 0; ///< 0: decoded
    QString error;

    bool ok() const { return status == 0; }
    static Decoded refused(int status, const QString &error) { return {T{}, status, error}; }
};

/// Where a reader of the room (a poll, a WebSocket) starts, and who it is.
struct Subscription
{
    qint64 after = 0;       ///< the newest seq the client has
    qint64 waitSeconds = 0; ///< how long a long poll may be held; 0: a short poll
    QString nick;           ///< trimmed; empty: an observer
    HistoryEpoch epoch;     ///< the history `after` counts in; null when the client sent none
};

/// What a post to /api/messages or the tutorial's /new-message carries.
struct ChatPost
{
    QString nick; ///< as sent, not trimmed
    QString text;
    QString clientId; ///< makes a retried send idempotent; may be empty
};

/// Reading the fields of a request (docs/PROTOCOL.md): pure functions of its bytes, the same
/// for every transport that carries the field.
namespace RequestDecoding {

/// The value of the first `key`, "" for a key without a value, or a null array if absent.
QByteArray queryValue(const QueryItems &items, QByteArrayView key);
/// The decoded name/value pairs of a query string.
Decoded<QueryItems> query(QByteArrayView queryString);

/// `after`: the newest seq a client has; 0 when absent.
Decoded<qint64> cursor(const QueryItems &query);
/// `wait`: how long a long poll may be held, 1 to `maxSeconds`; 0 (a short poll) when absent.
Decoded<qint64> waitSeconds(const QueryItems &query, int maxSeconds);
/// `epoch`: the history identity a cursor belongs to (16 hex digits); null when absent.
Decoded<HistoryEpoch> epoch(const QueryItems &query);
/// `nick`, trimmed; empty when absent (an observer).
Decoded<QString> nick(const QueryItems &query, int maxNickChars);
/// cursor(), then waitSeconds() where the request may wait (`maxWaitSeconds` > 0), then nick(),
/// then epoch():
/// the first error refuses the request.
Decoded<Subscription> subscription(const QueryItems &query, int maxNickChars,
                                   int maxWaitSeconds = 0);
/// `via`: how the sender of a post receives, if it says.
std::optional<Transport> via(const QueryItems &query);

/// The body of a post to /api/messages: JSON or a form.
Decoded<ChatPost> post(const Http::Request &request);
/// The tutorial's /new-message: the form field `msg`, the nick from the form or the query
/// ("guest" without one).
Decoded<ChatPost> compatPost(const Http::Request &request, const QueryItems &query);
/// The tutorial's /update-message: `cursor` from the form or the query; `lastSeq` without one.
Decoded<qint64> compatCursor(const Http::Request &request, const QueryItems &query, qint64 lastSeq);

/// Why `nick` cannot be a nick, or an empty string if it can.
QString nickError(const QString &nick, int maxNickChars);
/// Why a chat message cannot be stored as it is, or an empty string (the status is 400).
QString chatError(const ChatPost &post, int maxNickChars, int maxTextBytes);

} // namespace RequestDecoding

} // namespace PushChat
