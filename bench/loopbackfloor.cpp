// pushchat-loopback-floor: what one thread writing a 114-byte frame to each of N loopback TCP
// sockets costs on this machine, with nothing else in the way: no event loop, no framing, no
// bookkeeping, and a second thread spinning on epoll to read every socket as it arrives. The
// latency it reports (write loop start -> arrival at each socket) is the floor under any
// single-threaded server's fan-out here, PushChat's and Tornado's alike.
//
//   pushchat-loopback-floor [clients=5000] [rounds=10] [uring]
//
// With "uring", the write loop is one SocketBatch::sendToAll() (io_uring, as PushChat's server
// broadcasts) instead of one send() per socket.
//
// With "single", the floor under the single-client scenario instead: a server thread that
// sleeps in epoll_wait until a sender's frame arrives, reads it, and writes one frame to a
// receiver and one to the sender, as PushChat does per message; a client process sends the
// next frame once the receiver has the last. It reports the server thread's CPU per message.
//
//   pushchat-loopback-floor single [messages=1000] [uring]
//
// (with "uring" both writes go out with one io_uring_enter(), as one submission would).
//
// With "paced", the floor under the single short-polling client: the same server thread
// answers requests that come one at a time, INTERVAL ms apart (the client sleeps in between),
// each a wake-up of a thread that slept, a read and one write. It reports the server thread's
// CPU per request; the short-poll scenario makes two requests per message (a poll, a post).
//
// In both, the client is a separate process, as pushchat-bench is: on this guest a wake-up
// that crosses processes costs the woken thread several times one between threads.
//
//   pushchat-loopback-floor paced [requests=40] [interval-ms=500] [regions=0] [huge]
//
// With regions > 0, the server thread also reads one cache line in each of that many distinct
// 2 MiB-aligned regions of memory per request (allocated and filled before the first request),
// as a server's code, libraries, heap and stack are spread over several; with "huge", that
// memory is on transparent huge pages (MADV_HUGEPAGE). This measures what a wake-up costs per
// region of address space touched, apart from instructions and cache lines.

#include "socketbatch.h"
#include "systemlimits.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

double microseconds(Clock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

void die(const char *what)
{
    std::perror(what);
    std::exit(1);
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

} // namespace

// Two connected loopback TCP sockets: {client end, server end}.
std::pair<int, int> connectedPair(int listener, const sockaddr_in &address)
{
    const int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
        die("connect");
    const int server = accept(listener, nullptr, nullptr);
    if (server < 0)
        die("accept");
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return {client, server};
}

double threadCpuMicroseconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e6 + double(now.tv_nsec) / 1e3;
}

struct ThreadCost
{
    double cpuMicroseconds = 0;
    long preempted = 0; ///< involuntary context switches
};

// A server thread asleep in epoll_wait on `descriptor` that, `count` times, wakes, reads what
// came and calls `answer()`; `cost` gets its CPU time and preemptions once it ends.
template<typename Answer>
std::thread sleepingServer(int descriptor, int count, Answer answer, ThreadCost *cost)
{
    return std::thread([descriptor, count, answer, cost] {
        const int epoll = epoll_create1(0);
        epoll_event event{};
        event.events = EPOLLIN;
        epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event);
        char buffer[4096];
        const double start = threadCpuMicroseconds();
        for (int i = 0; i < count; ++i) {
            epoll_event ready{};
            while (epoll_wait(epoll, &ready, 1, -1) != 1) {
            }
            if (recv(descriptor, buffer, sizeof buffer, 0) <= 0)
                die("recv");
            answer();
        }
        cost->cpuMicroseconds = threadCpuMicroseconds() - start;
        rusage usage{};
        getrusage(RUSAGE_THREAD, &usage);
        cost->preempted = usage.ru_nivcsw;
        close(epoll);
    });
}

// Runs `client` in a child process; waitForClient() reaps it.
template<typename Client> pid_t clientProcess(Client client)
{
    const pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        client();
        _exit(0);
    }
    return pid;
}

void waitForClient(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("client process");
}

