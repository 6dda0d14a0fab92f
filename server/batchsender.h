#pragma once

#include <QtGlobal>

#include <memory>
#include <span>
#include <sys/types.h>

namespace PushChat {

/// Sends one buffer to many sockets with one system call, through an io_uring: on this kind of
/// virtual machine a system call's entry and exit cost about as much as the send itself, and a
/// broadcast to thousands of WebSocket clients is thousands of sends (docs/BENCHMARKS.md,
/// change 23). Every send is non-blocking and completes before sendToAll() returns, so the
/// buffer may be freed afterwards. Not thread-safe: one per thread.
class BatchSender
{
    Q_DISABLE_COPY_MOVE(BatchSender)

public:
    /// nullptr where the kernel has no io_uring or refuses it (seccomp, a sysctl): callers
    /// then send one by one.
    static std::unique_ptr<BatchSender> create();
    ~BatchSender();

    /// Sends `size` bytes at `data` to each of `descriptors`, like send(MSG_DONTWAIT |
    /// MSG_NOSIGNAL); `results[i]` gets what that send would have returned for descriptors[i]:
    /// the bytes taken (possibly fewer than `size`), or −errno (−EAGAIN when the socket's
    /// buffer is full). `results` must be as long as `descriptors`.
    void sendToAll(std::span<const int> descriptors, const char *data, size_t size,
                   std::span<ssize_t> results);

private:
    struct Ring;
    explicit BatchSender(std::unique_ptr<Ring> ring);
    /// Submits `count` prepared sends and collects their results; false if none went in.
    bool submitAndReap(unsigned count, std::span<ssize_t> results);

    std::unique_ptr<Ring> m_ring;
    bool m_broken = false; ///< the ring refused a submission: every send goes one by one
};

} // namespace PushChat
