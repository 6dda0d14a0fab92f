#include "benchclient.h"

#include "benchrun.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace PushChat::Bench {

namespace {

constexpr qint64 MaxCursor = 9007199254740991LL;
const QByteArray MessagePrefix = QByteArrayLiteral("bench ");

qint64 headerContentLength(const QByteArray &head)
{
    // Header names are case-insensitive; the value is a plain decimal number.
    qsizetype from = 0;
    while (true) {
        const qsizetype eol = head.indexOf("\r\n", from);
        if (eol < 0)
            return 0;
        const QByteArray line = head.mid(eol + 2);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 &&
            line.left(colon).compare(QByteArrayView("content-length"), Qt::CaseInsensitive) == 0) {
            qsizetype end = line.indexOf("\r\n");
            if (end < 0)
                end = line.size();
            return line.mid(colon + 1, end - colon - 1).trimmed().toLongLong();
        }
        from = eol + 2;
    }
}

} // namespace

BenchClient::BenchClient(BenchRun *run, Technique technique, Role role, int index, QObject *parent)
    : QObject(parent)
    , m_run(run)
    , m_technique(technique)
    , m_role(role)
    , m_index(index)
{}

namespace {
// A socket address for `address`:`port`; returns its length, 0 for an unusable address.
socklen_t toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage *storage)
{
    std::memset(storage, 0, sizeof *storage);
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        return sizeof *in6;
    }
    bool ok = false;
    const quint32 ipv4 = address.toIPv4Address(&ok);
    if (!ok)
        return 0;
    auto *in4 = reinterpret_cast<sockaddr_in *>(storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    in4->sin_addr.s_addr = htonl(ipv4);
    return sizeof *in4;
}
} // namespace

BenchClient::~BenchClient()
{
    closeDescriptor();
}

void BenchClient::open(const QHostAddress &source)
{
    sockaddr_storage server;
    const socklen_t serverLength = toSockaddr(m_run->host(), m_run->port(), &server);
    m_descriptor = ::socket(server.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (serverLength == 0 || m_descriptor < 0) {
        fail(QStringLiteral("cannot open a socket: %1").arg(qt_error_string(errno)));
        return;
    }
    const int one = 1;
    ::setsockopt(m_descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!source.isNull() && source != QHostAddress::LocalHost) {
        sockaddr_storage local;
        const socklen_t localLength = toSockaddr(source, 0, &local);
        if (localLength == 0 ||
            ::bind(m_descriptor, reinterpret_cast<sockaddr *>(&local), localLength) != 0) {
            fail(QStringLiteral("cannot bind to %1: %2")
                     .arg(source.toString(), qt_error_string(errno)));
            return;
        }
    }
    if (::connect(m_descriptor, reinterpret_cast<sockaddr *>(&server), serverLength) != 0 &&
        errno != EINPROGRESS) {
        fail(QStringLiteral("cannot connect: %1").arg(qt_error_string(errno)));
        return;
    }
    // Connected (or refused) when the socket becomes writable.
    m_writeNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &BenchClient::onWritable);
}

void BenchClient::closeDescriptor()
{
    if (m_reading)
        m_run->receiveLoop().remove(m_descriptor);
    m_reading = false;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_descriptor >= 0)
        ::close(m_descriptor);
    m_descriptor = -1;
}

void BenchClient::close()
{
    m_closing = true;
    closeDescriptor();
}

void BenchClient::fail(const QString &why)
{
    if (m_closing)
        return;
    m_closing = true;
    m_run->clientFailed(this, why);
    closeDescriptor();
}

void BenchClient::onConnectFinished()
{
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(m_descriptor, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
        fail(QStringLiteral("cannot connect: %1").arg(qt_error_string(error)));
        return;
    }
    m_connected = true;
    m_writeNotifier->setEnabled(false);
    m_reading = m_run->receiveLoop().add(m_descriptor, this);
    if (!m_reading) {
        fail(QStringLiteral("epoll_ctl: %1").arg(qt_error_string(errno)));
        return;
    }
    onConnected();
}

void BenchClient::write(const QByteArray &bytes)
{
    if (m_descriptor < 0)
        return;
    m_run->counters().bytesOut += bytes.size();
    if (!m_output.isEmpty()) {
        m_output += bytes;
        return;
    }
    const ssize_t n =
        ::send(m_descriptor, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        fail(QStringLiteral("send: %1").arg(qt_error_string(errno)));
        return;
    }
    const qsizetype sent = qMax<ssize_t>(n, 0);
    if (sent == bytes.size())
        return;
    m_output = bytes.mid(sent);
    m_writeNotifier->setEnabled(true);
}

