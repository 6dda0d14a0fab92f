// The strict HTTP/1.1 request parser (RFC 9112), a pure function. Longer than 500 lines because
// it is one grammar: the request line, the head, the headers and the body framing read in order,
// each step a small function; splitting it across files would only scatter the grammar.

#include "httpparser.h"

#include <cstring>
#include <optional>
#include <variant>

namespace PushChat::Http {

namespace {

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= '0' && u <= '9')
        return true;
    if ((u | 0x20) >= 'a' && (u | 0x20) <= 'z')
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Visible ASCII only: a target never holds spaces, controls or raw 8-bit bytes.
bool isValidTarget(QByteArrayView s)
{
    if (s.isEmpty() || s.front() != '/')
        return false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return false;
    }
    return true;
}

bool isValidFieldValue(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

bool containsToken(QByteArrayView list, QByteArrayView token)
{
    while (true) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView part = comma < 0 ? list : list.first(comma);
        if (trimmedOws(part).compare(token, Qt::CaseInsensitive) == 0)
            return true;
        if (comma < 0)
            return false;
        list = list.sliced(comma + 1);
    }
}

// The first "\r\n" at or after `from`, or -1. (QByteArrayView::indexOf() runs a general
// substring search, several times the cost for a two-byte needle.)
qsizetype indexOfCrlf(QByteArrayView data, qsizetype from)
{
    const char *const begin = data.data();
    const char *const end = begin + data.size();
    const char *p = begin + from;
    while (p < end) {
        p = static_cast<const char *>(std::memchr(p, '\r', size_t(end - p)));
        if (!p || p + 1 >= end)
            return -1;
        if (p[1] == '\n')
            return p - begin;
        ++p;
    }
    return -1;
}

// The first "\r\n\r\n" at or after `from`, or -1.
qsizetype indexOfBlankLine(QByteArrayView data, qsizetype from)
{
    for (qsizetype crlf = indexOfCrlf(data, from); crlf >= 0; crlf = indexOfCrlf(data, crlf + 1)) {
        if (crlf + 3 < data.size() && data[crlf + 2] == '\r' && data[crlf + 3] == '\n')
            return crlf;
    }
    return -1;
}

// Methods and header names as bytes that need no allocation: most requests use only these.
QByteArray methodBytes(QByteArrayView method)
{
    static constexpr QByteArrayView CommonMethods[] = {"GET", "POST", "HEAD"};
    for (const QByteArrayView known : CommonMethods) {
        if (method == known)
            return QByteArray::fromRawData(known.data(), known.size());
    }
    return method.toByteArray();
}

QByteArray lowerCaseName(QByteArrayView name)
{
    static constexpr QByteArrayView CommonNames[] = {
        "host",
        "content-type",
        "content-length",
        "connection",
        "user-agent",
        "accept",
        "accept-encoding",
        "accept-language",
        "origin",
        "upgrade",
        "sec-websocket-key",
        "sec-websocket-version",
        "authorization",
        "cache-control",
        "pragma",
        "referer",
        "expect",
        "sec-websocket-extensions",
    };
    for (const QByteArrayView known : CommonNames) {
        if (known.size() == name.size() && name.compare(known, Qt::CaseInsensitive) == 0)
            return QByteArray::fromRawData(known.data(), known.size());
    }
    QByteArray lower(name.size(), Qt::Uninitialized);
    char *out = lower.data();
    for (char c : name)
        *out++ = (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
    return lower;
}

ParseResult error(int status, const QString &message)
{
    ParseResult result;
    result.status = ParseResult::Status::Error;
    result.errorStatus = status;
    result.errorMessage = message;
    return result;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool percentDecode(QByteArrayView in, QByteArray *out)
{
    out->clear();
    out->reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out->append(' ');
        } else if (c == '%') {
            if (i + 2 >= in.size())
                return false;
            const int hi = hexValue(in[i + 1]);
            const int lo = hexValue(in[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            out->append(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out->append(c);
        }
    }
    return true;
}

// RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line.
qsizetype skipLeadingEmptyLines(QByteArrayView data)
{
    qsizetype start = 0;
    while (start + 1 < data.size() && data[start] == '\r' && data[start + 1] == '\n' && start < 4)
        start += 2;
    return start;
}

// The request line has not ended yet: more bytes may make a request of it, unless what came
// is already too long for one or holds a bare LF.
ParseResult unfinishedRequestLine(QByteArrayView partialLine, const Limits &limits)
{
    // A request line longer than any allowed URI can only end in 414 (or 431 for junk).
    if (partialLine.size() > limits.maxUriBytes + 32)
        return error(414, QStringLiteral("request target too long"));
    if (partialLine.contains('\n'))
        return error(400, QStringLiteral("bare LF in request line"));
    return {};
}

struct RequestLine
{
    QByteArrayView method;
    QByteArrayView target;
    int minorVersion = 1;
};

bool isHttpVersion(QByteArrayView version)
{
    return version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.' &&
           version[5] >= '0' && version[5] <= '9' && version[7] >= '0' && version[7] <= '9';
}

// "METHOD target HTTP/1.x" taken apart, or the error to answer it with.
std::variant<RequestLine, ParseResult> parseRequestLine(QByteArrayView line, const Limits &limits)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace)
        return error(400, QStringLiteral("malformed request line"));
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method))
        return error(400, QStringLiteral("malformed method"));
    if (target.size() > limits.maxUriBytes)
        return error(414,
                     QStringLiteral("request target longer than %1 bytes").arg(limits.maxUriBytes));
    if (!isValidTarget(target))
        return error(400, QStringLiteral("malformed request target"));
    if (!isHttpVersion(version))
        return error(400, QStringLiteral("malformed HTTP version"));
    if (version[5] != '1' || version[7] > '1')
        return error(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are supported"));
    return RequestLine{method, target, version[7] - '0'};
}

