#include "receiveloop.h"

#include "benchclient.h"
#include "benchrun.h"
#include "socketbatch.h"

#include <QSocketNotifier>

#include <cerrno>

#include <sys/socket.h>
#include <unistd.h>

namespace PushChat::Bench {

namespace {
constexpr int MaxReadyPerBatch = 1024;
constexpr size_t BufferBytes = 16384;   ///< per socket and batch; more waits for the next one
constexpr int BatchesPerActivation = 4; ///< then timers and writes get their turn
} // namespace

ReceiveLoop::ReceiveLoop(QObject *parent)
    : QObject(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_batch(SocketBatch::create())
    , m_events(MaxReadyPerBatch)
    , m_descriptors(MaxReadyPerBatch)
    , m_buffers(MaxReadyPerBatch * BufferBytes)
    , m_results(MaxReadyPerBatch)
{
    if (m_epoll < 0)
        qFatal("epoll_create1: %s", qPrintable(qt_error_string(errno)));
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ReceiveLoop::readReady);
}

ReceiveLoop::~ReceiveLoop()
{
    delete m_notifier;
    ::close(m_epoll);
}

bool ReceiveLoop::add(int descriptor, BenchClient *client)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = descriptor;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, descriptor, &event) != 0)
        return false;
    m_clients.insert(descriptor, client);
    return true;
}

void ReceiveLoop::remove(int descriptor)
{
    if (m_clients.remove(descriptor))
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, descriptor, nullptr);
}

void ReceiveLoop::readReady()
{
    for (int batch = 0; batch < BatchesPerActivation; ++batch) {
        const int ready = epoll_wait(m_epoll, m_events.data(), MaxReadyPerBatch, 0);
        if (ready <= 0)
            return;
        for (int i = 0; i < ready; ++i)
            m_descriptors[size_t(i)] = m_events[size_t(i)].data.fd;
        const std::span<const int> descriptors(m_descriptors.data(), size_t(ready));
        const std::span<ssize_t> results(m_results.data(), size_t(ready));
        // One ready socket is one system call either way; the ring pays from two on.
        if (m_batch && ready > 1) {
            m_batch->receiveFromAll(descriptors, m_buffers.data(), BufferBytes, results);
        } else {
            for (int i = 0; i < ready; ++i) {
                const ssize_t n = ::recv(descriptors[size_t(i)], m_buffers.data() + i * BufferBytes,
                                         BufferBytes, MSG_DONTWAIT);
                results[size_t(i)] = n < 0 ? -errno : n;
            }
        }
        const qint64 readNs = BenchRun::nowNs();
        for (int i = 0; i < ready; ++i) {
            // A client handled earlier in this batch may have closed another: look each up.
            BenchClient *client = m_clients.value(descriptors[size_t(i)]);
            if (client)
                client->received(m_buffers.data() + i * BufferBytes, results[size_t(i)], readNs);
        }
        if (ready < MaxReadyPerBatch)
            return;
    }
}

} // namespace PushChat::Bench
