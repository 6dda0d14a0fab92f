#include "socketbatch.h"

#include <algorithm>
#include <cerrno>
#include <limits>

#include <liburing.h>
#include <sys/socket.h>

namespace PushChat {

namespace {

constexpr unsigned RingEntries = 1024; // operations per system call; larger batches take several

} // namespace

// liburing sizes the completion queue at twice the submission queue, and a batch never holds
// more than the submission queue: completions cannot overflow.
struct SocketBatch::Ring
{
    io_uring ring{};
    const int setupResult = io_uring_queue_init(RingEntries, &ring, 0); ///< 0, or −errno
    ~Ring()
    {
        if (setupResult == 0)
            io_uring_queue_exit(&ring);
    }
};

std::unique_ptr<SocketBatch> SocketBatch::create()
{
    auto ring = std::make_unique<Ring>();
    if (ring->setupResult < 0) {
        errno = -ring->setupResult; // liburing reports errors as values, not in errno
        return nullptr;
    }
    // A kernel older than 5.6 has rings but neither operation: every one would fail as a whole
    // batch of errors, so such a kernel goes one by one instead.
    io_uring_probe *probe = io_uring_get_probe_ring(&ring->ring);
    const bool supported = probe && io_uring_opcode_supported(probe, IORING_OP_SEND) &&
                           io_uring_opcode_supported(probe, IORING_OP_RECV);
    io_uring_free_probe(probe);
    if (!supported) {
        errno = ENOSYS;
        return nullptr;
    }
    return std::unique_ptr<SocketBatch>(new SocketBatch(std::move(ring)));
}

SocketBatch::SocketBatch(std::unique_ptr<Ring> ring)
    : m_ring(std::move(ring))
{}

SocketBatch::~SocketBatch() = default;

template<typename Prepare, typename Fallback>
void SocketBatch::runAll(size_t count, std::span<ssize_t> results, Prepare prepare,
                         Fallback fallback)
{
    io_uring &ring = m_ring->ring;
    size_t done = 0;
    while (done < count && !m_broken) {
        // Every earlier batch was submitted and reaped whole, so the ring has room for one.
        const unsigned batch = unsigned(qMin<size_t>(io_uring_sq_space_left(&ring), count - done));
        for (unsigned i = 0; i < batch; ++i) {
            io_uring_sqe *sqe = io_uring_get_sqe(&ring);
            prepare(sqe, done + i);
            io_uring_sqe_set_data64(sqe, i);
        }
        if (!submitAndReap(batch, results.subspan(done, batch)))
            break; // the ring failed as a whole: the rest go one by one, below
        done += batch;
    }
    for (; done < count; ++done)
        results[done] = fallback(done);
}

void SocketBatch::sendToAll(std::span<const int> descriptors, const char *data, size_t size,
                            std::span<ssize_t> results)
{
    // MSG_DONTWAIT makes a full socket answer −EAGAIN at once instead of being polled, so every
    // operation completes inside the submitting call.
    constexpr int Flags = MSG_DONTWAIT | MSG_NOSIGNAL;
    runAll(
        descriptors.size(), results,
        [&](io_uring_sqe *sqe, size_t i) {
            io_uring_prep_send(sqe, descriptors[i], data, size, Flags);
        },
        [&](size_t i) -> ssize_t {
            const ssize_t n = ::send(descriptors[i], data, size, Flags);
            return n < 0 ? -errno : n;
        });
}

void SocketBatch::receiveFromAll(std::span<const int> descriptors, char *buffers, size_t size,
                                 std::span<ssize_t> results)
{
    runAll(
        descriptors.size(), results,
        [&](io_uring_sqe *sqe, size_t i) {
            io_uring_prep_recv(sqe, descriptors[i], buffers + i * size, size, MSG_DONTWAIT);
        },
        [&](size_t i) -> ssize_t {
            const ssize_t n = ::recv(descriptors[i], buffers + i * size, size, MSG_DONTWAIT);
            return n < 0 ? -errno : n;
        });
}

bool SocketBatch::submitAndReap(unsigned count, std::span<ssize_t> results)
{
    io_uring &ring = m_ring->ring;
    constexpr ssize_t NotReaped = std::numeric_limits<ssize_t>::min();
    std::fill(results.begin(), results.end(), NotReaped);
    unsigned submitted = 0;
    unsigned reaped = 0;
    int failures = 0;
    while (reaped < count) {
        // Submits whatever the kernel has not taken yet and waits for the rest of the batch;
        // the kernel skips the wait when it took only part of a submission.
        const int n = io_uring_submit_and_wait(&ring, count - reaped);
        if (n > 0) {
            submitted += unsigned(n);
        } else if (n < 0 && n != -EINTR && n != -EAGAIN && n != -EBUSY &&
                   (submitted == 0 || ++failures > 3)) {
            // The ring refuses work: never touch it again, since prepared entries would go
            // with the next submission. Sends it did not report count as failed (their
            // clients are closed and come back from their cursor); none went in: send below.
            m_broken = true;
            if (submitted == 0)
                return false;
            std::replace(results.begin(), results.end(), NotReaped, ssize_t(-EIO));
            return true;
        }
        unsigned head;
        io_uring_cqe *cqe;
        unsigned seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            results[size_t(io_uring_cqe_get_data64(cqe))] = cqe->res;
            ++seen;
        }
        io_uring_cq_advance(&ring, seen);
        reaped += seen;
    }
    return true;
}

} // namespace PushChat
