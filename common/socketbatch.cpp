#include "socketbatch.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace PushChat {

namespace {

constexpr unsigned RingEntries = 1024; // sends per system call; larger broadcasts take several

int ioUringSetup(unsigned entries, io_uring_params *params)
{
    return int(syscall(__NR_io_uring_setup, entries, params));
}

int ioUringEnter(int ring, unsigned toSubmit, unsigned minComplete, unsigned flags)
{
    return int(syscall(__NR_io_uring_enter, ring, toSubmit, minComplete, flags, nullptr, 0));
}

} // namespace

struct SocketBatch::Ring
{
    int fd = -1;
    void *ringMemory = MAP_FAILED;
    size_t ringBytes = 0;
    io_uring_sqe *sqes = static_cast<io_uring_sqe *>(MAP_FAILED);
    size_t sqeBytes = 0;
    unsigned *sqTail = nullptr;
    unsigned sqMask = 0;
    unsigned *sqArray = nullptr;
    unsigned *cqHead = nullptr;
    const unsigned *cqTail = nullptr;
    unsigned cqMask = 0;
    const io_uring_cqe *cqes = nullptr;
    unsigned entries = 0;

    ~Ring()
    {
        if (sqes != MAP_FAILED)
            munmap(sqes, sqeBytes);
        if (ringMemory != MAP_FAILED)
            munmap(ringMemory, ringBytes);
        if (fd >= 0)
            close(fd);
    }
};

std::unique_ptr<SocketBatch> SocketBatch::create()
{
    auto ring = std::make_unique<Ring>();
    io_uring_params params{};
    ring->fd = ioUringSetup(RingEntries, &params);
    // One mapping for both rings (5.4 and later) keeps this short; older kernels send one by one.
    if (ring->fd < 0 || !(params.features & IORING_FEAT_SINGLE_MMAP) ||
        !(params.features & IORING_FEAT_NODROP))
        return nullptr;
    ring->entries = params.sq_entries;
    ring->ringBytes = qMax(size_t(params.sq_off.array) + params.sq_entries * sizeof(unsigned),
                           size_t(params.cq_off.cqes) + params.cq_entries * sizeof(io_uring_cqe));
    ring->ringMemory = mmap(nullptr, ring->ringBytes, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_POPULATE, ring->fd, IORING_OFF_SQ_RING);
    ring->sqeBytes = params.sq_entries * sizeof(io_uring_sqe);
    ring->sqes =
        static_cast<io_uring_sqe *>(mmap(nullptr, ring->sqeBytes, PROT_READ | PROT_WRITE,
                                         MAP_SHARED | MAP_POPULATE, ring->fd, IORING_OFF_SQES));
    if (ring->ringMemory == MAP_FAILED || ring->sqes == MAP_FAILED)
        return nullptr;
    char *base = static_cast<char *>(ring->ringMemory);
    ring->sqTail = reinterpret_cast<unsigned *>(base + params.sq_off.tail);
    ring->sqMask = *reinterpret_cast<unsigned *>(base + params.sq_off.ring_mask);
    ring->sqArray = reinterpret_cast<unsigned *>(base + params.sq_off.array);
    ring->cqHead = reinterpret_cast<unsigned *>(base + params.cq_off.head);
    ring->cqTail = reinterpret_cast<const unsigned *>(base + params.cq_off.tail);
    ring->cqMask = *reinterpret_cast<unsigned *>(base + params.cq_off.ring_mask);
    ring->cqes = reinterpret_cast<const io_uring_cqe *>(base + params.cq_off.cqes);
    // The submission array maps slot i to entry i once and for all.
    for (unsigned i = 0; i < params.sq_entries; ++i)
        ring->sqArray[i] = i;
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
    Ring &ring = *m_ring;
    size_t done = 0;
    while (done < count && !m_broken) {
        const unsigned batch = unsigned(qMin<size_t>(ring.entries, count - done));
        unsigned tail = *ring.sqTail;
        for (unsigned i = 0; i < batch; ++i, ++tail) {
            io_uring_sqe &sqe = ring.sqes[tail & ring.sqMask];
            std::memset(&sqe, 0, sizeof sqe);
            prepare(sqe, done + i);
            sqe.user_data = i;
        }
        __atomic_store_n(ring.sqTail, tail, __ATOMIC_RELEASE);
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
        [&](io_uring_sqe &sqe, size_t i) {
            sqe.opcode = IORING_OP_SEND;
            sqe.fd = descriptors[i];
            sqe.addr = reinterpret_cast<quintptr>(data);
            sqe.len = unsigned(size);
            sqe.msg_flags = Flags;
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
        [&](io_uring_sqe &sqe, size_t i) {
            sqe.opcode = IORING_OP_RECV;
            sqe.fd = descriptors[i];
            sqe.addr = reinterpret_cast<quintptr>(buffers + i * size);
            sqe.len = unsigned(size);
            sqe.msg_flags = MSG_DONTWAIT;
        },
        [&](size_t i) -> ssize_t {
            const ssize_t n = ::recv(descriptors[i], buffers + i * size, size, MSG_DONTWAIT);
            return n < 0 ? -errno : n;
        });
}

bool SocketBatch::submitAndReap(unsigned count, std::span<ssize_t> results)
{
    Ring &ring = *m_ring;
    constexpr ssize_t NotReaped = std::numeric_limits<ssize_t>::min();
    std::fill(results.begin(), results.end(), NotReaped);
    unsigned submitted = 0;
    unsigned reaped = 0;
    int failures = 0;
    while (reaped < count) {
        const int n =
            ioUringEnter(ring.fd, count - submitted, count - reaped, IORING_ENTER_GETEVENTS);
        if (n > 0) {
            submitted += unsigned(n);
        } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY &&
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
        unsigned head = *ring.cqHead;
        const unsigned tail = __atomic_load_n(ring.cqTail, __ATOMIC_ACQUIRE);
        for (; head != tail; ++head, ++reaped) {
            const io_uring_cqe &cqe = ring.cqes[head & ring.cqMask];
            results[size_t(cqe.user_data)] = cqe.res;
        }
        __atomic_store_n(ring.cqHead, head, __ATOMIC_RELEASE);
    }
    return true;
}

} // namespace PushChat
