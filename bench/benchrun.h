#pragma once

#include "benchoptions.h"
#include "processprobe.h"
#include "receiveloop.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <queue>
#include <vector>

class QProcess;
class QTimer;

namespace PushChat::Bench {

class BenchClient;

struct WireCounters
{
    qint64 requests = 0;  // HTTP requests and WebSocket handshakes
    qint64 framesOut = 0; // WebSocket frames sent by clients
    qint64 bytesIn = 0;   // bytes read by every client socket
    qint64 bytesOut = 0;  // bytes written by every client socket
};

// One benchmark run: (start the server,) connect every client, measure a window of traffic,
// report, tear down. All clients share this thread's event loop.
class BenchRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BenchRun)

public:
    explicit BenchRun(const BenchOptions &options, QObject *parent = nullptr);
    ~BenchRun() override;

    void start();

    static qint64 nowNs();
    const BenchOptions &options() const { return m_options; }
    const QHostAddress &host() const { return m_options.host; }
    quint16 port() const { return m_port; }
    const QByteArray &hostHeader() const { return m_hostHeader; }
    const QByteArray &tag() const { return m_tag; }
    WireCounters &counters() { return m_counters; }
    ReceiveLoop &receiveLoop() { return m_receiveLoop; }

    // Called by the clients.
    void clientReady(BenchClient *client);
    void clientFailed(BenchClient *client, const QString &why);
    void roomProbed(qint64 lastSeq);
    // `arrivalNs`: when the bytes carrying it were read from the socket (before any parsing).
    void delivered(BenchClient *client, int index, qint64 sendNs, qint64 arrivalNs);
    void postAccepted(BenchClient *client, qint64 rttNs);
    void pollAnswered(BenchClient *client, qint64 rttNs);
    void schedulePoll(BenchClient *client, qint64 dueNs);

signals:
    void finished(int exitCode);

private:
    struct DuePoll
    {
        qint64 dueNs;
        BenchClient *client;
        bool operator>(const DuePoll &other) const { return dueNs > other.dueNs; }
    };

    void startServer();
    void serverReady(quint16 port);
    void openMore();
    void allConnected();
    void startWindow();
    void sendDue();
    void sendOne();
    void flushPostQueue();
    void checkDone();
    void finishWindow();
    void report();
    void sampleRss();
    void abort(const QString &why);
    void runPolls();
    QHostAddress sourceAddress(int index) const;

    BenchOptions m_options;
    quint16 m_port = 0;
    QByteArray m_hostHeader;
    QByteArray m_tag;
    WireCounters m_counters;
    ReceiveLoop m_receiveLoop;
    QProcess *m_serverProcess = nullptr;
    QByteArray m_serverOutput;
    ProcessProbe m_probe;

    QList<BenchClient *> m_receivers;
    QList<BenchClient *> m_senders;
    QList<BenchClient *> m_toOpen;
    BenchClient *m_probeClient = nullptr;
    qint64 m_cursor = 0;
    int m_opening = 0;
    int m_ready = 0;
    int m_failedClients = 0;
    bool m_connected = false;
    bool m_windowOpen = false;
    bool m_done = false;

    std::priority_queue<DuePoll, std::vector<DuePoll>, std::greater<>> m_duePolls;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_sendTimer = nullptr;
    QTimer *m_rssTimer = nullptr;
    QTimer *m_deadline = nullptr;

    // Messages
    int m_sent = 0;
    int m_accepted = 0;
    QList<int> m_postQueue;
    std::vector<quint8> m_seen; // receivers × messages
    std::vector<int> m_deliveredPerMessage;
    qint64 m_delivered = 0;
    qint64 m_duplicates = 0;
    qint64 m_errors = 0;
    QStringList m_errorSamples;
    std::vector<qint64> m_latencyNs;
    std::vector<qint64> m_pollRttNs;
    std::vector<qint64> m_postRttNs;

    // Window
    qint64 m_windowStartNs = 0;
    qint64 m_windowEndNs = 0;
    qint64 m_lastSendNs = 0;
    qint64 m_lastDeliveryNs = 0;
    WireCounters m_windowStartCounters;
    double m_cpuStart = 0;
    double m_cpuEnd = 0;
    double m_selfCpuStart = 0; // the tool's own CPU: on 2 cores it competes with the server
    double m_selfCpuEnd = 0;
    qint64 m_rssBaselineKiB = -1;
    qint64 m_rssConnectedKiB = -1;
    qint64 m_rssPeakKiB = -1;
};

} // namespace PushChat::Bench
