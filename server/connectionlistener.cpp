#include "connectionlistener.h"

#include "serverlog.h"

#include <QDir>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace PushChat {

namespace {
/// Accepts per wake-up: a flood of connections cannot hold up the clients already served.
constexpr int MaxAcceptsPerWakeUp = 64;
/// Clients answered through the spare descriptor per pause.
constexpr int MaxShedPerPause = 16;

bool outOfDescriptors(int error)
{
    return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}
} // namespace

ConnectionListener::ConnectionListener(QObject *parent)
    : QTcpServer(parent)
{
    m_resumeTimer.setSingleShot(true);
    connect(&m_resumeTimer, &QTimer::timeout, this, [this] {
        reserveSpare();
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}

ConnectionListener::~ConnectionListener()
{
    delete m_notifier; // before QTcpServer closes the descriptor it watches
    for (const qintptr descriptor : std::as_const(m_pending))
        ::close(int(descriptor));
    if (m_spare >= 0)
        ::close(m_spare);
}

int ConnectionListener::connectionCap(int configured, qint64 fileLimit, int openDescriptors)
{
    if (fileLimit <= 0)
        return configured;
    const qint64 reserve = openDescriptors + std::clamp<qint64>(fileLimit / 16, 16, 256);
    return int(std::clamp<qint64>(fileLimit - reserve, 1, qMax(configured, 1)));
}

int ConnectionListener::connectionCap(int configured)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return configured;
    const int open = int(QDir(QStringLiteral("/proc/self/fd"))
                             .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)
                             .size());
    return connectionCap(configured, qint64(limit.rlim_cur), open);
}

void ConnectionListener::startAccepting()
{
    if (!isListening() || m_notifier)
        return;
    pauseAccepting(); // QTcpServer's own accepting: this class accepts instead
    reserveSpare();
    m_notifier = new QSocketNotifier(socketDescriptor(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ConnectionListener::onReadable);
}

void ConnectionListener::reserveSpare()
{
    if (m_spare < 0)
        m_spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void ConnectionListener::onReadable()
{
    const int listening = int(socketDescriptor());
    for (int i = 0; i < MaxAcceptsPerWakeUp; ++i) {
        const int descriptor = ::accept4(listening, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (descriptor >= 0) {
            m_pending.append(descriptor);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (outOfDescriptors(errno))
            shed();
        break; // EAGAIN: nobody else waits
    }
    if (!m_pending.isEmpty())
        emit connectionsAccepted();
}

void ConnectionListener::shed()
{
    const int listening = int(socketDescriptor());
    int answered = 0;
    for (; answered < MaxShedPerPause; ++answered) {
        if (m_spare >= 0) {
            ::close(m_spare);
            m_spare = -1;
        }
        const int descriptor = ::accept4(listening, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (descriptor < 0)
            break;
        refuse(descriptor);
        reserveSpare();
    }
    reserveSpare();
    m_refusedForDescriptors += answered;
    qCWarning(lcServer) << "out of file descriptors: refused" << answered
                        << "connections; accepting again in" << OutOfDescriptorsPauseMs << "ms";
    // The listening socket stays readable while clients wait: without a pause the thread
    // would wake up for it again at once.
    m_notifier->setEnabled(false);
    m_resumeTimer.start(OutOfDescriptorsPauseMs);
}

void ConnectionListener::refuse(qintptr descriptor) const
{
    const int fd = int(descriptor);
    ::send(fd, m_refusal.constData(), size_t(m_refusal.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    // Input left unread would make close() reset the connection, and a reset can reach the
    // client before it has read the answer.
    char sink[4096];
    for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
    }
    ::close(fd);
}

} // namespace PushChat