int singleClient(int listener, const sockaddr_in &address, int messages, bool uring)
{
    const std::unique_ptr<PushChat::SocketBatch> batch =
        uring ? PushChat::SocketBatch::create() : nullptr;
    if (uring && !batch)
        die("io_uring_setup");
    const auto [senderClient, senderServer] = connectedPair(listener, address);
    const auto [receiverClient, receiverServer] = connectedPair(listener, address);
    const std::vector<char> frame(114, 'x');
    const pid_t client =
        clientProcess([&, senderClient = senderClient, receiverClient = receiverClient] {
            char buffer[4096];
            for (int i = 0; i < messages; ++i) {
                send(senderClient, frame.data(), frame.size(), MSG_NOSIGNAL);
                if (recv(receiverClient, buffer, sizeof buffer, 0) <= 0 ||
                    recv(senderClient, buffer, sizeof buffer, 0) <= 0)
                    die("recv");
            }
        });
    ThreadCost cost;
    std::thread server = sleepingServer(
        senderServer, messages,
        [&frame, &batch, senderServer = senderServer, receiverServer = receiverServer] {
            if (batch) {
                const int both[] = {receiverServer, senderServer};
                ssize_t results[2];
                batch->sendToAll(both, frame.data(), frame.size(), results);
                return;
            }
            send(receiverServer, frame.data(), frame.size(), MSG_NOSIGNAL);
            send(senderServer, frame.data(), frame.size(), MSG_NOSIGNAL);
        },
        &cost);
    server.join();
    waitForClient(client);
    std::printf("single client, %d messages%s\n", messages, batch ? ", io_uring" : "");
    std::printf("server thread CPU per message  %.1f us\n", cost.cpuMicroseconds / messages);
    return 0;
}

constexpr size_t RegionBytes = size_t(2) << 20;

// `count` regions of RegionBytes, aligned, populated; huge pages if asked and available.
char *populatedRegions(int count, bool hugePages)
{
    if (count <= 0)
        return nullptr;
    const size_t bytes = size_t(count) * RegionBytes;
    void *memory = nullptr;
    if (posix_memalign(&memory, RegionBytes, bytes) != 0)
        die("posix_memalign");
    if (hugePages && madvise(memory, bytes, MADV_HUGEPAGE) != 0)
        die("madvise(MADV_HUGEPAGE)");
    std::fill_n(static_cast<char *>(memory), bytes, char(1));
    return static_cast<char *>(memory);
}

// Reads one byte in each region, at an offset that differs per region so that the lines do
// not compete for one cache set (i * 64 stays below RegionBytes for any count used here).
int touchRegions(const char *memory, int count)
{
    int sum = 0;
    for (int i = 0; i < count; ++i)
        sum += *static_cast<const volatile char *>(memory + size_t(i) * (RegionBytes + 64));
    return sum;
}

int pacedRequests(int listener, const sockaddr_in &address, int requests, int intervalMs,
                  int regions, bool hugePages)
{
    char *const memory = populatedRegions(regions, hugePages);
    const auto [client, serverEnd] = connectedPair(listener, address);
    const std::vector<char> request(170, 'q'); // the size of a poll or a post
    const std::vector<char> answer(230, 'a');  // and of its answer
    const pid_t clientPid = clientProcess([&, client = client] {
        char buffer[4096];
        for (int i = 0; i < requests; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(intervalMs));
            send(client, request.data(), request.size(), MSG_NOSIGNAL);
            if (recv(client, buffer, sizeof buffer, 0) <= 0)
                die("recv");
        }
    });
    ThreadCost cost;
    std::thread server = sleepingServer(
        serverEnd, requests,
        [&answer, serverEnd = serverEnd, memory, regions] {
            if (touchRegions(memory, regions) < 0)
                die("touch");
            send(serverEnd, answer.data(), answer.size(), MSG_NOSIGNAL);
        },
        &cost);
    server.join();
    waitForClient(clientPid);
    std::free(memory);
    std::printf("paced requests, %d, %d ms apart", requests, intervalMs);
    if (regions > 0)
        std::printf(", %d regions touched per request%s", regions,
                    hugePages ? " (huge pages)" : "");
    std::printf("\n");
    std::printf("server thread CPU per request  %.1f us\n", cost.cpuMicroseconds / requests);
    std::printf("server thread preempted        %ld times\n", cost.preempted);
    return 0;
}

