#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>
#include <QTimer>

class QSocketNotifier;

namespace PushChat {

/// A QTcpServer that accepts by itself and hands out descriptors instead of QTcpSockets: an
/// HTTP connection reads its requests from the descriptor itself (see HttpConnection) and
/// makes a QTcpSocket only when it needs one.
///
/// It also survives running out of file descriptors. QTcpServer retries accept() on the
/// next wake-up, and with EMFILE the listening socket stays readable: the thread spins while
/// the waiting clients hear nothing. Here a spare descriptor is given up for a moment to
/// accept a waiting client and answer it with the refusal, then accepting pauses briefly.
class ConnectionListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionListener)

public:
    /// How long accepting pauses after the process ran out of descriptors.
    static constexpr int OutOfDescriptorsPauseMs = 100;

    explicit ConnectionListener(QObject *parent = nullptr);
    ~ConnectionListener() override;

    /// Call after a successful listen(): from now on connectionsAccepted() tells of new ones.
    void startAccepting();
    /// Accepted descriptors not yet taken, oldest first; the caller owns them.
    QList<qintptr> takeDescriptors() { return std::exchange(m_pending, {}); }
    /// The complete HTTP answer a turned-away connection gets (a 503).
    void setRefusal(const QByteArray &answer) { m_refusal = answer; }
    /// Writes the refusal to `descriptor` (a fresh connection's send buffer always takes it),
    /// reads what the client sent so far, and closes it: no descriptor is held for it after.
    void refuse(qintptr descriptor) const;
    /// The most connections a server may hold: `configured`, or fewer where the open-file limit
    /// (RLIMIT_NOFILE) would not leave a reserve beyond them, for the descriptors the process
    /// has open already and for refusing the connections past the cap with a 503.
    static int connectionCap(int configured);
    /// connectionCap() from given figures (for tests): the reserve is `openDescriptors` plus
    /// a sixteenth of the limit, at least 16 and at most 256.
    static int connectionCap(int configured, qint64 fileLimit, int openDescriptors);
    /// Connections refused because the process had no descriptor left.
    qint64 refusedForDescriptors() const { return m_refusedForDescriptors; }

signals:
    void connectionsAccepted();

private:
    void onReadable();
    /// Out of descriptors: answers a few waiting clients through the spare one, then pauses.
    void shed();
    void reserveSpare();

    QSocketNotifier *m_notifier = nullptr;
    QTimer m_resumeTimer;
    QList<qintptr> m_pending;
    QByteArray m_refusal;
    int m_spare = -1;
    qint64 m_refusedForDescriptors = 0;
};

} // namespace PushChat