void BenchClient::onWritable()
{
    if (!m_connected) {
        onConnectFinished();
        return;
    }
    while (!m_output.isEmpty()) {
        const ssize_t n = ::send(m_descriptor, m_output.constData(), size_t(m_output.size()),
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fail(QStringLiteral("send: %1").arg(qt_error_string(errno)));
            return;
        }
        m_output.remove(0, n);
    }
    m_writeNotifier->setEnabled(false);
}

void BenchClient::sendGet(const QByteArray &target, Pending pending)
{
    m_pending = pending;
    m_requestStartNs = BenchRun::nowNs();
    ++m_run->counters().requests;
    write("GET " + target + " HTTP/1.1\r\nHost: " + m_run->hostHeader() + "\r\n\r\n");
}

void BenchClient::onConnected()
{
    if (m_role == Role::Probe) {
        sendGet("/api/room", Pending::Room);
        return;
    }
    if (m_technique == Technique::WebSocket) {
        QByteArray target = "/ws?after=" + QByteArray::number(m_cursor);
        if (m_role == Role::Sender)
            target += "&nick=bench";
        m_pending = Pending::Handshake;
        ++m_run->counters().requests;
        write("GET " + target + " HTTP/1.1\r\nHost: " + m_run->hostHeader() +
              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return;
    }
    if (m_role == Role::Sender) {
        // A first request makes the connection a kept-alive one: servers may close a connection
        // whose first request head does not come within a few seconds (PushChat: 408 after 10 s).
        sendGet("/api/room", Pending::Room);
        return;
    }
    pollNow();
    if (m_technique == Technique::LongPoll) {
        // A parked poll answers only on news: the client counts as connected once it is asked.
        m_ready = true;
        m_run->clientReady(this);
    }
}

void BenchClient::pollNow()
{
    if (m_closing || m_pending != Pending::None)
        return;
    QByteArray target = "/api/messages?after=" + QByteArray::number(m_cursor);
    if (m_technique == Technique::LongPoll)
        target += "&wait=" + QByteArray::number(m_run->options().waitSeconds);
    sendGet(target, Pending::Poll);
}

void BenchClient::post(const QByteArray &text)
{
    if (m_technique == Technique::WebSocket) {
        m_requestStartNs = BenchRun::nowNs();
        sendFrame(0x1, R"({"type":"send","id":1,"text":")" + text + "\"}");
        return;
    }
    const QByteArray body = R"({"nick":"bench","text":")" + text + "\"}";
    const char *via = m_technique == Technique::Poll ? "polling" : "longpoll";
    m_pending = Pending::Post;
    m_requestStartNs = BenchRun::nowNs();
    ++m_run->counters().requests;
    write(
        QByteArray("POST /api/messages?via=") + via + " HTTP/1.1\r\nHost: " + m_run->hostHeader() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body);
}

void BenchClient::received(const char *data, ssize_t size, qint64 readNs)
{
    if (size == 0) {
        fail(QStringLiteral("the server closed the connection"));
        return;
    }
    if (size < 0) {
        if (size != -EAGAIN && size != -EWOULDBLOCK && size != -EINTR)
            fail(QStringLiteral("recv: %1").arg(qt_error_string(int(-size))));
        return;
    }
    // Latency ends here: the tool's own parsing after the read is not the server's doing.
    m_readNs = readNs;
    m_run->counters().bytesIn += size;
    m_buffer.append(data, size);
    while (!m_closing) {
        const bool progressed = m_upgraded ? parseFrames() : parseHttp();
        if (!progressed)
            break;
    }
}

bool BenchClient::parseHttp()
{
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArray head = m_buffer.left(headEnd);
    const qsizetype space = head.indexOf(' ');
    const int status = space > 0 ? head.mid(space + 1, 3).toInt() : 0;
    if (status == 101 && m_pending == Pending::Handshake) {
        m_buffer.remove(0, headEnd + 4);
        m_upgraded = true;
        m_pending = Pending::None;
        return true;
    }
    const qint64 length = headerContentLength(head);
    if (m_buffer.size() < headEnd + 4 + length)
        return false;
    const QByteArray body = m_buffer.mid(headEnd + 4, length);
    m_buffer.remove(0, headEnd + 4 + length);
    handleResponse(status, body);
    return true;
}