int main(int argc, char **argv)
{
    const bool single = argc > 1 && std::string_view(argv[1]) == "single";
    const bool paced = argc > 1 && std::string_view(argv[1]) == "paced";
    if (single || paced)
        ++argv, --argc;
    const int clients = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
    PushChat::raiseOpenFileLimit();

    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
        listen(listener, 4096) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        die("listen");
    if (single)
        return singleClient(listener, address, argc > 1 ? std::atoi(argv[1]) : 1000,
                            argc > 2 && std::string_view(argv[2]) == "uring");
    if (paced) {
        return pacedRequests(listener, address, argc > 1 ? std::atoi(argv[1]) : 40,
                             argc > 2 ? std::atoi(argv[2]) : 500, argc > 3 ? std::atoi(argv[3]) : 0,
                             argc > 4 && std::string_view(argv[4]) == "huge");
    }

    const size_t count = size_t(clients);
    std::vector<int> readers(count), writers(count);
    for (int i = 0; i < clients; ++i) {
        readers[size_t(i)] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        // Four source addresses, as pushchat-bench --source-addresses 4 uses.
        sockaddr_in source{};
        source.sin_family = AF_INET;
        source.sin_addr.s_addr = htonl(INADDR_LOOPBACK + uint32_t(i % 4));
        if (bind(readers[size_t(i)], reinterpret_cast<sockaddr *>(&source), sizeof source) != 0)
            die("bind");
        connect(readers[size_t(i)], reinterpret_cast<sockaddr *>(&address), sizeof address);
        writers[size_t(i)] = accept(listener, nullptr, nullptr);
        if (writers[size_t(i)] < 0)
            die("accept");
        const int one = 1;
        setsockopt(writers[size_t(i)], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }

    const int epoll = epoll_create1(0);
    for (int i = 0; i < clients; ++i) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u32 = uint32_t(i);
        epoll_ctl(epoll, EPOLL_CTL_ADD, readers[size_t(i)], &event);
    }

    std::vector<double> arrivals(count);
    std::atomic<int> received{0};
    std::atomic<bool> stop{false};
    std::atomic<Clock::rep> roundStart{0};
    std::thread reader([&] {
        std::vector<epoll_event> events(512);
        char buffer[4096];
        while (!stop.load()) {
            // Spins instead of sleeping: a sleeping reader costs the writer a wake-up (an
            // inter-processor interrupt) per send, which is not the floor.
            const int ready = epoll_wait(epoll, events.data(), int(events.size()), 0);
            for (int e = 0; e < ready; ++e) {
                const uint32_t i = events[size_t(e)].data.u32;
                if (recv(readers[i], buffer, sizeof buffer, 0) > 0) {
                    const auto now = Clock::now().time_since_epoch().count();
                    arrivals[i] = double(now - roundStart.load()) / 1000.0; // ns -> us
                    received.fetch_add(1);
                }
            }
        }
    });

    const std::vector<char> frame(114, 'x');
    const bool uring = argc > 3 && std::string_view(argv[3]) == "uring";
    const std::unique_ptr<PushChat::SocketBatch> batch =
        uring ? PushChat::SocketBatch::create() : nullptr;
    if (uring && !batch)
        die("io_uring");
    std::vector<ssize_t> results(count);
    std::vector<double> latencies, loops;
    for (int round = 0; round < rounds; ++round) {
        received.store(0);
        const auto start = Clock::now();
        roundStart.store(start.time_since_epoch().count());
        if (batch) {
            batch->sendToAll(writers, frame.data(), frame.size(), results);
            for (const ssize_t sent : results) {
                if (sent != ssize_t(frame.size()))
                    die("io_uring send");
            }
        } else {
            for (const int fd : writers) {
                if (send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) != ssize_t(frame.size()))
                    die("send");
            }
        }
        loops.push_back(microseconds(Clock::now() - start));
        while (received.load() < clients)
            std::this_thread::yield();
        latencies.insert(latencies.end(), arrivals.begin(), arrivals.end());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    stop.store(true);
    reader.join();

    std::printf("clients %d, rounds %d%s\n", clients, rounds, batch ? ", io_uring" : "");
    std::printf("write loop ms p50/max     %.1f / %.1f (%.2f us per send)\n",
                percentile(loops, 0.5) / 1000, percentile(loops, 1.0) / 1000,
                percentile(loops, 0.5) / clients);
    std::printf("arrival ms p50/p95/p99/max %.1f / %.1f / %.1f / %.1f\n",
                percentile(latencies, 0.5) / 1000, percentile(latencies, 0.95) / 1000,
                percentile(latencies, 0.99) / 1000, percentile(latencies, 1.0) / 1000);
    return 0;
}
