#pragma once

#include <QHash>
#include <QObject>

#include <memory>
#include <vector>

#include <sys/epoll.h>

class QSocketNotifier;

namespace PushChat {
class SocketBatch;
}

namespace PushChat::Bench {

class BenchClient;

// Reads every client socket of a run: one epoll set of its own, watched by one notifier, whose
// ready sockets are read together through an io_uring (one system call for up to a ring's
// worth). In a fan-out to thousands of clients the tool reads thousands of sockets a message on
// the core the server is not using; one recv() and one notifier activation each made the tool,
// not the server, decide the tail of the latency (docs/PERFORMANCE-LOG.md, change 25).
class ReceiveLoop final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceiveLoop)

public:
    explicit ReceiveLoop(QObject *parent = nullptr);
    ~ReceiveLoop() override;

    bool add(int descriptor, BenchClient *client);
    void remove(int descriptor);

private:
    void readReady();

    int m_epoll = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::unique_ptr<SocketBatch> m_batch; ///< nullptr without io_uring: one recv() each
    QHash<int, BenchClient *> m_clients;
    std::vector<epoll_event> m_events;
    std::vector<int> m_descriptors;
    std::vector<char> m_buffers;
    std::vector<ssize_t> m_results;
};

} // namespace PushChat::Bench