// Where the head's blank line starts, or Incomplete while the head may still arrive within
// the limit, or 431.
std::variant<qsizetype, ParseResult> findHeadEnd(QByteArrayView data, qsizetype start,
                                                 qsizetype lineEnd, const Limits &limits)
{
    const qsizetype headEnd = indexOfBlankLine(data, lineEnd);
    const qsizetype headLimit = start + limits.maxHeadBytes;
    if (headEnd >= 0 && headEnd + 4 <= headLimit)
        return headEnd;
    if (headEnd >= 0 || data.size() >= headLimit)
        return error(431,
                     QStringLiteral("request head larger than %1 bytes").arg(limits.maxHeadBytes));
    return ParseResult{};
}

void startRequest(Request &request, const RequestLine &line)
{
    request.method = methodBytes(line.method);
    request.target = line.target.toByteArray();
    const qsizetype question = line.target.indexOf('?');
    if (question < 0) {
        request.path = request.target;
    } else {
        request.path = line.target.first(question).toByteArray();
        request.query = line.target.sliced(question + 1).toByteArray();
    }
    request.headers.reserve(8);
    request.minorVersion = line.minorVersion;
}

// What the headers said that decides how the request is read.
struct HeaderTally
{
    qsizetype contentLength = -1; ///< -1: none
    int hostCount = 0;
};

// Digits only, at most 18 of them (so the value fits), or no value.
std::optional<qsizetype> parseContentLength(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 18)
        return std::nullopt;
    qsizetype length = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        length = length * 10 + (c - '0');
    }
    return length;
}

