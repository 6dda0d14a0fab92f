#pragma once

#include <QtGlobal>

#include <memory>
#include <span>
#include <sys/types.h>

namespace PushChat {

/// Sends one buffer to many sockets, or reads many sockets, with one system call through an
/// io_uring (liburing): on this kind of virtual machine a system call's entry and exit cost
/// about as much as a small send itself, and a broadcast to thousands of WebSocket clients is
/// thousands of sends (docs/PERFORMANCE-LOG.md, change 23); the load generator reads as many
/// (change 25). Every operation is non-blocking and completes before the call returns, so the
/// buffers may be reused afterwards. Not thread-safe: one per thread.
class SocketBatch
{
    Q_DISABLE_COPY_MOVE(SocketBatch)

public:
    /// nullptr, with errno saying why, where the kernel has no io_uring or refuses it
    /// (seccomp, a sysctl): callers then send one by one.
    static std::unique_ptr<SocketBatch> create();
    ~SocketBatch();

    /// Sends `size` bytes at `data` to each of `descriptors`, like send(MSG_DONTWAIT |
    /// MSG_NOSIGNAL); `results[i]` gets what that send would have returned for descriptors[i]:
    /// the bytes taken (possibly fewer than `size`), or −errno (−EAGAIN when the socket's
    /// buffer is full). `results` must be as long as `descriptors`.
    void sendToAll(std::span<const int> descriptors, const char *data, size_t size,
                   std::span<ssize_t> results);

    /// Reads up to `size` bytes from each of `descriptors` into its own slice of `buffers`
    /// (descriptors[i] into buffers + i × size), like recv(MSG_DONTWAIT); `results[i]` gets what
    /// that recv would have returned: the bytes read, 0 at the end of the stream, or −errno.
    void receiveFromAll(std::span<const int> descriptors, char *buffers, size_t size,
                        std::span<ssize_t> results);

private:
    struct Ring;
    explicit SocketBatch(std::unique_ptr<Ring> ring);
    /// Puts one operation per descriptor through the ring, up to a ring's worth a call;
    /// `prepare(sqe, i)` fills the entry for descriptors[i], `fallback(i)` does it with a plain
    /// system call where the ring cannot.
    template<typename Prepare, typename Fallback>
    void runAll(size_t count, std::span<ssize_t> results, Prepare prepare, Fallback fallback);
    /// Submits `count` prepared operations and collects their results; false if none went in.
    bool submitAndReap(unsigned count, std::span<ssize_t> results);

    std::unique_ptr<Ring> m_ring;
    bool m_broken = false; ///< the ring refused a submission: every send goes one by one
};

} // namespace PushChat
