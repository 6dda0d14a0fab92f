#pragma once

#include "benchoptions.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

class QSocketNotifier;

namespace PushChat::Bench {

class BenchRun;

// One simulated client on a raw socket: HTTP/1.1 keep-alive for posts and polls, or a minimal
// RFC 6455 client. A plain non-blocking descriptor with notifiers, not a QTcpSocket: the tool
// counts every byte on the wire, and its cost per delivered message, which competes with the
// server's for the same cores, stays low (a QTcpSocket's buffering, FIONREAD ioctl and signals
// about doubled it).
class BenchClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BenchClient)

public:
    enum class Role { Receiver, Sender, Probe };

    BenchClient(BenchRun *run, Technique technique, Role role, int index,
                QObject *parent = nullptr);
    ~BenchClient() override;

    void open(const QHostAddress &source);
    void close();
    void setCursor(qint64 cursor) { m_cursor = cursor; }
    int index() const { return m_index; }
    Role role() const { return m_role; }
    bool isBusy() const { return m_pending != Pending::None; }
    bool isReady() const { return m_ready; }

    // Sender: one chat message, as a POST or a WebSocket "send" frame.
    void post(const QByteArray &text);
    // Short-poll receiver: one GET now.
    void pollNow();
    // What one read of the socket returned (ReceiveLoop): `size` bytes at `data`, 0 at the end
    // of the stream, or −errno; `readNs` is when the read completed.
    void received(const char *data, ssize_t size, qint64 readNs);

private:
    enum class Pending { None, Room, Poll, Post, Handshake };

    void onConnected();
    void onConnectFinished();
    void onWritable();
    void write(const QByteArray &bytes);
    void closeDescriptor();
    void sendGet(const QByteArray &target, Pending pending);
    bool parseHttp();
    bool parseFrames();
    void handleResponse(int status, const QByteArray &body);
    void handleMessages(const QJsonArray &messages);
    void handleMessage(const QJsonObject &message);
    void handleWebSocketText(const QByteArray &payload);
    void sendFrame(int opcode, const QByteArray &payload);
    void fail(const QString &why);

    BenchRun *m_run;
    Technique m_technique;
    Role m_role;
    int m_index;
    int m_descriptor = -1;
    bool m_reading = false; ///< registered with the run's ReceiveLoop
    QSocketNotifier *m_writeNotifier = nullptr;
    bool m_connected = false;
    QByteArray m_output; ///< bytes the kernel has not taken yet
    QByteArray m_buffer;
    QByteArray m_fragments;
    qint64 m_cursor = 0;
    qint64 m_requestStartNs = 0;
    qint64 m_readNs = 0; ///< when the bytes being parsed were read
    Pending m_pending = Pending::None;
    bool m_upgraded = false;
    bool m_ready = false;
    bool m_closing = false;
};

} // namespace PushChat::Bench