// Adds one header line to `request`, or returns the error to answer it with.
std::optional<ParseResult> addHeader(QByteArrayView line, const Limits &limits, Request &request,
                                     HeaderTally &tally)
{
    if (line.front() == ' ' || line.front() == '\t')
        return error(400, QStringLiteral("obsolete header line folding"));
    if (line.contains('\n') || line.contains('\r'))
        return error(400, QStringLiteral("bare CR or LF in header"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return error(400, QStringLiteral("malformed header line"));
    const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
    if (!isValidFieldValue(value))
        return error(400, QStringLiteral("control character in header value"));
    if (request.headers.size() >= limits.maxHeaders)
        return error(431, QStringLiteral("more than %1 headers").arg(limits.maxHeaders));
    QByteArray name = lowerCaseName(line.first(colon));
    if (name == "transfer-encoding")
        return error(501, QStringLiteral("Transfer-Encoding is not supported; send "
                                         "Content-Length"));
    if (name == "content-length") {
        if (tally.contentLength >= 0)
            return error(400, QStringLiteral("more than one Content-Length"));
        const auto length = parseContentLength(value);
        if (!length)
            return error(400, QStringLiteral("malformed Content-Length"));
        tally.contentLength = *length;
    } else if (name == "host") {
        ++tally.hostCount;
    }
    request.headers.append({std::move(name), value.toByteArray()});
    return std::nullopt;
}

// The header lines from `from` to the blank line at `headEnd`.
std::optional<ParseResult> parseHeaders(QByteArrayView data, qsizetype from, qsizetype headEnd,
                                        const Limits &limits, Request &request, HeaderTally &tally)
{
    qsizetype pos = from;
    while (pos < headEnd + 2) {
        const qsizetype end = indexOfCrlf(data, pos);
        if (auto stop = addHeader(data.sliced(pos, end - pos), limits, request, tally))
            return stop;
        pos = end + 2;
    }
    return std::nullopt;
}

// What the head as a whole must satisfy: one Host (HTTP/1.1), a body within the limit and
// announced where one is expected.
std::optional<ParseResult> checkHead(const Request &request, const HeaderTally &tally,
                                     const Limits &limits)
{
    if (tally.hostCount > 1)
        return error(400, QStringLiteral("more than one Host header"));
    if (tally.hostCount == 0 && request.minorVersion == 1)
        return error(400, QStringLiteral("HTTP/1.1 request without Host header"));
    if (tally.contentLength > limits.maxBodyBytes)
        return error(413, QStringLiteral("body larger than %1 bytes").arg(limits.maxBodyBytes));
    const bool expectsBody =
        request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (tally.contentLength < 0 && expectsBody)
        return error(411, QStringLiteral("a request with a body needs Content-Length"));
    return std::nullopt;
}

// The head is in; the request is complete once its body is too.
void takeBody(ParseResult &result, QByteArrayView data, qsizetype headEnd, qsizetype contentLength)
{
    result.headBytes = headEnd + 4;
    result.headComplete = true;
    const qsizetype bodyLength = qMax<qsizetype>(contentLength, 0);
    if (data.size() - result.headBytes < bodyLength) {
        result.status = ParseResult::Status::Incomplete;
        return;
    }
    result.request.body = data.sliced(result.headBytes, bodyLength).toByteArray();
    result.consumed = result.headBytes + bodyLength;
    result.status = ParseResult::Status::Complete;
}

} // namespace

QByteArray Request::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value.isNull() ? QByteArray("") : value;
    }
    return {};
}

bool Request::hasHeader(QByteArrayView lowerCaseName) const
{
    for (const auto &header : headers) {
        if (header.first == lowerCaseName)
            return true;
    }
    return false;
}

bool Request::keepAlive() const
{
    const QByteArray connection = header("connection");
    if (minorVersion == 0)
        return containsToken(connection, "keep-alive");
    return !containsToken(connection, "close");
}

bool Request::isWebSocketUpgrade() const
{
    return method == "GET" && containsToken(header("upgrade"), "websocket") &&
           containsToken(header("connection"), "upgrade");
}

ParseResult parseRequest(QByteArrayView data, const Limits &limits)
{
    const qsizetype start = skipLeadingEmptyLines(data);
    const qsizetype lineEnd = indexOfCrlf(data, start);
    if (lineEnd < 0)
        return unfinishedRequestLine(data.sliced(start), limits);
    const auto line = parseRequestLine(data.sliced(start, lineEnd - start), limits);
    if (const auto *stop = std::get_if<ParseResult>(&line))
        return *stop;
    const auto headEnd = findHeadEnd(data, start, lineEnd, limits);
    if (const auto *stop = std::get_if<ParseResult>(&headEnd))
        return *stop;

    ParseResult result;
    startRequest(result.request, std::get<RequestLine>(line));
    HeaderTally tally;
    if (auto stop = parseHeaders(data, lineEnd + 2, std::get<qsizetype>(headEnd), limits,
                                 result.request, tally))
        return std::move(*stop);
    if (auto stop = checkHead(result.request, tally, limits))
        return std::move(*stop);
    takeBody(result, data, std::get<qsizetype>(headEnd), tally.contentLength);
    return result;
}

bool parseQuery(QByteArrayView query, QList<std::pair<QByteArray, QByteArray>> *out)
{
    out->clear();
    qsizetype pos = 0;
    while (pos <= query.size()) {
        qsizetype amp = query.indexOf('&', pos);
        if (amp < 0)
            amp = query.size();
        const QByteArrayView part = query.sliced(pos, amp - pos);
        pos = amp + 1;
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        QByteArray key;
        QByteArray value;
        if (!percentDecode(eq < 0 ? part : part.first(eq), &key))
            return false;
        if (eq >= 0 && !percentDecode(part.sliced(eq + 1), &value))
            return false;
        out->append({std::move(key), std::move(value)});
    }
    return true;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

} // namespace PushChat::Http