void BenchClient::handleResponse(int status, const QByteArray &body)
{
    const Pending pending = m_pending;
    m_pending = Pending::None;
    const qint64 rtt = m_readNs - m_requestStartNs;
    if (status < 200 || status > 299) {
        fail(QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body.left(200))));
        return;
    }
    switch (pending) {
    case Pending::Room:
        if (m_role == Role::Probe) {
            m_run->roomProbed(QJsonDocument::fromJson(body).object().value("last_seq").toInteger());
        } else if (!m_ready) {
            m_ready = true;
            m_run->clientReady(this);
        }
        return;
    case Pending::Post:
        m_run->postAccepted(this, rtt);
        return;
    case Pending::Poll: {
        const QJsonObject page = QJsonDocument::fromJson(body).object();
        if (page.value("reset").toBool())
            m_cursor = 0;
        handleMessages(page.value("messages").toArray());
        m_run->pollAnswered(this, rtt);
        if (m_closing)
            return;
        const qint64 intervalNs = qint64(m_run->options().pollIntervalMs) * 1000000;
        if (m_technique == Technique::LongPoll) {
            pollNow();
        } else if (!m_ready) {
            // Spread the clients' polls over the interval, as independent browsers would be.
            m_run->schedulePoll(this, BenchRun::nowNs() + QRandomGenerator::global()->bounded(
                                                              std::max<qint64>(intervalNs, 1)));
        } else {
            m_run->schedulePoll(this, m_requestStartNs + intervalNs);
        }
        if (!m_ready) {
            m_ready = true;
            m_run->clientReady(this);
        }
        return;
    }
    case Pending::None:
    case Pending::Handshake:
        break;
    }
    fail(QStringLiteral("unexpected HTTP %1").arg(status));
}

void BenchClient::handleMessages(const QJsonArray &messages)
{
    for (const QJsonValue &value : messages)
        handleMessage(value.toObject());
}

void BenchClient::handleMessage(const QJsonObject &message)
{
    const qint64 seq = message.value("seq").toInteger();
    if (seq > m_cursor && seq <= MaxCursor)
        m_cursor = seq;
    if (m_role != Role::Receiver || message.value("kind").toString() != u"chat")
        return;
    // "bench TAG INDEX SENDNS": anything else in the room is someone else's.
    const QByteArray text = message.value("text").toString().toUtf8();
    if (!text.startsWith(MessagePrefix))
        return;
    const QList<QByteArray> parts = text.split(' ');
    if (parts.size() != 4 || parts[1] != m_run->tag())
        return;
    m_run->delivered(this, parts[2].toInt(), parts[3].toLongLong(), m_readNs);
}

bool BenchClient::parseFrames()
{
    if (m_buffer.size() < 2)
        return false;
    const auto *bytes = reinterpret_cast<const uchar *>(m_buffer.constData());
    const bool fin = bytes[0] & 0x80;
    const int opcode = bytes[0] & 0x0f;
    const bool masked = bytes[1] & 0x80;
    quint64 length = bytes[1] & 0x7f;
    qsizetype offset = 2;
    if (length == 126) {
        if (m_buffer.size() < 4)
            return false;
        length = (quint64(bytes[2]) << 8) | bytes[3];
        offset = 4;
    } else if (length == 127) {
        if (m_buffer.size() < 10)
            return false;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | bytes[2 + i];
        offset = 10;
    }
    if (masked) {
        fail(QStringLiteral("masked frame from the server"));
        return false;
    }
    if (quint64(m_buffer.size() - offset) < length)
        return false;
    const QByteArray payload = m_buffer.mid(offset, qsizetype(length));
    m_buffer.remove(0, offset + qsizetype(length));
    switch (opcode) {
    case 0x0:
    case 0x1:
        m_fragments += payload;
        if (fin) {
            const QByteArray text = std::exchange(m_fragments, {});
            handleWebSocketText(text);
        }
        break;
    case 0x8:
        fail(QStringLiteral("the server closed the WebSocket"));
        return false;
    case 0x9:
        sendFrame(0xA, payload);
        break;
    case 0xA:
        break;
    default:
        fail(QStringLiteral("unexpected WebSocket opcode %1").arg(opcode));
        return false;
    }
    return true;
}

void BenchClient::handleWebSocketText(const QByteArray &payload)
{
    const QJsonObject event = QJsonDocument::fromJson(payload).object();
    const QString type = event.value("type").toString();
    if (type == u"message") {
        handleMessage(event);
    } else if (type == u"ack") {
        m_run->postAccepted(this, m_readNs - m_requestStartNs);
    } else if (type == u"hello") {
        if (event.value("reset").toBool())
            m_cursor = 0;
        if (!m_ready) {
            m_ready = true;
            m_run->clientReady(this);
        }
    } else if (type == u"error") {
        fail(QStringLiteral("WebSocket error event: %1").arg(QString::fromUtf8(payload)));
    }
}

void BenchClient::sendFrame(int opcode, const QByteArray &payload)
{
    // Clients must mask (RFC 6455 5.3); a fixed key is enough for a load generator.
    static constexpr uchar Mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    QByteArray frame;
    frame.reserve(payload.size() + 14);
    frame.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else if (payload.size() < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8));
        frame.append(char(payload.size() & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((quint64(payload.size()) >> (8 * i)) & 0xff));
    }
    frame.append(reinterpret_cast<const char *>(Mask), 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ Mask[i % 4]));
    ++m_run->counters().framesOut;
    write(frame);
}

} // namespace PushChat::Bench
