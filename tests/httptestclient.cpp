#include "httptestclient.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>

namespace TestHttp {

QByteArray Reply::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

QJsonObject Reply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

qsizetype parseReply(const QByteArray &buffer, Reply *reply)
{
    qsizetype start = 0;
    // Skip interim 1xx answers such as 100 Continue.
    while (buffer.mid(start, 10).startsWith("HTTP/1.1 1")) {
        const qsizetype end = buffer.indexOf("\r\n\r\n", start);
        if (end < 0)
            return 0;
        start = end + 4;
    }
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n", start);
    if (headEnd < 0)
        return 0;
    const QList<QByteArray> lines = buffer.mid(start, headEnd - start).split('\n');
    Reply parsed;
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    parsed.status = statusLine.value(1).toInt();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        parsed.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
    }
    if (buffer.size() < headEnd + 4 + length)
        return 0;
    parsed.body = buffer.mid(headEnd + 4, length);
    parsed.wireBytes = headEnd + 4 + length - start;
    *reply = parsed;
    return headEnd + 4 + length;
}

Reply readReply(QTcpSocket &socket, QByteArray *buffer, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    Reply reply;
    while (true) {
        // What the socket already holds first: waitForReadyRead() waits only for more.
        buffer->append(socket.readAll());
        if (const qsizetype used = parseReply(*buffer, &reply)) {
            buffer->remove(0, used);
            return reply;
        }
        if (deadline.hasExpired())
            return {};
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            if (socket.state() != QAbstractSocket::ConnectedState) {
                buffer->append(socket.readAll());
                if (const qsizetype used = parseReply(*buffer, &reply)) {
                    buffer->remove(0, used);
                    return reply;
                }
                return {};
            }
            continue;
        }
    }
}

Reply exchange(quint16 port, const QByteArray &raw, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(raw);
    QByteArray buffer;
    return readReply(socket, &buffer, timeoutMs);
}

QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &body,
                   const QByteArray &extraHeaders)
{
    QByteArray raw = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders;
    if (!body.isEmpty() || method == "POST")
        raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return raw + "\r\n" + body;
}

Reply get(quint16 port, const QByteArray &target, const QByteArray &extraHeaders)
{
    return exchange(port, request("GET", target, {}, extraHeaders));
}

Reply postJson(quint16 port, const QByteArray &target, const QByteArray &json,
               const QByteArray &extraHeaders)
{
    return exchange(
        port, request("POST", target, json, "Content-Type: application/json\r\n" + extraHeaders));
}

int postPipelined(quint16 port, const QList<QByteArray> &jsonBodies, int timeoutMs)
{
    QByteArray posts;
    for (const QByteArray &json : jsonBodies)
        posts += request("POST", "/api/messages", json, "Content-Type: application/json\r\n");
    QTcpSocket poster;
    poster.connectToHost(QHostAddress::LocalHost, port);
    if (!poster.waitForConnected(timeoutMs))
        return 0;
    poster.write(posts);
    QByteArray replies;
    int created = 0;
    while (created < jsonBodies.size() && readReply(poster, &replies, timeoutMs).status == 201)
        ++created;
    return created;
}

quint16 startServerProcess(QProcess &process, const QString &program, const QStringList &arguments)
{
    process.start(program, arguments);
    if (!process.waitForStarted(10000))
        return 0;
    const QRegularExpression url(QStringLiteral("https?://127\\.0\\.0\\.1:(\\d+)/"));
    QByteArray out;
    QRegularExpressionMatch match;
    while (!(match = url.match(QString::fromUtf8(out))).hasMatch()) {
        if (!process.waitForReadyRead(10000))
            return 0;
        out += process.readAllStandardOutput();
    }
    return quint16(match.captured(1).toUInt());
}

} // namespace TestHttp
